"""Admins: the accounts of the site and their roles."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views  # noqa: F401  Views register themselves on the blueprint.
