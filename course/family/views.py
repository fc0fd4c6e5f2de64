"""Views of the family page."""

from collections import defaultdict

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import invitations, news, progress, sharing
from ..extensions import db
from ..i18n import localized_modules
from ..models import Encouragement, Invite, Reflection, utcnow
from . import bp
from .forms import EncouragementForm


def family_page(
    forms: dict[int, EncouragementForm] | None = None, status: int = 200,
    latest: news.News | None = None,
):
    """The family page, with any encouragement forms that came back with errors, and the
    member's news when it is to be shown."""
    family = sharing.family_of(current_user)
    if family is None:
        abort(404)
    modules = localized_modules()
    members = sharing.family_members(current_user)
    visible = [m for m in members if sharing.progress_is_visible(current_user, m)]
    statuses = progress.statuses_for(visible, modules)
    reflections = sharing.family_reflections(current_user)
    by_module = defaultdict(list)
    for reflection in reflections:
        by_module[reflection.module_slug].append(reflection)
    groups = [(module, by_module[module.slug]) for module in modules if by_module[module.slug]]
    return render_template(
        "family/index.html", family=family, members=members, statuses=statuses,
        groups=groups, forms=forms or {},
        invites=invitations.usable_invites(family),
        can_encourage=lambda r: sharing.can_encourage(current_user, r),
        can_remove=lambda e: sharing.can_remove_encouragement(current_user, e),
        can_see_plan=lambda m: sharing.can_see_plan(current_user, m.membership),
        new_form=EncouragementForm, news=latest,
    ), status


@bp.get("/family")
@login_required
def index():
    """Everyone in the family, their progress, what they shared with the family, and what is
    new since the member's last visit."""
    now = utcnow()
    latest = news.whats_new(current_user, localized_modules(), now=now)
    page = family_page(latest=latest)
    if latest:  # Shown once: what it listed is no longer new.
        news.mark_seen(current_user, now)
        db.session.commit()
    return page


@bp.post("/family/invites")
@login_required
def create_invite():
    """Make a link for one more family member; it is shown once."""
    family = sharing.family_of(current_user)
    if family is None:
        abort(404)
    invite, token = invitations.create_invite(created_by=current_user, family=family, max_uses=1)
    db.session.commit()
    return render_template(
        "family/invite_created.html", invite=invite, link=invitations.invite_url(token)
    ), 201


@bp.post("/family/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(invite_id: int):
    """Withdraw an invite of your family that nobody has used yet."""
    family = sharing.family_of(current_user)
    invite = db.session.get(Invite, invite_id)
    if family is None or invite is None or invite.family_id != family.id:
        abort(404)
    invitations.revoke_invite(invite)
    db.session.commit()
    flash(_("The invite link no longer works."), "success")
    return redirect(url_for("family.index"))


@bp.post("/reflections/<int:reflection_id>/encouragements")
@login_required
def encourage(reflection_id: int):
    """Leave a few kind words on a reflection shared with your family."""
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None or not sharing.can_encourage(current_user, reflection):
        abort(404)
    form = EncouragementForm(prefix=f"r{reflection.id}")  # One form per reflection on the page.
    if not form.validate_on_submit():
        return family_page({reflection.id: form}, 422)
    db.session.add(Encouragement(
        reflection=reflection, author_id=current_user.id, body=form.body.data.strip()
    ))
    db.session.commit()
    flash(_("Your encouragement is posted."), "success")
    return redirect(url_for("family.index", _anchor=f"reflection-{reflection.id}"))


@bp.post("/encouragements/<int:encouragement_id>/delete")
@login_required
def remove_encouragement(encouragement_id: int):
    """Remove an encouragement: its writer, or the author of the reflection, may."""
    encouragement = db.session.get(Encouragement, encouragement_id)
    if encouragement is None or not sharing.can_remove_encouragement(current_user, encouragement):
        abort(404)
    anchor = f"reflection-{encouragement.reflection_id}"
    db.session.delete(encouragement)
    db.session.commit()
    flash(_("The encouragement is removed."), "success")
    return redirect(url_for("family.index", _anchor=anchor))
