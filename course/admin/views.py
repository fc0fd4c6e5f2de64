"""Views of the admin pages."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import accounts, audit, sessions
from ..access import role_required
from ..converters import MAX_ID
from ..csvfile import csv_response
from ..extensions import db
from ..forms import ROLE_LABELS
from ..models import AuditKind, Cohort, Role, User
from . import bp
from .forms import NewAccountForm, RoleForm

admin_required = role_required(Role.ADMIN)


def users_page(form: NewAccountForm | None = None, status: int = 200):
    users = db.session.scalars(select(User).order_by(User.role, User.display_name, User.id)).all()
    return render_template(
        "admin/users.html", users=users, form=form or NewAccountForm(formdata=None),
        role_form=RoleForm,
    ), status


@bp.get("/users")
@admin_required
def users():
    """Every account: its role, whether it can log in, and when it was made."""
    return users_page()


@bp.post("/users")
@admin_required
def create_user():
    """Make an account that can log in at once, such as a new facilitator's."""
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_account(
                form.email.data, form.display_name.data, Role(form.role.data), form.password.data
            )
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s (%(email)s) can log in now. Give them their first password in "
                    "person or by phone, not by email.", name=user.display_name,
                    email=user.email), "success")
            return redirect(url_for("admin.users"))
    return users_page(form, 422)


def account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    user = account(user_id)
    form = RoleForm(prefix=f"u{user.id}")
    if form.validate_on_submit():
        try:
            accounts.change_role(user, Role(form.role.data))
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is now: %(role)s.", name=user.display_name,
                    role=ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@admin_required
def toggle_active(user_id: int):
    """Deactivate an account (it can't log in; its data stays), or let it log in again."""
    user = account(user_id)
    if user.id == current_user.id:
        flash(_("You can't deactivate your own account."), "error")
    else:
        user.is_active = not user.is_active
        if not user.is_active:
            sessions.end_all_logins(user)
        db.session.commit()
        if user.is_active:
            flash(_("%(name)s can log in again.", name=user.display_name), "success")
        else:
            flash(_("%(name)s can no longer log in.", name=user.display_name), "success")
    return redirect(url_for("admin.users"))


def chosen_cohort_id() -> int | None:
    """The group the log is filtered to (none: every group); 404 for one that doesn't exist."""
    value = request.args.get("cohort", "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID or (
        db.session.get(Cohort, int(value)) is None
    ):
        abort(404)
    return int(value)


@bp.get("/audit")
@admin_required
def audit_log():
    """Who on the staff looked at members' data, newest first, for one group or all."""
    cohort_id = chosen_cohort_id()
    page = audit.events(cohort_id, request.args.get("page", 1, type=int))
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.name, Cohort.id)).all()
    return render_template(
        "admin/audit.html", page=page, cohorts=cohorts, cohort_id=cohort_id,
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    """The audit log as a spreadsheet, newest first, for one group or all."""
    cohort_id = chosen_cohort_id()
    audit.record(current_user, AuditKind.AUDIT_CSV)
    db.session.commit()
    rows = [
        [event.viewed_at.isoformat(timespec="seconds"), event.viewer_name,
         event.viewer_role.value, event.kind.value,
         event.cohort.name if event.cohort else "", event.cohort_id or "",
         event.member.display_name if event.member else "", event.member_id or ""]
        for event in audit.all_events(cohort_id)
    ]
    return csv_response(
        "audit-log.csv",
        ["when_utc", "viewer", "viewer_role", "what", "group", "group_id", "member",
         "member_id"],
        rows,
    )
