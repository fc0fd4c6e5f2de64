"""Forms for accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..forms import (
    PlainText,
    display_name_field,
    email_field,
    new_password_field,
    nickname_field,
    relationship_field,
    strip,
)
from ..i18n import LANGUAGES


def language_field(label) -> SelectField:
    """The language of the account: each language named in itself (and marked as such, for
    screen readers), so each person finds their own. The view gives its starting value (the
    page's language); a form posted without it keeps that."""
    return SelectField(
        label,
        choices=[SelectChoice(code, name, {"lang": code}) for code, name in LANGUAGES.items()],
    )


class SignUpForm(FlaskForm):
    """A new member: who they are, and how to reach them."""

    # Before they have an account, in both languages: whoever reads either finds it.
    language = language_field("Idioma / Language")
    display_name = display_name_field()
    email = email_field()
    password = new_password_field()
    relationship = relationship_field()
    loved_one_nickname = nickname_field()
    family_name = StringField(
        _l("A name for your family (optional)"),
        validators=[
            Optional(), PlainText(),
            Length(max=120, message=_l("Keep it to 120 characters at most.")),
        ],
        filters=[strip],
        description=_l("For example \"The Garcias\". Only your family and facilitator see it."),
    )
    submit = SubmitField(_l("Create my account"))


class JoinFamilyForm(SignUpForm):
    """Joining an existing family: the family already has a name."""

    family_name = None


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    submit = SubmitField(_l("Save my new password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    submit = SubmitField(_l("Change password"))
