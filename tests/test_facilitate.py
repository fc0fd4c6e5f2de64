"""A facilitator runs a group of families: starts it, invites families, and before each meeting
sees who is stuck, which questions the group got wrong, and what members shared with them."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from helpers import PASSWORD, counting_queries, guide_example, write_module

from course import invitations, progress
from course.content.ext import current_catalog
from course.extensions import db
from course.models import (
    Cohort,
    CohortFacilitator,
    ModuleProgress,
    ModuleSchedule,
    Reflection,
    User,
    Visibility,
    local_today,
    utcnow,
)


@pytest.fixture
def group(app, make_staff, make_member):
    """Dana's group: the Riveras (Ana, Luis) and the Chens (May)."""
    dana = make_staff()
    with app.app_context():
        cohort = Cohort(name="Tuesday group", stuck_after_days=14)
        cohort.facilitators.append(CohortFacilitator(user_id=dana.id, is_owner=True))
        db.session.add(cohort)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
    ana = make_member("Ana", cohort=cohort)
    luis = make_member("Luis", family=ana.membership.family)
    may = make_member("May", cohort=cohort)
    return dana, cohort, ana, luis, may


def text(response) -> str:
    """The words of the page as a person reads them: no tags, single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def take_quiz(app, user, slug, right: bool, first_wrong_only=True):
    with app.app_context():
        member = db.session.get(User, user.id)
        module = current_catalog().get(slug)
        answers = {}
        for question in module.questions:
            options = [o.id for o in question.options if o.is_correct == right]
            answers[question.id] = options[:1] if not right else options
        attempt = progress.submit_quiz(member, module, answers,
                                       f"{user.id}-{slug}-{right}-{id(answers)}")
        db.session.commit()
        return attempt.score


def read_all(app, user, slug):
    with app.app_context():
        member = db.session.get(User, user.id)
        module = current_catalog().get(slug)
        for section in module.sections:
            progress.record_section_read(member, module, section)
        db.session.commit()


def test_a_facilitator_starts_a_group_and_gets_an_invite_link(app, make_staff, signed_in):
    client = signed_in(app, make_staff())

    response = client.post("/facilitate/cohorts/new", data={
        "name": "Thursday evening group", "start_date": "2026-12-03", "meeting_day": "3",
        "stuck_after_days": "10",
    })
    assert response.status_code == 302
    page = client.post(response.headers["Location"], data={"days": "7", "max_uses": "12"})

    assert page.status_code == 201
    assert "Thursday evening group" in text(page)
    assert "/join/" in page.text
    assert "0 of 12" in text(page)


def test_a_new_group_form_keeps_what_was_typed_and_says_what_is_wrong(
    app, make_staff, signed_in
):
    client = signed_in(app, make_staff())
    page = client.post("/facilitate/cohorts/new", data={"name": "Spring group",
                                                        "stuck_after_days": "0"})
    assert page.status_code == 422
    assert "Choose between 1 and 90 days." in page.text
    assert 'value="Spring group"' in page.text


def test_members_of_the_group_appear_on_the_dashboard_with_their_progress(
    app, group, signed_in
):
    dana, cohort, ana, luis, may = group
    read_all(app, ana, "start-here")
    take_quiz(app, ana, "start-here", right=True)
    read_all(app, luis, "start-here")

    page = text(signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}"))

    assert "3 members in 2 families" in page
    assert "Completed 100%" in page
    assert "6/6" in page
    assert "Not started" in page
    assert "May" in page and "Luis" in page


def test_stuck_and_inactive_members_are_flagged_and_can_be_filtered(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    read_all(app, ana, "start-here")
    with app.app_context():
        row = db.session.query(ModuleProgress).filter_by(user_id=ana.id).one()
        row.sections_done = 2
        row.last_activity_at = utcnow() - timedelta(days=20)
        db.session.get(User, ana.id).membership.joined_at = utcnow() - timedelta(days=30)
        db.session.commit()
    client = signed_in(app, dana)

    stuck = text(client.get(f"/facilitate/cohorts/{cohort.id}?show=stuck"))
    assert "1 member." in stuck
    assert "Stuck 2/6" in stuck
    assert "Inactive since" in stuck
    not_started = text(client.get(f"/facilitate/cohorts/{cohort.id}?show=not_started"))
    assert "2 members." in not_started


def test_a_members_page_says_where_they_stand_in_the_dashboards_words(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    weeks_ago = utcnow() - timedelta(days=20)
    with app.app_context():
        member, module = db.session.get(User, ana.id), current_catalog().get("start-here")
        for section in module.sections[:2]:
            progress.record_section_read(member, module, section, now=weeks_ago)
        db.session.commit()
    read_all(app, luis, "start-here")
    take_quiz(app, luis, "start-here", right=True)
    client = signed_in(app, dana)

    board = text(client.get(f"/facilitate/cohorts/{cohort.id}"))
    assert "Stuck 2/6" in board and "Completed 100%" in board
    page = text(client.get(f"/facilitate/cohorts/{cohort.id}/members/{ana.id}"))
    assert (f"How this course works, and safety first: Stuck · 2 of 6 sections · last active "
            f"{weeks_ago.strftime('%-d %b')}") in page
    done = text(client.get(f"/facilitate/cohorts/{cohort.id}/members/{luis.id}"))
    assert "How this course works, and safety first: Completed · best score 100%" in done


def test_question_analytics_put_the_hardest_question_first(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    take_quiz(app, ana, "boundaries", right=False)
    take_quiz(app, luis, "boundaries", right=False)
    take_quiz(app, ana, "boundaries", right=True)

    page = text(signed_in(app, dana).get(
        f"/facilitate/cohorts/{cohort.id}/questions?module=boundaries"
    ))

    assert "0% of 2" in page
    assert "(2×)" in page


def csv_rows(response) -> list[dict]:
    """The rows of a CSV download, read as a spreadsheet program reads it."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf"), "no byte order mark: accents go wrong"
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_exports_carry_the_same_numbers_as_the_screen(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    read_all(app, ana, "start-here")
    take_quiz(app, ana, "start-here", right=True)
    client = signed_in(app, dana)

    rows = csv_rows(client.get(f"/facilitate/cohorts/{cohort.id}/progress.csv"))
    with app.app_context():
        modules = len(current_catalog().published)
    assert len(rows) == 3 * modules
    ana_start = next(r for r in rows if r["member"] == "Ana" and r["module_slug"] == "start-here")
    assert (ana_start["status"], ana_start["best_score_percent"]) == ("Completed", "100")

    questions = csv_rows(client.get(f"/facilitate/cohorts/{cohort.id}/questions.csv"))
    start = [q for q in questions if q["module_slug"] == "start-here"]
    assert {q["right_first_try_percent"] for q in start} == {"100"}


def test_csv_exports_say_each_status_in_the_words_on_screen(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    read_all(app, ana, "start-here")
    take_quiz(app, ana, "start-here", right=True)
    client = signed_in(app, dana)

    rows = csv_rows(client.get(f"/facilitate/cohorts/{cohort.id}/progress.csv"))

    statuses = {row["status"] for row in rows}
    assert {"Completed", "Not started"} <= statuses
    assert not [status for status in statuses if "_" in status or status.islower()]


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(
    module_folder, make_app, make_staff, make_member, signed_in
):
    write_module(module_folder, "13-stress.md", guide_example().replace(
        "title: Noticing your own stress", "title: -1 way to notice stress"))
    app = make_app(module_folder)
    dana = make_staff()
    with app.app_context():
        cohort = Cohort(name="Tuesday group")
        cohort.facilitators.append(CohortFacilitator(user_id=dana.id, is_owner=True))
        db.session.add(cohort)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
    name = '=HYPERLINK("http://evil.example","Zoë")'
    make_member(name, email="zoe@example.org", cohort=cohort)
    client = signed_in(app, dana)

    rows = csv_rows(client.get(f"/facilitate/cohorts/{cohort.id}/progress.csv"))

    assert [(row["family"], row["member"], row["module"]) for row in rows] == [
        (f"'{name}'s family", f"'{name}", "'-1 way to notice stress")]
    questions = csv_rows(client.get(f"/facilitate/cohorts/{cohort.id}/questions.csv"))
    assert len(questions) == 3


def test_a_facilitator_reads_only_what_was_shared_with_them(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    with app.app_context():
        for visibility, words in [(Visibility.FACILITATOR, "For Dana to read"),
                                  (Visibility.FAMILY, "Only for my family"),
                                  (Visibility.PRIVATE, "Only for me")]:
            db.session.add(Reflection(user_id=ana.id, module_slug="start-here",
                                      prompt_id=f"p-{visibility}", body=words,
                                      visibility=visibility))
        db.session.add(Reflection(user_id=ana.id, module_slug="boundaries",
                                  prompt_id=current_catalog().get("boundaries").prompts[0].id,
                                  body="Shared in a real prompt",
                                  visibility=Visibility.FACILITATOR))
        db.session.commit()
    client = signed_in(app, dana)

    shared = text(client.get(f"/facilitate/cohorts/{cohort.id}/reflections"))
    detail = text(client.get(f"/facilitate/cohorts/{cohort.id}/members/{ana.id}"))

    assert "Shared in a real prompt" in shared
    for page in (shared, detail):
        assert "Only for my family" not in page
        assert "Only for me" not in page
    assert "For Dana to read" in detail


def test_another_facilitator_and_members_are_refused_everything(
    app, group, make_staff, make_member, signed_in
):
    dana, cohort, ana, luis, may = group
    other = make_staff("Olu")
    outsider = make_member("Zed")
    urls = [
        f"/facilitate/cohorts/{cohort.id}", f"/facilitate/cohorts/{cohort.id}/roster",
        f"/facilitate/cohorts/{cohort.id}/questions",
        f"/facilitate/cohorts/{cohort.id}/reflections",
        f"/facilitate/cohorts/{cohort.id}/invites", f"/facilitate/cohorts/{cohort.id}/edit",
        f"/facilitate/cohorts/{cohort.id}/members/{ana.id}",
        f"/facilitate/cohorts/{cohort.id}/progress.csv",
        f"/facilitate/cohorts/{cohort.id}/questions.csv",
    ]
    for user in (other, ana):
        client = signed_in(app, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.display_name, url)
        assert client.post(f"/facilitate/cohorts/{cohort.id}/archive").status_code == 404
    dana_client = signed_in(app, dana)
    assert dana_client.get(
        f"/facilitate/cohorts/{cohort.id}/members/{outsider.id}"
    ).status_code == 404
    assert "Tuesday group" not in signed_in(app, other).get("/facilitate").text


def test_a_group_can_be_shared_with_a_co_facilitator_and_archived(
    app, group, make_staff, signed_in
):
    dana, cohort, ana, luis, may = group
    olu = make_staff("Olu")
    client = signed_in(app, dana)

    client.post(f"/facilitate/cohorts/{cohort.id}/facilitators", data={"email": olu.email})
    assert signed_in(app, olu).get(f"/facilitate/cohorts/{cohort.id}").status_code == 200
    unknown = client.post(f"/facilitate/cohorts/{cohort.id}/facilitators",
                          data={"email": ana.email})
    assert unknown.status_code == 422
    assert "There is no facilitator with that email" in unknown.text

    client.post(f"/facilitate/cohorts/{cohort.id}/archive")
    assert "(archived)" in client.get("/facilitate").text


def group_of(app, make_member, size):
    with app.app_context():
        cohort = Cohort(name=f"Group of {size}")
        db.session.add(cohort)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
    members = []
    for n in range(size):
        family = members[-1].membership.family if n % 3 else None
        members.append(make_member(f"P{size}x{n}", cohort=None if family else cohort,
                                   family=family))
    return cohort, members


def seed_some_progress(app, members):
    with app.app_context():
        for member in members[::2]:
            user = db.session.get(User, member.id)
            module = current_catalog().get("start-here")
            progress.record_section_read(user, module, module.sections[0])
            progress.submit_quiz(user, module, {}, f"k-{member.id}")
        db.session.commit()


def test_dashboard_and_analytics_take_the_same_queries_for_5_and_200_members(
    app, make_staff, make_member, signed_in, monkeypatch
):
    dana = make_staff()
    # Hashing 200 passwords with scrypt takes a while; these members never log in.
    monkeypatch.setattr(User, "set_password", lambda self, pw: setattr(self, "password_hash", "x"))
    small, small_members = group_of(app, make_member, 5)
    large, large_members = group_of(app, make_member, 200)
    seed_some_progress(app, small_members + large_members)
    with app.app_context():
        for cohort in (small, large):
            db.session.add(CohortFacilitator(cohort_id=cohort.id, user_id=dana.id))
        db.session.commit()
    client = signed_in(app, dana)

    def queries(url):
        with counting_queries(app) as count:
            assert client.get(url).status_code == 200
        return count[0]

    for page in ("", "/questions", "/reflections", "/progress.csv", "/questions.csv"):
        assert queries(f"/facilitate/cohorts/{small.id}{page}") == queries(
            f"/facilitate/cohorts/{large.id}{page}"
        ), page


def test_a_cohort_invite_signs_a_new_family_into_the_group(app, group, outbox, client):
    dana, cohort, ana, luis, may = group
    with app.test_request_context():
        _, token = invitations.create_invite(created_by=None, cohort=db.session.merge(cohort))
        db.session.commit()
    client.post(f"/join/{token}", data={
        "display_name": "Kai", "email": "kai@example.org", "password": PASSWORD,
        "relationship": "sibling",
    })
    with app.app_context():
        kai = db.session.query(User).filter_by(email="kai@example.org").one()
        assert kai.membership.family.cohort_id == cohort.id
        assert kai.membership.family_id not in (ana.membership.family_id,
                                                may.membership.family_id)


def test_a_weekly_schedule_holds_modules_back_and_members_see_when_they_open(
    app, group, signed_in
):
    dana, cohort, ana, luis, may = group
    client = signed_in(app, dana)
    no_start = client.post(f"/facilitate/cohorts/{cohort.id}/schedule", data={"mode": "weekly"})
    assert no_start.status_code == 422
    assert "Set the first meeting's date in Settings first." in text(no_start)

    client.post(f"/facilitate/cohorts/{cohort.id}/edit", data={
        "name": "Tuesday group", "start_date": utcnow().date().isoformat(), "meeting_day": "1",
        "stuck_after_days": "14",
    })
    client.post(f"/facilitate/cohorts/{cohort.id}/schedule", data={"mode": "weekly"})

    member = signed_in(app, ana)
    course = text(member.get("/"))
    assert "Opens" in course
    assert member.get("/modules/start-here").status_code == 200
    locked = member.get("/modules/what-addiction-is")
    assert locked.status_code == 403
    week_two = (utcnow().date() + timedelta(weeks=1)).strftime("%-d %B %Y")
    assert "This module opens on" in text(locked) and week_two in text(locked)
    assert 'id="mode-weekly" name="mode" value="weekly" checked' in client.get(
        f"/facilitate/cohorts/{cohort.id}/schedule").text


def test_chosen_dates_must_be_dates_and_an_empty_date_leaves_a_module_open(
    app, group, signed_in
):
    dana, cohort, ana, luis, may = group
    client = signed_in(app, dana)
    later = (utcnow().date() + timedelta(days=10)).isoformat()

    bad = client.post(f"/facilitate/cohorts/{cohort.id}/schedule", data={
        "mode": "dates", "opens-boundaries": "next tuesday", "opens-start-here": later,
    })
    assert bad.status_code == 422
    assert "Enter a date like 31 Jan 2027" in text(bad)
    assert 'value="next tuesday"' in bad.text

    client.post(f"/facilitate/cohorts/{cohort.id}/schedule", data={
        "mode": "dates", "opens-boundaries": later,
    })
    member = signed_in(app, ana)
    assert member.get("/modules/boundaries/quiz").status_code == 403
    assert member.get("/modules/start-here").status_code == 200

    client.post(f"/facilitate/cohorts/{cohort.id}/schedule", data={"mode": "open"})
    assert member.get("/modules/boundaries/quiz").status_code == 200


def test_the_schedule_writes_every_date_one_way_and_says_what_each_is(
    app, group, signed_in
):
    dana, cohort, ana, luis, may = group
    client = signed_in(app, dana)
    url = f"/facilitate/cohorts/{cohort.id}/schedule"
    later = utcnow().date() + timedelta(days=10)
    shown = later.strftime("%-d %b %Y")

    # A date typed as the page writes dates is taken, as is one a date picker sends.
    assert client.post(url, data={"mode": "dates", "opens-boundaries": shown,
                                  "opens-what-addiction-is": later.isoformat()}).status_code == 302

    page = client.get(url)
    assert f"Today is {local_today().strftime('%a %-d %b %Y')}" in text(page)
    assert f'value="{shown}"' in page.text
    assert 'type="date"' not in page.text  # A date picker writes mm/dd/yyyy in some browsers.
    assert "mm/dd" not in page.text
    rows = schedule_rows(page)
    assert f"Opens on {later.strftime('%a %-d %b %Y')}" in rows["9"]
    assert f"Opens on {later.strftime('%a %-d %b %Y')}" in rows["2"]
    assert "Date I choose" not in text(page)


def test_the_date_boxes_count_only_when_dates_are_chosen(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    client = signed_in(app, dana)
    url = f"/facilitate/cohorts/{cohort.id}/schedule"

    unknown = client.post(url, data={"mode": "fortnightly"})
    assert unknown.status_code == 422
    assert '<small id="mode-error" class="field-error">Choose how modules open.</small>' in (
        unknown.text)
    assert '<a href="#mode-open">Choose how modules open.</a>' in unknown.text

    # A day mistyped in a box is no matter once every module opens now.
    assert client.post(url, data={"mode": "open", "opens-boundaries": "next tuesday"}
                       ).status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, cohort.id).schedule == []


def schedule_rows(page) -> dict[str, str]:
    """The words of each module's row on the schedule page, by the module's number."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page.text, re.DOTALL)[1:]:
        words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        rows[words.split(".", 1)[0]] = words
    return rows


def test_before_the_first_meeting_the_safety_module_is_open_and_the_rest_wait(
    app, group, signed_in
):
    dana, cohort, ana, luis, may = group
    client = signed_in(app, dana)
    first_meeting = utcnow().date() + timedelta(days=10)
    client.post(f"/facilitate/cohorts/{cohort.id}/edit", data={
        "name": "Tuesday group", "start_date": first_meeting.isoformat(), "meeting_day": "1",
        "stuck_after_days": "14",
    })
    client.post(f"/facilitate/cohorts/{cohort.id}/schedule", data={"mode": "weekly"})

    member = signed_in(app, ana)
    course = text(member.get("/"))
    assert "Start: How this course works, and safety first" in course
    assert member.get("/modules/start-here").status_code == 200
    assert member.get("/modules/start-here/quiz").status_code == 200
    assert member.get("/modules/what-addiction-is").status_code == 403

    page = client.get(f"/facilitate/cohorts/{cohort.id}/schedule")
    rows = schedule_rows(page)
    assert "Always open" in rows["1"]
    assert 'name="opens-start-here"' not in page.text
    week = timedelta(weeks=1)
    assert f"Opens on {(first_meeting + week).strftime('%a %-d %b %Y')}" in rows["2"]
    assert f"Opens on {(first_meeting + 2 * week).strftime('%a %-d %b %Y')}" in rows["3"]
    assert 'id="mode-weekly" name="mode" value="weekly" checked' in page.text


def test_no_date_holds_back_a_module_its_author_keeps_always_open(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    client = signed_in(app, dana)
    later = utcnow().date() + timedelta(days=10)
    client.post(f"/facilitate/cohorts/{cohort.id}/schedule", data={
        "mode": "dates", "opens-start-here": later.isoformat(),
        "opens-boundaries": later.isoformat(),
    })
    with app.app_context():
        saved = {row.module_slug for row in db.session.get(Cohort, cohort.id).schedule}
        assert saved == {"boundaries"}
        # A day saved before the module was marked always open holds nothing back either.
        db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug="start-here",
                                      opens_on=later))
        db.session.commit()

    member = signed_in(app, ana)
    assert member.get("/modules/start-here").status_code == 200
    assert member.get("/modules/boundaries").status_code == 403
    rows = schedule_rows(client.get(f"/facilitate/cohorts/{cohort.id}/schedule"))
    assert "Always open" in rows["1"] and "Opens" not in rows["1"]
    assert f"Opens on {later.strftime('%a %-d %b %Y')}" in rows["9"]
    assert "Open now" in rows["2"]
