"""A facilitator runs a group of families: starts it, invites families, and before each meeting
sees who is stuck, which questions the group got wrong, and what members shared with them."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from helpers import PASSWORD, counting_queries, forms_on, guide_example, make_group, write_module

from course import cohorts, invitations, progress
from course.content.ext import current_catalog
from course.extensions import db
from course.models import (
    Cohort,
    CohortFacilitator,
    Invite,
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
    return make_group(app, make_staff, make_member, stuck_after_days=14)


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
    assert "Choose between 1 and 90 days for “stuck”." in page.text
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


def ana_stuck_in_start_here(app, ana):
    """Ana read two sections of the first module 20 days ago and has done nothing since."""
    read_all(app, ana, "start-here")
    with app.app_context():
        row = db.session.query(ModuleProgress).filter_by(user_id=ana.id).one()
        row.sections_done = 2
        row.last_activity_at = utcnow() - timedelta(days=20)
        db.session.get(User, ana.id).membership.joined_at = utcnow() - timedelta(days=30)
        db.session.commit()


def test_stuck_and_inactive_members_are_flagged_and_can_be_filtered(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    ana_stuck_in_start_here(app, ana)
    client = signed_in(app, dana)

    stuck = text(client.get(f"/facilitate/cohorts/{cohort.id}?show=stuck"))
    assert "Stuck: 1 member" in stuck
    assert "Stuck 2/6" in stuck
    assert "Inactive since" in stuck
    not_started = text(client.get(f"/facilitate/cohorts/{cohort.id}?show=not_started"))
    assert "Not started: 2 members" in not_started


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
        f"/facilitate/cohorts/{cohort.id}/agenda",
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

    for page in ("", "?show=stuck", "?show=inactive", "/questions", "/agenda", "/reflections",
                 "/progress.csv", "/questions.csv"):
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


# Issue 13: invite links people can copy, say whom they were for; a dashboard that fits; the
# group's reminder days and note; the meeting agenda to print. ---------------------------------


def settings_of(cohort, **changes) -> dict:
    """The settings form as the page would send it, with some fields changed."""
    return {"name": cohort.name, "start_date": "", "meeting_day": "", "stuck_after_days": "14",
            "remind_after_days": "7", "note": ""} | changes


def test_an_invite_link_is_shown_in_full_and_says_whom_it_was_for(app, group, signed_in):
    dana, cohort, *_ = group
    client = signed_in(app, dana)

    page = client.post(f"/facilitate/cohorts/{cohort.id}/invites",
                       data={"label": "  The Garcia family ", "days": "14"})

    assert page.status_code == 201
    link = re.search(r'<textarea id="invite_link"[^>]*>([^<]+)</textarea>', page.text).group(1)
    assert "/join/" in link
    assert "Your new invite link for The Garcia family" in text(page)
    assert "Copy it now: for safety we can't show it again." in text(page)
    assert 'data-action="copy"' in page.text and "/static/share." in page.text
    # The form is empty again for the next link.
    assert 'value="The Garcia family"' not in page.text
    with app.app_context():
        assert db.session.scalars(db.select(Invite.label)).all() == ["The Garcia family"]
    listed = text(client.get(f"/facilitate/cohorts/{cohort.id}/invites"))
    assert "For Made Works until" in listed
    assert "The Garcia family" in listed
    assert link.rsplit("/join/", 1)[1] not in client.get(
        f"/facilitate/cohorts/{cohort.id}/invites").text


def test_a_new_invite_link_says_how_many_families_can_join_with_it(app, group, signed_in):
    dana, cohort, *_ = group
    client = signed_in(app, dana)
    form = text(client.get(f"/facilitate/cohorts/{cohort.id}/invites"))
    assert "For a link made for one family, write 1: no one else can join with it." in form

    for_one = text(client.post(f"/facilitate/cohorts/{cohort.id}/invites",
                               data={"label": "The Garcia family", "days": "14",
                                     "max_uses": "1"}))
    for_all = text(client.post(f"/facilitate/cohorts/{cohort.id}/invites",
                               data={"label": "Tuesday group", "days": "14"}))

    assert re.search(r"1 family can join with it until \d+ \w+ 20\d\d\.", for_one)
    assert re.search(r"Any number of families can join with it until \d+ \w+ 20\d\d\.", for_all)


def test_whom_an_invite_is_for_is_optional_and_short(app, group, signed_in):
    dana, cohort, *_ = group
    client = signed_in(app, dana)

    assert client.post(f"/facilitate/cohorts/{cohort.id}/invites",
                       data={"days": "14"}).status_code == 201
    too_long = client.post(f"/facilitate/cohorts/{cohort.id}/invites",
                           data={"label": "x" * 81, "days": "14"})

    assert too_long.status_code == 422
    assert 'id="label-error"' in too_long.text
    assert "Keep it to 80 characters at most." in text(too_long)
    with app.app_context():
        assert db.session.scalars(db.select(Invite.label)).all() == [None]


def test_reminder_days_are_checked_beside_the_field_and_saved(app, group, signed_in):
    dana, cohort, *_ = group
    client = signed_in(app, dana)
    url = f"/facilitate/cohorts/{cohort.id}/edit"
    assert 'value="7"' in client.get(url).text  # The default.

    for wrong, message in (("0", "Choose between 1 and 90 days for reminders."),
                           ("91", "Choose between 1 and 90 days for reminders."),
                           ("", "Give a number of days for reminders.")):
        page = client.post(url, data=settings_of(cohort, remind_after_days=wrong))
        assert page.status_code == 422
        assert re.search(rf'id="remind_after_days-error"[^>]*>{re.escape(message)}', page.text)

    assert client.post(url, data=settings_of(cohort, remind_after_days="10")).status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, cohort.id).remind_after_days == 10
    assert 'value="10"' in client.get(url).text


def test_a_note_to_the_group_is_saved_with_when_it_changed(app, group, signed_in):
    dana, cohort, *_ = group
    client = signed_in(app, dana)
    url = f"/facilitate/cohorts/{cohort.id}/edit"

    def saved():
        with app.app_context():
            found = db.session.get(Cohort, cohort.id)
            return found.note, found.note_updated_at

    assert saved() == (None, None)
    note = "No meeting on 24 December.\r\nSee you on the 31st!"
    assert client.post(url, data=settings_of(cohort, note=note)).status_code == 302
    text_saved, first = saved()
    assert text_saved == "No meeting on 24 December.\nSee you on the 31st!"
    assert utcnow() - first < timedelta(minutes=1)
    assert "See you on the 31st!" in client.get(url).text

    # Saving the settings again with the same note leaves its time alone.
    client.post(url, data=settings_of(cohort, note=note, stuck_after_days="10"))
    assert saved() == (text_saved, first)

    too_long = client.post(url, data=settings_of(cohort, note="n" * 1001))
    assert too_long.status_code == 422
    assert re.search(r'id="note-error"[^>]*>Keep it to 1000 characters at most.', too_long.text)

    client.post(url, data=settings_of(cohort, note="   "))
    assert saved()[0] is None


def test_a_changed_note_takes_the_time_it_was_changed(app, group):
    _, cohort, *_ = group
    monday = utcnow() - timedelta(days=3)
    with app.app_context():
        found = db.session.get(Cohort, cohort.id)
        details = cohorts.Details(name=found.name, start_date=None, meeting_day=None,
                                  stuck_after_days=14, remind_after_days=5, note="Hello")
        cohorts.update_cohort(found, details, now=monday)
        cohorts.update_cohort(found, details, now=utcnow())
        assert (found.note, found.note_updated_at, found.remind_after_days) == (
            "Hello", monday, 5)


def test_the_stuck_and_inactive_counts_link_to_those_members(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    ana_stuck_in_start_here(app, ana)
    client = signed_in(app, dana)
    board = client.get(f"/facilitate/cohorts/{cohort.id}").text

    stuck = re.search(r'<a href="([^"]+)"><strong>1</strong> member stuck</a>', board)
    inactive = re.search(r'<a href="([^"]+)"><strong>1</strong> member inactive</a>', board)

    assert stuck and inactive
    assert html.unescape(stuck.group(1)).endswith("show=stuck#results")
    for found in (stuck, inactive):
        shown = text(client.get(html.unescape(found.group(1)).split("#")[0]))
        assert ": 1 member" in shown
        assert "Ana" in shown and "May" not in shown and "Luis" not in shown


def test_update_lands_on_the_results(app, group, signed_in):
    dana, cohort, *_ = group
    page = signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}?show=not_started")

    [controls] = [form for form in forms_on(page.text) if form.method == "get"]
    assert controls.action == f"/facilitate/cohorts/{cohort.id}#results"
    assert '<option value="not_started" selected>' in page.text
    # The results start with what they show, and take the focus when the page opens there.
    assert re.search(r'<h3 id="results" tabindex="-1"[^>]*>Not started: 3 members</h3>',
                     page.text)


def test_the_dashboard_has_a_column_and_a_card_line_for_every_module(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    read_all(app, ana, "start-here")
    page = signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}")
    with app.app_context():
        modules = current_catalog().published
    words = text(page)
    titles = [html.unescape(t) for t in re.findall(r'<abbr title="([^"]+)">', page.text)]

    assert titles == [f"{module.order}. {module.title}" for module in modules]
    for module in modules:
        assert f"Module {module.order}: " in words
    assert "In progress 6/6" in words
    assert f"0 completed · 1 in progress · {len(modules) - 1} not started" in words


def test_the_questions_page_links_to_a_meeting_agenda_to_print(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    with app.app_context():
        found = db.session.get(Cohort, cohort.id)
        found.start_date = local_today() + timedelta(days=3)
        db.session.commit()
    take_quiz(app, ana, "start-here", right=False)
    take_quiz(app, may, "start-here", right=True)
    take_quiz(app, luis, "start-here", right=True)
    client = signed_in(app, dana)
    questions = client.get(f"/facilitate/cohorts/{cohort.id}/questions").text
    assert f'href="/facilitate/cohorts/{cohort.id}/agenda">Print the meeting agenda' in questions

    agenda = client.get(f"/facilitate/cohorts/{cohort.id}/agenda")

    assert agenda.status_code == 200
    words = text(agenda)
    with app.app_context():
        module = current_catalog().get("start-here")
    meeting = (local_today() + timedelta(days=3)).strftime("%A %-d %B %Y")
    assert f"Tuesday group Meeting agenda Next meeting: {meeting}" in words
    assert f"{module.questions[0].title} Module {module.order}. {module.title}" in words
    assert "Right on the first try: 2 of 3 (67%)" in words
    assert "Ana" not in words and "May" not in words  # Counts only, never names.
    assert "/static/print." in agenda.text


def test_the_agenda_leaves_off_counts_that_could_point_to_someone(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    take_quiz(app, ana, "start-here", right=False)
    take_quiz(app, may, "start-here", right=True)

    words = text(signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}/agenda"))

    with app.app_context():
        module = current_catalog().get("start-here")
    assert module.questions[0].title in words  # Still there to talk about, with its answer.
    assert ("Fewer than 3 people have answered it so far, so its counts are left off: on paper "
            "they could point to someone.") in words
    assert "Right on the first try" not in words and "Wrong answer chosen most" not in words


@pytest.mark.parametrize("start, meeting_day, today, expected", [
    (None, None, "2026-12-01", None),
    ("2026-12-10", None, "2026-12-01", "2026-12-10"),  # The first meeting is still to come.
    ("2026-11-05", 3, "2026-12-01", "2026-12-03"),  # Then each Thursday.
    ("2026-11-05", 1, "2026-12-01", "2026-12-01"),  # Tuesday, today: the meeting is today.
    ("2026-11-05", None, "2026-12-01", None),
    (None, 4, "2026-12-01", "2026-12-04"),
])
def test_the_next_meeting_is_the_first_then_each_meeting_day(start, meeting_day, today, expected):
    from datetime import date

    cohort = Cohort(name="G", start_date=start and date.fromisoformat(start),
                    meeting_day=meeting_day)
    found = cohorts.next_meeting(cohort, date.fromisoformat(today))
    assert found == (expected and date.fromisoformat(expected))


# The walk-through's findings (2026-11-28): what a facilitator noticed. ---------------------


def test_a_new_invite_link_says_whom_to_send_it_to_and_how_relatives_join(
    app, group, signed_in
):
    dana, cohort, *_ = group
    client = signed_in(app, dana)

    for_one = text(client.post(f"/facilitate/cohorts/{cohort.id}/invites",
                               data={"label": "The Okafor family", "days": "14"}))
    for_anyone = text(client.post(f"/facilitate/cohorts/{cohort.id}/invites",
                                  data={"days": "14"}))

    assert "Send it to The Okafor family by email or text message." in for_one
    assert "Send it to the families you made it for" in for_anyone
    for words in (for_one, for_anyone):
        assert "Each family that signs up with this link joins the group as a new family." in words
        assert ("To add a relative to a family already in the group, ask that family to invite "
                "them from their Family page.") in words


def test_the_copy_button_gets_its_words_from_the_page(app, group, signed_in):
    dana, cohort, *_ = group
    page = signed_in(app, dana).post(f"/facilitate/cohorts/{cohort.id}/invites",
                                     data={"days": "14"}).text

    assert 'data-copied-label="Copied"' in page
    assert 'data-copied="Copied. You can paste the link into a message now."' in page


def test_the_questions_page_keeps_questions_nobody_answered_behind_show_all(
    app, group, signed_in
):
    dana, cohort, ana, luis, may = group
    take_quiz(app, ana, "start-here", right=False)
    client = signed_in(app, dana)
    with app.app_context():
        modules = current_catalog().published
        answered = [q.title for q in current_catalog().get("start-here").questions]
        others = [q.title for m in modules if m.slug != "start-here" for q in m.questions]
        total = sum(len(m.questions) for m in modules)
    url = f"/facilitate/cohorts/{cohort.id}/questions"

    page = client.get(url)
    words = text(page)
    for title in answered:
        assert title in words
    assert not any(f"{title} (" in words for title in others)
    assert f"{total - len(answered)} questions nobody has answered yet are not listed." in words
    assert f'href="{url}?all=1#questions_caption">Show all {total} questions</a>' in page.text

    every = text(client.get(f"{url}?all=1"))
    assert all(f"{title} (" in every for title in others)
    assert "Show all" not in every


def test_the_agenda_prints_each_question_with_its_right_answer_and_why(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    take_quiz(app, ana, "start-here", right=False)
    agenda = text(signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}/agenda"))
    with app.app_context():
        module = current_catalog().get("start-here")

    def words(markup: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())

    question = module.questions[0]
    right = [words(o.html) for o in question.options if o.is_correct]
    assert words(question.stem_html) in agenda
    assert f"Right answer{'s' if len(right) > 1 else ''}: {'; '.join(right)}" in agenda
    assert words(question.explanation_html) in agenda


def test_the_weekly_chart_writes_the_month_in_words(app, group, signed_in):
    dana, cohort, ana, luis, may = group
    read_all(app, ana, "start-here")
    take_quiz(app, ana, "start-here", right=True)
    page = signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}").text

    labels = re.findall(r'<text [^>]*font-size="10">([^<]+)</text>', page)
    assert labels
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", label) for label in labels), labels


def test_progress_has_a_jump_to_the_members_near_the_top(app, group, signed_in):
    dana, cohort, *_ = group
    page = signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}").text

    jump = page.index('href="#members_heading">Jump to members</a>')
    assert jump < page.index('id="group_heading"')
    assert 'id="members_heading" tabindex="-1"' in page


def test_settings_say_what_each_setting_does_and_stay_open_after_saving(
    app, group, signed_in
):
    dana, cohort, *_ = group
    client = signed_in(app, dana)
    url = f"/facilitate/cohorts/{cohort.id}/edit"
    words = text(client.get(url))

    assert "Count a member as stuck after this many days without progress" in words
    assert "Reminders are on unless a member turns them off. A member gets at most one a week." \
        in words
    assert ("Members see it once, under “Since your last visit”, the next time they open their "
            "course or family page.") in words
    assert "Add co-facilitator" in words and "Share this group" not in words

    stuck = client.post(url, data=settings_of(cohort, stuck_after_days="0"))
    remind = client.post(url, data=settings_of(cohort, remind_after_days="91"))
    assert re.search(r'id="stuck_after_days-error"[^>]*>Choose between 1 and 90 days '
                     r'for “stuck”.', stuck.text)
    assert re.search(r'id="remind_after_days-error"[^>]*>Choose between 1 and 90 days '
                     r'for reminders.', remind.text)

    saved = client.post(url, data=settings_of(cohort, note="No meeting on 24 December."),
                        follow_redirects=True)
    assert saved.request.path == url
    assert "The group’s settings are saved." in text(saved)
    assert "No meeting on 24 December." in saved.text


def test_the_agenda_tip_about_ctrl_p_is_for_keyboards_only(app, group, signed_in):
    dana, cohort, *_ = group
    agenda = signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}/agenda").text

    assert re.search(r'<p class="hint keyboard-tip">[^<]*Ctrl\+P', agenda)
