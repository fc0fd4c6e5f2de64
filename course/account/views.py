"""Views of a member's own account."""

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from .. import member_data, sessions, throttle
from ..extensions import db
from ..models import Relationship
from . import bp
from .forms import DeleteAccountForm, SettingsForm


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    """Your name, your relationship to your loved one, and whether your family sees progress."""
    membership = current_user.membership
    form = SettingsForm()
    if not form.is_submitted():
        form.display_name.data = current_user.display_name
        if membership:
            form.relationship.data = membership.relationship_to_loved_one.value
            form.loved_one_nickname.data = membership.loved_one_nickname
            form.is_progress_hidden.data = membership.is_progress_hidden
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        if membership:
            membership.relationship_to_loved_one = Relationship(form.relationship.data)
            membership.loved_one_nickname = (form.loved_one_nickname.data or "").strip() or None
            membership.is_progress_hidden = form.is_progress_hidden.data
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form), (422 if form.errors else 200)


@bp.get("/account/data")
@login_required
def my_data():
    """Download what we keep about you, or delete it all."""
    return render_template("account/my_data.html")


@bp.get("/account/data.json")
@login_required
def download():
    """Everything about you, as a JSON file."""
    body = json.dumps(member_data.export_member_data(current_user), indent=2, ensure_ascii=False)
    return Response(
        body, mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="family-course-my-data.json"',
                 "Cache-Control": "no-store"},
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete():
    """Delete your account and your personal data, after confirming with your password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not throttle.count_password_check(current_user.id).allowed:
            abort(429)
        if not current_user.check_password(form.password.data):
            form.password.errors.append("That is not your password.")
        else:
            user = current_user._get_current_object()
            logout_user()
            member_data.delete_account(user)
            db.session.commit()
            return render_template("account/deleted.html")
    return render_template("account/delete.html", form=form), (422 if form.errors else 200)


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every login of this account, on every device, this one included."""
    sessions.end_all_logins(current_user)
    logout_user()
    db.session.commit()
    flash("You are logged out on every device, this one included.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/privacy")
def privacy():
    """Who can see what, in plain words."""
    return render_template("account/privacy.html")
