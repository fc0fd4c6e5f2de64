"""Views for facilitators. Every view looks the cohort up through `my_cohort`, which answers
404 for a cohort the facilitator does not run (sharing.cohort_for); pages with members' answers
or shared reflections, and every download, are recorded in the audit log first."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import audit, cohorts, invitations, progress, reports, sharing
from ..access import role_required
from ..cohorts import weekly_dates
from ..content import Module
from ..csvfile import csv_response
from ..extensions import db
from ..i18n import localized_modules
from ..models import AuditKind, Cohort, Invite, User, local_today, utcnow
from ..templating import label
from . import bp
from .forms import (
    CoFacilitatorForm,
    CohortForm,
    InviteForm,
    in_date_range,
    saved_schedule,
    schedule_form,
)

PAGE_SIZE = 50
AGENDA_QUESTIONS = 10  # The hardest few: what a meeting has time for, on one or two pages.
# Below this many first tries, a question's counts could point to the person who answered.
AGENDA_MIN_ANSWERS = 3


facilitator_required = role_required(*sharing.FACILITATOR_ROLES)


def my_cohort(cohort_id: int) -> Cohort:
    """A cohort the current user runs (admins too: only their own), else 404."""
    return sharing.cohort_for(current_user, cohort_id)


def looked_at(kind: AuditKind, cohort: Cohort, member: User | None = None) -> None:
    """Record in the audit log that the current user is looking, before they see anything."""
    audit.record(current_user, kind, cohort=cohort, member=member)
    db.session.commit()


@bp.get("")
@facilitator_required
def index():
    """The cohorts you run, current ones first."""
    return render_template(
        "facilitate/index.html", cohorts=sharing.cohorts_run_by(current_user), today=local_today()
    )


def details_from(form: CohortForm) -> cohorts.Details:
    """The group's details as the form gives them."""
    return cohorts.Details(
        name=form.name.data,
        start_date=form.start_date.data,
        meeting_day=int(form.meeting_day.data) if form.meeting_day.data else None,
        stuck_after_days=form.stuck_after_days.data,
        remind_after_days=form.remind_after_days.data,
        note=form.note.data,
        default_locale=form.default_locale.data or None,
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
@facilitator_required
def new_cohort():
    """Start a group: its name, when it meets, and when a member counts as stuck."""
    form = CohortForm()
    if form.validate_on_submit():
        cohort = cohorts.create_cohort(current_user, details_from(form))
        db.session.commit()
        flash(_("“%(name)s” is ready. Next, invite its families.", name=cohort.name), "success")
        return redirect(url_for("facilitate.invites", cohort_id=cohort.id))
    return render_template("facilitate/cohort_form.html", form=form, cohort=None), (
        422 if form.errors else 200
    )


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@facilitator_required
def edit_cohort(cohort_id: int):
    """Change a group's details, archive it, or share it with a co-facilitator."""
    cohort = my_cohort(cohort_id)
    form = CohortForm(obj=cohort if request.method == "GET" else None)
    if request.method == "GET":
        form.meeting_day.data = "" if cohort.meeting_day is None else str(cohort.meeting_day)
        form.default_locale.data = cohort.default_locale or ""
    if form.validate_on_submit():
        cohorts.update_cohort(cohort, details_from(form))
        db.session.commit()
        flash(_("The group’s settings are saved."), "success")
        return redirect(url_for("facilitate.edit_cohort", cohort_id=cohort.id))
    return render_template(
        "facilitate/cohort_form.html", form=form, cohort=cohort,
        co_form=CoFacilitatorForm(formdata=None),
    ), (422 if form.errors else 200)


@bp.post("/cohorts/<int:cohort_id>/archive")
@facilitator_required
def archive_cohort(cohort_id: int):
    """Archive a finished group (or bring it back): its data stays, it leaves your list."""
    cohort = my_cohort(cohort_id)
    if cohort.archived_at:
        cohorts.unarchive(cohort)
    else:
        cohorts.archive(cohort)
    db.session.commit()
    flash(_("The group is archived.") if cohort.archived_at else _("The group is back."),
          "success")
    return redirect(url_for("facilitate.index"))


@bp.post("/cohorts/<int:cohort_id>/facilitators")
@facilitator_required
def add_facilitator(cohort_id: int):
    """Share the group with another facilitator of this site."""
    cohort = my_cohort(cohort_id)
    form = CoFacilitatorForm()
    if form.validate_on_submit():
        other = cohorts.add_co_facilitator(cohort, form.email.data)
        if other is None:
            form.email.errors.append(_(
                "There is no facilitator with that email. Ask an admin to create their account."
            ))
        else:
            db.session.commit()
            flash(_("%(name)s now runs this group with you.", name=other.display_name),
                  "success")
            return redirect(url_for("facilitate.edit_cohort", cohort_id=cohort.id))
    return render_template(
        "facilitate/cohort_form.html", form=CohortForm(obj=cohort), cohort=cohort,
        co_form=form,
    ), 422


@bp.route("/cohorts/<int:cohort_id>/invites", methods=["GET", "POST"])
@facilitator_required
def invites(cohort_id: int):
    """Links that let new families join the group; each link is shown once, when made."""
    cohort = my_cohort(cohort_id)
    form = InviteForm()
    link = made = made_for = None
    if form.validate_on_submit():
        made, token = invitations.create_invite(
            created_by=current_user, cohort=cohort, days=form.days.data,
            max_uses=form.max_uses.data, label=form.label.data,
        )
        db.session.commit()
        link, made_for = invitations.invite_url(token), form.label.data
        # A fresh, empty form for the next link.
        form = InviteForm(formdata=None)
    rows = db.session.scalars(
        select(Invite).where(Invite.cohort_id == cohort.id).order_by(Invite.created_at.desc())
    ).all()
    return render_template(
        "facilitate/invites.html", cohort=cohort, form=form, link=link, made=made,
        made_for=made_for,
        invites=rows, usable=invitations.invite_is_usable,
    ), (201 if link else 422 if form.errors else 200)


@bp.post("/cohorts/<int:cohort_id>/invites/<int:invite_id>/revoke")
@facilitator_required
def revoke_invite(cohort_id: int, invite_id: int):
    cohort = my_cohort(cohort_id)
    invite = db.session.get(Invite, invite_id)
    if invite is None or invite.cohort_id != cohort.id:
        abort(404)
    invitations.revoke_invite(invite)
    db.session.commit()
    flash(_("That invite link no longer works."), "success")
    return redirect(url_for("facilitate.invites", cohort_id=cohort.id))


@bp.get("/cohorts/<int:cohort_id>/roster")
@facilitator_required
def roster(cohort_id: int):
    """Families and their members: relationship, when they joined, when last active."""
    cohort = my_cohort(cohort_id)
    board = reports.build_dashboard(cohort, localized_modules())
    return render_template("facilitate/roster.html", cohort=cohort, board=board)


@bp.get("/cohorts/<int:cohort_id>")
@facilitator_required
def dashboard(cohort_id: int):
    """Who is where: members by modules, with the whole group's figures on top."""
    cohort = my_cohort(cohort_id)
    board = reports.build_dashboard(cohort, localized_modules())
    sort = request.args.get("sort", "family")
    shown = request.args.get("show", "all")
    rows = board.showing(shown)
    if sort in reports.SORTS:
        key = reports.SORTS[sort]
        if sort == "last_active":
            rows = sorted(rows, key=lambda row: key(row) or utcnow(), reverse=True)
        else:
            rows = sorted(rows, key=key)
    page = max(1, request.args.get("page", 1, type=int))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    shown_rows = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    reports.with_cells(board, shown_rows)
    return render_template(
        "facilitate/dashboard.html", cohort=cohort, board=board, sort=sort, shown=shown,
        rows=shown_rows, matching=len(rows),
        page=min(page, pages), pages=pages,
    )


@bp.get("/cohorts/<int:cohort_id>/members/<int:user_id>")
@facilitator_required
def member(cohort_id: int, user_id: int):
    """One member: sections read, every quiz attempt with answers, what they shared with you."""
    cohort = my_cohort(cohort_id)
    user = sharing.member_of(cohort, user_id)
    looked_at(AuditKind.MEMBER_DETAIL, cohort, user)
    modules = localized_modules()
    return render_template(
        "facilitate/member.html", cohort=cohort, member=user,
        statuses=progress.statuses_for([user], modules)[user.id],
        stuck_before=reports.stuck_since(cohort),
        detail=reports.member_detail(current_user, user), modules={m.slug: m for m in modules},
    )


@bp.get("/cohorts/<int:cohort_id>/questions")
@facilitator_required
def questions(cohort_id: int):
    """Every quiz question, hardest first: the agenda for the next meeting. Questions no one
    has answered yet wait behind "Show all" (?all=1)."""
    cohort = my_cohort(cohort_id)
    modules, module, figures = _question_figures(cohort)
    show_all = request.args.get("all") == "1"
    answered = [f for f in figures if f.attempts]
    return render_template(
        "facilitate/questions.html", cohort=cohort, modules=modules,
        figures=figures if show_all else answered, total=len(figures),
        unanswered=0 if show_all else len(figures) - len(answered),
        module=module.slug if module else None,
    )


def _question_figures(
    cohort: Cohort,
) -> tuple[list[Module], Module | None, list[reports.QuestionFigures]]:
    """The group's question figures, hardest first, for one module when ?module= names one
    (which is returned too), else for all; the look at them is recorded."""
    looked_at(AuditKind.QUESTION_ANSWERS, cohort)
    modules = list(localized_modules())
    slug = request.args.get("module")
    module = next((m for m in modules if m.slug == slug), None)
    figures = reports.question_analytics(current_user, cohort, [module] if module else modules)
    return modules, module, figures


@bp.get("/cohorts/<int:cohort_id>/agenda")
@facilitator_required
def agenda(cohort_id: int):
    """The meeting agenda to print: the group's hardest questions, with room for notes."""
    cohort = my_cohort(cohort_id)
    _, module, figures = _question_figures(cohort)
    return render_template(
        "facilitate/agenda.html", cohort=cohort,
        figures=[f for f in figures if f.first_right < f.first_attempts][:AGENDA_QUESTIONS],
        module=module, min_answers=AGENDA_MIN_ANSWERS,
        next_meeting=cohorts.next_meeting(cohort),
    )


@bp.get("/cohorts/<int:cohort_id>/reflections")
@facilitator_required
def reflections(cohort_id: int):
    """What members chose to share with you, by module and prompt, newest first."""
    cohort = my_cohort(cohort_id)
    looked_at(AuditKind.SHARED_REFLECTIONS, cohort)
    groups = reports.facilitator_reflections(current_user, cohort, localized_modules())
    return render_template("facilitate/reflections.html", cohort=cohort, groups=groups)


@bp.get("/cohorts/<int:cohort_id>/progress.csv")
@facilitator_required
def progress_csv(cohort_id: int):
    """The dashboard's matrix: one row per member and module, with the same numbers."""
    cohort = my_cohort(cohort_id)
    looked_at(AuditKind.PROGRESS_CSV, cohort)
    board = reports.build_dashboard(cohort, localized_modules())
    reports.with_cells(board, board.rows)
    rows = [
        [row.family_name, row.name, module.slug,
         module.title, label(cell.state), cell.sections_done, cell.sections_total,
         "" if cell.best_score is None else round(cell.best_score * 100),
         cell.last_activity_at.date().isoformat() if cell.last_activity_at else ""]
        for row in board.rows
        for module, cell in zip(board.modules, board.cells(row), strict=True)
    ]
    return csv_response(
        f"cohort-{cohort.id}-progress.csv",
        ["family", "member", "module_slug", "module", "status", "sections_done",
         "sections_total", "best_score_percent", "last_activity"],
        rows,
    )


@bp.get("/cohorts/<int:cohort_id>/questions.csv")
@facilitator_required
def questions_csv(cohort_id: int):
    """The question analytics, as on the screen."""
    cohort = my_cohort(cohort_id)
    looked_at(AuditKind.QUESTIONS_CSV, cohort)
    figures = reports.question_analytics(current_user, cohort, localized_modules())
    rows = [
        [f.module.slug, f.question_id, f.title,
         "" if f.share_right_first is None else round(f.share_right_first * 100),
         f.first_attempts, f.attempts, f.wrong_choice or "", f.wrong_choice_count]
        for f in figures
    ]
    return csv_response(
        f"cohort-{cohort.id}-questions.csv",
        ["module_slug", "question_id", "question", "right_first_try_percent",
         "first_attempts", "answers", "most_chosen_wrong_option", "times_chosen"],
        rows,
    )



def has_weekly_start(cohort: Cohort) -> bool:
    """Whether the group's first meeting can start a weekly schedule: set, and in range (one
    stored before dates had limits may be out of it)."""
    return cohort.start_date is not None and in_date_range(cohort.start_date)


@bp.route("/cohorts/<int:cohort_id>/schedule", methods=["GET", "POST"])
@facilitator_required
def schedule(cohort_id: int):
    """When each module opens to the group: all at once, weekly, or on chosen dates."""
    cohort = my_cohort(cohort_id)
    modules = localized_modules()
    weekly = weekly_dates(cohort, modules) if has_weekly_start(cohort) else None
    always_open = {m.slug for m in modules if m.is_always_open}
    # A day saved before the module's author marked it always open holds nothing back.
    current = {
        row.module_slug: row.opens_on for row in cohort.schedule
        if row.module_slug not in always_open
    }
    form_class = schedule_form(modules, cohort.start_date)
    form = form_class(data=None if request.method == "POST" else saved_schedule(current, weekly))
    if form.validate_on_submit():
        cohorts.set_schedule(cohort, form.opening_days(weekly))
        db.session.commit()
        flash(_("The schedule is saved. Members see when each module opens."), "success")
        return redirect(url_for("facilitate.schedule", cohort_id=cohort.id))
    return render_template(
        "facilitate/schedule.html", cohort=cohort, modules=modules, current=current, form=form,
        today=local_today(),
    ), (422 if form.errors else 200)
