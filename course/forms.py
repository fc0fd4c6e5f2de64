"""Form fields shared by several blueprints."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from .models import Relationship, Visibility

RELATIONSHIP_LABELS = {
    Relationship.PARENT: "Parent",
    Relationship.PARTNER: "Partner or spouse",
    Relationship.SIBLING: "Brother or sister",
    Relationship.ADULT_CHILD: "Adult son or daughter",
    Relationship.GRANDPARENT: "Grandparent",
    Relationship.FRIEND: "Friend",
    Relationship.OTHER: "Other",
}
VISIBILITY_LABELS = {
    Visibility.PRIVATE: "Only me",
    Visibility.FAMILY: "My family",
    Visibility.FACILITATOR: "My family and my facilitator",
}
MIN_PASSWORD = 10


class ActionForm(FlaskForm):
    """A form with no fields of its own: a lone button (delete, revoke, archive), or fields a
    view reads from the request itself. It brings the CSRF token."""


def strip(value):
    """Trim text before validation, so a field of only spaces counts as empty."""
    return value.strip() if isinstance(value, str) else value


def email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter an email address like name@example.com.", check_deliverability=False),
            Length(max=254),
        ],
        filters=[strip],
        render_kw={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "off"},
    )


def new_password_field(label: str = "Password") -> PasswordField:
    # No maximum that a password manager would trip over, and pasting always works.
    return PasswordField(
        label,
        validators=[
            InputRequired("Choose a password."),
            Length(min=MIN_PASSWORD, max=500,
                   message=f"Use at least {MIN_PASSWORD} characters. A short sentence works well."),
        ],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD},
        description=f"At least {MIN_PASSWORD} characters. A short sentence is easy to remember.",
    )


def display_name_field(
    label: str = "Your first name, or what your family calls you",
    description: str = "Your family and facilitator see this name.",
) -> StringField:
    return StringField(
        label,
        validators=[DataRequired("Tell us what to call you."), Length(max=80)],
        filters=[strip],
        render_kw={"autocomplete": "given-name"},
        description=description,
    )


def relationship_field() -> RadioField:
    return RadioField(
        "You are your loved one's",
        choices=[SelectChoice(value.value, label) for value, label in RELATIONSHIP_LABELS.items()],
        validators=[InputRequired("Choose the closest one.")],
    )


def nickname_field() -> StringField:
    return StringField(
        "A nickname for your loved one (optional)",
        validators=[Optional(), Length(max=40, message="Keep it short: 40 characters at most.")],
        filters=[strip],
        description="A first name or a nickname only, never a full name. Leave it empty if "
        "you prefer.",
        render_kw={"autocomplete": "off"},
    )
