"""The family page: each member's progress, shared reflections, encouragements and invites."""

from flask import Blueprint

bp = Blueprint("family", __name__)

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
