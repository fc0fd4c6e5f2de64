"""Reading the course: the list of modules and each module's pages."""

from flask import Blueprint

bp = Blueprint("learn", __name__)

from . import views  # noqa: F401  Views register themselves on the blueprint.
