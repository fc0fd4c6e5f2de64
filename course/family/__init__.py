"""The family page: each member's progress, shared reflections, encouragements and invites."""

from flask import Blueprint

bp = Blueprint("family", __name__)

from . import views  # noqa: F401  Views register themselves on the blueprint.
