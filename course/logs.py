"""Logging without what families wrote: database errors are logged by kind, not by content.

SQL parameters are hidden by the engine (hide_parameters), but a database's own message can
quote them: PostgreSQL's DETAIL line shows the failing row ("Failing row contains (...)") or
the duplicate key, which may be a reflection or an email. The app logs such an error with its
traceback, its SQL text and the database's error code and constraint, and nothing else.
"""

from __future__ import annotations

from types import TracebackType

from flask import Flask
from sqlalchemy.exc import DBAPIError


class DatabaseErrorLogged(Exception):
    """Stands in for a database error in the log, with its values left out."""


def summarise(error: DBAPIError) -> str:
    """What went wrong, from the error's code and names, never its message or values."""
    original = error.orig
    diag = getattr(original, "diag", None)
    parts = [type(original).__name__]
    for label, value in (
        ("code", getattr(original, "sqlstate", None)),
        ("table", getattr(diag, "table_name", None)),
        ("constraint", getattr(diag, "constraint_name", None)),
    ):
        if value:
            parts.append(f"{label} {value}")
    if diag is None and original is not None:
        # sqlite3's messages name the constraint and columns, never the values.
        parts.append(str(original).splitlines()[0])
    return f"{'; '.join(parts)}. SQL: {error.statement}"


class CourseFlask(Flask):
    """Flask, logging database errors without the values their messages quote."""

    def log_exception(
        self, exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None]
    ) -> None:
        if isinstance(exc_info[1], DBAPIError):
            stand_in = DatabaseErrorLogged(summarise(exc_info[1]))
            exc_info = (DatabaseErrorLogged, stand_in, exc_info[2])
        super().log_exception(exc_info)
