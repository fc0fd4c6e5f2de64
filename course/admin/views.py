"""Views of the admin pages."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import accounts
from ..access import role_required
from ..extensions import db
from ..forms import ActionForm
from ..models import Role, User
from . import bp
from .forms import ROLE_LABELS, NewAccountForm, RoleForm

admin_required = role_required(Role.ADMIN)


def users_page(form: NewAccountForm | None = None, status: int = 200):
    users = db.session.scalars(select(User).order_by(User.role, User.display_name, User.id)).all()
    return render_template(
        "admin/users.html", users=users, form=form or NewAccountForm(formdata=None),
        role_form=RoleForm, action_form=ActionForm(), labels=ROLE_LABELS,
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
            flash(f"{user.display_name} ({user.email}) can log in now. Give them their first "
                  "password in person or by phone, not by email.", "success")
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
            flash(f"{user.display_name} is now: {ROLE_LABELS[user.role]}.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@admin_required
def toggle_active(user_id: int):
    """Deactivate an account (it can't log in; its data stays), or let it log in again."""
    user = account(user_id)
    if user.id == current_user.id:
        flash("You can't deactivate your own account.", "error")
    elif ActionForm().validate_on_submit():
        user.is_active = not user.is_active
        db.session.commit()
        flash(f"{user.display_name} {'can log in again' if user.is_active else 'can no longer log in'}.",
              "success")
    return redirect(url_for("admin.users"))
