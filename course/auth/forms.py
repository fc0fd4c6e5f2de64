"""Forms for accounts."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
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


class SignUpForm(FlaskForm):
    """A new member: who they are, and how to reach them."""

    display_name = display_name_field()
    email = email_field()
    password = new_password_field()
    relationship = relationship_field()
    loved_one_nickname = nickname_field()
    family_name = StringField(
        "A name for your family (optional)",
        validators=[
            Optional(), PlainText(), Length(max=120, message="Keep it to 120 characters at most.")
        ],
        filters=[strip],
        description="For example \"The Garcias\". Only your family and facilitator see it.",
    )
    submit = SubmitField("Create my account")


class JoinFamilyForm(SignUpForm):
    """Joining an existing family: the family already has a name."""

    family_name = None


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send me a reset link")


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")
    submit = SubmitField("Save my new password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field("New password")
    submit = SubmitField("Change password")
