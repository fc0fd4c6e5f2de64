"""Who sees what, the whole matrix: every role against every kind of member data, by GET and
by POST, with the refusals. One small world is built once for the module; a POST that changes
it is undone after its test.

The world: Faye runs the Tuesday group with Cole and with Adele, an admin; Olu runs the Thursday
group. In the Tuesday group, Rosa (who hides her progress from her family) and Tom are one
family, May another; Omar is in the Thursday group. Ida writes modules; Ada is an admin who runs
no group. Rosa wrote a private reflection, one for her family and one for her family and
facilitator; Tom encouraged her; she got a quiz wrong. A module is held back for the Tuesday
group, and a draft module waits for its author.
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from helpers import PASSWORD, SHIPPED_MODULES, guide_example, write_module
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from config import TestConfig
from course import accounts, create_app, invitations, progress, sharing
from course.content.ext import current_catalog
from course.extensions import db, limiter
from course.models import (
    Cohort,
    CohortFacilitator,
    Encouragement,
    ModuleSchedule,
    QuizAttempt,
    Reflection,
    Relationship,
    Role,
    User,
    Visibility,
    utcnow,
)

ROLES = ["anonymous", "member", "family", "same_cohort", "other_cohort", "facilitator",
         "co_facilitator", "other_facilitator", "author", "admin", "admin_facilitator"]
WHO = {"member": "rosa", "family": "tom", "same_cohort": "may", "other_cohort": "omar",
       "facilitator": "faye", "co_facilitator": "cole", "other_facilitator": "olu",
       "author": "ida", "admin": "ada", "admin_facilitator": "adele"}

PRIVATE = "Private: some days I want to give up."
FAMILY = "Family: no more lending money."
SHARED = "Facilitator: we keep naloxone in the kitchen drawer."
ELSEWHERE = "Thursday: my brother moved back in."
ENCOURAGEMENT = "Encouragement: proud of you."
HELD_BACK = "caring-for-yourself"
WRONG_QUIZ = "boundaries"
# The tables a POST may change; each is put back as it was after the test.
RESTORED = ["cohorts", "cohort_facilitators", "module_schedules", "invites", "reflections",
            "encouragements"]


@dataclass
class World:
    app: object
    ids: dict[str, int] = field(default_factory=dict)
    clients: dict[str, object] = field(default_factory=dict)
    modules: int = 0
    sections: dict[str, str] = field(default_factory=dict)  # prompt id -> its section's id
    held_back_title: str = ""
    baseline: dict = field(default_factory=dict)


def fast_password(user: User, password: str) -> None:
    """A cheap hash, so the world builds and logs in quickly (these accounts are throwaway)."""
    user.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1000")


def build(world: World) -> None:
    catalog = current_catalog()
    today = utcnow().date()

    def staff(name, role):
        user = User(email=f"{name}@centre.example", display_name=name.title(), role=role,
                    email_confirmed_at=utcnow())
        fast_password(user, PASSWORD)
        db.session.add(user)
        db.session.flush()
        return user

    def member(name, family=None, cohort=None):
        user = accounts.create_member(accounts.Profile(
            email=f"{name}@example.org", password=PASSWORD, display_name=name.title(),
            relationship=Relationship.PARENT), family=family, cohort=cohort)
        user.email_confirmed_at = utcnow()
        return user

    def complete(user, slug):
        module = catalog.get(slug)
        for section in module.sections:
            progress.record_section_read(user, module, section)
        answers = {q.id: sorted(q.correct_ids) for q in module.questions}
        progress.submit_quiz(user, module, answers, f"{user.id}-{slug}")

    def reflect(user, slug, prompt, body, visibility):
        reflection = Reflection(user_id=user.id, module_slug=slug, prompt_id=prompt, body=body,
                                visibility=visibility)
        db.session.add(reflection)
        db.session.flush()
        return reflection

    faye, cole, olu = (staff(n, Role.FACILITATOR) for n in ("faye", "cole", "olu"))
    ida = staff("ida", Role.AUTHOR)
    ada, adele = staff("ada", Role.ADMIN), staff("adele", Role.ADMIN)
    tuesday, thursday = Cohort(name="Tuesday group"), Cohort(name="Thursday group")
    db.session.add_all([tuesday, thursday])
    sharing.add_facilitator(tuesday, faye, is_owner=True)
    sharing.add_facilitator(tuesday, cole)
    sharing.add_facilitator(tuesday, adele)
    sharing.add_facilitator(thursday, olu, is_owner=True)
    db.session.add(ModuleSchedule(cohort=tuesday, module_slug=HELD_BACK,
                                  opens_on=today + timedelta(days=30)))
    rosa = member("rosa", cohort=tuesday)
    tom = member("tom", family=rosa.membership.family)
    may = member("may", cohort=tuesday)
    omar = member("omar", cohort=thursday)
    rosa.membership.is_progress_hidden = True
    db.session.flush()

    complete(rosa, "start-here")
    complete(rosa, "what-addiction-is")
    complete(tom, "start-here")
    for someone in (may, omar):
        module = catalog.get("what-addiction-is")
        progress.submit_quiz(someone, module, {}, f"{someone.id}-quiz")
    quiz = catalog.get(WRONG_QUIZ)
    wrong = {q.id: [next(o.id for o in q.options if not o.is_correct)] for q in quiz.questions}
    progress.submit_quiz(rosa, quiz, wrong, "rosa-wrong")

    start = catalog.get("start-here")
    prompts = [p.id for p in start.prompts]
    private = reflect(rosa, "start-here", prompts[0], PRIVATE, Visibility.PRIVATE)
    family = reflect(rosa, "start-here", prompts[1], FAMILY, Visibility.FAMILY)
    shared = reflect(rosa, "start-here", prompts[2], SHARED, Visibility.FACILITATOR)
    elsewhere = reflect(omar, "start-here", prompts[2], ELSEWHERE, Visibility.FACILITATOR)
    encouragement = Encouragement(reflection_id=family.id, author_id=tom.id, body=ENCOURAGEMENT)
    db.session.add(encouragement)
    family_invite, _ = invitations.create_invite(created_by=rosa, family=rosa.membership.family,
                                              max_uses=1)
    cohort_invite, _ = invitations.create_invite(created_by=faye, cohort=tuesday)
    db.session.commit()

    world.ids = {
        "tuesday": tuesday.id, "thursday": thursday.id, "private": private.id,
        "family": family.id, "shared": shared.id, "elsewhere": elsewhere.id,
        "encouragement": encouragement.id, "family_invite": family_invite.id,
        "cohort_invite": cohort_invite.id,
        **{name: user.id for name, user in [
            ("rosa", rosa), ("tom", tom), ("may", may), ("omar", omar), ("faye", faye),
            ("cole", cole), ("olu", olu), ("ida", ida), ("ada", ada), ("adele", adele)]},
    }
    world.modules = len(catalog.published)
    world.sections = {p: start.section_with_prompt(p).id for p in prompts}
    world.held_back_title = catalog.get(HELD_BACK).title


def snapshot() -> dict[str, dict]:
    """The rows of the tables a POST may change, by primary key."""
    tables = {table.name: table for table in db.metadata.sorted_tables}
    rows = {}
    for name in RESTORED:
        table = tables[name]
        key = [column.name for column in table.primary_key.columns]
        rows[name] = {
            tuple(row[k] for k in key): dict(row)
            for row in db.session.execute(select(table)).mappings()
        }
    return rows


def restore(baseline: dict[str, dict]) -> None:
    """Put the tables back as they were: delete what was added, bring back what went."""
    tables = {table.name: table for table in db.metadata.sorted_tables}
    ordered = [t for t in db.metadata.sorted_tables if t.name in RESTORED]
    now = snapshot()
    for table in reversed(ordered):
        key = [column.name for column in table.primary_key.columns]
        for pk in now[table.name].keys() - baseline[table.name].keys():
            db.session.execute(table.delete().where(
                *(table.c[k] == v for k, v in zip(key, pk, strict=True))))
    for table in ordered:
        key = [column.name for column in table.primary_key.columns]
        current = snapshot()[table.name]
        for pk, row in baseline[table.name].items():
            if pk not in current:
                db.session.execute(tables[table.name].insert().values(**row))
            elif current[pk] != row:
                db.session.execute(table.update().where(
                    *(table.c[k] == v for k, v in zip(key, pk, strict=True))).values(**row))
    db.session.commit()


@pytest.fixture(scope="module")
def world(session_app, database_uri, tmp_path_factory):
    """The world, built once, with a logged-in client for each role."""
    folder = tmp_path_factory.mktemp("modules")
    for path in SHIPPED_MODULES.glob("*.md"):
        shutil.copy(path, folder)
    write_module(folder, "14-later.md", guide_example().replace(
        "order: 13", "order: 14\ndraft: true").replace("Noticing your own stress", "Work ahead"))
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_uri,
                                  "COURSE_CONTENT_DIR": str(folder)})
    made = World(app)
    limiter.reset()
    with app.app_context():
        build(made)
        made.baseline = snapshot()
    made.clients["anonymous"] = app.test_client()
    for role, name in WHO.items():
        client = app.test_client()
        response = client.post("/login", data={"email": f"{name}@" + (
            "example.org" if name in ("rosa", "tom", "may", "omar") else "centre.example"),
            "password": PASSWORD})
        assert response.status_code == 302, (role, response.status_code)
        made.clients[role] = client
    yield made
    limiter.reset()
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


# The matrix ----------------------------------------------------------------------------------
# Each row: a kind of data, a request, the words that show it, and what each role gets, in the
# order of ROLES:
#   ok    200 and the words are on the page      no   200, but the words are not there
#   done  the POST did its work                   login  sent to log in
#   404   as if nothing were there                403  there, but not open yet


@dataclass(frozen=True)
class Row:
    data: str
    method: str
    url: str
    shows: str
    expected: str
    form: dict = field(default_factory=dict)

    def outcome_for(self, role: str) -> str:
        outcomes = self.expected.split()
        assert len(outcomes) == len(ROLES), self
        return outcomes[ROLES.index(role)]


A = "/facilitate/cohorts/{tuesday}"
ANON = "login"
#                 anon  mem  fam  coh  oth  fac  cof  ofa  aut  adm  a+f
FAMILY_PAGE = f"{ANON}  ok   ok   no   no   404  404  404  404  404  404"
FACILITATORS = f"{ANON} 404  404  404  404  ok   ok   404  404  404  ok"
FACILITATORS_DO = f"{ANON} 404 404 404  404  done done 404  404  404  done"
FACILITATORS_NOT = f"{ANON} 404 404 404 404  no   no   404  404  404  no"
ADMINS = f"{ANON}       404  404  404  404  404  404  404  404  ok   ok"
ONLY_ROSA = f"{ANON}    ok   404  404  404  404  404  404  404  404  404"

MATRIX = [
    # Progress: Tom's shows to his family; Rosa hides hers from them, not from her facilitators.
    Row("progress", "GET", "/family", "{tom_done} of {modules} modules completed", FAMILY_PAGE),
    Row("progress", "GET", A, ">Tom</a>", FACILITATORS),
    Row("progress", "GET", A + "/members/{tom}", "<h1>Tom</h1>", FACILITATORS),
    Row("hidden progress", "GET", "/family", "{rosa_done} of {modules} modules completed",
        f"{ANON} ok no no no 404 404 404 404 404 404"),
    Row("hidden progress", "GET", A + "/members/{rosa}", "<h1>Rosa</h1>", FACILITATORS),
    # A private reflection: its author only, wherever one looks.
    Row("private reflection", "GET", "/modules/start-here/{private_section}", PRIVATE,
        f"{ANON} ok no no no no no no no no no"),
    Row("private reflection", "GET", "/reflections/{private}/delete", PRIVATE, ONLY_ROSA),
    Row("private reflection", "POST", "/reflections/{private}/delete", "",
        f"{ANON} done 404 404 404 404 404 404 404 404 404"),
    Row("private reflection", "POST", "/reflections/{private}/encouragements", "",
        f"{ANON} 404 404 404 404 404 404 404 404 404 404", {"r{private}-body": "Kind words"}),
    Row("private reflection", "GET", "/family", PRIVATE,
        f"{ANON} no no no no 404 404 404 404 404 404"),
    Row("private reflection", "GET", A + "/reflections", PRIVATE, FACILITATORS_NOT),
    Row("private reflection", "GET", A + "/members/{rosa}", PRIVATE, FACILITATORS_NOT),
    # Shared with the family: the family reads it; only Rosa may delete it.
    Row("family reflection", "GET", "/family", FAMILY, FAMILY_PAGE),
    Row("family reflection", "GET", "/reflections/{family}/delete", FAMILY, ONLY_ROSA),
    Row("family reflection", "POST", "/reflections/{family}/delete", "",
        f"{ANON} done 404 404 404 404 404 404 404 404 404"),
    Row("family reflection", "GET", A + "/reflections", FAMILY, FACILITATORS_NOT),
    Row("family reflection", "GET", A + "/members/{rosa}", FAMILY, FACILITATORS_NOT),
    # Shared with the family and the facilitators of her group: not with an admin who runs none.
    Row("facilitator reflection", "GET", "/family", SHARED, FAMILY_PAGE),
    Row("facilitator reflection", "GET", A + "/reflections", SHARED, FACILITATORS),
    Row("facilitator reflection", "GET", A + "/members/{rosa}", SHARED, FACILITATORS),
    Row("facilitator reflection", "GET", "/reflections/{shared}/delete", SHARED, ONLY_ROSA),
    Row("facilitator reflection", "POST", "/reflections/{shared}/delete", "",
        f"{ANON} done 404 404 404 404 404 404 404 404 404"),
    # Encouragements: family members other than the author leave them; writer or author remove.
    Row("encouragement", "GET", "/family", ENCOURAGEMENT, FAMILY_PAGE),
    Row("encouragement", "POST", "/reflections/{family}/encouragements", "",
        f"{ANON} 404 done 404 404 404 404 404 404 404 404", {"r{family}-body": "Kind words"}),
    Row("encouragement", "POST", "/reflections/{shared}/encouragements", "",
        f"{ANON} 404 done 404 404 404 404 404 404 404 404", {"r{shared}-body": "Kind words"}),
    Row("encouragement", "POST", "/encouragements/{encouragement}/delete", "",
        f"{ANON} done done 404 404 404 404 404 404 404 404"),
    # Quiz attempts and answers: the member's own result page; her group's facilitators.
    Row("attempt", "GET", f"/modules/{WRONG_QUIZ}/quiz/1", "You got <strong>0 of",
        ONLY_ROSA),
    Row("answers", "GET", A + "/members/{rosa}", "</svg> Not quite", FACILITATORS),
    Row("answers", "GET", A + f"/questions?module={WRONG_QUIZ}", "0% <span class=\"meta\">of 1",
        FACILITATORS),
    # Downloads.
    Row("export", "GET", A + "/progress.csv", "Rosa", FACILITATORS),
    Row("export", "GET", A + "/questions.csv", WRONG_QUIZ, FACILITATORS),
    Row("export", "GET", "/account/data.json", PRIVATE, f"{ANON} ok no no no no no no no no no"),
    Row("export", "GET", "/admin/audit.csv", "when_utc", ADMINS),
    Row("audit log", "GET", "/admin/audit", "<h1>Audit log</h1>", ADMINS),
    # Invites: the family's own; the group's, to its facilitators.
    Row("invites", "GET", "/family", "Links not used yet", FAMILY_PAGE),
    Row("invites", "POST", "/family/invites/{family_invite}/revoke", "",
        f"{ANON} done done 404 404 404 404 404 404 404 404"),
    Row("invites", "GET", A + "/invites", "Make an invite link", FACILITATORS),
    Row("invites", "POST", A + "/invites", "", FACILITATORS_DO,
        {"days": "7", "max_uses": "3"}),
    Row("invites", "POST", A + "/invites/{cohort_invite}/revoke", "", FACILITATORS_DO),
    # The group: its families, its list, its settings and co-facilitators.
    Row("roster", "GET", A + "/roster", "Rosa", FACILITATORS),
    Row("roster", "GET", "/facilitate", "Tuesday group",
        f"{ANON} 404 404 404 404 ok ok no 404 no ok"),
    Row("roster", "GET", A + "/edit", "Tuesday group", FACILITATORS),
    Row("roster", "POST", A + "/archive", "", FACILITATORS_DO),
    Row("roster", "POST", A + "/facilitators", "", FACILITATORS_DO,
        {"email": "olu@centre.example"}),
    # The schedule: its facilitators set it; it holds a module back from the group's members.
    Row("schedule", "GET", A + "/schedule", "Save the schedule", FACILITATORS),
    Row("schedule", "POST", A + "/schedule", "", FACILITATORS_DO,
        {"mode": "dates", f"opens-{HELD_BACK}": "{held_back_day}",
         "opens-return-to-use": "2031-01-01"}),
    Row("schedule", "GET", f"/modules/{HELD_BACK}", "{held_back_title}",
        f"{ANON} 403 403 403 ok ok ok ok ok ok ok"),
    # Drafts: their authors and admins preview them; to anyone else they don't exist.
    Row("draft", "GET", "/modules/later", "Draft preview.",
        f"{ANON} 404 404 404 404 404 404 404 ok ok ok"),
    Row("draft", "GET", "/modules/later/quiz", "Draft preview.",
        f"{ANON} 404 404 404 404 404 404 404 ok ok ok"),
]


def values(world: World) -> dict[str, object]:
    """What the rows' URLs, forms and words are filled in with."""
    return {
        **world.ids, "modules": world.modules, "tom_done": 1, "rosa_done": 2,
        "private_section": next(iter(world.sections.values())),
        "held_back_title": world.held_back_title,
        "held_back_day": (utcnow().date() + timedelta(days=30)).isoformat(),
    }


CASES = [(row, role) for row in MATRIX for role in ROLES]


@pytest.mark.parametrize(
    "row, role", CASES,
    ids=[f"{row.data}-{row.method} {row.url}-{role}" for row, role in CASES],
)
def test_the_matrix(world, row, role):
    filled = values(world)
    url = row.url.format(**filled)
    form = {key.format(**filled): value.format(**filled) for key, value in row.form.items()}
    expected = row.outcome_for(role)
    client = world.clients[role]
    if row.method == "GET":
        response = client.get(url)
        assert outcome(response, row.shows.format(**filled)) == expected
        return
    with world.app.app_context():
        before = snapshot()
    response = client.post(url, data=form)
    with world.app.app_context():
        changed = snapshot() != before
        if changed:
            restore(world.baseline)
    got = outcome(response, None)
    if got in ("ok", "no"):
        got = "done" if changed else "did nothing"
    else:
        assert not changed, f"refused with {got}, yet the data changed"
    assert got == expected


def outcome(response, shows: str | None) -> str:
    """What the person got: ok, no, login, or the refusal's status code."""
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    assert response.status_code in (200, 201, 302), response.status_code
    if shows is None:
        return "ok"
    body = response.get_data(as_text=True)
    return "ok" if shows in body or html.escape(shows, quote=False) in body else "no"


# The same rules, as yes/no checks and as query filters -----------------------------------------

READERS = {
    "private": {"member"},
    "family": {"member", "family"},
    "shared": {"member", "family", "facilitator", "co_facilitator", "admin_facilitator"},
    "elsewhere": {"other_cohort", "other_facilitator"},
}
ANSWERS_READERS = {
    "rosa": {"member", "facilitator", "co_facilitator", "admin_facilitator"},
    "tom": {"family", "facilitator", "co_facilitator", "admin_facilitator"},
    "may": {"same_cohort", "facilitator", "co_facilitator", "admin_facilitator"},
    "omar": {"other_cohort", "other_facilitator"},
}


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_checks_and_the_query_filters_agree(world, role):
    with world.app.app_context():
        viewer = db.session.get(User, world.ids[WHO[role]])
        reflections = {name: db.session.get(Reflection, world.ids[name]) for name in READERS}
        filtered = set(db.session.scalars(
            select(Reflection.id).where(sharing.reflections_visible_to(viewer))))
        for name, reflection in reflections.items():
            allowed = role in READERS[name]
            assert sharing.can_read_reflection(viewer, reflection) is allowed, name
            assert (reflection.id in filtered) is allowed, name

        answered = set(db.session.scalars(
            select(QuizAttempt.user_id).where(sharing.answers_visible_to(viewer))))
        for name, readers in ANSWERS_READERS.items():
            member = db.session.get(User, world.ids[name])
            allowed = role in readers
            assert sharing.can_read_answers(viewer, member) is allowed, name
            assert (member.id in answered) is allowed, name


def test_an_account_that_no_longer_may_run_groups_stops_seeing_its_group(world):
    with world.app.app_context():
        faye = db.session.get(User, world.ids["faye"])
        shared = db.session.get(Reflection, world.ids["shared"])
        assert sharing.can_read_reflection(faye, shared)
        faye.role = Role.AUTHOR  # Not committed: rolled back below.
        assert not sharing.can_read_reflection(faye, shared)
        assert not sharing.runs(faye, world.ids["tuesday"])
        assert shared.id not in set(db.session.scalars(
            select(Reflection.id).where(sharing.reflections_visible_to(faye))))
        db.session.rollback()


def test_only_members_of_a_group_may_share_with_a_facilitator(world):
    with world.app.app_context():
        rosa, ida = (db.session.get(User, world.ids[n]) for n in ("rosa", "ida"))
        assert sharing.visibility_choices(rosa) == list(Visibility)
        assert sharing.visibility_choices(ida) == [Visibility.PRIVATE, Visibility.FAMILY]
    page = world.clients["author"].get(
        f"/modules/start-here/{next(iter(world.sections.values()))}").text
    assert 'value="family"' in page and 'value="facilitator"' not in page
    assert 'value="facilitator"' in world.clients["member"].get(
        f"/modules/start-here/{next(iter(world.sections.values()))}").text


def test_nobody_runs_a_group_through_a_role_alone(world):
    with world.app.app_context():
        member = db.session.get(User, world.ids["may"])
        cohort = db.session.get(Cohort, world.ids["tuesday"])
        with pytest.raises(ValueError):
            sharing.add_facilitator(cohort, member)
        assert db.session.get(CohortFacilitator, (cohort.id, member.id)) is None
        db.session.rollback()
