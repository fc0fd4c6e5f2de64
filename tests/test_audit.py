"""Every time staff look at a member's data, the audit log says who, when and what: never what
they read. Admins read the log on a page and as a CSV; a member's data download lists who
looked at theirs; old events are pruned."""

import csv
import io
import json
from datetime import timedelta

import pytest
from helpers import PASSWORD, words
from sqlalchemy import select

from course import audit
from course.extensions import db
from course.models import (
    AuditEvent,
    AuditKind,
    Cohort,
    CohortFacilitator,
    Reflection,
    Role,
    User,
    Visibility,
    utcnow,
)

SECRET = "My son relapsed on Sunday and I told nobody."


def make_group(app, facilitator, name="Tuesday group") -> Cohort:
    with app.app_context():
        cohort = Cohort(name=name)
        cohort.facilitators.append(CohortFacilitator(user_id=facilitator.id, is_owner=True))
        db.session.add(cohort)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
        return cohort


@pytest.fixture
def group(app, make_staff, make_member):
    """Dana runs the Tuesday group; Rosa, in it, shared a reflection with her."""
    dana = make_staff("Dana")
    cohort = make_group(app, dana)
    rosa = make_member("Rosa", cohort=cohort)
    with app.app_context():
        db.session.add(Reflection(user_id=rosa.id, module_slug="boundaries",
                                  prompt_id="what-a-boundary-is-reflect", body=SECRET,
                                  visibility=Visibility.FACILITATOR))
        db.session.commit()
    return dana, cohort, rosa


def logged(app) -> list[tuple]:
    """Every event, oldest first: who (id, name, role), what, group, member."""
    with app.app_context():
        return [
            (e.viewer_id, e.viewer_name, e.viewer_role, e.kind, e.cohort_id, e.member_id)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def add_events(app, viewer, kind, count, cohort=None, member=None, days_ago=0):
    with app.app_context():
        staff = db.session.get(User, viewer.id)
        for _ in range(count):
            event = audit.record(
                staff, kind, cohort=db.session.get(Cohort, cohort.id) if cohort else None,
                member=db.session.get(User, member.id) if member else None,
            )
            event.viewed_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()


def test_each_staff_view_of_member_data_is_recorded_once_without_what_was_read(
    app, group, signed_in
):
    dana, cohort, rosa = group
    client = signed_in(app, dana)
    base = f"/facilitate/cohorts/{cohort.id}"
    pages = [f"{base}/members/{rosa.id}", f"{base}/reflections", f"{base}/questions",
             f"{base}/progress.csv", f"{base}/questions.csv"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert SECRET in client.get(f"{base}/reflections").text
    # Pages without answers or reflections aren't logged.
    for url in (base, f"{base}/roster", f"{base}/invites", f"{base}/schedule"):
        assert client.get(url).status_code == 200, url

    who = (dana.id, "Dana", Role.FACILITATOR)
    assert logged(app) == [
        (*who, AuditKind.MEMBER_DETAIL, cohort.id, rosa.id),
        (*who, AuditKind.SHARED_REFLECTIONS, cohort.id, None),
        (*who, AuditKind.QUESTION_ANSWERS, cohort.id, None),
        (*who, AuditKind.PROGRESS_CSV, cohort.id, None),
        (*who, AuditKind.QUESTIONS_CSV, cohort.id, None),
        (*who, AuditKind.SHARED_REFLECTIONS, cohort.id, None),
    ]
    with app.app_context():
        stored = db.session.execute(select(AuditEvent.__table__)).all()
    assert stored and not any(SECRET in str(value) for row in stored for value in row)


def test_what_staff_are_refused_is_not_recorded(app, group, make_staff, signed_in):
    dana, cohort, rosa = group
    for someone in (make_staff("Olu"), make_staff("Ada", Role.ADMIN)):
        client = signed_in(app, someone)
        for page in (f"/members/{rosa.id}", "/reflections", "/questions", "/progress.csv"):
            assert client.get(f"/facilitate/cohorts/{cohort.id}{page}").status_code == 404

    assert logged(app) == []


def test_an_admin_reads_the_log_newest_first_by_group_page_by_page(
    app, group, make_staff, make_member, signed_in
):
    dana, cohort, rosa = group
    olu = make_staff("Olu")
    thursday = make_group(app, olu, "Thursday group")
    omar = make_member("Omar", cohort=thursday)
    add_events(app, dana, AuditKind.QUESTION_ANSWERS, 55, cohort, days_ago=2)
    add_events(app, dana, AuditKind.MEMBER_DETAIL, 1, cohort, rosa, days_ago=1)
    add_events(app, olu, AuditKind.MEMBER_DETAIL, 1, thursday, omar)
    admin = signed_in(app, make_staff("Ada", Role.ADMIN))

    assert "Audit log" in words(admin.get("/admin/users"))
    everything = admin.get("/admin/audit")
    assert everything.status_code == 200
    first = words(everything)
    assert "57 events, page 1 of 2." in first
    assert first.index("Olu (Facilitator)") < first.index("Dana (Facilitator)")
    assert "Omar" in first and "Thursday group" in first
    assert "a member's page: progress, quiz answers, what they shared" in first
    assert "57 events, page 2 of 2." in words(admin.get("/admin/audit?page=2"))
    assert "57 events, page 2 of 2." in words(admin.get(f"/admin/audit?page={2**70}"))

    tuesday = words(admin.get(f"/admin/audit?cohort={cohort.id}"))
    assert "56 events, page 1 of 2." in tuesday
    assert "Omar" not in tuesday and "Olu" not in tuesday
    for bad in ("abc", "0", str(2**40), "99999", "²"):
        assert admin.get(f"/admin/audit?cohort={bad}").status_code == 404, bad


def test_the_audit_csv_is_safe_in_a_spreadsheet_and_is_itself_recorded(
    app, group, make_staff, signed_in
):
    dana, cohort, rosa = group
    with app.app_context():
        db.session.get(User, dana.id).display_name = "=cmd|' /C calc'!A0"
        db.session.commit()
    add_events(app, dana, AuditKind.MEMBER_DETAIL, 1, cohort, rosa)
    ada = make_staff("Ada", Role.ADMIN)
    admin = signed_in(app, ada)

    response = admin.get(f"/admin/audit.csv?cohort={cohort.id}")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [(r["viewer"], r["viewer_role"], r["what"], r["group"], r["member"]) for r in rows] == [
        ("'=cmd|' /C calc'!A0", "facilitator", "member_detail", "Tuesday group", "Rosa")]
    assert logged(app)[-1] == (ada.id, "Ada", Role.ADMIN, AuditKind.AUDIT_CSV, None, None)


def test_my_data_lists_who_looked_at_mine_and_at_my_group_since_i_joined(
    app, group, make_staff, make_member, signed_in
):
    dana, cohort, rosa = group
    olu = make_staff("Olu")
    thursday = make_group(app, olu, "Thursday group")
    omar = make_member("Omar", cohort=thursday)
    add_events(app, dana, AuditKind.PROGRESS_CSV, 1, cohort, days_ago=30)  # Before Rosa joined.
    signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}/members/{rosa.id}")
    signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}/reflections")
    add_events(app, olu, AuditKind.MEMBER_DETAIL, 1, thursday, omar)
    add_events(app, make_staff("Ada", Role.ADMIN), AuditKind.AUDIT_CSV, 1)

    data = json.loads(signed_in(app, rosa).get("/account/data.json").text)

    assert [(v["who"], v["role"], v["kind"]) for v in data["viewed_by"]] == [
        ("Dana", "facilitator", "shared_reflections"), ("Dana", "facilitator", "member_detail")]
    assert data["viewed_by"][1]["what"] == (
        "a member's page: progress, quiz answers, what they shared")
    assert data["viewed_by"][0]["when"].startswith(utcnow().date().isoformat())
    assert json.loads(signed_in(app, omar).get("/account/data.json").text)["viewed_by"][0][
        "who"] == "Olu"


def test_events_outlive_the_accounts_they_name_without_naming_a_deleted_member(
    app, group, signed_in
):
    dana, cohort, rosa = group
    signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}/members/{rosa.id}")

    signed_in(app, rosa).post("/account/delete", data={"password": PASSWORD})

    assert logged(app) == [
        (dana.id, "Dana", Role.FACILITATOR, AuditKind.MEMBER_DETAIL, cohort.id, None)]


def test_prune_deletes_events_older_than_the_configured_days(
    app, group, runner, monkeypatch
):
    dana, cohort, rosa = group
    add_events(app, dana, AuditKind.MEMBER_DETAIL, 2, cohort, rosa, days_ago=400)
    add_events(app, dana, AuditKind.MEMBER_DETAIL, 1, cohort, rosa, days_ago=40)
    add_events(app, dana, AuditKind.MEMBER_DETAIL, 1, cohort, rosa, days_ago=1)

    result = runner.invoke(args=["audit", "prune"])
    assert (result.exit_code, result.output) == (
        0, "Deleted 2 audit events older than 365 days.\n")
    assert len(logged(app)) == 2
    assert runner.invoke(args=["audit", "prune"]).output == (
        "Deleted 0 audit events older than 365 days.\n")

    monkeypatch.setitem(app.config, "COURSE_AUDIT_DAYS", 30)
    assert runner.invoke(args=["audit", "prune"]).output == (
        "Deleted 1 audit event older than 30 days.\n")
    assert len(logged(app)) == 1
    refused = runner.invoke(args=["audit", "prune", "--days", "0"])
    assert refused.exit_code == 2 and "--days" in refused.output
