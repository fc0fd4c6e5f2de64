"""The Content page for authors."""

from collections import defaultdict

from flask import render_template

from ..access import role_required
from ..content.ext import current_catalog
from ..models import Role
from . import bp


@bp.get("")
@role_required(Role.AUTHOR, Role.ADMIN)
def index():
    """Every module file: published, draft or broken, with what to fix and where."""
    snapshot = current_catalog().snapshot
    problems = defaultdict(list)
    for problem in snapshot.problems:
        problems[problem.path].append(problem)
    valid = {id(module) for module in snapshot.modules.values()}
    files = [
        {
            "path": result.path,
            "module": result.module if id(result.module) in valid else None,
            "problems": problems.get(result.path, []),
        }
        for result in snapshot.results
    ]
    return render_template(
        "author/index.html", files=files, problem_count=len(snapshot.problems),
        folder=current_catalog().folder,
    )
