"""`flask db backup PATH`: a consistent copy of the SQLite database, taken while the site runs.

PostgreSQL has its own tools for this (pg_dump and pg_restore, in the README's Deploying
section); the command says so rather than copy a server's files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_migrate.cli import db as db_cli

from .extensions import db
from .i18n import terminal_text as _h


def backup_sqlite(database: Path, target: Path) -> None:
    """Copy a live SQLite database page by page, through SQLite's online backup."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy, pages=1024)
    finally:
        copy.close()
        source.close()


@db_cli.command("backup", help=_h(
    """Write a consistent copy of the SQLite database to PATH, while the site keeps running.

    Restore by stopping the site and putting the copy in the database's place. For
    PostgreSQL, use pg_dump and pg_restore (see the README).
    """))
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(_(
            "flask db backup copies SQLite databases. For PostgreSQL use: "
            "pg_dump --format=custom --file=course.dump DATABASE_URL"
        ))
    if path.exists():
        raise click.ClickException(_("%(path)s already exists; choose a new file name.",
                                     path=path))
    backup_sqlite(Path(url.database), path)
    click.echo(_("Backed up %(database)s to %(path)s.", database=url.database, path=path))
