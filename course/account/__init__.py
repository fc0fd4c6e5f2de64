"""A member's own account: details, privacy, their data and deleting it."""

from flask import Blueprint

bp = Blueprint("account", __name__)

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
