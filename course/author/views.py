"""The Content page for authors, and the authors' guide (content/README.md) shown in the app."""

import re

from flask import current_app, render_template
from flask_babel import gettext as _, lazy_gettext as _l

import config as settings

from ..access import role_required
from ..content import Module
from ..content.catalog import Translation
from ..content.ext import current_catalog
from ..content.languages import LANGUAGES
from ..content.markup import text_of
from ..content.page import Page
from ..i18n import say, translation_summary
from ..models import Role
from . import bp

# The readability scores, as the Content page names them (aims in content/README.md).
SCORE_NAMES = {
    "grade": _l("Grade"), "fernandez_huerta": "Fernández-Huerta",
    "szigriszt_pazos": "Szigriszt-Pazos",
}
HEADING_RE = re.compile(r"<h([2-6])>(.*?)</h\1>", re.DOTALL)


def _anchor(heading_html: str) -> str:
    """A heading's anchor as GitHub makes it, so the guide's own "#..." links work here too."""
    words = re.sub(r"[^\w\- ]", "", text_of(heading_html).strip().lower())
    return words.replace(" ", "-")


def for_the_app(rendered: str) -> str:
    """Sanitised HTML as the site shows it: an id on each heading (the sanitiser keeps none),
    and each table in a region that scrolls sideways on a phone, as the site's own tables."""
    rendered = HEADING_RE.sub(
        lambda found: f'<h{found[1]} id="{_anchor(found[2])}">{found[2]}</h{found[1]}>', rendered
    )
    return rendered.replace(
        "<table>", '<div class="table-scroll" tabindex="0" role="region" aria-label="'
        + _("Table") + '"><table>').replace("</table>", "</table></div>")


@bp.get("")
@role_required(Role.AUTHOR, Role.ADMIN)
def index():
    """Every module file: published, draft or broken, with what to fix and what members get;
    and each module's translations with their state (in step, behind the English, errors)."""
    catalog = current_catalog()
    # A problem names its file by its place on the server; the page names files by name only.
    folder = str(catalog.folder).rstrip("/") + "/"

    def lines(found):
        return [(problem.line, say(problem.message).replace(folder, "")) for problem in found]

    problems = {entry.path: lines(entry.problems) for entry in catalog.snapshot.entries}
    english_names = {entry.path.rsplit("/", 1)[-1] for entry in catalog.snapshot.entries}
    languages = []
    for lang in catalog.snapshot.translations:
        # Each English module with its translation (or None), then translations of no module.
        rows: list[tuple[Module | None, Translation | None]] = [
            (entry.module, catalog.translation_of(entry, lang))
            for entry in catalog.snapshot.entries if entry.module
        ]
        rows += [(None, translation) for translation in catalog.translations(lang)
                 if translation.file_name not in english_names]
        notes = {
            translation.path: lines(translation.problems) + [
                (line, _("Warning: %(message)s", message=message))
                for line, message in lines(translation.warnings)
            ]
            for translation in catalog.translations(lang)
        }
        languages.append({
            "code": lang, "name": say(LANGUAGES[lang].name), "rows": rows, "notes": notes,
            "summary": translation_summary(catalog, lang),
            "scores": LANGUAGES[lang].scores,
        })
    return render_template(
        "author/index.html", files=catalog.snapshot.entries, problems=problems,
        problem_count=len(catalog.snapshot.problems), languages=languages,
        score_names=SCORE_NAMES,
    )


@bp.get("/guide")
@role_required(Role.AUTHOR, Role.ADMIN)
def guide():
    """The authors' guide: the module format, the writing rules and the errors, with a whole
    example. Rendered once, and again when the file changes."""
    page = current_app.extensions.get("course_authors_guide")
    if page is None:
        page = current_app.extensions["course_authors_guide"] = Page(
            settings.shipped("content/README.md"))
    page.refresh()
    return render_template("author/guide.html", title=page.title, body=for_the_app(page.html))
