"""Form fields shared by several blueprints."""

import re

from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget
from zxcvbn import zxcvbn

from .models import Relationship, Role, Visibility

ROLE_LABELS = {
    Role.MEMBER: _l("Family member"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.AUTHOR: _l("Author"),
    Role.ADMIN: _l("Admin"),
}
RELATIONSHIP_LABELS = {
    Relationship.PARENT: _l("Parent"),
    Relationship.PARTNER: _l("Partner or spouse"),
    Relationship.SIBLING: _l("Brother or sister"),
    Relationship.ADULT_CHILD: _l("Adult son or daughter"),
    Relationship.GRANDPARENT: _l("Grandparent"),
    Relationship.FRIEND: _l("Friend"),
    Relationship.OTHER: _l("Other"),
}
VISIBILITY_LABELS = {
    Visibility.PRIVATE: _l("Only me"),
    Visibility.FAMILY: _l("My family"),
    Visibility.FACILITATOR: _l("My family and my facilitator"),
}
MIN_PASSWORD = 10
# Invisible control characters (a NUL byte, terminal escapes): PostgreSQL can't store a NUL,
# and none of them belongs in a name or a message. Multi-line text keeps tabs and line breaks.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_IN_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def N_(message: str) -> str:
    """Mark a message for translation where it is defined (pybabel finds N_), as plain text
    others can compare with; `_()` translates it where it is shown."""
    return message


CONTROL_CHARACTERS_MESSAGE = N_(
    "This had invisible control characters that can't be saved. We took them out: please "
    "check the text and send it again."
)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes, where a SelectMultipleField shows a list box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ValueIdRadioField(RadioField):
    """Radio buttons whose ids end in their values (mode-weekly) rather than their places
    (mode-1), so links and labels pointing at one outlast a change in the order."""

    def __iter__(self):
        for option in super().__iter__():
            option.id = option.label.field_id = f"{self.id}-{option.data}"
            yield option


def strip(value):
    """Trim text before validation, so a field of only spaces counts as empty."""
    return value.strip() if isinstance(value, str) else value


def without_control_characters(text: str, multiline: bool = False) -> str:
    """The text without the invisible control characters it can't be stored with."""
    pattern = CONTROL_CHARACTERS_IN_MULTILINE if multiline else CONTROL_CHARACTERS
    return pattern.sub("", text)


class PlainText:
    """Refuse text holding control characters, and show it again without them, so the person
    only has to check it and send it again."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, _form, field) -> None:
        if isinstance(field.data, str):
            plain = without_control_characters(field.data, self.multiline)
            if plain != field.data:
                field.data = plain
                raise ValidationError(_(CONTROL_CHARACTERS_MESSAGE))


def email_field(label: str | None = None) -> EmailField:
    return EmailField(
        label or _l("Email"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter an email address like name@example.com."), check_deliverability=False),
            Length(max=254),
        ],
        filters=[strip],
        render_kw={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "off"},
    )


GUESSABLE_MESSAGE = N_(
    "That password is easy to guess: it is a common one, or close to your name or email. "
    "A short sentence only you would think of works well."
)


def password_problem(password: str, *personal: str | None) -> str | None:
    """Why a new password is too easy to guess, or None.

    zxcvbn scores it against the common-password lists and dictionaries it ships, keyboard
    patterns, repeats, and the person's own name and email.
    """
    inputs = [value for value in personal if value]
    inputs += [value.split("@")[0] for value in inputs if "@" in value]
    # zxcvbn's time grows quickly with length; a long passphrase is strong from its start.
    if zxcvbn(password[:64], user_inputs=inputs)["score"] < 2:
        return _(GUESSABLE_MESSAGE)
    return None


class HardToGuess:
    """A new password must not be easy to guess, given what the form knows of its owner."""

    def __call__(self, form, field) -> None:
        if field.errors:
            return  # Too short already: one message at a time.
        personal = [getattr(getattr(form, name, None), "data", None)
                    for name in ("email", "display_name")]
        owner = getattr(form, "owner", None) or (
            current_user if current_user and current_user.is_authenticated else None
        )
        if owner is not None:
            personal += [owner.email, owner.display_name]
        problem = password_problem(field.data or "", *[p for p in personal if isinstance(p, str)])
        if problem:
            raise ValidationError(problem)


def new_password_field(label: str | None = None) -> PasswordField:
    # No maximum that a password manager would trip over, and pasting always works.
    return PasswordField(
        label or _l("Password"),
        validators=[
            InputRequired(_l("Choose a password.")),
            # The hint says what a password needs; the error only says which need is unmet.
            Length(min=MIN_PASSWORD, message=_l("That password is too short.")),
            Length(max=500, message=_l("That password is too long: 500 characters at most.")),
            HardToGuess(),
        ],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD},
        description=_l(
            "At least %(num)d characters. A short sentence is easy to remember.", num=MIN_PASSWORD
        ),
    )


def display_name_field(label: str | None = None, description: str | None = None) -> StringField:
    return StringField(
        label or _l("Your first name, or what your family calls you"),
        validators=[
            DataRequired(_l("Tell us what to call you.")), PlainText(),
            Length(max=80, message=_l("Keep it short: 80 characters at most.")),
        ],
        filters=[strip],
        render_kw={"autocomplete": "given-name"},
        description=description or _l("Your family and facilitator see this name."),
    )


def relationship_field() -> RadioField:
    return RadioField(
        _l("You are your loved one's"),
        choices=[SelectChoice(value.value, label) for value, label in RELATIONSHIP_LABELS.items()],
        validators=[InputRequired(_l("Choose the closest one."))],
    )


def nickname_field() -> StringField:
    return StringField(
        _l("A nickname for your loved one (optional)"),
        validators=[
            Optional(), PlainText(),
            Length(max=40, message=_l("Keep it short: 40 characters at most.")),
        ],
        filters=[strip],
        description=_l("A first name or a nickname only, never a full name. Leave it empty if "
                       "you prefer."),
        render_kw={"autocomplete": "off"},
    )
