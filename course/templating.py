"""What every template shares: filters that write scores, dates and labels the site's way, and
the menu's view of who the current user is. create_app registers them (init_templating)."""

import re
import unicodedata
from datetime import UTC, date as Date, datetime as Datetime
from enum import Enum
from functools import cached_property, lru_cache

from babel.dates import format_date, format_datetime, get_month_names
from babel.numbers import format_percent
from flask import Flask
from flask_login import current_user

from . import audit, sharing
from .access import can_preview_drafts
from .forms import RELATIONSHIP_LABELS, ROLE_LABELS, VISIBILITY_LABELS
from .i18n import current_language, number_locale
from .models import AuditKind, Relationship, Role, Visibility
from .progress import STANDING_LABELS, Standing

MISSING = "—"  # A score or a day that isn't there yet.

# Dates with their year (`date`), and days of the year without it (`day`), by style, in each
# language: CLDR patterns that Babel fills with the language's own month and day names.
DATE_FORMATS = {
    "en": {
        "long": "d MMMM y",  # 5 March 2026
        "short": "d MMM y",  # 5 Mar 2026
        "weekday": "EEEE d MMMM y",  # Thursday 5 March 2026
        "short_weekday": "EEE d MMM y",  # Thu 5 Mar 2026
        "with_time": "d MMM y HH:mm",  # 5 Mar 2026 14:07
    },
    "es": {
        "long": "d 'de' MMMM 'de' y",  # 5 de marzo de 2026
        "short": "d MMM y",  # 5 mar 2026
        "weekday": "EEEE d 'de' MMMM 'de' y",  # jueves 5 de marzo de 2026
        "short_weekday": "EEE d MMM y",  # jue 5 mar 2026
        "with_time": "d MMM y HH:mm",  # 5 mar 2026 14:07
    },
}
DAY_FORMATS = {
    "en": {
        "long": "d MMMM",  # 5 March
        "short": "d MMM",  # 5 Mar
        "weekday": "EEEE d MMMM",  # Thursday 5 March
        "numeric": "d/M",  # 5/3
    },
    "es": {
        "long": "d 'de' MMMM",  # 5 de marzo
        "short": "d MMM",  # 5 mar
        "weekday": "EEEE d 'de' MMMM",  # jueves 5 de marzo
        "numeric": "d/M",  # 5/3
    },
}

# What people read for each value of a stored choice.
LABELS: dict[type[Enum], dict] = {
    Visibility: VISIBILITY_LABELS,
    Relationship: RELATIONSHIP_LABELS,
    Role: ROLE_LABELS,
    AuditKind: audit.DESCRIPTIONS,
    Standing: STANDING_LABELS,
}


def percent(fraction: float | None) -> str:
    """A score or share from 0 to 1 as a whole percentage in the page's language ("75%",
    "75 %"); a dash when there is none."""
    if fraction is None:
        return MISSING
    return format_percent(round(fraction * 100) / 100, locale=number_locale())


def _formatted(moment: Date | None, formats: dict[str, dict[str, str]], style: str) -> str:
    """A date or a datetime in the page's language, by one of the styles above."""
    if moment is None:
        return MISSING
    language = current_language()
    pattern = formats.get(language, formats["en"])[style]
    if isinstance(moment, Datetime):
        # As stored: UTC (timestamps are UTCDateTime columns), as the pages always showed.
        return format_datetime(moment, pattern, tzinfo=UTC, locale=number_locale())
    return format_date(moment, pattern, locale=number_locale())


def date(moment: Date | None, style: str = "long") -> str:
    """A date (or the date of a datetime) with its year: "5 March 2026"; a dash when none."""
    return _formatted(moment, DATE_FORMATS, style)


@lru_cache(maxsize=8)
def _month_numbers(locale: str) -> dict[str, int]:
    """A Babel locale's month names to their number, lower case and without accents: each
    name written out and any start of it of three letters or more ("enero", "ene", "sept",
    "sep"...), as people shorten them one way or another."""
    names: dict[str, int] = {}
    for number, name in get_month_names("wide", locale=locale).items():
        plain = _plain(name)
        for end in range(3, len(plain) + 1):
            names[plain[:end]] = number
    return names


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().strip("."))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_day(text: str) -> Date | None:
    """A day as a person types it on a page in its language: as `date(day, "short")` writes it
    ("31 Jan 2027", "31 ene 2027"), with a weekday before it, the month written out ("31 de
    enero de 2027"), English month names on any page, day/month/year in Spanish
    ("31/01/2027"), or as a date picker sends it (2027-01-31); None when it is none of these."""
    words = [w for w in _plain(text).replace(",", " ").replace(".", " ").split() if w != "de"]
    if len(words) == 1 and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", words[0]):
        year, month, day_number = map(int, words[0].split("-"))
    elif len(words) == 1 and current_language() == "es" and re.fullmatch(
            r"\d{1,2}/\d{1,2}/\d{4}", words[0]):
        day_number, month, year = map(int, words[0].split("/"))
    else:
        # Whatever comes before the day's number is its weekday ("mar" is also March).
        words = words[next((i for i, w in enumerate(words) if w.isdigit()), 0):]
        months = {**_month_numbers("en"), **_month_numbers(number_locale())}
        if len(words) != 3 or not words[0].isdigit() or not re.fullmatch(r"\d{4}", words[2]) \
                or words[1] not in months:
            return None
        day_number, month, year = int(words[0]), months[words[1]], int(words[2])
    try:
        return Date(year, month, day_number)
    except ValueError:
        return None


def day(moment: Date | None, style: str = "long") -> str:
    """A day without its year, for what is recent or coming: "5 March"; a dash when none."""
    return _formatted(moment, DAY_FORMATS, style)


def label(value: Enum) -> str:
    """The words for a stored choice: a visibility, a relationship, a role, an audit event, a
    member's standing in a module."""
    return LABELS[type(value)][value]


class Menu:
    """The parts of the site the main menu links to for the current user, by the rules the
    views themselves apply. Worked out when the menu first asks (mail templates never do)."""

    @cached_property
    def _user(self):
        return current_user if current_user.is_authenticated else None

    @cached_property
    def groups(self) -> bool:
        return self._user is not None and sharing.may_run_groups(self._user)

    @cached_property
    def content(self) -> bool:
        return can_preview_drafts()

    @cached_property
    def users(self) -> bool:
        return self._user is not None and self._user.role == Role.ADMIN

    @cached_property
    def family(self) -> bool:
        # On an error page current_user may be errors.Remembered, whose membership is a bool.
        return self._user is not None and bool(self._user.membership)

    @cached_property
    def plan(self) -> bool:
        # Plans are members' own: their answers to the modules' plan prompts.
        return self.family


def init_templating(app: Flask) -> None:
    """Register the filters and the menu with the app's templates."""
    for template_filter in (percent, date, day, label):
        app.add_template_filter(template_filter)
    app.context_processor(lambda: {"menu": Menu()})
