"""Signing up, joining by invite, logging in and out, and passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: F401  Views register themselves on the blueprint.
