"""Who may open which part of the site, by role. Object-level rules live in sharing.py."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .models import Role


def role_required(*roles: Role):
    """Only accounts with one of these roles; anyone else gets a 404, as if nothing were here."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def can_preview_drafts() -> bool:
    """Authors and admins see draft modules exactly as members will."""
    return current_user.is_authenticated and current_user.role in (Role.AUTHOR, Role.ADMIN)
