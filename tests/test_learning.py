"""A member learns: My course shows where they stand, Next walks them through a module's steps
and keeps what they write, the quiz grades them and explains, and a module their group has not
reached yet stays closed until the day it opens."""

import re
import uuid
from datetime import date, timedelta

import pytest
from helpers import guide_example, text_of, write_module
from sqlalchemy import func, select

from course.extensions import db
from course.models import (
    Cohort,
    ModuleProgress,
    ModuleSchedule,
    ProgressStatus,
    QuizAttempt,
    Reflection,
    SectionRead,
    Visibility,
    local_today,
)

# The guide's example module, three times over: each has the sections "signs-of-stress" and
# "one-small-step" (with the prompt "one-small-step-reflect") and three questions.
COURSE = [("01-calm.md", 1, "Keeping calm"), ("02-stress.md", 2, "Noticing your own stress"),
          ("03-rest.md", 3, "Getting some rest")]
PROMPT = "one-small-step-reflect"
RIGHT = {
    "q-a-tense-evening": "take-ten-slow-breaths-before-you-do",
    "q-stress-is-a-weakness": "false",
    "q-ways-to-ease-stress": ["a-short-walk", "talking-with-a-friend"],
}
ONE_RIGHT = {  # 1 of 3: only the first question is right.
    "q-a-tense-evening": "take-ten-slow-breaths-before-you-do",
    "q-stress-is-a-weakness": "true",
    "q-ways-to-ease-stress": ["skipping-meals-to-get-more-done"],
}
FUTURE = date(2099, 3, 2)


def module_text(order: int, title: str) -> str:
    return guide_example().replace("order: 13", f"order: {order}").replace(
        "title: Noticing your own stress", f"title: {title}")


@pytest.fixture
def course(module_folder, make_app):
    """An app serving a three-module course: calm, stress and rest."""
    for name, order, title in COURSE:
        write_module(module_folder, name, module_text(order, title))
    return make_app(module_folder)


def words_of(response) -> str:
    """The page as a reader hears it: text only, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text_of(response)))


def press_next(client, slug, section_id, **fields):
    return client.post(f"/modules/{slug}/{section_id}", data={"action": "next", **fields})


def read_every_section(client, slug):
    press_next(client, slug, "signs-of-stress")
    press_next(client, slug, "one-small-step")


def take_quiz(client, slug, answers, key=None):
    """Send the quiz as the page does, with a fresh submission key unless given one."""
    data = {**answers, "submission_key": key or uuid.uuid4().hex}
    return client.post(f"/modules/{slug}/quiz", data=data)


def reflect(client, slug="stress", text="A walk after dinner.", visibility=None, action="save"):
    data = {"action": action, f"reflection-{PROMPT}": text}
    if visibility is not None:
        data[f"visibility-{PROMPT}"] = visibility
    return client.post(f"/modules/{slug}/one-small-step", data=data)


def reflections_of(app, user):
    with app.app_context():
        return [(r.module_slug, r.prompt_id, r.body, r.visibility) for r in db.session.scalars(
            select(Reflection).where(Reflection.user_id == user.id))]


def count(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def progress_row(app, user, slug):
    with app.app_context():
        row = db.session.scalar(select(ModuleProgress).filter_by(user_id=user.id, module_slug=slug))
        db.session.expunge_all()
        return row


def status_line(page: str, title: str) -> str:
    """The status shown under a module's title on My course."""
    match = re.search(rf">{re.escape(title)}</a></h2>\s*<p>(.*?)</p>", page, re.DOTALL)
    assert match, f"{title} is not listed"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# My course -----------------------------------------------------------------------------------


def test_my_course_lists_the_modules_in_order_with_where_i_stand(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)
    read_every_section(client, "calm")
    take_quiz(client, "calm", RIGHT)
    press_next(client, "stress", "signs-of-stress")

    page = text_of(client.get("/"))

    titles = re.findall(r'<h2><a href="/modules/[a-z-]+">([^<]+)</a></h2>', page)
    assert titles == [title for _, _, title in COURSE]
    assert status_line(page, "Keeping calm") == "Completed, best score 100%"
    assert status_line(page, "Noticing your own stress") == "1 of 2 sections"
    assert status_line(page, "Getting some rest") == "Not started"
    assert "1 of 3 modules completed" in page
    # Done: all 3 steps of calm, 1 of 3 of stress (2 sections and the quiz each): 4 of 9.
    assert '<progress id="overall" value="44" max="100">' in page


def test_an_attempt_in_progress_shows_its_best_score(course, make_member, signed_in):
    client = signed_in(course, make_member())
    press_next(client, "stress", "signs-of-stress")
    take_quiz(client, "stress", ONE_RIGHT)

    page = text_of(client.get("/"))

    assert status_line(page, "Noticing your own stress") == "1 of 2 sections, quiz best 33%"


def test_a_new_member_is_invited_to_start_the_first_module(course, make_member, signed_in):
    page = text_of(signed_in(course, make_member()).get("/"))

    assert re.search(r'href="/modules/calm/signs-of-stress">\s*Start: Keeping calm</a>', page)
    assert '<progress id="overall" value="0" max="100">' in page


def test_continue_leads_to_the_first_unread_section_of_the_module_in_progress(
    course, make_member, signed_in
):
    client = signed_in(course, make_member())
    read_every_section(client, "calm")
    take_quiz(client, "calm", RIGHT)
    press_next(client, "stress", "signs-of-stress")

    page = text_of(client.get("/"))

    assert re.search(
        r'href="/modules/stress/one-small-step">\s*Continue where you left off: '
        r"Noticing your own stress</a>", page)


def test_continue_leads_to_the_quiz_once_every_section_is_read(course, make_member, signed_in):
    client = signed_in(course, make_member())
    read_every_section(client, "stress")

    page = text_of(client.get("/"))

    assert re.search(
        r'href="/modules/stress/quiz">\s*Continue where you left off: Noticing your own stress</a>',
        page)


# Reading a module ----------------------------------------------------------------------------


def test_next_records_the_section_and_goes_on_to_the_next_then_the_quiz(
    course, make_member, signed_in
):
    member = make_member()
    client = signed_in(course, member)

    first = press_next(client, "stress", "signs-of-stress")
    assert first.status_code == 302
    assert first.headers["Location"] == "/modules/stress/one-small-step"
    assert count(course, SectionRead, user_id=member.id, section_id="signs-of-stress") == 1

    last = press_next(client, "stress", "one-small-step")
    assert last.headers["Location"] == "/modules/stress/quiz"
    assert count(course, SectionRead, user_id=member.id, module_slug="stress") == 2
    assert progress_row(course, member, "stress").sections_done == 2


def test_reading_a_section_again_records_it_once(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)

    press_next(client, "stress", "signs-of-stress")
    press_next(client, "stress", "signs-of-stress")

    assert count(course, SectionRead, user_id=member.id) == 1


def test_a_section_links_to_the_previous_and_next_steps(course, make_member, signed_in):
    client = signed_in(course, make_member())

    first = text_of(client.get("/modules/stress/signs-of-stress"))
    assert "Step 1 of 2" in first
    assert '<a href="/modules/stress">← About this module</a>' in first
    assert "Next: One small step →" in first

    second = text_of(client.get("/modules/stress/one-small-step"))
    assert "Step 2 of 2" in second
    assert '<a href="/modules/stress/signs-of-stress">← Previous: Signs of stress</a>' in second
    assert "Next: the quiz →" in second


def test_an_unknown_section_is_not_found(course, make_member, signed_in):
    client = signed_in(course, make_member())

    assert client.get("/modules/stress/no-such-section").status_code == 404
    assert press_next(client, "stress", "no-such-section").status_code == 404


# Reflections ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["next", "save"])
def test_what_i_write_is_kept_and_private_unless_i_choose(action, course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)

    response = reflect(client, text="A walk after dinner.", action=action)

    assert response.status_code == 302
    assert reflections_of(course, member) == [
        ("stress", PROMPT, "A walk after dinner.", Visibility.PRIVATE)]
    page = text_of(client.get("/modules/stress/one-small-step"))
    assert "A walk after dinner.</textarea>" in page
    assert re.search(r'value="private"\s+checked', page)


def test_save_keeps_me_on_the_section_and_does_not_mark_it_read(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)

    response = reflect(client, action="save")

    assert response.headers["Location"] == "/modules/stress/one-small-step"
    assert "Your reflection is saved." in client.get(response.headers["Location"]).text
    assert count(course, SectionRead, user_id=member.id) == 0


@pytest.mark.parametrize("visibility, readers", [
    ("family", "Your family can read it now."),
    ("facilitator", "Your family and your group's facilitator can read it now."),
])
def test_i_can_share_a_reflection(visibility, readers, course, grouped_member, signed_in):
    member = grouped_member()
    client = signed_in(course, member)

    reflect(client, visibility=visibility, action="save")

    assert reflections_of(course, member)[0][3] == Visibility(visibility)
    # Back on the step, the hint says who reads it now, not that only I can.
    page = text_of(client.get("/modules/stress/one-small-step"))
    assert readers in page and "Only you can read it" not in page


def test_a_saved_private_reflection_says_only_i_read_it(course, make_member, signed_in):
    client = signed_in(course, make_member())
    hint = "Only you can read it unless you choose otherwise."
    assert hint in text_of(client.get("/modules/stress/one-small-step"))

    reflect(client, action="save")

    page = text_of(client.get("/modules/stress/one-small-step"))
    assert "Only you can read it now." in page and hint not in page


def test_without_a_group_there_is_no_facilitator_to_share_with(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)
    assert 'value="facilitator"' not in client.get("/modules/stress/one-small-step").text

    response = reflect(client, text="A walk after dinner.", visibility="facilitator")

    assert response.status_code == 422
    page = text_of(response)
    assert re.search(
        rf'<small id="visibility-{PROMPT}-error" class="field-error">'
        r"Choose who can see this reflection.</small>", page)
    assert f'<a href="#visibility-{PROMPT}-0">Choose who can see this reflection.</a>' in page
    assert "A walk after dinner.</textarea>" in page
    assert reflections_of(course, member) == []


def test_editing_a_reflection_changes_it(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)
    reflect(client, text="A walk after dinner.")

    reflect(client, text="Calling my sister.", visibility="family")

    assert reflections_of(course, member) == [
        ("stress", PROMPT, "Calling my sister.", Visibility.FAMILY)]


def test_emptying_the_box_removes_the_reflection(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)
    reflect(client, text="A walk after dinner.")

    reflect(client, text="   ", action="next")

    assert reflections_of(course, member) == []


def test_deleting_a_reflection_asks_first(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)
    reflect(client, text="A walk after dinner.")
    with course.app_context():
        reflection_id = db.session.scalar(select(Reflection.id))

    question = text_of(client.get(f"/reflections/{reflection_id}/delete"))
    assert "Delete this reflection?" in question
    assert "A walk after dinner." in question
    assert reflections_of(course, member) != []

    done = client.post(f"/reflections/{reflection_id}/delete")
    assert done.status_code == 302
    assert reflections_of(course, member) == []
    assert "Your reflection is deleted." in client.get(done.headers["Location"]).text


def test_a_reflection_too_long_comes_back_with_the_error_and_my_text(
    course, make_member, signed_in
):
    member = make_member()
    client = signed_in(course, member)
    long_text = "I feel " + "x" * 5993

    response = reflect(client, text=long_text, action="next")

    assert response.status_code == 422
    page = text_of(response)
    assert re.search(
        rf'<small id="reflection-{PROMPT}-error" class="field-error">This is 6,000 characters '
        r"long; please keep it under 5,000.</small>", page)
    assert f"{long_text}</textarea>" in page
    assert reflections_of(course, member) == []
    assert count(course, SectionRead, user_id=member.id) == 0


def test_the_step_form_looks_up_who_may_read_only_for_a_wider_circle_than_me(course):
    from course.content.ext import current_catalog
    from course.learn.forms import reflection_form

    asked = []

    def choices():
        asked.append(True)
        return [Visibility.PRIVATE, Visibility.FAMILY]

    def sent(**fields):
        data = {"action": "next", f"reflection-{PROMPT}": "A walk.", **fields}
        with course.test_request_context(method="POST", data=data):
            step = current_catalog().get("stress").section("one-small-step")
            form = reflection_form(step, choices)()
            return form.validate(), form.errors

    assert sent() == (True, {}) and asked == []
    assert sent(**{f"visibility-{PROMPT}": "family"}) == (True, {})
    assert sent(**{f"visibility-{PROMPT}": "facilitator"}) == (
        False, {f"visibility-{PROMPT}": ["Choose who can see this reflection."]})


def test_html_in_a_reflection_is_shown_as_text_to_the_family(course, make_member, signed_in):
    writer = make_member("Rosa")
    reader = make_member("Tom", family=writer.membership.family)
    reflect(signed_in(course, writer), text="<script>alert(1)</script>", visibility="family")

    assert reflections_of(course, writer)[0][2] == "<script>alert(1)</script>"
    page = signed_in(course, reader).get("/family").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


# The quiz ------------------------------------------------------------------------------------


def test_all_answers_right_is_a_pass(course, make_member, signed_in):
    client = signed_in(course, make_member())

    response = take_quiz(client, "stress", RIGHT)

    assert response.headers["Location"] == "/modules/stress/quiz/1"
    page = words_of(client.get(response.headers["Location"]))
    assert "You got 3 of 3 right (100%)" in page
    assert "Well done: that's a pass." in page
    assert "Not quite" not in page


def test_wrong_answers_are_explained(course, make_member, signed_in):
    client = signed_in(course, make_member())

    page = words_of(client.get(take_quiz(client, "stress", ONE_RIGHT).headers["Location"]))

    assert "You got 1 of 3 right (33%)" in page
    assert "To pass, you need 80%." in page
    assert page.count("Not quite") == 2
    # The feedback of what I chose, and why.
    assert "Stress is a normal response to a hard situation, not a weakness." in page
    assert "This usually adds to stress rather than easing it." in page
    assert "Stress is a signal, not a failing." in page
    assert "Small, kind acts for your body and your mind add up." in page
    # Not the feedback of options I did not choose.
    assert "Right. Stress is the body's normal response to strain." not in page


def test_unanswered_questions_come_back_with_errors_and_my_choices(
    course, make_member, signed_in
):
    member = make_member()
    client = signed_in(course, member)

    response = client.post("/modules/stress/quiz", data={
        "q-a-tense-evening": "take-ten-slow-breaths-before-you-do", "submission_key": "k1"})

    assert response.status_code == 422
    page = text_of(response)
    assert "Please answer every question" in page
    assert '<small id="q_stress-is-a-weakness_error" class="field-error">Choose an answer.' in page
    assert ('<small id="q_ways-to-ease-stress_error" class="field-error">'
            "Choose at least one answer.") in page
    assert "q_a-tense-evening_error" not in page
    assert re.search(r'value="take-ten-slow-breaths-before-you-do"\s+checked', page)
    assert count(course, QuizAttempt, user_id=member.id) == 0
    # The summary names each question left and leads to it, its numbered heading first: a link
    # to its first option scrolled the heading out of sight, under the next question's number.
    assert '<a href="#q-stress-is-a-weakness">Question 2: Stress is a weakness</a>' in page
    assert re.search(r'<fieldset class="question" id="q-stress-is-a-weakness"[^>]*>\s*'
                     r'<legend><h2>2\. Stress is a weakness</h2>', page)


def test_a_choose_all_answer_with_a_right_option_missed_names_the_one_missed(
    course, make_member, signed_in
):
    client = signed_in(course, make_member())

    answers = {**RIGHT, "q-ways-to-ease-stress": ["a-short-walk"]}
    page = words_of(client.get(take_quiz(client, "stress", answers).headers["Location"]))

    assert "Not quite" in page
    assert "You chose 1 of the 2 right answers. You missed: Talking with a friend" in page
    # Only where a right option was missed: not on the questions answered right.
    assert page.count("You missed") == 1


def test_the_quiz_leads_back_to_the_modules_last_step(course, make_member, signed_in):
    client = signed_in(course, make_member())

    page = client.get("/modules/stress/quiz").text

    assert '<a href="/modules/stress/one-small-step">← Previous: One small step</a>' in page


@pytest.mark.parametrize("question, sent", [
    ("q-stress-is-a-weakness", "maybe"),
    ("q-ways-to-ease-stress", ["a-short-walk", "not-an-option"]),
])
def test_an_option_the_question_does_not_have_is_no_answer(
    question, sent, course, make_member, signed_in
):
    member = make_member()
    client = signed_in(course, member)

    response = take_quiz(client, "stress", {**RIGHT, question: sent})

    assert response.status_code == 422
    assert re.search(rf'id="q_{question[2:]}_error" class="field-error">Choose', response.text)
    assert count(course, QuizAttempt, user_id=member.id) == 0


def test_sending_the_same_quiz_twice_stores_one_attempt(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)

    first = take_quiz(client, "stress", RIGHT, key="double-click")
    second = take_quiz(client, "stress", RIGHT, key="double-click")

    assert first.headers["Location"] == second.headers["Location"] == "/modules/stress/quiz/1"
    assert count(course, QuizAttempt, user_id=member.id) == 1
    assert progress_row(course, member, "stress").attempts == 1


def test_a_quiz_sent_with_someone_elses_key_is_stored_as_mine_and_theirs_is_untouched(
    course, make_member, signed_in
):
    rosa, tom = make_member("Rosa"), make_member("Tom")
    take_quiz(signed_in(course, rosa), "stress", RIGHT, key="copied-from-rosas-page")

    mine = take_quiz(signed_in(course, tom), "stress", ONE_RIGHT, key="copied-from-rosas-page")

    assert mine.status_code == 302 and mine.headers["Location"] == "/modules/stress/quiz/1"
    assert count(course, QuizAttempt, user_id=tom.id) == 1
    assert count(course, QuizAttempt, user_id=rosa.id, score=1.0) == 1
    assert progress_row(course, tom, "stress").attempts == 1


def test_each_retake_is_a_new_attempt_with_best_and_latest_shown(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)

    take_quiz(client, "stress", RIGHT)
    retake = take_quiz(client, "stress", ONE_RIGHT)

    assert retake.headers["Location"] == "/modules/stress/quiz/2"
    assert count(course, QuizAttempt, user_id=member.id) == 2
    latest = text_of(client.get("/modules/stress/quiz/2"))
    assert "Attempt 2 · your best score: 100%" in latest
    first = text_of(client.get("/modules/stress/quiz/1"))
    assert "Attempt 1 · your best score: 100%" in first
    assert "your latest: 33%" in first
    row = progress_row(course, member, "stress")
    assert (row.attempts, row.best_score) == (2, 1.0)


def test_reading_then_passing_completes_a_module(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)

    read_every_section(client, "stress")
    assert progress_row(course, member, "stress").status is ProgressStatus.STARTED
    take_quiz(client, "stress", RIGHT)

    row = progress_row(course, member, "stress")
    assert row.status is ProgressStatus.COMPLETED and row.completed_at is not None
    assert "You have completed this module." in client.get("/modules/stress/quiz/1").text


def test_passing_then_reading_completes_a_module(course, make_member, signed_in):
    member = make_member()
    client = signed_in(course, member)

    take_quiz(client, "stress", RIGHT)
    assert progress_row(course, member, "stress").status is ProgressStatus.STARTED
    assert "To complete the module, also read every step." in client.get(
        "/modules/stress/quiz/1").text
    press_next(client, "stress", "signs-of-stress")
    assert progress_row(course, member, "stress").status is ProgressStatus.STARTED
    press_next(client, "stress", "one-small-step")

    assert progress_row(course, member, "stress").status is ProgressStatus.COMPLETED


def test_reading_everything_but_failing_the_quiz_does_not_complete(
    course, make_member, signed_in
):
    member = make_member()
    client = signed_in(course, member)

    read_every_section(client, "stress")
    take_quiz(client, "stress", ONE_RIGHT)

    assert progress_row(course, member, "stress").status is ProgressStatus.STARTED
    assert status_line(text_of(client.get("/")), "Noticing your own stress") == (
        "2 of 2 sections, quiz best 33%")


FOURTH_QUESTION = """### Sleep and stress

Poor sleep can be a sign of stress.

- [x] True
  > Yes. Stress often shows up at night first.
- [ ] False
  > Stress often shows up at night first.

**Why:** The body keeps score, even in bed.

"""


@pytest.mark.parametrize("answers, completed", [
    # 2 of 4 right is exactly the pass score of 50%; 1 of 4 is below it.
    ({**ONE_RIGHT, "q-sleep-and-stress": "true"}, True),
    ({**ONE_RIGHT, "q-sleep-and-stress": "false"}, False),
])
def test_a_score_at_the_pass_score_completes_the_module(
    answers, completed, module_folder, make_app, make_member, signed_in
):
    text = guide_example().replace("order: 13", "order: 13\npass_score: 50").replace(
        "## Sources", FOURTH_QUESTION + "## Sources")
    write_module(module_folder, "13-stress.md", text)
    app = make_app(module_folder)
    member = make_member()
    client = signed_in(app, member)
    read_every_section(client, "stress")

    take_quiz(client, "stress", answers)

    row = progress_row(app, member, "stress")
    assert (row.status is ProgressStatus.COMPLETED) is completed
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.is_passed)) is completed


def test_an_attempt_page_shows_only_my_own_attempts(course, make_member, signed_in):
    first = signed_in(course, make_member("Rosa"))
    second = signed_in(course, make_member("Tom"))
    take_quiz(first, "stress", RIGHT)
    take_quiz(first, "stress", RIGHT)

    assert second.get("/modules/stress/quiz/1").status_code == 404
    assert second.get("/modules/stress/quiz/2").status_code == 404

    take_quiz(second, "stress", ONE_RIGHT)
    mine = words_of(second.get("/modules/stress/quiz/1"))
    assert "You got 1 of 3 right (33%)" in mine
    assert "100%" not in mine
    assert second.get("/modules/stress/quiz/2").status_code == 404


# A module the group has not reached yet ------------------------------------------------------


@pytest.fixture
def grouped_member(course, make_member):
    """Make a member of a cohort that opens modules on given days: grouped_member(stress=day)."""

    def make(**opens_on):
        with course.app_context():
            cohort = Cohort(name="Tuesday evening group")
            db.session.add(cohort)
            db.session.flush()
            for slug, day in opens_on.items():
                db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug=slug, opens_on=day))
            db.session.commit()
            db.session.refresh(cohort)
            db.session.expunge(cohort)
        return make_member(cohort=cohort)

    return make


@pytest.mark.parametrize("url", [
    "/modules/stress", "/modules/stress/signs-of-stress", "/modules/stress/one-small-step",
    "/modules/stress/quiz",
])
def test_a_module_not_open_yet_says_when_it_opens(url, course, grouped_member, signed_in):
    client = signed_in(course, grouped_member(stress=FUTURE))

    response = client.get(url)

    assert response.status_code == 403
    assert "This module opens on <strong>Monday 2 March 2099</strong>" in text_of(response)
    assert "Small things help" not in response.text


def test_a_module_not_open_yet_records_nothing(course, grouped_member, signed_in):
    member = grouped_member(stress=FUTURE)
    client = signed_in(course, member)

    assert press_next(client, "stress", "signs-of-stress").status_code == 403
    assert reflect(client).status_code == 403
    assert take_quiz(client, "stress", RIGHT).status_code == 403

    assert count(course, SectionRead, user_id=member.id) == 0
    assert count(course, Reflection, user_id=member.id) == 0
    assert count(course, QuizAttempt, user_id=member.id) == 0


def test_my_course_shows_when_a_module_opens(course, grouped_member, signed_in):
    page = text_of(signed_in(course, grouped_member(stress=FUTURE)).get("/"))

    match = re.search(r"<h2>Noticing your own stress</h2>\s*<p>(.*?)</p>", page, re.DOTALL)
    assert match, "a locked module is listed without a link"
    assert "Opens Monday 2 March" in match.group(1)
    assert '<a href="/modules/stress">' not in page
    assert status_line(page, "Keeping calm") == "Not started"


@pytest.mark.parametrize("day", [local_today(), local_today() - timedelta(days=1)])
def test_a_module_is_open_from_its_day_on(day, course, grouped_member, signed_in):
    client = signed_in(course, grouped_member(stress=day))

    assert client.get("/modules/stress").status_code == 200
    assert client.get("/modules/stress/signs-of-stress").status_code == 200
    assert client.get("/modules/stress/quiz").status_code == 200
    assert status_line(text_of(client.get("/")), "Noticing your own stress") == "Not started"
