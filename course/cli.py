"""Flask commands. Each command's docstring is its --help text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .content import Catalog
from .content.ext import current_catalog
from .content.parser import display_path, slugify

content_cli = AppGroup("content", help="Check, list and create course modules.")

folder_argument = click.argument(
    "folder", required=False, type=click.Path(file_okay=False, path_type=Path)
)


def load_catalog(folder: Path | None) -> Catalog:
    """A catalog of FOLDER, or the app's own, already loaded from its content folder."""
    return Catalog(folder) if folder else current_catalog()


@content_cli.command("check")
@folder_argument
def check_command(folder: Path | None) -> None:
    """Check every module; print each problem as path:line: message.

    Exits with status 1 if any module has an error, 0 otherwise.
    """
    catalog = load_catalog(folder)
    files = catalog.files()
    for problem in catalog.problems:
        click.echo(str(problem))
    broken = len({problem.path for problem in catalog.problems})
    drafts = sum(module.is_draft for module in catalog.snapshot.modules.values())
    summary = (
        f"{len(files)} module file{'s' if len(files) != 1 else ''} checked: "
        f"{len(catalog.published)} published, {drafts} draft, {broken} with errors"
    )
    if catalog.problems:
        count = len(catalog.problems)
        click.echo(f"{summary} ({count} problem{'s' if count != 1 else ''}).", err=True)
        raise SystemExit(1)
    if not files:
        click.echo(f"No module files (*.md) found in {display_path(catalog.folder)}.", err=True)
        raise SystemExit(1)
    click.echo(f"{summary}. All good.")


@content_cli.command("list")
@folder_argument
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, for your own tools.")
def list_command(folder: Path | None, as_json: bool) -> None:
    """List every valid module with its counts, words and reading grade."""
    catalog = load_catalog(folder)
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
    header = ("order", "slug", "title", "min", "sect", "quiz", "refl", "words", "grade")
    table = [header] + [
        (
            str(r["order"]), r["slug"] + (" (draft)" if r["draft"] else ""),
            r["title"] if len(r["title"]) <= 40 else r["title"][:39] + "…",
            str(r["minutes"] or "-"), str(r["sections"]), str(r["questions"]),
            str(r["prompts"]), str(r["words"]), f"{r['grade']:.1f}",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    broken = len({problem.path for problem in catalog.problems})
    if broken:
        click.echo(
            f"{broken} file{'s have' if broken != 1 else ' has'} errors and "
            f"{'are' if broken != 1 else 'is'} not listed; run: flask content check",
            err=True,
        )


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


@content_cli.command("new")
@click.argument("title")
@click.option(
    "--folder", type=click.Path(file_okay=False, path_type=Path),
    help="Write into this folder instead of the app's content folder.",
)
def new_command(title: str, folder: Path | None) -> None:
    """Write a new draft module called TITLE, numbered after the last one."""
    folder = folder or Path(current_app.config["COURSE_CONTENT_DIR"])
    slug = slugify(title)
    if not title.strip() or not slug:
        raise click.UsageError("Give the module a title with some letters, like \"Self-care\".")
    numbers = [
        int(match.group(1))
        for path in folder.glob("*.md")
        if (match := re.match(r"^(\d+)", path.name))
    ]
    order = max(numbers, default=0) + 1
    path = folder / f"{order:02d}-{slug}.md"
    if path.exists():
        raise click.ClickException(f"{display_path(path)} already exists.")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        TEMPLATE.format(title=json.dumps(title.strip(), ensure_ascii=False), order=order),
        encoding="utf-8",
    )
    click.echo(f"Wrote {display_path(path)}.")
    click.echo(
        "It is a draft: members will not see it until you remove the line \"draft: true\". "
        "Run \"flask content check\" after each edit."
    )


def register_commands(app: Flask) -> None:
    """Add the project's commands to `flask`."""
    app.cli.add_command(content_cli)
