"""Flask extensions, created unbound here and bound to the app in create_app."""

import os
import sqlite3
from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase

from .deadline import DeadlineConnection

# Named constraints let Alembic alter them later, on SQLite as on PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The base of the tables. At run time it is db.Model, which Flask-SQLAlchemy builds on Base
# (binds, table names); mypy cannot take an attribute for a base class, so it sees Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, and use WAL so readers don't wait for a writer."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Set once per file: asking again while another process writes can meet a lock.
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _can_write(path: str) -> bool:
    """Whether the file opens for writing now: as SQLite tests when it opens a database."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError:
        return False
    return True


@event.listens_for(Engine, "connect")
def _note_read_only_sqlite(dbapi_connection, record) -> None:
    """SQLite: remember a connection opened while its file could not be written.

    SQLite then opens the file read-only, and the connection stays read-only after the file is
    writable again: every write through it would fail until the app restarted.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
        if path and not _can_write(path):
            record.info["read_only_sqlite_file"] = path


@event.listens_for(Engine, "checkout")
def _reopen_writable_sqlite(_dbapi_connection, record, _proxy) -> None:
    """SQLite: swap a read-only connection for a new one once its file is writable again."""
    path = record.info.get("read_only_sqlite_file")
    if path and _can_write(path):
        raise DisconnectionError("the SQLite file is writable again")  # The pool reconnects.


@event.listens_for(Engine, "do_connect")
def _psycopg_deadline(dialect, _record, cargs, cparams):
    """PostgreSQL: open connections that give up on a server that stops answering."""
    seconds = cparams.pop("course_deadline", None)  # Ours (config.database_timeouts), not libpq's.
    if dialect.driver != "psycopg" or not seconds:
        return None  # SQLAlchemy connects as usual.
    connection = DeadlineConnection.connect(*cargs, **cparams)
    connection.deadline = seconds
    return connection
