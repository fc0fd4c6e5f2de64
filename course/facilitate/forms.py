"""Forms of the facilitator pages."""

from collections.abc import Mapping, Sequence
from datetime import date

from flask_babel import LazyString, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import TextInput

from ..content import Module
from ..forms import PlainText, ValueIdRadioField, strip
from ..i18n import LANGUAGES
from ..templating import date as date_written, read_day

WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday")]
# The days a group may meet or open a module on: wide enough for any real group, fixed so an
# old group can still be edited, and far from the calendar's end (a mistyped 9999 would
# overflow the weekly schedule).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DATE_RANGE_MESSAGE = _l("Choose a date between 2000 and 2100.")
NOTE_LENGTH = 1000  # cohorts.note


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


def required_when_sent(message: str):
    """Like InputRequired, but a form sent without the field at all (from a page made before
    the field was added) keeps the field's default."""

    def check(_form, field) -> None:
        if field.raw_data and not field.raw_data[0].strip():
            field.errors[:] = []
            raise StopValidation(message)

    return check


def unix_lines(value):
    """Line breaks as one character each, as the browser counted them for `maxlength`."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def language_choices() -> list[SelectChoice]:
    """No set language (each member's browser decides), or one the site speaks, named in it."""
    return [SelectChoice("", _l("None: each member's own or their browser's"))] + [
        SelectChoice(code, name) for code, name in LANGUAGES.items()
    ]


class CohortForm(FlaskForm):
    name = StringField(
        _l("Name of the group"),
        validators=[DataRequired(_l("Give the group a name.")), PlainText(),
                    Length(max=120, message=_l("Keep it to %(num)d characters at most.", num=120))],
        filters=[strip],
        description=_l("For example “Tuesday family group, spring”. Members see it."),
    )
    start_date = DateField(_l("First meeting"), validators=[Optional(), date_in_range])
    meeting_day = SelectField(
        _l("Meeting day"),
        choices=[SelectChoice("", _l("No set day"))]
        + [SelectChoice(str(n), day) for n, day in enumerate(WEEKDAYS)],
        default="",
        # Checked by AnyOf, for a message a person can act on.
        validate_choice=False,
        validators=[AnyOf([""] + [str(n) for n in range(len(WEEKDAYS))],
                          _l("Choose a meeting day from the list."))],
    )
    stuck_after_days = IntegerField(
        _l("Count a member as stuck after this many days without progress"),
        default=14,
        validators=[InputRequired(_l("Give a number of days for “stuck”.")),
                    between(1, 90, _l("Choose between 1 and 90 days for “stuck”."))],
    )
    remind_after_days = IntegerField(
        _l("Remind members after this many days without activity"),
        default=7,
        validators=[required_when_sent(_l("Give a number of days for reminders.")),
                    between(1, 90, _l("Choose between 1 and 90 days for reminders."))],
        description=_l("Reminders are on unless a member turns them off. A member gets at "
                       "most one a week."),
    )
    note = TextAreaField(
        _l("Note to the group (optional)"),
        validators=[Optional(), PlainText(multiline=True),
                    Length(max=NOTE_LENGTH,
                           message=_l("Keep it to %(num)d characters at most.",
                                      num=NOTE_LENGTH))],
        # A browser sends each line break as two characters, and counts it as one.
        filters=[strip, unix_lines],
        description=_l("For example “No meeting on 24 December”. Members see it once, under "
                       "“Since your last visit”, the next time they open their course or "
                       "family page. Leave it empty for no note."),
        render_kw={"rows": 4, "maxlength": NOTE_LENGTH},
    )
    default_locale = SelectField(
        _l("The group's language"),
        choices=language_choices(),
        default="",
        validate_choice=False,
        validators=[AnyOf(["", *LANGUAGES], _l("Choose a language from the list."))],
        description=_l("The site and the modules are in this language for members who have "
                       "not chosen one, and on this group's invite pages."),
    )


class InviteForm(FlaskForm):
    label = StringField(
        _l("Who is it for? (optional)"),
        validators=[Optional(), PlainText(),
                    Length(max=80, message=_l("Keep it to %(num)d characters at most.", num=80))],
        filters=[strip],
        description=_l("For example “The Garcia family”. Only you and your co-facilitators "
                       "see it."),
        render_kw={"maxlength": 80, "autocomplete": "off"},
    )
    days = IntegerField(
        _l("The link works for this many days"), default=14,
        validators=[InputRequired(_l("Give a number of days.")),
                    between(1, 90, _l("Choose between 1 and 90 days."))],
    )
    max_uses = IntegerField(
        _l("How many families may use it (leave empty for no limit)"),
        validators=[Optional(), between(1, 500, _l("Choose between 1 and 500."))],
        description=_l("For a link made for one family, write 1: no one else can join with "
                       "it. Leave it empty for a link the whole group shares."),
    )


class CoFacilitatorForm(FlaskForm):
    email = EmailField(
        _l("Email of a co-facilitator"),
        validators=[DataRequired(_l("Enter their email.")),
                    Email(_l("Enter an email address like name@example.com."),
                          check_deliverability=False),
                    Length(max=254)],
        filters=[strip],
    )


SCHEDULE_MODES = [
    SelectChoice("open", _l("All modules open from the start")),
    SelectChoice("weekly", _l("One module a week, from the first meeting")),
    SelectChoice("dates", _l("On dates I choose")),
]


# An example of a day as the page writes it, for hints and errors: "31 Jan 2027", "31 ene 2027".
DAY_EXAMPLE = LazyString(lambda: date_written(date(2027, 1, 31), "short"))


class DayField(DateField):
    """A day typed in a text box, written the way the site writes dates in the page's language
    ("1 Dec 2026", "1 dic 2026", course/templating.py): a browser's date box would show it as
    its locale likes (mm/dd/yyyy), unlike the rest of the page. Read back as people type it
    (`templating.read_day`). The first value sent counts."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = read_day(valuelist[0]) if valuelist[0].strip() else None
        if self.data is None and valuelist[0].strip():
            raise ValueError(str(self.invalid_value_message))

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return date_written(self.data, "short") if self.data else ""


def when_dates_chosen(form, field) -> None:
    """A module's day counts only when the facilitator chooses the dates: with any other way
    of opening, what the date boxes hold is not read."""
    if form.mode.data != "dates":
        field.errors[:] = []
        raise StopValidation()


class ScheduleForm(FlaskForm):
    """When a group's modules open; `schedule_form` adds a day per module held back."""

    mode = ValueIdRadioField(
        _l("How modules open"), choices=SCHEDULE_MODES, default="open",
        invalid_choice_message=_l("Choose how modules open."),
    )
    modules: tuple[Module, ...] = ()
    first_meeting: date | None = None
    day_example = DAY_EXAMPLE  # For the page's hint.

    def validate_mode(self, field) -> None:
        """Weekly counts from the first meeting, which must be set and in range (one stored
        before dates had limits may be out of it)."""
        if field.data != "weekly":
            return
        if self.first_meeting is None:
            raise ValidationError(_l("Set the first meeting's date in Settings first."))
        if not in_date_range(self.first_meeting):
            raise ValidationError(_l(
                "The first meeting's date must be between 2000 and 2100: change it in "
                "Settings first."
            ))

    def day_of(self, module: Module) -> Field | None:
        """The date box of a module, or None for one its author keeps always open."""
        return self._fields.get(f"opens-{module.slug}")

    def opening_days(self, weekly: Mapping[str, date] | None) -> dict[str, date]:
        """The day each held-back module opens, as chosen: none, one a week (`weekly`), or
        the days typed (an empty box leaves its module open)."""
        if self.mode.data == "weekly":
            return dict(weekly or {})
        if self.mode.data != "dates":
            return {}
        boxes = ((module.slug, self.day_of(module)) for module in self.modules)
        return {slug: box.data for slug, box in boxes if box is not None and box.data}


def schedule_form(modules: Sequence[Module], first_meeting: date | None) -> type[ScheduleForm]:
    """The schedule form of a group meeting first on `first_meeting`: the way modules open,
    and a day for each module its author doesn't keep always open."""
    days: dict[str, UnboundField] = {
        f"opens-{module.slug}": DayField(
            f"{module.order}. {module.title}",
            invalid_value_message=_l("Enter a date like %(example)s, or leave it empty.",
                                     example=DAY_EXAMPLE),
            render_kw={"autocomplete": "off", "spellcheck": "false"},
            validators=[when_dates_chosen, Optional(), date_in_range],
        )
        for module in modules if not module.is_always_open
    }
    return type("GroupScheduleForm", (ScheduleForm,), {
        "modules": tuple(modules), "first_meeting": first_meeting, **days,
    })


def saved_schedule(days: Mapping[str, date], weekly: Mapping[str, date] | None) -> dict:
    """The schedule form's data as a group's saved `days` fill it: the way of opening that
    gives those days (`weekly`: the days one a week would give), and the days themselves."""
    if not days:
        mode = "open"
    elif days == weekly:
        mode = "weekly"
    else:
        mode = "dates"
    return {"mode": mode, **{f"opens-{slug}": day for slug, day in days.items()}}
