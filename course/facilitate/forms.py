"""Forms of the facilitator pages."""

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, NumberRange, Optional

from ..forms import strip

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class CohortForm(FlaskForm):
    name = StringField(
        "Name of the group", validators=[DataRequired("Give the group a name.")],
        filters=[strip], description="For example “Tuesday family group, spring”. Members see it.",
    )
    start_date = DateField("First meeting", validators=[Optional()])
    meeting_day = SelectField(
        "Meeting day",
        choices=[SelectChoice("", "No set day")]
        + [SelectChoice(str(n), day) for n, day in enumerate(WEEKDAYS)],
        validators=[Optional()],
    )
    stuck_after_days = IntegerField(
        "Call a member stuck after this many days without progress",
        default=14,
        validators=[InputRequired("Give a number of days."),
                    NumberRange(1, 90, "Choose between 1 and 90 days.")],
    )


class InviteForm(FlaskForm):
    days = IntegerField(
        "The link works for this many days", default=14,
        validators=[InputRequired("Give a number of days."),
                    NumberRange(1, 90, "Choose between 1 and 90 days.")],
    )
    max_uses = IntegerField(
        "How many families may use it (leave empty for no limit)",
        validators=[Optional(), NumberRange(1, 500, "Choose between 1 and 500.")],
    )


class CoFacilitatorForm(FlaskForm):
    email = EmailField(
        "Email of a co-facilitator",
        validators=[DataRequired("Enter their email."),
                    Email("Enter an email address like name@example.com.",
                          check_deliverability=False)],
        filters=[strip],
    )
