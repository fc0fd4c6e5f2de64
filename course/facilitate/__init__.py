"""Facilitators: their cohorts, invites, the progress dashboard, analytics and exports."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/facilitate")

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
