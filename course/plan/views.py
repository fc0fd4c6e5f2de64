"""Views of My plan: the member's own plan, and a plan someone shared with the viewer."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import audit, sharing
from ..content import PLAN_PARTS
from ..content.languages import LANGUAGES as CONTENT_LANGUAGES
from ..extensions import db
from ..i18n import current_language, localized_modules
from ..models import AuditKind, FamilyMembership, User, Visibility
from ..plans import choose_plan_readers, plan_of
from . import bp
from .forms import PlanReadersForm, plan_readers_form

SAVED = {
    Visibility.PRIVATE: _l("Saved. Only you can read your plan."),
    Visibility.FAMILY: _l("Saved. Your family can read your plan."),
    Visibility.FACILITATOR: _l("Saved. Your family and your facilitator can read your plan."),
}

@bp.app_template_filter("plan_part")
def plan_part(name: str) -> str:
    """A part of the plan (its English name, what prompt.plan holds) in the page's language,
    as the modules of that language name it (course/content/languages.py): one list of the
    parts' names per language, for authors and readers alike."""
    language = CONTENT_LANGUAGES.get(current_language())
    return language.local_part(name) if language and name in PLAN_PARTS else name


def plan_page(owner: User, form: PlanReadersForm | None = None, status: int = 200):
    """The plan page of `owner`, with the form of who may read it on the member's own."""
    parts = plan_of(owner, localized_modules())
    return render_template(
        "plan/index.html", owner=owner, parts=parts, form=form,
        is_own=owner.id == current_user.id,
    ), status


@bp.route("/plan", methods=["GET", "POST"])
@login_required
def index():
    """My plan: my answers to the plan's prompts, part by part, and who may read them."""
    membership: FamilyMembership | None = current_user.membership
    if membership is None:
        return plan_page(current_user)
    choices = sharing.visibility_choices(current_user)
    if request.method == "GET":
        return plan_page(current_user, plan_readers_form(choices, membership.plan_visibility))
    form = plan_readers_form(choices)
    if not form.validate_on_submit():
        return plan_page(current_user, form, 422)
    chosen = form.chosen()
    choose_plan_readers(membership, chosen)
    db.session.commit()
    flash(str(SAVED[chosen]), "success")
    return redirect(url_for("plan.index"))


@bp.get("/plan/<int:user_id>")
@login_required
def shared(user_id: int):
    """A plan its member shared with the viewer, to read; 404 for any other."""
    if user_id == current_user.id:
        return redirect(url_for("plan.index"))
    owner = sharing.plan_owner_for(current_user, user_id)
    if not sharing.in_same_family(current_user, owner.user):
        # Read as their facilitator: staff looking at a member's data is logged.
        audit.record(current_user, AuditKind.MEMBER_DETAIL, owner.family.cohort, owner.user)
        db.session.commit()
    return plan_page(owner.user)
