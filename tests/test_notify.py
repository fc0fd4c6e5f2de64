"""Reminders, notes and digests by email, only with consent: `flask notify send` sends each
notice once, tries a failed one again on its next run, never says what the course is about in
a subject or a first line, and every mail can be turned off from its own link, without a
login."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from helpers import SHIPPED_MODULES, counting_queries, link_in, make_group, words
from sqlalchemy import select, update

from course import notify
from course.content.ext import current_catalog
from course.extensions import db
from course.models import (
    Cohort,
    CohortFacilitator,
    Encouragement,
    Family,
    FamilyMembership,
    ModuleProgress,
    ModuleSchedule,
    Notice,
    NoticeKind,
    Reflection,
    Relationship,
    Role,
    User,
    Visibility,
    utcnow,
)

BASE = "https://course.example.org"
# Words a lock screen must never show: what the course is about.
TELLING = re.compile(
    r"addict|drug|alcohol|drink|substance|recover|relapse|overdose|sober|use disorder|craft",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def base_url(app, monkeypatch):
    """Links in mail need the site's address; the test app has none of its own."""
    monkeypatch.setitem(app.config, "COURSE_BASE_URL", BASE)


@pytest.fixture
def group(app, make_staff, make_member):
    """Dana's group (reminders after 7 days): the Riveras (Ana, Luis) and the Chens (May), who
    all joined 10 days ago and have done nothing since."""
    found = make_group(app, make_staff, make_member, remind_after_days=7)
    joined_days_ago(app, 10)
    return found


def joined_days_ago(app, days: int) -> None:
    with app.app_context():
        db.session.execute(update(FamilyMembership).values(joined_at=utcnow() - timedelta(days)))
        db.session.commit()


def set_user(app, user, **values) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(**values))
        db.session.commit()


def send(runner, *args):
    return runner.invoke(args=["notify", "send", *args])


def mail_to(outbox, user) -> list:
    return [message for message in outbox if message["To"] == user.email]


def notices(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(Notice.user_id, Notice.kind, Notice.sent_at.is_not(None), Notice.tries)
            .order_by(Notice.id)
        ).all()


def only_digests(app, group_members) -> None:
    """Turn off everything but the facilitator's digest."""
    for user in group_members:
        set_user(app, user, wants_reminders=False, wants_family_notes=False,
                 wants_module_notes=False)


# Reminders -----------------------------------------------------------------------------------


def test_a_member_idle_for_the_groups_days_gets_one_gentle_reminder(app, group, runner, outbox):
    dana, _cohort, ana, luis, may = group

    result = send(runner)

    assert result.exit_code == 0, result.output
    assert "3 reminders, 1 digest: sent 4, failed 0" in result.output
    [reminder] = mail_to(outbox, ana)
    assert "/unsubscribe/" in reminder.get_content()
    assert f"{BASE}/" in reminder.get_content()
    assert len(mail_to(outbox, luis)) == len(mail_to(outbox, may)) == 1

    outbox.clear()
    again = send(runner)
    assert again.exit_code == 0, again.output
    assert outbox == []
    assert "Nothing due" in again.output


def test_no_reminder_for_someone_active_lately_or_not_idle_long_enough(
    app, group, runner, outbox
):
    _dana, cohort, ana, luis, may = group
    with app.app_context():
        db.session.add(ModuleProgress(user_id=ana.id, module_slug="boundaries",
                                      last_activity_at=utcnow() - timedelta(days=2)))
        db.session.execute(update(Cohort).where(Cohort.id == cohort.id)
                           .values(remind_after_days=14))
        db.session.commit()

    send(runner)

    assert mail_to(outbox, ana) == mail_to(outbox, luis) == mail_to(outbox, may) == []


def test_a_self_paced_member_is_reminded_after_a_week(app, make_member, runner, outbox):
    sam = make_member("Sam")
    joined_days_ago(app, 6)
    send(runner)
    assert mail_to(outbox, sam) == []

    joined_days_ago(app, 8)
    send(runner)
    assert len(mail_to(outbox, sam)) == 1


def test_reminders_stop_once_the_course_is_finished(app, make_member, runner, outbox):
    sam = make_member("Sam")
    joined_days_ago(app, 30)
    with app.app_context():
        for module in current_catalog().published:
            db.session.add(ModuleProgress(user_id=sam.id, module_slug=module.slug,
                                          status="completed",
                                          last_activity_at=utcnow() - timedelta(days=20)))
        db.session.commit()

    send(runner)

    assert mail_to(outbox, sam) == []


def test_at_most_one_reminder_a_week(app, make_member, outbox):
    sam = make_member("Sam")
    joined_days_ago(app, 30)
    modules = None
    with app.app_context():
        modules = current_catalog().published
        now = utcnow()
        notify.send(notify.record(notify.due_notices(modules, now), now), modules, now)
        db.session.commit()
        assert len(mail_to(outbox, sam)) == 1
        for days in (1, 6):
            later = now + timedelta(days=days)
            assert notify.due_notices(modules, later) == []
        assert [d.person.id for d in notify.due_notices(modules, now + timedelta(days=8))] == [
            sam.id
        ]


@pytest.mark.parametrize("change", [
    {"wants_reminders": False},
    {"email_confirmed_at": None},
    {"is_active": False},
])
def test_no_mail_without_consent_or_to_an_unconfirmed_or_closed_account(
    app, make_member, runner, outbox, change
):
    sam = make_member("Sam")
    joined_days_ago(app, 30)
    set_user(app, sam, **change)

    send(runner)

    assert outbox == []
    assert notices(app) == []


# A module opens, family news -----------------------------------------------------------------


def schedule(app, cohort, slug: str, days_from_now: int) -> None:
    with app.app_context():
        db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug=slug,
                                      opens_on=(utcnow() + timedelta(days_from_now)).astimezone()
                                      .date()))
        db.session.commit()


def test_members_hear_once_when_a_held_back_module_opens(app, group, runner, outbox):
    dana, cohort, ana, luis, may = group
    only_digests(app, [ana, luis])
    set_user(app, ana, wants_module_notes=True)
    set_user(app, may, wants_reminders=False)
    slug = current_catalog_slugs(app)[2]
    schedule(app, cohort, slug, 0)
    schedule(app, cohort, current_catalog_slugs(app)[3], 7)

    send(runner)

    [note] = mail_to(outbox, ana)
    assert "part 3 of your course is open now" in note.get_content()
    assert len(mail_to(outbox, may)) == 1
    assert mail_to(outbox, luis) == []  # said no

    outbox.clear()
    send(runner)
    assert outbox == []


def current_catalog_slugs(app) -> list[str]:
    with app.app_context():
        return [module.slug for module in current_catalog().published]


def share_and_encourage(app, author, encourager, visibility=Visibility.FAMILY) -> None:
    with app.app_context():
        reflection = Reflection(user_id=author.id, module_slug="boundaries", prompt_id="p",
                                body="What I noticed this week", visibility=visibility)
        db.session.add(reflection)
        db.session.flush()
        db.session.add(Encouragement(reflection_id=reflection.id, author_id=encourager.id,
                                     body="So proud of you"))
        db.session.commit()


def test_a_member_hears_when_their_family_encourages_or_shares(app, group, runner, outbox):
    dana, _cohort, ana, luis, may = group
    only_digests(app, [ana, luis, may])
    set_user(app, dana, wants_digest=False)
    set_user(app, ana, wants_family_notes=True)
    set_user(app, luis, wants_family_notes=True)
    set_user(app, may, wants_family_notes=True)
    share_and_encourage(app, ana, luis)

    send(runner)

    [note] = mail_to(outbox, ana)
    assert "Someone in your family left you a kind word." in note.get_content()
    # Luis's family shared Ana's reflection with him; May is in another family.
    [shared] = mail_to(outbox, luis)
    assert "shared a reflection with you" in shared.get_content()
    assert "So proud" not in note.get_content()
    assert "What I noticed" not in shared.get_content()
    assert mail_to(outbox, may) == []

    outbox.clear()
    send(runner)
    assert outbox == []


def test_family_notes_need_consent(app, group, runner, outbox):
    dana, _cohort, ana, luis, may = group
    only_digests(app, [ana, luis, may])
    share_and_encourage(app, ana, luis)

    send(runner)

    assert mail_to(outbox, ana) == mail_to(outbox, luis) == []


# The facilitator's digest --------------------------------------------------------------------


def test_a_facilitator_gets_a_weekly_digest_of_their_group(app, group, runner, outbox):
    dana, cohort, ana, luis, may = group
    only_digests(app, [ana, luis, may])
    joined_days_ago(app, 20)  # the group calls a member stuck after 14 days
    with app.app_context():
        db.session.add(Reflection(user_id=may.id, module_slug="boundaries", prompt_id="p",
                                  body="For Dana", visibility=Visibility.FACILITATOR))
        db.session.add(ModuleProgress(user_id=may.id, module_slug="boundaries",
                                      last_activity_at=utcnow() - timedelta(days=1)))
        db.session.commit()

    send(runner)

    [digest] = mail_to(outbox, dana)
    body = digest.get_content()
    assert f"/members/{may.id}" not in body  # active yesterday
    assert "Tuesday group" in body
    assert f"{BASE}/facilitate/cohorts/{cohort.id}/members/{ana.id}" in body
    assert "Reflections shared with you this week: 1" in body
    assert "For Dana" not in body
    assert [m["To"] for m in outbox] == [dana.email]

    outbox.clear()
    send(runner)
    assert outbox == []


def test_no_digest_without_consent_or_for_a_member(app, group, runner, outbox):
    dana, _cohort, ana, luis, may = group
    only_digests(app, [ana, luis, may])
    set_user(app, dana, wants_digest=False)

    send(runner)

    assert outbox == []


def test_a_member_with_other_news_gets_no_reminder_that_week(app, group, runner, outbox):
    _dana, cohort, ana, luis, may = group
    schedule(app, cohort, current_catalog_slugs(app)[1], 0)
    set_user(app, may, wants_module_notes=False)

    send(runner)
    [note] = mail_to(outbox, ana)
    assert "is open now" in note.get_content()
    [reminder] = mail_to(outbox, may)
    assert "We have missed you" in reminder.get_content()

    outbox.clear()
    with app.app_context():
        modules = current_catalog().published
        later = utcnow() + timedelta(days=3)
        assert [d for d in notify.due_notices(modules, later)
                if d.kind is NoticeKind.REMINDER] == []
        week_on = [(d.kind, d.person.id) for d in notify.due_notices(
            modules, utcnow() + timedelta(days=8))]
    assert (NoticeKind.REMINDER, ana.id) in week_on


def test_no_subject_or_first_line_says_what_the_course_is_about(app, group, runner, outbox):
    dana, cohort, ana, luis, may = group
    set_user(app, may, wants_module_notes=False)  # May gets a reminder
    schedule(app, cohort, current_catalog_slugs(app)[1], 0)
    share_and_encourage(app, ana, luis)

    send(runner)

    assert {mail["Subject"] for mail in outbox} == {"Your Family Course update"}
    kinds = set()
    for mail in outbox:
        body = mail.get_content()
        first_lines = " ".join(body.strip().splitlines()[:3])
        assert not TELLING.search(first_lines), first_lines
        assert not TELLING.search(mail["Subject"])
        if mail["To"] != dana.email:
            assert not TELLING.search(body), body
        kinds.add(body.splitlines()[2][:20])
    assert len(kinds) == 4  # a reminder, a module note, a family note, a digest


def test_every_mail_has_one_click_unsubscribe_headers(app, group, runner, outbox):
    send(runner)

    assert outbox
    for mail in outbox:
        [link] = re.findall(r"<([^>]+)>", mail["List-Unsubscribe"])
        assert link.startswith(f"{BASE}/unsubscribe/")
        assert link in mail.get_content()
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail["Auto-Submitted"] == "auto-generated"


def test_a_failed_send_is_tried_again_on_the_next_run(app, make_member, runner, outbox,
                                                      monkeypatch):
    sam = make_member("Sam")
    joined_days_ago(app, 30)
    monkeypatch.setattr(notify, "send_now", lambda *args, **kwargs: False)

    failed = send(runner)

    assert failed.exit_code == 1
    assert "sent 0, failed 1" in failed.output
    assert notices(app) == [(sam.id, NoticeKind.REMINDER, False, 1)]

    monkeypatch.undo()
    monkeypatch.setitem(app.config, "COURSE_BASE_URL", BASE)
    again = send(runner)

    assert again.exit_code == 0, again.output
    assert len(mail_to(outbox, sam)) == 1
    assert notices(app) == [(sam.id, NoticeKind.REMINDER, True, 2)]


def test_a_notice_that_keeps_failing_is_given_up(app, make_member, runner, outbox, monkeypatch):
    make_member("Sam")
    joined_days_ago(app, 30)
    monkeypatch.setattr(notify, "send_now", lambda *args, **kwargs: False)
    for _ in range(notify.MAX_TRIES):
        send(runner)

    assert send(runner).output.startswith("Nothing due")


def test_a_dry_run_lists_who_without_sending_or_recording(app, group, runner, outbox):
    dana, _cohort, ana, luis, may = group

    result = send(runner, "--dry-run")

    assert result.exit_code == 0
    assert "Would send 3 reminders, 1 digest" in result.output
    assert f"reminder: account ids {', '.join(map(str, sorted([ana.id, luis.id, may.id])))}" \
        in result.output
    assert f"digest: account ids {dana.id}" in result.output
    assert "@" not in result.output
    assert outbox == []
    assert notices(app) == []


def test_without_a_base_url_the_command_says_what_to_set(app, group, runner, outbox,
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "COURSE_BASE_URL", None)
    result = send(runner)
    assert result.exit_code == 1
    assert "COURSE_BASE_URL" in result.output
    assert outbox == [] and notices(app) == []


def add_idle_members(app, cohort_id: int, first: int, last: int) -> None:
    """Members first..last of the group, one family each, idle for 20 days."""
    with app.app_context():
        long_ago = utcnow() - timedelta(days=20)
        for n in range(first, last):
            family = Family(name=f"Family {n}", cohort_id=cohort_id)
            user = User(email=f"m{n}@example.org", display_name=f"Member {n}",
                        role=Role.MEMBER, password_hash="-", email_confirmed_at=long_ago)
            db.session.add_all([family, user])
            db.session.flush()
            db.session.add_all([
                FamilyMembership(family_id=family.id, user_id=user.id, joined_at=long_ago,
                                 relationship_to_loved_one=Relationship.PARENT),
                ModuleProgress(user_id=user.id, module_slug="boundaries",
                               last_activity_at=long_ago),
                Reflection(user_id=user.id, module_slug="boundaries", prompt_id="p",
                           body=f"Thought {n}", visibility=Visibility.FACILITATOR),
            ])
        db.session.commit()


def test_a_run_takes_the_same_number_of_statements_for_5_members_as_for_50(
    app, make_staff, runner, outbox
):
    dana = make_staff()
    with app.app_context():
        cohort = Cohort(name="Big group")
        cohort.facilitators.append(CohortFacilitator(user_id=dana.id, is_owner=True))
        db.session.add(cohort)
        db.session.commit()
        cohort_id = cohort.id
    statements = []
    for first, last in ((0, 5), (5, 50)):
        add_idle_members(app, cohort_id, first, last)
        with app.app_context():
            db.session.execute(Notice.__table__.delete())
            db.session.commit()
        outbox.clear()
        with counting_queries(app) as count:
            result = send(runner)
        assert result.exit_code == 0, result.output
        assert len(outbox) == last + 1
        statements.append(count[0])
    assert statements[0] == statements[1] <= 25


# Turning a kind of mail off ------------------------------------------------------------------


def unsubscribe_path(outbox, user) -> str:
    [mail] = mail_to(outbox, user)
    return link_in(mail, "/unsubscribe/")


def wants(app, user) -> dict:
    with app.app_context():
        found = db.session.get(User, user.id)
        return {name: getattr(found, name) for name in notify.WANTS.values()}


def test_the_unsubscribe_link_asks_first_then_turns_that_kind_off(app, group, runner, outbox,
                                                                  client):
    _dana, _cohort, ana, _luis, _may = group
    send(runner)
    path = unsubscribe_path(outbox, ana)

    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these emails" in words(page)
    assert wants(app, ana)["wants_reminders"] is True  # a mail scanner opening it changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "We won't send you reminders any more." in words(done)
    assert 'href="/account"' in done.text
    assert wants(app, ana) == {"wants_reminders": False, "wants_module_notes": True,
                               "wants_family_notes": True, "wants_digest": True}


def test_a_mail_programs_one_click_post_works_without_a_csrf_token(
    make_app, group, outbox, app, runner
):
    dana, _cohort, ana, _luis, _may = group
    send(runner)
    path = unsubscribe_path(outbox, dana)
    guarded = make_app(SHIPPED_MODULES, WTF_CSRF_ENABLED=True)

    response = guarded.test_client().post(path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert wants(app, dana)["wants_digest"] is False
    assert wants(app, ana)["wants_reminders"] is True
    # Other forms still need their token.
    assert guarded.test_client().post("/login", data={"email": "x", "password": "y"}) \
        .status_code == 400


@pytest.mark.parametrize("tamper", [
    lambda path: path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb"),
    lambda path: path[:len("/unsubscribe/") + 10],
    lambda path: "/unsubscribe/not-a-token",
])
def test_a_tampered_unsubscribe_link_is_refused_kindly(app, group, runner, outbox, client,
                                                       tamper):
    _dana, _cohort, ana, _luis, _may = group
    send(runner)
    path = tamper(unsubscribe_path(outbox, ana))

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert "This link can't be used" in words(response)
        assert "Nothing has changed" in words(response)
    assert wants(app, ana)["wants_reminders"] is True


def test_a_link_for_one_account_is_no_use_after_it_is_closed(app, group, runner, outbox, client):
    _dana, _cohort, ana, _luis, _may = group
    send(runner)
    path = unsubscribe_path(outbox, ana)
    set_user(app, ana, is_active=False)
    assert client.post(path).status_code == 404
