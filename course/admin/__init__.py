"""Admins: the accounts of the site and their roles."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
