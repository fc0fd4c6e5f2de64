"""Views of the course: my course, a module's steps, its quiz, and the help pages."""

import uuid

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import progress, sharing
from ..access import can_preview_drafts
from ..content import Module
from ..content.ext import current_catalog, current_resources
from ..extensions import db
from ..forms import (
    CONTROL_CHARACTERS_MESSAGE, VISIBILITY_LABELS, ActionForm, without_control_characters,
)
from ..models import Reflection, Visibility
from . import bp
from .forms import QuizForm


@bp.get("/")
def index():
    """My course for a member; for a visitor, what the course is and how to join."""
    modules = current_catalog().published
    if not current_user.is_authenticated:
        return render_template("learn/landing.html", modules=modules)
    statuses = progress.statuses_for([current_user], modules)[current_user.id]
    done = sum(status.fraction_done for status in statuses)
    return render_template(
        "learn/my_course.html",
        statuses=statuses,
        overall=round(100 * done / len(statuses)) if statuses else 0,
        completed=sum(status.is_completed for status in statuses),
        target=progress.continue_target(statuses),
    )


def open_module(slug: str) -> tuple[Module, progress.ModuleStatus]:
    """A module the member may open now (authors: drafts too), with their status in it.

    404 if there is none; 403 with the day it opens if the group's schedule holds it back.
    """
    module = current_catalog().get(slug, include_drafts=can_preview_drafts())
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


def prompt_fields(section) -> tuple[dict, dict, dict]:
    """The texts, visibilities and errors a section form sent, by prompt id."""
    texts, visibilities, errors = {}, {}, {}
    for prompt in section.prompts:
        sent = request.form.get(f"reflection-{prompt.id}", "")
        # Shown again without control characters, so the member need only check and resend.
        text = without_control_characters(sent, multiline=True)
        texts[prompt.id] = text
        try:
            visibilities[prompt.id] = Visibility(
                request.form.get(f"visibility-{prompt.id}", "private")
            )
        except ValueError:
            visibilities[prompt.id] = Visibility.PRIVATE
            errors[prompt.id] = "Choose who can see this reflection."
        if text != sent:
            errors[prompt.id] = CONTROL_CHARACTERS_MESSAGE
        if len(text.strip()) > progress.MAX_REFLECTION_LENGTH:
            errors[prompt.id] = (
                f"This is {len(text.strip()):,} characters long; please keep it under "
                f"{progress.MAX_REFLECTION_LENGTH:,}."
            )
    return texts, visibilities, errors


@bp.route("/modules/<slug>/<section_id>", methods=["GET", "POST"])
@login_required
def section(slug: str, section_id: str):
    """One step of a module; Next records it as read and moves on, saving any reflections."""
    found, status = open_module(slug)
    step = found.section(section_id)
    if step is None:
        abort(404)
    index = found.sections.index(step)
    form = ActionForm()
    saved = progress.reflections_of(current_user, found) if step.prompts else {}
    texts = {pid: r.body for pid, r in saved.items()}
    visibilities = {pid: r.visibility for pid, r in saved.items()}
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        sent_texts, sent_visibilities, errors = prompt_fields(step)
        texts.update(sent_texts)
        visibilities.update(sent_visibilities)
        if not errors:
            for prompt in step.prompts:
                before = saved.get(prompt.id)
                unchanged = (
                    (before.body, before.visibility) if before else ("", visibilities[prompt.id])
                ) == (texts[prompt.id].replace("\r\n", "\n").strip(), visibilities[prompt.id])
                if not unchanged:
                    progress.save_reflection(
                        current_user, found, prompt.id, texts[prompt.id], visibilities[prompt.id]
                    )
            if request.form.get("action") == "save":
                db.session.commit()
                flash("Your reflection is saved.", "success")
                return redirect(url_for("learn.section", slug=slug, section_id=section_id))
            progress.record_section_read(current_user, found, step)
            db.session.commit()
            if index + 1 < len(found.sections):
                following = found.sections[index + 1]
                return redirect(url_for("learn.section", slug=slug, section_id=following.id))
            return redirect(url_for("learn.quiz", slug=slug))
    return render_template(
        "learn/section.html", module=found, section=step, index=index, status=status, form=form,
        texts=texts, visibilities=visibilities, errors=errors, labels=VISIBILITY_LABELS,
        choices=sharing.visibility_choices(current_user), saved=saved,
    ), (422 if errors else 200)


@bp.route("/modules/<slug>/quiz", methods=["GET", "POST"])
@login_required
def quiz(slug: str):
    """The module's quiz, as one form graded on the server."""
    found, status = open_module(slug)
    form = QuizForm()
    chosen: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        for question in found.questions:
            chosen[question.id] = request.form.getlist(f"q-{question.id}")
            if not chosen[question.id]:
                errors[question.id] = (
                    "Choose at least one answer." if question.kind == "multiple"
                    else "Choose an answer."
                )
        if not errors and form.submission_key.data:
            attempt = progress.submit_quiz(
                current_user, found, chosen, form.submission_key.data[:64]
            )
            # Before the commit, which expires the attempt: reading it after costs a query.
            result = url_for("learn.attempt", slug=slug, number=attempt.attempt_number)
            db.session.commit()
            return redirect(result)
    else:
        form.submission_key.data = uuid.uuid4().hex
    return render_template(
        "learn/quiz.html", module=found, status=status, form=form, chosen=chosen, errors=errors,
    ), (422 if errors else 200)


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
        (m for m in current_catalog().published if (m.order, m.slug) > place), None
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
    found = current_catalog().get(reflection.module_slug)
    step = found.section_with_prompt(reflection.prompt_id) if found else None
    if request.args.get("back") == "family":
        back = url_for("family.index")
    elif step is not None:
        back = url_for("learn.section", slug=found.slug, section_id=step.id)
    else:
        back = url_for("learn.index")
    form = ActionForm()
    if form.validate_on_submit():
        db.session.delete(reflection)
        db.session.commit()
        flash("Your reflection is deleted.", "success")
        return redirect(back)
    return render_template(
        "learn/delete_reflection.html", reflection=reflection, module=found, form=form,
        labels=VISIBILITY_LABELS, back=back,
    )


@bp.get("/resources")
def resources():
    """Crisis lines, helplines and where to find help."""
    page = current_resources()
    if not page.html:
        abort(404)
    return render_template("learn/resources.html", page=page)
