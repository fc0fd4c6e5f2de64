"""Two tabs, a double click, a whole group pressing Next at once: every request a member sends
at the same moment is answered and kept, on a real server with real threads.

The app is served over HTTP on a loopback port (werkzeug, a thread per request) on the suite's
database, SQLite or PostgreSQL; each member logs in through the login form, and a barrier
releases their requests together.
"""

from __future__ import annotations

import http.client
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from helpers import PASSWORD, guide_example, write_module
from sqlalchemy import select
from werkzeug.serving import make_server

from course.content.ext import current_catalog
from course.extensions import db
from course.models import ModuleProgress, QuizAttempt, Reflection, SectionRead

SLUG = "stress"
RIGHT = {
    "q-a-tense-evening": "take-ten-slow-breaths-before-you-do",
    "q-stress-is-a-weakness": "false",
    "q-ways-to-ease-stress": ["a-short-walk", "talking-with-a-friend"],
}
ONE_RIGHT = {
    "q-a-tense-evening": "take-ten-slow-breaths-before-you-do",
    "q-stress-is-a-weakness": "true",
    "q-ways-to-ease-stress": ["skipping-meals-to-get-more-done"],
}
# Four more steps after the guide's two, so six Nexts at once each record a different section;
# the third asks for a reflection too.
MORE_STEPS = "## Step three\n\nA short page.\n\n> **Reflect:** What helped today?\n\n" + "".join(
    f"## Step {number}\n\nA short page to read, number {number}.\n\n"
    for number in ("four", "five", "six")
)
TIMEOUT = 60  # seconds for any one request or wait: a hung server fails the test, never stalls it


@pytest.fixture
def course(module_folder, make_app):
    """An app serving one six-step module with two reflection prompts and a three-question quiz."""
    text = guide_example().replace("## Quiz", MORE_STEPS + "## Quiz")
    write_module(module_folder, "01-stress.md", text)
    return make_app(module_folder)


@pytest.fixture
def base_url(course) -> Iterator[str]:
    """The course served on a free loopback port, a thread per request."""
    server = make_server("127.0.0.1", 0, course, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(TIMEOUT)
    server.server_close()


@pytest.fixture
def section_ids(course) -> list[str]:
    with course.app_context():
        return [section.id for section in current_catalog().get(SLUG).sections]


@pytest.fixture
def prompts(course) -> list[tuple[str, str]]:
    """The module's reflection prompts: [(section id, prompt id)]."""
    with course.app_context():
        module = current_catalog().get(SLUG)
        return [(module.section_with_prompt(p.id).id, p.id) for p in module.prompts]


@dataclass(frozen=True)
class Reply:
    status: int
    location: str


class Browser:
    """One member's browser: their session cookie, and a new connection for each request."""

    def __init__(self, base_url: str) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.cookie = ""

    def connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        connection.connect()
        return connection

    def post(self, path: str, fields: dict, connection: http.client.HTTPConnection) -> Reply:
        """Send a form as the page does, and don't follow the redirect."""
        connection.request("POST", path, body=urlencode(fields, doseq=True), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie,
        })
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie", []):
            cookie = SimpleCookie(header)
            if "session" in cookie and not self.cookie:
                self.cookie = f"session={cookie['session'].value}"
        return Reply(response.status, response.getheader("Location", ""))

    def log_in(self, email: str) -> None:
        connection = self.connect()
        try:
            reply = self.post("/login", {"email": email, "password": PASSWORD}, connection)
        finally:
            connection.close()
        assert reply.status == 302 and self.cookie, f"{email} could not log in"


@dataclass(frozen=True)
class Send:
    """One form a member's browser sends when the barrier opens."""

    browser: Browser
    path: str
    fields: dict


@pytest.fixture
def members(make_member, base_url) -> Callable[[int], list[tuple[int, Browser]]]:
    """Make `count` members, each logged in in a browser of their own: [(user id, browser)]."""

    def make(count: int) -> list[tuple[int, Browser]]:
        made = []
        for _ in range(count):
            user = make_member()
            browser = Browser(base_url)
            browser.log_in(user.email)
            made.append((user.id, browser))
        return made

    return make


def at_once(sends: list[Send]) -> list[Reply]:
    """Connect for every send, then release them all at the same moment; their replies."""
    barrier = threading.Barrier(len(sends))
    replies: list[Reply | BaseException | None] = [None] * len(sends)

    def run(index: int, send: Send) -> None:
        try:
            connection = send.browser.connect()
            try:
                barrier.wait(TIMEOUT)
                replies[index] = send.browser.post(send.path, send.fields, connection)
            finally:
                connection.close()
        except BaseException as error:  # noqa: BLE001  Raised again below, in the test's thread.
            barrier.abort()
            replies[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(sends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    for reply in replies:
        if isinstance(reply, BaseException):
            raise reply
    assert all(isinstance(reply, Reply) for reply in replies), "a request never finished"
    return replies


def statuses(replies: list[Reply]) -> Counter:
    return Counter(reply.status for reply in replies)


def stored(course, model, *columns):
    """Rows of a table as tuples of the given columns, by user id."""
    with course.app_context():
        rows = db.session.execute(select(model.user_id, *columns)).all()
    by_user: dict[int, list[tuple]] = {}
    for user_id, *values in rows:
        by_user.setdefault(user_id, []).append(tuple(values))
    return by_user


def progress_rows(course) -> dict[int, list[tuple]]:
    return stored(course, ModuleProgress, ModuleProgress.sections_done, ModuleProgress.attempts,
                  ModuleProgress.best_score)


def quiz_form(answers: dict, key: str | None = None) -> dict:
    return {**answers, "submission_key": key or uuid.uuid4().hex}


# The quiz -------------------------------------------------------------------------------------


def test_two_tabs_sending_the_quiz_at_once_keep_both_attempts(course, members):
    people = members(6)
    rounds = 6
    sent: dict[int, list[str]] = {user_id: [] for user_id, _ in people}
    replies = []
    for _ in range(rounds):
        sends = []
        for user_id, browser in people:
            for answers in (RIGHT, ONE_RIGHT):  # the same quiz, answered in two tabs
                form = quiz_form(answers)
                sent[user_id].append(form["submission_key"])
                sends.append(Send(browser, f"/modules/{SLUG}/quiz", form))
        replies += at_once(sends)

    assert statuses(replies) == {302: len(replies)}
    attempts = stored(course, QuizAttempt, QuizAttempt.attempt_number, QuizAttempt.submission_key,
                      QuizAttempt.score)
    progress = progress_rows(course)
    for user_id, keys in sent.items():
        mine = attempts.get(user_id, [])
        assert sorted(key for _, key, _ in mine) == sorted(keys), "an attempt was lost"
        assert sorted(number for number, _, _ in mine) == list(range(1, 2 * rounds + 1))
        assert progress[user_id] == [(0, 2 * rounds, 1.0)]


def test_a_quiz_sent_twice_by_a_double_click_is_kept_once(course, members):
    people = members(6)
    rounds = 3
    sends = []
    for _, browser in people:
        for _ in range(rounds):
            form = quiz_form(ONE_RIGHT)
            sends += [Send(browser, f"/modules/{SLUG}/quiz", form)] * 2  # one form, two clicks
    replies = at_once(sends)

    assert statuses(replies) == {302: len(replies)}
    for first, second in zip(replies[::2], replies[1::2], strict=True):
        assert first.location == second.location, "the two clicks show different attempts"
    attempts = stored(course, QuizAttempt, QuizAttempt.attempt_number)
    progress = progress_rows(course)
    for user_id, _ in people:
        assert sorted(attempts[user_id]) == [(n,) for n in range(1, rounds + 1)]
        assert progress[user_id] == [(0, rounds, 1 / 3)]


# Next and Save --------------------------------------------------------------------------------


def test_ten_members_pressing_next_on_every_step_at_once_keep_every_step(
    course, members, section_ids
):
    people = members(10)
    sends = [Send(browser, f"/modules/{SLUG}/{section_id}", {"action": "next"})
             for _, browser in people for section_id in section_ids]

    replies = at_once(sends)

    assert len(section_ids) == 6
    assert statuses(replies) == {302: len(replies)}
    reads = stored(course, SectionRead, SectionRead.section_id)
    progress = progress_rows(course)
    for user_id, _ in people:
        assert sorted(reads.get(user_id, [])) == sorted((s,) for s in section_ids)
        assert progress[user_id] == [(6, 0, None)], "the progress row disagrees with the reads"


def test_a_double_clicked_next_records_the_step_once(course, members, section_ids):
    people = members(10)
    replies = []
    for section_id in section_ids[:2]:
        replies += at_once([Send(browser, f"/modules/{SLUG}/{section_id}", {"action": "next"})
                            for _, browser in people for _click in range(2)])

    assert statuses(replies) == {302: len(replies)}
    reads = stored(course, SectionRead, SectionRead.section_id)
    progress = progress_rows(course)
    for user_id, _ in people:
        assert sorted(reads[user_id]) == sorted((s,) for s in section_ids[:2])
        assert progress[user_id] == [(2, 0, None)]


def test_a_double_clicked_save_of_a_new_reflection_keeps_what_was_written(
    course, members, prompts
):
    people = members(10)
    texts = ("One small thing: a walk", "One small thing: a walk.")  # typed between the clicks
    replies = []
    for step, prompt in prompts:
        fields = [{"action": "save", f"reflection-{prompt}": text} for text in texts]
        replies += at_once([Send(browser, f"/modules/{SLUG}/{step}", sent)
                            for _, browser in people for sent in fields])

    assert len(prompts) == 2
    assert statuses(replies) == {302: len(replies)}
    reflections = stored(course, Reflection, Reflection.prompt_id, Reflection.body)
    for user_id, _ in people:
        mine = dict(reflections.get(user_id, []))
        assert sorted(mine) == sorted(prompt for _, prompt in prompts), "a reflection was lost"
        assert all(body in texts for body in mine.values())
