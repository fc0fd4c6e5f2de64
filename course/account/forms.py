"""Forms of the account pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import InputRequired

from ..auth.forms import language_field
from ..forms import display_name_field, nickname_field, relationship_field


class SettingsForm(FlaskForm):
    display_name = display_name_field()
    language = language_field(_l("Language"))
    relationship = relationship_field()
    loved_one_nickname = nickname_field()
    is_progress_hidden = BooleanField(
        _l("Hide my progress from my family"),
        description=_l("Your family will see your name, but not which modules you have done."),
    )
    wants_reminders = BooleanField(
        _l("A gentle reminder when I haven't visited for a while"),
        description=_l("At most once a week."),
    )
    wants_module_notes = BooleanField(_l("A note when a new part of the course opens for me"))
    wants_family_notes = BooleanField(
        _l("A note when someone in my family shares a reflection or leaves me a kind word"),
        description=_l("At most once a day."),
    )
    wants_digest = BooleanField(
        _l("A weekly summary of each group I run"),
        description=_l("Who may need a word from you, the hardest questions, and what was shared."),
    )
    submit = SubmitField(_l("Save"))


# The email choices on the settings page, and who sees each: members, or people who run groups.
MEMBER_EMAILS = ("wants_reminders", "wants_module_notes", "wants_family_notes")
FACILITATOR_EMAILS = ("wants_digest",)


class UnsubscribeForm(FlaskForm):
    """The button that confirms turning off one kind of email. The signed link is the proof,
    and mail programs post here with no token of ours (RFC 8058), so no CSRF token."""

    class Meta:
        csrf = False

    submit = SubmitField(_l("Stop these emails"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password, to confirm it's you"),
        validators=[InputRequired(_l("Enter your password to confirm."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Delete my account"))
