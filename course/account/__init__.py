"""A member's own account: details, privacy, their data and deleting it."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from . import views  # noqa: F401  Views register themselves on the blueprint.
