"""Column types and helpers shared by the tables."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date in the server's time zone, the calendar group schedules are kept in."""
    return date.today()  # noqa: DTZ011  A schedule's days are dates, not instants.


class UTCDateTime(TypeDecorator):
    """A UTC timestamp that reads back timezone-aware on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Refuse naive datetimes; SQLite stores UTC without a zone."""
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("store timezone-aware datetimes only")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        """Give back an aware datetime in UTC, whatever zone the driver used."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the values."""
    return Enum(
        enum_class, name=name, native_enum=False, create_constraint=True, length=20,
        values_callable=lambda members: [member.value for member in members],
    )
