"""Views of the course: my course, a module's steps, its quiz, and the help pages."""

import uuid

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import news, progress, sharing
from ..access import can_preview_drafts
from ..content import Module, Section
from ..extensions import db
from ..i18n import localized_module, localized_modules, localized_resources
from ..models import Reflection, utcnow
from . import bp
from .forms import quiz_form, reflection_form


@bp.get("/")
def index():
    """My course for a member; for a visitor, what the course is and how to join."""
    modules = localized_modules()
    if not current_user.is_authenticated:
        return render_template("learn/landing.html", modules=modules)
    statuses = progress.statuses_for([current_user], modules)[current_user.id]
    done = sum(status.fraction_done for status in statuses)
    now = utcnow()
    latest = news.whats_new(current_user, modules, now=now)
    page = render_template(
        "learn/my_course.html",
        statuses=statuses,
        overall=round(100 * done / len(statuses)) if statuses else 0,
        completed=sum(status.is_completed for status in statuses),
        target=progress.continue_target(statuses),
        news=latest,
    )
    if latest:  # Shown once: what it listed is no longer new.
        news.mark_seen(current_user, now)
        db.session.commit()
    return page


def open_module(slug: str) -> tuple[Module, progress.ModuleStatus]:
    """A module the member may open now (authors: drafts too), with their status in it.

    404 if there is none; 403 with the day it opens if the group's schedule holds it back.
    """
    module = localized_module(slug, include_drafts=can_preview_drafts())
    if module is None:
        abort(404)
    status = progress.status_of(current_user, module)
    if status.is_locked:
        abort(make_response(render_template("learn/locked.html", status=status), 403))
    return module, status


@bp.get("/modules/<slug>")
@login_required
def module(slug: str):
    """A module's first page: what it offers, its steps and how far along the member is."""
    found, status = open_module(slug)
    return render_template("learn/module.html", module=found, status=status)


@bp.get("/modules/<slug>/print")
@login_required
def print_module(slug: str):
    """The whole module on one page to print: every step, the quiz without its answers, and
    room to write beside each reflection prompt."""
    found, status = open_module(slug)
    return render_template("learn/print_module.html", module=found, status=status)


def next_step(module: Module, step: Section) -> str:
    """Where Next leads from a step: the module's following step, or its quiz after the last."""
    index = module.sections.index(step)
    if index + 1 < len(module.sections):
        following = module.sections[index + 1]
        return url_for("learn.section", slug=module.slug, section_id=following.id)
    return url_for("learn.quiz", slug=module.slug)


@bp.route("/modules/<slug>/<section_id>", methods=["GET", "POST"])
@login_required
def section(slug: str, section_id: str):
    """One step of a module; Next records it as read and moves on, saving any reflections."""
    found, status = open_module(slug)
    step = found.section(section_id)
    if step is None:
        abort(404)
    saved = progress.reflections_of(current_user, found) if step.prompts else {}
    form_class = reflection_form(step, lambda: sharing.visibility_choices(current_user))
    form = form_class(data=None if request.method == "POST" else form_class.saved_data(saved))
    if form.validate_on_submit():
        for prompt_id, text, visibility in form.changes(saved):
            progress.save_reflection(current_user, found, prompt_id, text, visibility)
        if form.is_save:
            db.session.commit()
            flash(_("Your reflection is saved."), "success")
            return redirect(url_for("learn.section", slug=slug, section_id=section_id))
        progress.record_section_read(current_user, found, step)
        db.session.commit()
        return redirect(next_step(found, step))
    return render_template(
        "learn/section.html", module=found, section=step, index=found.sections.index(step),
        status=status, form=form, saved=saved,
    ), (422 if form.errors else 200)


@bp.route("/modules/<slug>/quiz", methods=["GET", "POST"])
@login_required
def quiz(slug: str):
    """The module's quiz, as one form graded on the server."""
    found, status = open_module(slug)
    form = quiz_form(found)()
    if form.validate_on_submit() and form.submission_key.data:
        attempt = progress.submit_quiz(
            current_user, found, form.answers(), form.submission_key.data
        )
        # Before the commit, which expires the attempt: reading it after costs a query.
        result = url_for("learn.attempt", slug=slug, number=attempt.attempt_number)
        db.session.commit()
        return redirect(result)
    if not form.submission_key.data:
        form.submission_key.data = uuid.uuid4().hex
    return render_template(
        "learn/quiz.html", module=found, status=status, form=form,
    ), (422 if form.errors else 200)


@bp.get("/modules/<slug>/quiz/<int:number>")
@login_required
def attempt(slug: str, number: int):
    """The result of one of the member's own attempts: score, feedback, explanations."""
    found, status = open_module(slug)
    attempts = progress.attempts_of(current_user, found)
    shown = next((a for a in attempts if a.attempt_number == number), None)
    if shown is None:
        abort(404)
    responses = {response.question_id: response for response in shown.responses}
    # By place in the course, not by position in the list: a draft in preview isn't in it.
    place = (found.order, found.slug)
    next_module = next(
        (m for m in localized_modules() if (m.order, m.slug) > place), None
    )
    return render_template(
        "learn/attempt.html", module=found, attempt=shown, responses=responses,
        best=max(a.score for a in attempts), latest=attempts[0],
        status=status, next_module=next_module,
    )


@bp.route("/reflections/<int:reflection_id>/delete", methods=["GET", "POST"])
@login_required
def delete_reflection(reflection_id: int):
    """Delete one of your own reflections, after a confirmation."""
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None or reflection.user_id != current_user.id:
        abort(404)
    found = localized_module(reflection.module_slug)
    step = found.section_with_prompt(reflection.prompt_id) if found else None
    if request.args.get("back") == "family":
        back = url_for("family.index")
    elif found is not None and step is not None:
        back = url_for("learn.section", slug=found.slug, section_id=step.id)
    else:
        back = url_for("learn.index")
    if request.method == "POST":
        db.session.delete(reflection)
        db.session.commit()
        flash(_("Your reflection is deleted."), "success")
        return redirect(back)
    return render_template(
        "learn/delete_reflection.html", reflection=reflection, module=found, back=back,
    )


@bp.get("/resources")
def resources():
    """Crisis lines, helplines and where to find help."""
    page = localized_resources()
    if not page.html:
        abort(404)
    return render_template("learn/resources.html", page=page)
