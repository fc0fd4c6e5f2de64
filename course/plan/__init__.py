"""My plan: a member's answers to the plan's prompts from every module, on one printable page,
and who else may read it."""

from flask import Blueprint

bp = Blueprint("plan", __name__)

# The views register themselves on the blueprint, so they come after it.
from . import views  # noqa: E402, F401
