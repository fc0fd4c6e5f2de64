"""Flask commands. Each command's --help text is its `help=`, marked with `_h` to be said in
the terminal's language (course/i18n.py, `terminal_text`), as are the messages the commands
print (`_`, Flask-Babel, which in a command follows the terminal's language too)."""

from __future__ import annotations

import gettext
import json
import re
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _, ngettext
from sqlalchemy import select

from . import accounts, audit, demo, notify, sessions
from .content import Catalog
from .content.document import slugify
from .content.ext import current_catalog
from .content.parser import display_path
from .extensions import db
from .forms import MIN_PASSWORD, password_problem
from .i18n import TRANSLATIONS, say, terminal_text as _h, translation_summary
from .models import Role, User, utcnow

# click's own words in --help and in its errors, listed so that `pybabel extract` keeps them in
# the catalog; register_commands points click's gettext at the catalog, so they follow the
# terminal's language too.
CLICK_WORDS = (
    _h("Usage:"), _h("Options"), _h("Commands"), _h("Show this message and exit."),
    _h("Error: {message}"), _h("Try '{command} {option}' for help."), _h("Missing argument"),
    _h("Missing option"), _h("Missing parameter"), _h("Invalid value for {param_hint}: {message}"),
    _h("No such command {name!r}."), _h("No such option {name!r}."), _h("Aborted!"),
    _h("default: {default}"), _h("Repeat for confirmation"),
    _h("Error: The two entered values do not match."), _h("required"),
)

content_cli = AppGroup("content", help=_h("Check, list and create course modules."))

folder_argument = click.argument(
    "folder", required=False, type=click.Path(file_okay=False, path_type=Path)
)


def echo_table(rows: Sequence[Sequence[str]]) -> None:
    """Print rows of text as columns, the first row being the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def load_catalog(folder: Path | None) -> Catalog:
    """A catalog of FOLDER (with its translations' folders), or the app's own, already loaded
    from its content folder."""
    if folder:
        return Catalog(folder, languages=current_app.config.get("COURSE_LANGUAGES", ("en",)))
    return current_catalog()


@content_cli.command("check", help=_h(
    """Check every module and translation; print each problem as path:line: message.

    A translation is checked against its English module (the same ids, order and right
    answers); an English module changed since its translation is a warning. Exits with status
    1 if any module or translation has an error, 0 otherwise.
    """))
@folder_argument
def check_command(folder: Path | None) -> None:
    catalog = load_catalog(folder)
    files = catalog.files()
    for problem in catalog.problems:
        click.echo(f"{problem.path}:{problem.line}: {say(problem.message)}")
    languages = list(catalog.snapshot.translations)
    translated = [t for lang in languages for t in catalog.translations(lang)]
    for translation in translated:
        for problem in translation.problems:
            click.echo(f"{problem.path}:{problem.line}: {say(problem.message)}")
        for warning in translation.warnings:
            click.echo(f"{warning.path}:{warning.line}: "
                       + _("warning: %(message)s", message=say(warning.message)))
    failed = bool(catalog.problems) or any(t.problems for t in translated)
    broken = len({problem.path for problem in catalog.problems})
    drafts = sum(module.is_draft for module in catalog.snapshot.modules.values())
    summary = ngettext(
        "%(num)d module file checked: %(published)d published, %(drafts)d draft, "
        "%(broken)d with errors",
        "%(num)d module files checked: %(published)d published, %(drafts)d draft, "
        "%(broken)d with errors",
        len(files), published=len(catalog.published), drafts=drafts, broken=broken,
    )
    if catalog.problems:
        click.echo(summary + " " + ngettext("(%(num)d problem).", "(%(num)d problems).",
                                            len(catalog.problems)), err=True)
    elif not files:
        click.echo(_("No module files (*.md) found in %(folder)s.",
                     folder=display_path(catalog.folder)), err=True)
        raise SystemExit(1)
    else:
        click.echo(summary + "." + ("" if failed else " " + _("All good.")), err=failed)
    for lang in languages:
        click.echo(translation_summary(catalog, lang), err=failed)
    if failed:
        raise SystemExit(1)


@content_cli.command("list", help=_h(
    """List every valid module with its counts, words and reading grade; with --lang es, each
    module's Spanish translation with its state and Spanish readability scores."""))
@folder_argument
@click.option("--json", "as_json", is_flag=True,
              help=_h("Print a JSON array, for your own tools."))
@click.option(
    "--lang", default="en", show_default=True,
    help=_h("List the translations in this language (like es) with their state and "
            "readability."),
)
def list_command(folder: Path | None, as_json: bool, lang: str) -> None:
    catalog = load_catalog(folder)
    if lang != "en":
        list_translations(catalog, lang, as_json)
        return
    rows = [
        {
            "slug": m.slug,
            "title": m.title,
            "order": m.order,
            "minutes": m.minutes,
            "draft": m.is_draft,
            "sections": len(m.sections),
            "questions": len(m.questions),
            "prompts": len(m.prompts),
            "words": m.words,
            "grade": m.grade,
        }
        for m in catalog.snapshot.modules.values()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    header = (_("order"), _("slug"), _("title"), _("min"), _("sect"), _("quiz"), _("refl"),
              _("words"), _("grade"))
    table = [header] + [
        (
            str(r["order"]), r["slug"] + (" " + _("(draft)") if r["draft"] else ""),
            r["title"] if len(r["title"]) <= 40 else r["title"][:39] + "…",
            str(r["minutes"] or "-"), str(r["sections"]), str(r["questions"]),
            str(r["prompts"]), str(r["words"]), f"{r['grade']:.1f}",
        )
        for r in rows
    ]
    echo_table(table)
    broken = sum(entry.module is None for entry in catalog.snapshot.entries)
    if broken:
        click.echo(ngettext(
            "%(num)d file has errors and is not listed; run: flask content check",
            "%(num)d files have errors and are not listed; run: flask content check", broken,
        ), err=True)


def list_translations(catalog: Catalog, lang: str, as_json: bool) -> None:
    """The translations in `lang` of the modules, in course order, with those not yet made."""
    if lang not in catalog.translation_languages:
        known = ", ".join(catalog.translation_languages) or _("none")
        raise click.UsageError(_('No translations in "%(lang)s"; the languages are: %(known)s.',
                                 lang=lang, known=known))
    made = {t.file_name: t for t in catalog.translations(lang)}
    rows = []
    for module in catalog.snapshot.modules.values():
        name = Path(module.path).name
        translation = made.pop(name, None)
        rows.append(translation_row(module, name, translation))
    rows += [translation_row(None, name, t) for name, t in made.items()]  # No English module.
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    states = translation_state_words()
    header = (_("order"), _("slug"), _("title"), _("state"), _("sect"), _("quiz"), _("refl"),
              _("words"), "F-H", "S-P")
    echo_table([header] + [
        (
            str(r["order"] if r["order"] is not None else "-"), r["slug"] or r["file"],
            r["title"] if len(r["title"]) <= 40 else r["title"][:39] + "…",
            states.get(r["state"], r["state"]),
            *(str(r[key]) if r[key] is not None else "-"
              for key in ("sections", "questions", "prompts", "words")),
            *(f"{r[key]:.1f}" if r.get(key) is not None else "-"
              for key in ("fernandez_huerta", "szigriszt_pazos")),
        )
        for r in rows
    ])


def translation_state_words() -> dict[str, str]:
    """A translation's state in the terminal's words (the JSON keeps the English keys)."""
    return {"in step": _("in step"), "behind the English": _("behind the English"),
            "errors": _("errors"), "none yet": _("none yet")}


def translation_row(english, file_name: str, translation) -> dict:
    """One row of `content list --lang`: the translation's counts and readability, if any."""
    module = translation.parsed if translation else None
    shown = module or english
    row = {
        "file": file_name,
        "slug": english.slug if english else None,
        "title": shown.title if shown else file_name,
        "order": english.order if english else None,
        "lang": module.lang if module else None,
        "state": translation.state if translation else "none yet",
        "translated_from": module.translated_from if module else None,
        "english_version": english.version if english else None,
        "minutes": module.minutes if module else None,
        "sections": len(module.sections) if module else None,
        "questions": len(module.questions) if module else None,
        "prompts": len(module.prompts) if module else None,
        "words": module.words if module else None,
    }
    row.update(module.readability if module else {})
    return row


TEMPLATE = """\
---
title: {title}
order: {order}
minutes: 20
summary: One or two sentences that tell a family member what this module gives them.
objectives:
  - Something the member will be able to do afterwards
  - Another thing
draft: true
---

A short welcome: why this topic matters to a family member, in two or three sentences.

## The first step

Write the first step here: one or two phone screens, short sentences, common words.

**Try this week:** one small thing to do or notice.

> **Reflect:** If you feel ready, write about ... (members choose who, if anyone, reads it).

## The second step

Write the second step here.

**Try this week:** one small thing to do or notice.

## Quiz

### A first scenario

Describe a short, real-life moment. What is the most helpful thing to do?

- [x] The most helpful option.
  > Why this helps.
- [ ] A tempting option that helps less.
  > Why it helps less.
- [ ] Another tempting option.
  > Why it helps less.

**Why:** The idea the question teaches.

### A true or false statement

A statement to judge.

- [ ] True
  > Why this is not right.
- [x] False
  > Why this is right.

**Why:** The idea the question teaches.

### Several right answers

Which of these help?

Choose all that apply.

- [x] A helpful option
  > Why it helps.
- [x] Another helpful option
  > Why it helps.
- [ ] An option that does not help
  > Why it does not help.

**Why:** The idea the question teaches.

## Sources

- The organisation, "The title of the page or report" (its website).
"""


@content_cli.command("new", help=_h("Write a new draft module called TITLE, numbered after the "
                                     "last one."))
@click.argument("title")
@click.option(
    "--folder", type=click.Path(file_okay=False, path_type=Path),
    help=_h("Write into this folder instead of the app's content folder."),
)
def new_command(title: str, folder: Path | None) -> None:
    given_folder = folder is not None
    folder = folder or Path(current_app.config["COURSE_CONTENT_DIR"])
    slug = slugify(title)
    if not title.strip() or not slug:
        raise click.UsageError(_('Give the module a title with some letters, like "Self-care".'))
    numbers = [
        int(match.group(1))
        for path in folder.glob("*.md")
        if (match := re.match(r"^(\d+)", path.name))
    ]
    order = max(numbers, default=0) + 1
    path = folder / f"{order:02d}-{slug}.md"
    if path.exists():
        raise click.ClickException(_("%(path)s already exists.", path=display_path(path)))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        TEMPLATE.format(title=json.dumps(title.strip(), ensure_ascii=False), order=order),
        encoding="utf-8",
    )
    click.echo(_("Wrote %(path)s.", path=display_path(path)))
    check = "flask content check" + (f" {display_path(folder)}" if given_folder else "")
    click.echo(_(
        'It is a draft: members will not see it until you remove the line "draft: true". '
        'Run "%(command)s" after each edit.', command=check,
    ))


users_cli = AppGroup("users", help=_h("Create, list and manage accounts."))

role_choice = click.Choice([role.value for role in Role])


def find_account(email: str) -> User:
    """The account with this email, or a clear error."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(
            _("No account uses %(email)s. See them all with: flask users list", email=email)
        )
    return user


def read_password(from_stdin: bool, *personal: str) -> str:
    """A new password: one line of standard input, or typed twice at a hidden prompt."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(_(
            "Passwords need at least %(num)d characters. A short sentence works well.",
            num=MIN_PASSWORD,
        ))
    problem = password_problem(password, *personal)
    if problem:
        raise click.ClickException(problem)
    return password


@users_cli.command("create", help=_h(
    """Create an account that can log in at once (its email counts as confirmed).

    Asks for the password twice; it needs at least 10 characters. A member gets a new
    self-paced family; facilitators and admins have no family.
    """))
@click.option("--email", required=True, help=_h("The address they log in with."))
@click.option("--name", required=True, help=_h("The name others see, such as \"Dana\"."))
@click.option("--role", type=role_choice, required=True, help=_h("What the account may do."))
@click.option(
    "--password-stdin", is_flag=True,
    help=_h("Read the password from one line of standard input instead of asking for it."),
)
def create_user_command(email: str, name: str, role: str, password_stdin: bool) -> None:
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(
            _("%(email)s is not an email address: %(error)s", email=email, error=error)
        ) from None
    name = name.strip()
    if not name or len(name) > 80:
        raise click.ClickException(_("Give a name of 1 to 80 characters."))
    if accounts.find_user_by_email(email) is not None:
        raise click.ClickException(
            _("An account already uses %(email)s.", email=email.strip().lower())
        )
    password = read_password(password_stdin, email, name)
    user = accounts.create_account(email, name, Role(role), password)
    db.session.commit()
    if user.membership:
        click.echo(_(
            "Created %(role)s %(email)s in a new family, \"%(family)s\". They can log in now.",
            role=user.role.value, email=user.email, family=user.membership.family.name,
        ))
    else:
        click.echo(_("Created %(role)s %(email)s. They can log in now.",
                     role=user.role.value, email=user.email))


@users_cli.command("list", help=_h(
    """List every account: email, name, role, whether it is active, and when it was made."""))
def list_users_command() -> None:
    users = db.session.scalars(select(User).order_by(User.created_at, User.id)).all()
    if not users:
        click.echo(_("No accounts yet. Make one with: flask users create"))
        return
    echo_table([(_("email"), _("name"), _("role"), _("active"), _("created"))] + [
        (user.email, user.display_name, user.role.value, _("yes") if user.is_active else _("no"),
         user.created_at.date().isoformat())
        for user in users
    ])


@users_cli.command("set-role", help=_h(
    """Give the account with EMAIL a new ROLE: member, facilitator, author or admin.

    Only an account that has a family can be a member; make one with: flask users create.
    """))
@click.argument("email")
@click.argument("role", type=role_choice)
def set_role_command(email: str, role: str) -> None:
    user = find_account(email)
    if user.role is Role(role):
        click.echo(_("%(email)s is already %(role)s.", email=user.email, role=role))
        return
    try:
        accounts.change_role(user, Role(role))
    except accounts.AccountError as error:
        raise click.ClickException(f"{error} (flask users create --role member)") from None
    db.session.commit()
    click.echo(_("%(email)s is now %(role)s.", email=user.email, role=role))


@users_cli.command("deactivate", help=_h(
    """Stop the account with EMAIL from logging in; its data is kept.

    Anyone logged in with it is logged out on their next page.
    """))
@click.argument("email")
def deactivate_command(email: str) -> None:
    user = find_account(email)
    if not user.is_active:
        click.echo(_("%(email)s was already deactivated.", email=user.email))
        return
    user.is_active = False
    sessions.end_all_logins(user)
    db.session.commit()
    click.echo(_("Deactivated %(email)s: they can no longer log in.", email=user.email))


@click.command("demo", help=_h(
    """Load a demo group of fictional families into an empty database; print the logins.

    Refuses when the database has any account that is not a demo account. Running it again
    adds nothing and prints the logins again.
    """))
@with_appcontext
@click.option(
    "--if-empty", is_flag=True,
    help=_h("When the database has real accounts, do nothing and exit 0 (for make run)."),
)
def demo_command(if_empty: bool) -> None:
    if current_app.config["ENV_NAME"] == "production":
        if if_empty:
            return
        raise click.ClickException(_("The demo's accounts share a published password: "
                                     "it is not for a production site."))
    try:
        logins = demo.load_demo()
    except demo.RealAccountsExist:
        if if_empty:
            return
        raise click.ClickException(_(
            "The database has real accounts, so the demo was not loaded: its fictional "
            "families would mix with real ones. Use an empty database (for SQLite, delete "
            "instance/course.db and run: flask db upgrade)."
        )) from None
    except demo.CannotLoadDemo as error:
        if if_empty:  # Serve the course anyway; say why there is no demo.
            click.echo(_("No demo loaded: %(reason)s", reason=error), err=True)
            return
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_(
        "Demo data (fictional people, group \"%(group)s\"). "
        "Every demo account's password is: %(password)s",
        group=demo.COHORT_NAME, password=demo.DEMO_PASSWORD,
    ))
    echo_table([(_("role"), _("email"), _("name"), _("family"))] + [
        (login.role, login.email, login.name, login.family or "") for login in logins
    ])


audit_cli = AppGroup("audit", help=_h("Keep the log of staff looking at members' data."))
MAX_AUDIT_DAYS = 36_500  # A hundred years: more is a typo.


@audit_cli.command("prune", help=_h(
    """Delete audit events older than COURSE_AUDIT_DAYS (default 365); run it daily.

    Running it again deletes nothing more.
    """))
@click.option(
    "--days", type=click.IntRange(min=1, max=MAX_AUDIT_DAYS), default=None,
    help=_h("Keep this many days instead of COURSE_AUDIT_DAYS."),
)
def audit_prune_command(days: int | None) -> None:
    days = days or current_app.config["COURSE_AUDIT_DAYS"]
    if not 1 <= days <= MAX_AUDIT_DAYS:
        raise click.ClickException(_(
            "COURSE_AUDIT_DAYS=%(days)d must be between 1 and %(max)d.",
            days=days, max=MAX_AUDIT_DAYS,
        ))
    deleted = audit.prune(utcnow() - timedelta(days=days))
    db.session.commit()
    click.echo(ngettext(
        "Deleted %(num)d audit event older than %(days)s.",
        "Deleted %(num)d audit events older than %(days)s.",
        deleted, days=ngettext("%(num)d day", "%(num)d days", days),
    ))


notify_cli = AppGroup("notify", help=_h("Send the reminders, notes and digests that are due."))
SEND_BATCH = 100  # notices marked sent (and committed) together


@notify_cli.command("send", help=_h(
    """Send the reminders, module notes, family notes and weekly digests that are due.

    Run it once a day, in the morning, by cron or a systemd timer. Each notice is recorded
    before it is sent, so a second run sends nothing twice; one that failed is tried again on
    the next run. Links in the mail need COURSE_BASE_URL.
    """))
@click.option("--dry-run", is_flag=True,
              help=_h("List what would be sent (kinds, counts, account ids); send nothing."))
def notify_send_command(dry_run: bool) -> None:
    now = utcnow()
    modules = current_catalog().published
    due = notify.due_notices(modules, now)
    by_kind = notify.count_by_kind(due)
    summary = ", ".join(
        notify.plural(len(ids), kind) for kind, ids in by_kind.items() if ids
    ) or _("Nothing due")
    if dry_run:
        click.echo(_("Would send %(summary)s. Nothing was sent.", summary=summary) if due
                   else _("Nothing due."))
        for kind, ids in by_kind.items():
            if ids:
                click.echo("  " + _("%(kind)s: account ids %(ids)s", kind=kind.value,
                                    ids=", ".join(map(str, sorted(ids)))))
        return
    if due and not current_app.config.get("COURSE_BASE_URL"):
        raise click.ClickException(_(
            "COURSE_BASE_URL is not set, so the links in the mail would lead nowhere. Set it "
            "to the address people use, for example COURSE_BASE_URL=http://localhost:5000."
        ))
    pending = notify.record(due, now)
    db.session.commit()
    cache = notify.DigestCache(modules, now)
    outcome = notify.Outcome()
    for start in range(0, len(pending), SEND_BATCH):
        batch = notify.send(pending[start:start + SEND_BATCH], modules, now, cache)
        db.session.commit()
        outcome.sent += batch.sent
        outcome.failed += batch.failed
        if batch.stopped:
            outcome.stopped = True
            break
    click.echo(_("%(summary)s: sent %(sent)d, failed %(failed)d.", summary=summary,
                 sent=outcome.sent, failed=outcome.failed))
    if outcome.stopped:
        click.echo(_("The mail server kept failing, so the run stopped; the rest will be tried "
                     "on the next run."), err=True)
    if outcome.failed:
        raise SystemExit(1)


def register_commands(app: Flask) -> None:
    """Add the project's commands to `flask`."""
    from . import backup  # noqa: F401  Adds `flask db backup` to Flask-Migrate's group.

    # click says its own words through Python's gettext, in the "messages" domain: ours.
    gettext.bindtextdomain("messages", str(TRANSLATIONS))

    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(audit_cli)
    app.cli.add_command(notify_cli)
