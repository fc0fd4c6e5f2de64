"""Facilitators: their cohorts, invites, the progress dashboard, analytics and exports."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/facilitate")

from . import views  # noqa: F401  Views register themselves on the blueprint.
