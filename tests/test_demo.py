"""A newcomer loads the demo into an empty database and looks around as its people."""

from datetime import timedelta

import pytest
from helpers import SHIPPED_MODULES, write_module
from sqlalchemy import func, select

from course import demo
from course.content.ext import current_catalog
from course.extensions import db
from course.models import (
    Cohort,
    Encouragement,
    Family,
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
    Reflection,
    Role,
    User,
    Visibility,
    utcnow,
)


@pytest.fixture
def loaded(app, runner):
    """The demo, loaded by its command; returns the command's result."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_demo_has_a_facilitator_who_owns_the_demo_group(app, loaded):
    with app.app_context():
        dana = db.session.scalar(select(User).where(User.role == Role.FACILITATOR))
        assert dana.display_name == "Demo facilitator — Dana"
        assert dana.email == f"dana@{demo.DEMO_DOMAIN}"
        assert dana.membership is None
        cohort = db.session.scalar(select(Cohort))
        assert cohort.name == "Demo group (sample data)"
        assert [(f.user_id, f.is_owner) for f in cohort.facilitators] == [(dana.id, True)]
        assert cohort.start_date == (utcnow() - timedelta(weeks=4)).date()
        assert cohort.meeting_day == 1


def test_the_demo_has_three_labelled_families_of_two_or_three(app, loaded):
    with app.app_context():
        families = db.session.scalars(select(Family)).all()
        assert len(families) >= 3
        for family in families:
            assert family.name.startswith("Demo: ")
            assert family.cohort.name == "Demo group (sample data)"
            assert 2 <= len(family.memberships) <= 3
        emails = db.session.scalars(select(User.email)).all()
        assert all(email.endswith(f"@{demo.DEMO_DOMAIN}") for email in emails)


def test_the_demo_has_reflections_shared_every_way_and_kind_words(app, loaded):
    with app.app_context():
        shown = set(db.session.scalars(select(Reflection.visibility)))
        assert shown == set(Visibility)
        assert count(Encouragement) >= 2


def test_the_demo_has_failed_first_attempts_and_passed_ones(app, loaded):
    with app.app_context():
        assert count(QuizAttempt, QuizAttempt.attempt_number == 1,
                     QuizAttempt.is_passed.is_(False)) >= 2
        assert count(QuizAttempt, QuizAttempt.is_passed.is_(True)) >= 5
        assert count(ModuleProgress, ModuleProgress.status == ProgressStatus.COMPLETED) >= 5
        cohort = db.session.scalar(select(Cohort))
        assert count(QuizAttempt, QuizAttempt.cohort_id != cohort.id) == 0


def test_the_demo_has_someone_stuck_someone_not_started_and_someone_at_work(app, loaded):
    with app.app_context():
        now = utcnow()
        stuck_before = now - timedelta(days=14)
        open_rows = db.session.scalars(
            select(ModuleProgress).where(ModuleProgress.status == ProgressStatus.STARTED)
        ).all()
        stuck = [row for row in open_rows if row.last_activity_at < stuck_before]
        assert len(stuck) == 1
        assert stuck[0].started_at < stuck_before
        assert any(row.last_activity_at > now - timedelta(days=7) for row in open_rows)
        members = db.session.scalars(select(User).where(User.role == Role.MEMBER)).all()
        started = set(db.session.scalars(select(ModuleProgress.user_id)))
        assert [m.display_name for m in members if m.id not in started] == ["Sofia Rivera"]


def test_the_demo_timestamps_tell_one_story_in_the_courses_modules(app, loaded):
    with app.app_context():
        now = utcnow()
        for row in db.session.scalars(select(ModuleProgress)):
            assert row.started_at <= row.last_activity_at < now
            assert row.completed_at is None or row.completed_at <= row.last_activity_at
        assert max(db.session.scalars(select(QuizAttempt.submitted_at))) < now - timedelta(days=1)
        published = {module.slug for module in current_catalog().published}
        assert set(db.session.scalars(select(ModuleProgress.module_slug))) <= published


def test_the_demo_prints_its_logins_each_time_and_loads_once(app, runner, loaded):
    assert demo.DEMO_PASSWORD in loaded.output
    assert "fictional" in loaded.output
    for name in ("dana", "maria", "grace"):
        assert f"{name}@{demo.DEMO_DOMAIN}" in loaded.output
    with app.app_context():
        before = (count(User), count(QuizAttempt), count(Reflection))

    again = runner.invoke(args=["demo"])

    assert again.exit_code == 0, again.output
    assert again.output == loaded.output
    with app.app_context():
        assert (count(User), count(QuizAttempt), count(Reflection)) == before


def test_the_demo_refuses_a_database_with_real_accounts(app, runner, make_member):
    make_member(email="real.person@example.org")

    result = runner.invoke(args=["demo"])

    assert result.exit_code == 1
    assert "The database has real accounts, so the demo was not loaded" in result.output
    with app.app_context():
        assert count(User) == 1
        assert count(Cohort) == 0


def test_the_demo_refuses_to_join_real_accounts_added_after_it(app, runner, loaded):
    runner.invoke(
        args=["users", "create", "--email", "ada@example.org", "--name", "Ada", "--role",
              "admin", "--password-stdin"],
        input="a long enough password\n",
    )

    result = runner.invoke(args=["demo"])

    assert result.exit_code == 1
    assert "real accounts" in result.output


def test_if_empty_quietly_does_nothing_when_real_accounts_exist(app, runner, make_member):
    make_member(email="real.person@example.org")

    result = runner.invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 0
    assert result.output == ""
    with app.app_context():
        assert count(User) == 1


def test_if_empty_loads_the_demo_into_an_empty_database(app, runner):
    result = runner.invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert demo.DEMO_PASSWORD in result.output
    with app.app_context():
        assert count(Cohort) == 1


def test_the_demo_is_not_for_production(make_app, module_folder):
    production = make_app(
        module_folder, ENV_NAME="production", COURSE_BASE_URL="https://course.example.org",
        MAIL_BACKEND="log",
    )

    refused = production.test_cli_runner().invoke(args=["demo"])
    quiet = production.test_cli_runner().invoke(args=["demo", "--if-empty"])

    assert refused.exit_code == 1
    assert "not for a production site" in refused.output
    assert (quiet.exit_code, quiet.output) == (0, "")


def test_the_demo_needs_enough_modules(app, make_app, module_folder):
    small = make_app(module_folder)

    result = small.test_cli_runner().invoke(args=["demo"])
    quiet = small.test_cli_runner().invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 1
    assert "The demo needs 4 published modules" in result.output
    assert "start-here, what-addiction-is, how-people-change, the-whole-family" in result.output
    assert quiet.exit_code == 0
    with app.app_context():
        assert count(User) == 0


def test_the_demo_names_a_module_its_stories_need_and_the_course_holds_back(
    app, make_app, module_folder
):
    for path in SHIPPED_MODULES.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if path.name.endswith("-how-people-change.md"):
            text = text.replace("\n---\n", "\ndraft: true\n---\n", 1)
        write_module(module_folder, path.name, text)
    held_back = make_app(module_folder)

    result = held_back.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 1
    assert "missing or changed: how-people-change." in result.output
    with app.app_context():
        assert count(User) == 0


def test_the_demo_stories_land_in_the_modules_they_tell_of(app, loaded):
    """Stories name modules by slug, so a new module or a new course order does not move them."""
    with app.app_context():
        written = set(db.session.execute(
            select(User.display_name, Reflection.module_slug, Reflection.prompt_id)
            .join(User, User.id == Reflection.user_id)
        ).all())
        started = set(db.session.execute(
            select(User.display_name, ModuleProgress.module_slug)
            .join(User, User.id == ModuleProgress.user_id)
        ).all())
    assert ("Maria Rivera", "start-here", "how-this-course-works-reflect") in written
    assert ("Maria Rivera", "how-people-change", "the-stages-of-change-reflect") in written
    assert ("Grace Okafor", "start-here", "if-you-feel-unsafe-at-home-reflect") in written
    assert ("Grace Okafor", "how-people-change", "the-stages-of-change-reflect") in written
    assert ("Lily Chen", "what-addiction-is", "words-that-help-reflect") in written
    assert ("Grace Okafor", "the-whole-family") in started
    assert {slug for _, slug in started} == {
        "start-here", "what-addiction-is", "how-people-change", "the-whole-family"
    }


def log_in(client, name):
    return client.post(
        "/login", data={"email": f"{name}@{demo.DEMO_DOMAIN}", "password": demo.DEMO_PASSWORD}
    )


def test_demo_people_log_in_with_the_printed_password(app, loaded):
    for name in ("maria", "grace", "sofia", "dana"):
        client = app.test_client()
        response = log_in(client, name)
        assert response.status_code == 302, (name, response.text)
        if name != "dana":
            assert "My course" in client.get("/").text


def test_a_demo_member_sees_the_reflections_their_family_shared(client, loaded):
    log_in(client, "luis")

    page = client.get("/family").text

    assert "put them on the fridge" in page  # Maria's, shared with the family.
    assert "I saved the numbers in my phone too" in page
    assert "both are true this week" not in page.lower()  # Maria's private one.
