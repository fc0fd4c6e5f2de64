"""Bad input gets a clear message and changes nothing; never a 500.

Every form of every role is fuzzed with Hypothesis (oversized, empty and missing fields, NUL and
other control characters, any unicode, repeated fields, wrong types, huge numbers, odd dates) on
the suite's database, SQLite or PostgreSQL. The cases fuzzing found follow, one test each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import pytest
from flask_migrate import downgrade, upgrade
from helpers import PASSWORD
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import String, func, insert, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from course import invitations, progress, tokens
from course.content.ext import current_catalog
from course.extensions import db, limiter
from course.forms import CONTROL_CHARACTERS_MESSAGE
from course.models import (
    Cohort,
    CohortFacilitator,
    Encouragement,
    Family,
    FamilyMembership,
    ModuleSchedule,
    Reflection,
    Relationship,
    Role,
    User,
    Visibility,
    utcnow,
)

# Control characters no stored text may hold; multi-line text may hold tabs and line breaks.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MULTILINE_COLUMNS = {("reflections", "body"), ("encouragements", "body")}


@cache
def password_hash() -> str:
    """One scrypt hash of PASSWORD for every account of the world: hashing is slow on purpose."""
    return generate_password_hash(PASSWORD, method="scrypt")


# The world every form is sent to -------------------------------------------------------------


@dataclass
class World:
    """Ids and tokens of a small site: an admin, Dana's group, and the Riveras in it."""

    admin: int
    dana: int
    ana: int
    luis: int
    cohort: int
    shared: int  # Luis's reflection, shared with his family: Ana may encourage it.
    own: int  # Ana's own reflection, with Luis's encouragement on it.
    encouragement: int
    cohort_invite: int
    cohort_token: str
    family_invite: int
    family_token: str
    reset_token: str
    module: str
    section: str
    prompts: list[str]
    questions: dict[str, list[str]]
    modules: list[str]
    emails: dict[str, str] = field(default_factory=dict)


def empty(app) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


def build_world(app) -> World:
    """Empty the database and make the world afresh."""
    empty(app)
    with app.app_context():
        catalog = current_catalog().published
        module, section = next(
            (m, s) for m in catalog if m.questions for s in m.sections if s.prompts
        )
        now = utcnow()

        def person(email, name, role=Role.MEMBER):
            return User(email=email, display_name=name, role=role,
                        password_hash=password_hash(), email_confirmed_at=now)

        admin = person("ada@centre.example", "Ada", Role.ADMIN)
        dana = person("dana@centre.example", "Dana", Role.FACILITATOR)
        cohort = Cohort(name="Tuesday group", start_date=date(2026, 3, 3), meeting_day=1)
        cohort.facilitators.append(CohortFacilitator(user=dana, is_owner=True))
        family = Family(name="The Riveras", cohort=cohort)
        ana = person("ana@example.org", "Ana")
        ana.membership = FamilyMembership(
            family=family, relationship_to_loved_one=Relationship.PARENT
        )
        luis = person("luis@example.org", "Luis")
        luis.membership = FamilyMembership(
            family=family, relationship_to_loved_one=Relationship.SIBLING
        )
        db.session.add_all([admin, dana, cohort, ana, luis])
        db.session.flush()
        prompt = section.prompts[0].id
        shared = Reflection(user_id=luis.id, module_slug=module.slug, prompt_id=prompt,
                            body="A walk after dinner.", visibility=Visibility.FAMILY)
        own = Reflection(user_id=ana.id, module_slug=module.slug, prompt_id=prompt,
                         body="I listened more.", visibility=Visibility.FAMILY)
        db.session.add_all([shared, own])
        db.session.flush()
        kind = Encouragement(reflection_id=own.id, author_id=luis.id, body="Well done.")
        db.session.add(kind)
        cohort_invite, cohort_token = invitations.create_invite(created_by=dana, cohort=cohort)
        family_invite, family_token = invitations.create_invite(
            created_by=ana, family=family, max_uses=1
        )
        world = World(
            admin=admin.id, dana=dana.id, ana=ana.id, luis=luis.id, cohort=cohort.id,
            shared=shared.id, own=own.id, encouragement=kind.id,
            cohort_invite=cohort_invite.id, cohort_token=cohort_token,
            family_invite=family_invite.id, family_token=family_token,
            reset_token=tokens.make_reset_token(ana),
            module=module.slug, section=section.id, prompts=[p.id for p in section.prompts],
            questions={q.id: [o.id for o in q.options] for q in module.questions},
            modules=[m.slug for m in catalog],
            emails={"ana": ana.email, "dana": dana.email, "admin": admin.email},
        )
        db.session.commit()
        return world


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with app.app_context():
        return {
            table.name: sorted((tuple(row) for row in db.session.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables
        }


def text_limit(column) -> int | None:
    """The longest text a column may hold, from its type or from a CHECK on its length."""
    if column.type.length is not None:
        return column.type.length
    for constraint in column.table.constraints:
        sql = str(getattr(constraint, "sqltext", ""))
        found = re.fullmatch(rf"length\({column.name}\) <= (\d+)", sql)
        if found:
            return int(found.group(1))
    return None


def assert_stored_text_is_clean(app) -> None:
    """No stored text holds control characters (line breaks aside) or runs past its limit."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String)]
            for row in db.session.execute(select(*columns)) if columns else ():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    where = (table.name, column.name)
                    assert len(value) <= text_limit(column), f"{where} holds {len(value)} chars"
                    control = CONTROL_IN_MULTILINE if where in MULTILINE_COLUMNS else CONTROL
                    assert not control.search(value), f"{where} holds {value!r}"


class Site:
    """The app with the world in it, rebuilt after any form that changed it; and a logged-in
    test client for each person, made once per world."""

    def __init__(self, app):
        self.app = app
        self.world: World | None = None
        self.stored: dict | None = None
        self.clients: dict = {}

    def fresh(self) -> World:
        """The world, built again if the last form changed it; no login or mail limits hit."""
        limiter.reset()
        if self.world is None:
            self.world = build_world(self.app)
            self.stored = snapshot(self.app)
            self.clients = {}
        return self.world

    def client(self, who: str | None):
        """A visitor's new client, or the logged-in client of "ana", "dana" or "admin"."""
        if who is None:
            return self.app.test_client()
        if who not in self.clients:
            client = self.app.test_client()
            response = client.post(
                "/login", data={"email": self.world.emails[who], "password": PASSWORD}
            )
            assert response.status_code == 302, response.text
            limiter.reset()
            self.stored = snapshot(self.app)  # With the login's own row.
            self.clients[who] = client
        return self.clients[who]

    def send(self, form: Form, data: dict):
        """Post a form; check it answered without a 500, and stored all of it or nothing."""
        world = self.fresh()
        client = self.client(form.who)
        before = self.stored
        response = client.post(form.url(world), data=data)
        after = snapshot(self.app)
        if after != before or response.status_code >= 500:
            self.world = None  # The next example starts from the world as it was.
        assert response.status_code < 500, response.text
        if response.status_code >= 400 or 'class="field-error"' in response.text:
            assert after == before, f"a refused form changed rows ({response.status_code})"
        if after != before:
            assert_stored_text_is_clean(self.app)
        return response


@pytest.fixture
def site(app, monkeypatch):
    """The site as people meet it: an error in a view is a 500 page (logged), not an exception."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    return Site(app)


# The forms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """A form of the site: who sends it, where, and a good value or two for each field."""

    name: str
    who: str | None
    url: Callable[[World], str]
    fields: Callable[[World], dict[str, Sequence[str]]]
    free_text: Callable[[World], Sequence[str]] | None = None  # the fields people write in

    def __str__(self) -> str:
        return self.name


RELATIONSHIPS = ["parent", "partner", "other"]
SIGN_UP = {
    "display_name": ["Sam"], "email": ["sam@example.org", "ana@example.org"],
    "password": ["a long enough password"], "relationship": RELATIONSHIPS,
    "loved_one_nickname": ["Jo", ""], "family_name": ["The Garcias", ""],
}
SIGN_UP_TEXT = ("display_name", "loved_one_nickname", "family_name")
COHORT = {
    "name": ["Thursday evening group"], "start_date": ["2026-12-03", ""],
    "meeting_day": ["3", ""], "stuck_after_days": ["10"],
}


def reflection_fields(action: str):
    def fields(world: World):
        found = {"action": [action]}
        for prompt in world.prompts:
            found[f"reflection-{prompt}"] = ["A walk after dinner.", "Line one\r\nLine two", ""]
            found[f"visibility-{prompt}"] = ["private", "family", "facilitator"]
        return found

    return fields


def section_url(world: World) -> str:
    return f"/modules/{world.module}/{world.section}"


def cohort_url(tail: str) -> Callable[[World], str]:
    return lambda world: f"/facilitate/cohorts/{world.cohort}{tail}"


FORMS = [
    # A member
    Form("reflections, Save", "ana", section_url, reflection_fields("save"),
         lambda world: [f"reflection-{prompt}" for prompt in world.prompts]),
    Form("reflections, Next", "ana", section_url, reflection_fields("next"),
         lambda world: [f"reflection-{prompt}" for prompt in world.prompts]),
    Form("quiz", "ana", lambda world: f"/modules/{world.module}/quiz",
         lambda world: {f"q-{question}": options for question, options in world.questions.items()}
         | {"submission_key": ["1f0e2d3c4b5a69788796a5b4c3d2e1f0", "k1"]}),
    Form("family invite", "ana", lambda world: "/family/invites", lambda world: {"extra": ["1"]}),
    Form("encouragement", "ana", lambda world: f"/reflections/{world.shared}/encouragements",
         lambda world: {f"r{world.shared}-body": ["You are doing so well."]},
         lambda world: [f"r{world.shared}-body"]),
    Form("account settings, hide progress", "ana", lambda world: "/account",
         lambda world: {"display_name": ["Ana M."], "relationship": RELATIONSHIPS,
                        "loved_one_nickname": ["Jo", ""], "is_progress_hidden": ["y", ""]},
         lambda world: ["display_name", "loved_one_nickname"]),
    Form("delete account", "ana", lambda world: "/account/delete",
         lambda world: {"password": [PASSWORD, "not my password"]}),
    Form("change password", "ana", lambda world: "/account/password",
         lambda world: {"current_password": [PASSWORD], "password": ["a new long password"]}),
    # A facilitator
    Form("new group", "dana", lambda world: "/facilitate/cohorts/new", lambda world: COHORT,
         lambda world: ["name"]),
    Form("group settings", "dana", cohort_url("/edit"), lambda world: COHORT,
         lambda world: ["name"]),
    Form("schedule", "dana", cohort_url("/schedule"),
         lambda world: {"mode": ["open", "weekly", "dates"]}
         | {f"opens-{slug}": ["2026-09-01", ""] for slug in world.modules}),
    Form("group invites", "dana", cohort_url("/invites"),
         lambda world: {"days": ["14"], "max_uses": ["12", ""]}),
    Form("co-facilitators", "dana", cohort_url("/facilitators"),
         lambda world: {"email": ["ada@centre.example", "nobody@example.org"]}),
    # An admin
    Form("new account", "admin", lambda world: "/admin/users",
         lambda world: {"display_name": ["Robin"], "email": ["robin@centre.example"],
                        "role": ["facilitator", "member"], "password": ["a long enough password"]},
         lambda world: ["display_name"]),
    Form("role", "admin", lambda world: f"/admin/users/{world.ana}/role",
         lambda world: {f"u{world.ana}-role": ["member", "author"]}),
    # Anyone
    Form("sign up", None, lambda world: "/register", lambda world: SIGN_UP,
         lambda world: SIGN_UP_TEXT),
    Form("join a group", None, lambda world: f"/join/{world.cohort_token}",
         lambda world: SIGN_UP, lambda world: SIGN_UP_TEXT),
    Form("join a family", None, lambda world: f"/join/{world.family_token}",
         lambda world: {k: v for k, v in SIGN_UP.items() if k != "family_name"},
         lambda world: SIGN_UP_TEXT[:2]),
    Form("log in", None, lambda world: "/login",
         lambda world: {"email": ["ana@example.org"], "password": [PASSWORD, "wrong password"],
                        "remember": ["y", ""]}),
    Form("forgot password", None, lambda world: "/forgot-password",
         lambda world: {"email": ["ana@example.org", "nobody@example.org"]}),
    Form("reset password", None, lambda world: f"/reset-password/{world.reset_token}",
         lambda world: {"password": ["a new long password"]}),
]

# Values a person, a broken browser or an attacker might send.
ODD_VALUES = [
    "", " ", "   ", "\t", "\r\n", "\x00", "a\x00b", "\x1b[31m", "\x7f", "\x85", "\u200b",
    "\u202e", "💬", "é", "ß", "İ", "0", "-1", "1.5", "1e309", "NaN", "٣", "2147483647",
    "2147483648", "9223372036854775808", "9" * 40, "9999-12-31", "0001-01-01", "2026-02-30",
    "31/12/2026", "null", "<script>alert(1)</script>", "' OR 1=1 --", "%00",
]
LENGTHS = [39, 40, 41, 79, 80, 81, 119, 120, 121, 254, 255, 280, 281, 500, 501, 4999, 5000,
           5001, 20_000]
ODD = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.builds(lambda text, n: text * n, st.sampled_from(["x", "é", "💬", " ", "\x00", "9"]),
              st.sampled_from(LENGTHS)),
    st.text(max_size=60),
    st.text(st.characters(categories=["Cc"]), min_size=1, max_size=4),
)


def odd_field(good: Sequence[str]) -> st.SearchStrategy[list[str]]:
    """An odd value, the field repeated, or the field left out."""
    return st.one_of(
        ODD.map(lambda value: [value]),
        st.lists(st.one_of(ODD, st.sampled_from(good)), min_size=2, max_size=3),
        st.just([]),
    )


@st.composite
def form_data(draw, fields: dict[str, Sequence[str]]) -> dict[str, list[str]]:
    """Good values in most fields, and odd ones in a few, so that odd input reaches deep."""
    odd = draw(st.sets(st.sampled_from(sorted(fields)), max_size=3))
    data = {
        name: draw(odd_field(good)) if name in odd else [draw(st.sampled_from(good))]
        for name, good in fields.items()
    }
    return {name: values for name, values in data.items() if values}


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_every_form_answers_odd_input_without_a_500_and_stores_all_or_nothing(site, form):

    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def send_odd_forms(data):
        world = site.fresh()
        site.send(form, data.draw(form_data(form.fields(world)), label="form"))

    send_odd_forms()


# Cases fuzzing found -------------------------------------------------------------------------


def page_text(response) -> str:
    return html.unescape(response.text)


def error_beside(response, field_id: str) -> str:
    """The message shown beside a field, or "" when there is none."""
    found = re.search(rf'id="{re.escape(field_id)}-error" class="field-error">(.*?)</small>',
                      response.text, re.DOTALL)
    return html.unescape(found.group(1)) if found else ""


def good_data(form: Form, world: World) -> dict[str, str]:
    return {name: values[0] for name, values in form.fields(world).items()}


FORMS_BY_NAME = {form.name: form for form in FORMS}
# No row has these: 0, the largest INTEGER, and numbers past what an INTEGER (or SQLite's 64
# bits) holds.
MISSING_IDS = [0, 2**31 - 1, 2**31, 2**63, 2**64]


@pytest.mark.parametrize("number", MISSING_IDS, ids=lambda n: f"id={n}")
def test_an_id_no_row_has_in_any_url_is_not_found_however_large(app, site, number):
    world = site.fresh()
    real = {"cohort_id": world.cohort, "invite_id": world.cohort_invite, "user_id": world.ana,
            "reflection_id": world.own, "encouragement_id": world.encouragement, "number": 1,
            "slug": world.module, "section_id": world.section, "token": world.cohort_token}
    answers = {}
    for rule in app.url_map.iter_rules():
        numbers = re.findall(r"<int(?:\([^)]*\))?:(\w+)>", rule.rule)
        for name in numbers:
            url = rule.rule
            for argument in rule.arguments:
                value = number if argument == name else real[argument]
                url = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{argument}>", str(value), url)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for who in ("ana", "admin"):
                    response = site.client(who).open(url, method=method)
                    answers[f"{method} {url} as {who}"] = response.status_code
    assert len({key.split(" as ")[0] for key in answers}) >= 20, "routes with ids went missing"
    assert {key: code for key, code in answers.items() if code != 404} == {}


@pytest.mark.parametrize("form", [form for form in FORMS if form.free_text], ids=str)
def test_a_nul_byte_in_free_text_is_refused_with_a_message_and_the_text_kept(site, form):
    world = site.fresh()
    assert form.free_text(world)
    for name in form.free_text(world):
        world = site.fresh()
        data = good_data(form, world) | {name: "Before\x00after"}
        response = site.send(form, data)
        assert 400 <= response.status_code < 500, (name, response.status_code)
        assert CONTROL_CHARACTERS_MESSAGE in error_beside(response, name), name
        assert "Beforeafter" in page_text(response), name


def test_a_form_over_the_request_limit_is_refused_with_413(app, site):
    world = site.fresh()
    huge = "x" * 20_000_000
    sign_up = good_data(FORMS_BY_NAME["sign up"], world)
    # Written out, so the test client doesn't spool it to a temporary file.
    multipart = (
        '--cut\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        f"{huge}\r\n--cut--\r\n"
    ).encode()
    visitor = site.client(None)
    answers = [
        visitor.post("/register", data=sign_up | {"display_name": huge}),
        visitor.post("/register", data=multipart, content_type="multipart/form-data; boundary=cut"),
        visitor.post("/login", data={"email": "ana@example.org", "password": huge}),
        site.client("dana").post("/facilitate/cohorts/new", data=COHORT | {"name": huge}),
    ]
    assert [response.status_code for response in answers] == [413] * 4
    assert "too much" in page_text(answers[0])
    assert snapshot(app) == site.stored
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


def test_a_form_under_the_request_limit_gets_its_own_message(site):
    world = site.fresh()
    data = good_data(FORMS_BY_NAME["reflections, Save"], world)
    data[f"reflection-{world.prompts[0]}"] = "x" * 1_500_000

    response = site.send(FORMS_BY_NAME["reflections, Save"], data)

    assert response.status_code == 422
    assert "please keep it under 5,000" in error_beside(response, f"reflection-{world.prompts[0]}")


@pytest.mark.parametrize("form", ["new group", "group settings"])
@pytest.mark.parametrize("length", [121, 5000])
def test_a_group_name_over_120_characters_gets_a_message_beside_the_field(site, form, length):
    world = site.fresh()
    spec = FORMS_BY_NAME[form]

    response = site.send(spec, good_data(spec, world) | {"name": "n" * length})

    assert response.status_code == 422
    assert "120 characters" in error_beside(response, "name")
    assert "n" * length in response.text


def test_a_group_name_of_120_characters_is_fine(app, site):
    world = site.fresh()
    spec = FORMS_BY_NAME["group settings"]

    response = site.send(spec, good_data(spec, world) | {"name": "n" * 120})

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, world.cohort).name == "n" * 120


@pytest.mark.parametrize("form, name", [
    ("new group", "stuck_after_days"), ("group settings", "stuck_after_days"),
    ("group invites", "days"), ("group invites", "max_uses"),
])
def test_a_number_too_large_for_a_float_gets_the_range_message(site, form, name):
    world = site.fresh()
    spec = FORMS_BY_NAME[form]

    response = site.send(spec, good_data(spec, world) | {name: "9" * 400})

    assert response.status_code == 422
    assert "Choose between 1 and" in error_beside(response, name)


@pytest.mark.parametrize("form", ["new group", "group settings"])
@pytest.mark.parametrize("day", [" ", "   ", "7", "-1", "Monday"])
def test_a_meeting_day_not_in_the_list_is_a_form_error(site, form, day):
    world = site.fresh()
    spec = FORMS_BY_NAME[form]

    response = site.send(spec, good_data(spec, world) | {"meeting_day": day})

    assert response.status_code == 422
    assert "Choose a meeting day" in error_beside(response, "meeting_day")


@pytest.mark.parametrize("form", ["new group", "group settings"])
@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "2101-01-01", "0001-01-01"])
def test_a_first_meeting_out_of_range_is_a_form_error_and_the_schedule_keeps_working(
    site, form, day
):
    world = site.fresh()
    spec = FORMS_BY_NAME[form]

    response = site.send(spec, good_data(spec, world) | {"start_date": day})

    assert response.status_code == 422
    assert "between 2000 and 2100" in error_beside(response, "start_date")
    schedule = site.client("dana").get(f"/facilitate/cohorts/{world.cohort}/schedule")
    assert schedule.status_code == 200


@pytest.mark.parametrize("day", ["2000-01-01", "2100-12-31"])
def test_a_first_meeting_at_either_end_of_the_range_is_fine(site, day):
    world = site.fresh()
    spec = FORMS_BY_NAME["group settings"]
    client = site.client("dana")

    response = site.send(spec, good_data(spec, world) | {"start_date": day})
    weekly = client.post(f"/facilitate/cohorts/{world.cohort}/schedule", data={"mode": "weekly"})

    assert response.status_code == 302
    assert weekly.status_code == 302
    assert client.get(f"/facilitate/cohorts/{world.cohort}/schedule").status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "0001-01-01"])
def test_a_module_opening_date_out_of_range_is_a_form_error(site, day):
    world = site.fresh()
    spec = FORMS_BY_NAME["schedule"]
    slug = world.modules[1]

    response = site.send(spec, {"mode": "dates", f"opens-{slug}": day})

    assert response.status_code == 422
    assert "between 2000 and 2100" in error_beside(response, f"opens-{slug}")
    assert day in response.text


def test_a_first_meeting_stored_before_the_limits_does_not_break_the_schedule(app, site):
    world = site.fresh()
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort)
        cohort.start_date = date(9999, 12, 31)
        cohort.schedule = [ModuleSchedule(module_slug=world.modules[0], opens_on=date(2026, 1, 1))]
        db.session.commit()
    client = site.client("dana")

    page = client.get(f"/facilitate/cohorts/{world.cohort}/schedule")
    weekly = client.post(f"/facilitate/cohorts/{world.cohort}/schedule", data={"mode": "weekly"})

    assert page.status_code == 200
    assert weekly.status_code == 422
    assert "between 2000 and 2100" in page_text(weekly)


# The schema keeps the limits too -------------------------------------------------------------


def test_every_text_column_has_a_limit_in_the_schema():
    unlimited = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables for column in table.columns
        if isinstance(column.type, String) and text_limit(column) is None
    ]
    assert unlimited == []


def test_the_database_refuses_a_reflection_over_the_limit(app, site):
    world = site.fresh()
    longest = progress.MAX_REFLECTION_LENGTH
    row = {"user_id": world.ana, "module_slug": world.module, "visibility": "private",
           "created_at": utcnow(), "updated_at": utcnow()}
    with app.app_context():
        db.session.execute(
            insert(Reflection).values(row | {"prompt_id": "a", "body": "é" * longest})
        )
        with pytest.raises(IntegrityError):
            db.session.execute(
                insert(Reflection).values(row | {"prompt_id": "b", "body": "x" * (longest + 1)})
            )
        db.session.rollback()


def test_the_length_limits_migration_keeps_every_row(app, site):
    world = site.fresh()
    with app.app_context():
        downgrade(revision="8ebec429eb80")
        upgrade()
        counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (User, Reflection, Encouragement, FamilyMembership)}
        assert db.session.get(Encouragement, world.encouragement).body == "Well done."
    assert counts == {"users": 4, "reflections": 2, "encouragements": 1, "family_memberships": 2}
