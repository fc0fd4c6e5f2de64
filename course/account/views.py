"""Views of a member's own account."""

import json
from datetime import datetime
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l, refresh
from flask_login import current_user, login_required, logout_user

from .. import accounts, i18n, member_data, notify, sessions, sharing, throttle, tokens
from ..extensions import csrf, db
from ..links import safe_next
from ..models import NoticeKind, Relationship, Role, Visibility
from . import bp
from .forms import (
    FACILITATOR_EMAILS,
    MEMBER_EMAILS,
    DeleteAccountForm,
    SettingsForm,
    UnsubscribeForm,
)

# What each kind of email is called where a person turns it off.
EMAIL_NAMES = {
    NoticeKind.REMINDER: _l("reminders"),
    NoticeKind.MODULE_OPENS: _l("notes when a new part of the course opens"),
    NoticeKind.FAMILY: _l("notes about news from your family"),
    NoticeKind.DIGEST: _l("weekly summaries of your groups"),
}


def email_choices() -> tuple[str, ...]:
    """The email choices the current user has: members', and group runners' digest."""
    shown: tuple[str, ...] = MEMBER_EMAILS if current_user.membership else ()
    if sharing.may_run_groups(current_user):
        shown += FACILITATOR_EMAILS
    return shown


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    """Your name, your language, your relationship to your loved one, whether your family sees
    progress, and which emails you get."""
    membership = current_user.membership
    form = SettingsForm(language=i18n.current_language())
    if not membership:
        # Staff outside a family have no relationship to give (it was required, unseen).
        for name in ("relationship", "loved_one_nickname", "is_progress_hidden"):
            delattr(form, name)
    emails = email_choices()
    if not form.is_submitted():
        form.display_name.data = current_user.display_name
        if membership:
            form.relationship.data = membership.relationship_to_loved_one.value
            form.loved_one_nickname.data = membership.loved_one_nickname
            form.is_progress_hidden.data = membership.is_progress_hidden
        for name in emails:
            form[name].data = getattr(current_user, name)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        if membership:
            membership.relationship_to_loved_one = Relationship(form.relationship.data)
            membership.loved_one_nickname = (form.loved_one_nickname.data or "").strip() or None
            membership.is_progress_hidden = form.is_progress_hidden.data
        for name in emails:
            setattr(current_user, name, form[name].data)
        chosen = i18n.supported(form.language.data)
        if chosen and chosen != (current_user.locale or i18n.current_language()):
            accounts.choose_language(current_user, chosen)
            session[i18n.SESSION_KEY] = chosen
            refresh()  # Said in the language they chose, as the page it leads to is.
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("account.settings"))
    return render_template(
        "account/settings.html", form=form, emails=emails, subject=notify.SUBJECT
    ), (
        422 if form.errors else 200
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Turn off one kind of email from the link in it, without logging in: a page with a
    button (mail scanners open links), and the one-click POST of RFC 8058 from mail programs."""
    found = tokens.unsubscribe_target(token)
    if found is None:
        return render_template("account/unsubscribe_invalid.html"), 404
    user, kind = found
    form = UnsubscribeForm()
    if form.is_submitted():
        notify.switch_off(user, kind)
        db.session.commit()
        return render_template("account/unsubscribed.html", what=EMAIL_NAMES[kind])
    return render_template("account/unsubscribe.html", form=form, what=EMAIL_NAMES[kind])


# The link in the mail is the proof, and mail programs send the one-click POST without a token.
csrf.exempt(unsubscribe)


# The exported values read back as what the page shows: timestamps as datetimes, choices as
# the enums whose labels the templates know.
READ_BACK: dict[str, Any] = {
    "visibility": Visibility, "relationship_to_loved_one": Relationship, "role": Role,
}


def _read_back(value: Any, key: str = "") -> Any:
    """The export (member_data.export_member_data) as the page shows it."""
    if isinstance(value, dict):
        return {name: _read_back(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_read_back(item, key) for item in value]
    if isinstance(value, str) and key in READ_BACK:
        return READ_BACK[key](value)
    if isinstance(value, str) and (key.endswith("_at") or key in ("at", "when")):
        return datetime.fromisoformat(value)
    return value


@bp.get("/account/data")
@login_required
def my_data():
    """Everything we keep about you, to read or print; the same as a download; or delete it."""
    data = _read_back(member_data.export_member_data(current_user))
    modules = {module.slug: module for module in i18n.localized_modules()}
    sections_read: dict[str, int] = {}
    for read in data["sections_read"]:
        sections_read[read["module"]] = sections_read.get(read["module"], 0) + 1
    return render_template(
        "account/my_data.html", data=data, modules=modules, sections_read=sections_read,
        prompts={(module.slug, prompt.id): prompt
                 for module in modules.values() for prompt in module.prompts},
        questions={(module.slug, question.id): question
                   for module in modules.values() for question in module.questions},
    )


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
            form.password.errors.append(_("That is not your password."))
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
    flash(_("You are logged out on every device, this one included."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/privacy")
def privacy():
    """Who can see what, in plain words."""
    return render_template("account/privacy.html")


@bp.post("/language")
def choose_language():
    """Switch the site (and the modules) to another language: kept on the account of someone
    logged in, in the session of a visitor (a sign-up or invite page), then back to the page."""
    chosen = i18n.supported(request.form.get("language"))
    if chosen is None:
        abort(400)
    if current_user.is_authenticated:
        accounts.choose_language(current_user, chosen)
        db.session.commit()
    session[i18n.SESSION_KEY] = chosen
    return redirect(safe_next(request.form.get("next")) or url_for("learn.index"))
