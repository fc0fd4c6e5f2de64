"""Authors: every module file with its problems, counts and reading grade, and previews."""

from flask import Blueprint

bp = Blueprint("author", __name__, url_prefix="/author")

from . import views  # noqa: F401  Views register themselves on the blueprint.
