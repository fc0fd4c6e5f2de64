"""Views of the course and its modules."""

from flask import abort, render_template

from ..content.ext import current_catalog, current_resources
from . import bp


@bp.get("/")
def index():
    """The course page: every published module, in order."""
    return render_template("learn/index.html", modules=current_catalog().published)


@bp.get("/modules/<slug>")
def module(slug: str):
    """A module: its introduction and sections, then what the quiz covers and the sources."""
    found = current_catalog().get(slug)
    if found is None:
        abort(404)
    return render_template("learn/module.html", module=found)


@bp.get("/resources")
def resources():
    """Crisis lines, helplines and where to find help."""
    page = current_resources()
    if not page.html:
        abort(404)
    return render_template("learn/resources.html", page=page)
