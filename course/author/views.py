"""The Content page for authors."""

from flask import render_template

from ..access import role_required
from ..content.ext import current_catalog
from ..models import Role
from . import bp


@bp.get("")
@role_required(Role.AUTHOR, Role.ADMIN)
def index():
    """Every module file: published, draft or broken, with what to fix and what members get."""
    catalog = current_catalog()
    snapshot = catalog.snapshot
    return render_template(
        "author/index.html", files=snapshot.entries, problem_count=len(snapshot.problems),
        folder=catalog.folder,
    )
