"""Forms of the facilitator pages."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf, DataRequired, Email, InputRequired, Length, Optional, ValidationError,
)

from ..forms import PlainText, strip

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# The days a group may meet or open a module on: wide enough for any real group, fixed so an
# old group can still be edited, and far from the calendar's end (a mistyped 9999 would
# overflow the weekly schedule).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DATE_RANGE_MESSAGE = "Choose a date between 2000 and 2100."


def in_date_range(day: date) -> bool:
    """Whether a group may meet or open a module on this day."""
    return FIRST_DAY <= day <= LAST_DAY


def date_in_range(_form, field) -> None:
    if field.data is not None and not in_date_range(field.data):
        raise ValidationError(DATE_RANGE_MESSAGE)


def between(low: int, high: int, message: str):
    """A whole number from low to high. (WTForms' NumberRange raises on a number too large
    for a float, such as 10**400.)"""

    def check(_form, field) -> None:
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(message)

    return check


class CohortForm(FlaskForm):
    name = StringField(
        "Name of the group",
        validators=[DataRequired("Give the group a name."), PlainText(),
                    Length(max=120, message="Keep it to 120 characters at most.")],
        filters=[strip], description="For example “Tuesday family group, spring”. Members see it.",
    )
    start_date = DateField("First meeting", validators=[Optional(), date_in_range])
    meeting_day = SelectField(
        "Meeting day",
        choices=[SelectChoice("", "No set day")]
        + [SelectChoice(str(n), day) for n, day in enumerate(WEEKDAYS)],
        default="",
        # Checked by AnyOf, for a message a person can act on.
        validate_choice=False,
        validators=[AnyOf([""] + [str(n) for n in range(len(WEEKDAYS))],
                          "Choose a meeting day from the list.")],
    )
    stuck_after_days = IntegerField(
        "Call a member stuck after this many days without progress",
        default=14,
        validators=[InputRequired("Give a number of days."),
                    between(1, 90, "Choose between 1 and 90 days.")],
    )


class InviteForm(FlaskForm):
    days = IntegerField(
        "The link works for this many days", default=14,
        validators=[InputRequired("Give a number of days."),
                    between(1, 90, "Choose between 1 and 90 days.")],
    )
    max_uses = IntegerField(
        "How many families may use it (leave empty for no limit)",
        validators=[Optional(), between(1, 500, "Choose between 1 and 500.")],
    )


class CoFacilitatorForm(FlaskForm):
    email = EmailField(
        "Email of a co-facilitator",
        validators=[DataRequired("Enter their email."),
                    Email("Enter an email address like name@example.com.",
                          check_deliverability=False),
                    Length(max=254)],
        filters=[strip],
    )
