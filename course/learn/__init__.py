"""Reading the course: the list of modules and each module's pages."""

from flask import Blueprint

bp = Blueprint("learn", __name__)

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
