"""Forms of the account pages."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import InputRequired

from ..forms import display_name_field, nickname_field, relationship_field


class SettingsForm(FlaskForm):
    display_name = display_name_field()
    relationship = relationship_field()
    loved_one_nickname = nickname_field()
    is_progress_hidden = BooleanField(
        "Hide my progress from my family",
        description="Your family will see your name, but not which modules you have done.",
    )
    submit = SubmitField("Save")


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password, to confirm it's you",
        validators=[InputRequired("Enter your password to confirm.")],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Delete my account")
