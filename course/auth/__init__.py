"""Signing up, joining by invite, logging in and out, and passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
