"""Authors: every module file with its problems, counts and reading grade, and previews."""

from flask import Blueprint

bp = Blueprint("author", __name__, url_prefix="/author")

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
