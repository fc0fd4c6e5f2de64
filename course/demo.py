"""A demo cohort of fictional families, so a new install has something to show.

`load_demo()` fills an empty database with one facilitator, a group and three families whose
members are at different points of the course, and returns their logins. It records activity
through course.progress, as the app would, then moves each row's timestamps back to the day the
story says, so the facilitator screens show members who are stuck, inactive or doing well.
Like the other services it flushes and never commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, func, not_, select, update

from . import accounts, progress
from .content import Module
from .content.ext import current_catalog
from .extensions import db
from .models import (
    Cohort,
    CohortFacilitator,
    Encouragement,
    Reflection,
    Relationship,
    Role,
    User,
    Visibility,
    utcnow,
)

# The .example top-level domain is reserved (RFC 2606): mail to it can never reach anyone.
# (.invalid is reserved too, but the login form's email check refuses it.)
DEMO_DOMAIN = "demo.familycourse.example"
# Published in the README on purpose; demo accounts stop once a real account exists.
DEMO_PASSWORD = "demo-password-2026"  # nosec B105
COHORT_NAME = "Demo group (sample data)"


class CannotLoadDemo(Exception):
    """The demo can't be loaded here; the message says why."""


class RealAccountsExist(CannotLoadDemo):
    """The database holds accounts that are not the demo's: the demo would mix with them."""


@dataclass(frozen=True)
class Login:
    """A demo account to log in with (every one uses DEMO_PASSWORD)."""

    email: str
    name: str
    role: str
    family: str | None


# A member's story: what they did, how many days ago, and in which module, named by its slug
# (its place in the course can change; its slug does not). Reflections name their prompt's id.


@dataclass(frozen=True)
class Read:
    """Read a module's sections, from the first up to `sections` (all when None)."""

    days_ago: float
    module: str
    sections: int | None = None


@dataclass(frozen=True)
class Quiz:
    """Take a module's quiz, getting `wrong` questions wrong."""

    days_ago: float
    module: str
    wrong: int = 0


@dataclass(frozen=True)
class Reflect:
    """Answer one of a module's reflection prompts."""

    days_ago: float
    module: str
    prompt: str  # the prompt's id
    visibility: Visibility
    text: str


@dataclass(frozen=True)
class Encourage:
    """Leave a kind word on a family member's reflection in a module."""

    days_ago: float
    on: str  # the first name of the reflection's author
    module: str
    text: str


@dataclass(frozen=True)
class Person:
    """A fictional family member: who they are, when they joined, and what they did since."""

    name: str
    relationship: Relationship
    joined_days_ago: int
    story: tuple = ()
    loved_one: str | None = None
    plan: Visibility = Visibility.PRIVATE  # who may read their plan (the My plan page)
    locale: str | None = None  # the language they chose for the site ("es": Spanish)

    @property
    def email(self) -> str:
        return f"{self.name.split()[0].lower()}@{DEMO_DOMAIN}"


FACILITATOR = "Demo facilitator — Dana"
FACILITATOR_EMAIL = f"dana@{DEMO_DOMAIN}"

START, ADDICTION, CHANGE, FAMILY = (
    "start-here", "what-addiction-is", "how-people-change", "the-whole-family"
)

FAMILIES: dict[str, tuple[Person, ...]] = {
    "Demo: the Rivera family": (
        Person("Maria Rivera", Relationship.PARENT, 27, loved_one="Marco", story=(
            Read(26, START), Quiz(26, START, wrong=2), Quiz(25, START),
            Reflect(25, START, "how-this-course-works-reflect", Visibility.FAMILY,
                    "Writing down the crisis numbers made me feel calmer. I put them on the "
                    "fridge so everyone in the house can find them."),
            Reflect(24, START, "when-to-call-whom-reflect", Visibility.FAMILY,
                    "My sister Ana (555-0142). Dana at the centre in office hours. 988 any time "
                    "I can't think straight."),
            Read(18, ADDICTION), Quiz(17, ADDICTION, wrong=1),
            Reflect(17, ADDICTION, "why-just-stop-doesnt-work-reflect", Visibility.FACILITATOR,
                    "I used to think Marco would stop if he cared enough. Now I see how hard it "
                    "is for him. I still get angry, but less often."),
            Read(2, CHANGE, sections=2),
            Reflect(2, CHANGE, "the-stages-of-change-reflect", Visibility.PRIVATE,
                    "Some days I feel hopeful and some days I just want it to be over. Both are "
                    "true this week."),
        ), plan=Visibility.FAMILY),
        Person("Luis Rivera", Relationship.PARENT, 27, loved_one="Marco", story=(
            Read(24, START), Quiz(24, START),
            Encourage(24, "Maria", START, "Good idea. I saved the numbers in my phone too."),
            # Started the next module and stopped: the dashboard shows him as stuck.
            Read(20, ADDICTION, sections=2),
        )),
        Person("Sofia Rivera", Relationship.SIBLING, 26, loved_one="Marco"),
    ),
    "Demo: the Okafor family": (
        Person("Grace Okafor", Relationship.PARTNER, 28, loved_one="Sam", story=(
            Read(27, START), Quiz(27, START, wrong=1),
            Reflect(27, START, "if-you-feel-unsafe-at-home-reflect", Visibility.FACILITATOR,
                    "When things get loud at home, I know now I can take the kids to my "
                    "sister's. Having a plan helps me sleep."),
            Read(20, ADDICTION), Quiz(20, ADDICTION, wrong=3), Quiz(19, ADDICTION),
            Read(12, CHANGE), Quiz(11, CHANGE),
            Reflect(11, CHANGE, "the-stages-of-change-reflect", Visibility.FAMILY,
                    "Sam said he might cut down after the holidays. I didn't argue. I said I "
                    "would help if he wanted."),
            Read(1, FAMILY, sections=3),
        ), plan=Visibility.FACILITATOR),
        Person("Daniel Okafor", Relationship.ADULT_CHILD, 21, loved_one="Dad", story=(
            Read(6, START, sections=4), Quiz(5, START, wrong=2),
            Reflect(5, START, "how-this-course-works-reflect", Visibility.PRIVATE,
                    "I don't know yet how much to tell my friends about Dad."),
            Encourage(4, "Grace", CHANGE, "Mum, that was really kind. I'm proud of you."),
        )),
    ),
    # A family that takes the course in Spanish (the prompts' ids are the same in both).
    "Demo: la familia Morales": (
        Person("Carmen Morales", Relationship.PARENT, 20, loved_one="Javier", locale="es", story=(
            Read(19, START), Quiz(19, START, wrong=1),
            Reflect(18, START, "when-to-call-whom-reflect", Visibility.FAMILY,
                    "Mi hermana Lupe (555-0188). La consejera del centro. El 988, oprimiendo el "
                    "2 para español."),
            Read(6, ADDICTION, sections=3),
        ), plan=Visibility.FAMILY),
        Person("Ana Morales", Relationship.SIBLING, 18, loved_one="Javier", locale="es", story=(
            Read(3, START, sections=2),
        )),
    ),
    "Demo: the Chen family": (
        # Finished the first module weeks ago and has not been back: inactive, not stuck.
        Person("Wei Chen", Relationship.PARENT, 27, loved_one="Jun", story=(
            Read(25, START), Quiz(25, START, wrong=2), Quiz(24, START, wrong=1),
            Reflect(24, START, "how-this-course-works-reflect", Visibility.PRIVATE,
                    "I'm not ready to share this yet. I worry all the time, and it makes me "
                    "tired."),
        )),
        Person("Lily Chen", Relationship.SIBLING, 22, loved_one="Jun", story=(
            Read(21, START), Quiz(21, START),
            Read(9, ADDICTION), Quiz(8, ADDICTION, wrong=2), Quiz(8, ADDICTION),
            Reflect(8, ADDICTION, "words-that-help-reflect", Visibility.FACILITATOR,
                    "I want to stop calling my brother an addict. Saying \"Jun has an illness "
                    "he is working on\" feels better."),
            Read(3, CHANGE, sections=1),
        )),
    ),
}


def is_demo_email(column):
    """A SQL condition: the address belongs to a demo account."""
    return func.lower(column).like(f"%@{DEMO_DOMAIN}")


def has_real_users() -> bool:
    """Whether any account is not a demo account."""
    return db.session.scalar(select(User.id).where(not_(is_demo_email(User.email))).limit(1)) \
        is not None


def is_retired_demo_address(email: str) -> bool:
    """Whether this is a demo account's address, retired when real accounts arrived."""
    if not email.strip().lower().endswith("@" + DEMO_DOMAIN):
        return False
    return db.session.scalar(
        select(User.id).where(func.lower(User.email) == email.strip().lower(),
                              User.is_active.is_(False))
    ) is not None


def retire_demo_accounts() -> int:
    """Stop the demo accounts from logging in (their password is published); say how many."""
    from .models import LoginSession

    ids = select(User.id).where(is_demo_email(User.email), User.is_active.is_(True))
    db.session.execute(delete(LoginSession).where(LoginSession.user_id.in_(ids)))
    return cast(CursorResult, db.session.execute(
        update(User).where(is_demo_email(User.email), User.is_active.is_(True))
        .values(is_active=False)
    )).rowcount


def demo_logins() -> list[Login]:
    """The demo accounts in the database: facilitator first, then by family."""
    users = db.session.scalars(select(User).where(is_demo_email(User.email)).order_by(User.id))
    return [
        Login(user.email, user.display_name, user.role.value,
              user.membership.family.name if user.membership else None)
        for user in users
    ]


def load_demo(now: datetime | None = None) -> list[Login]:
    """Load the demo into a database with no real accounts (once); return the demo logins.

    Raises RealAccountsExist if anyone else has an account, CannotLoadDemo if the course lacks
    a module (or a reflection prompt) the demo's stories use.
    """
    if has_real_users():
        raise RealAccountsExist
    if not demo_logins():
        _build(_demo_modules(), now or utcnow())
    return demo_logins()


def _demo_modules() -> dict[str, Module]:
    """The modules the stories use, by slug; each must be published, with a quiz and the
    reflection prompts the stories answer."""
    needed = _needed_prompts()
    published = {m.slug: m for m in current_catalog().published}
    missing = [
        slug for slug, prompts in needed.items()
        if slug not in published or not _serves_story(published[slug], prompts)
    ]
    if missing:
        raise CannotLoadDemo(
            f"The demo needs {len(needed)} published modules with a quiz and reflection "
            f"prompts ({', '.join(needed)}); missing or changed: {', '.join(missing)}."
        )
    return {slug: published[slug] for slug in needed}


def _needed_prompts() -> dict[str, set[str]]:
    """The slug of each module the stories use, in the stories' order, with the ids of the
    prompts they answer in it."""
    needed: dict[str, set[str]] = {}
    for people in FAMILIES.values():
        for person in people:
            for step in person.story:
                prompts = needed.setdefault(step.module, set())
                if isinstance(step, Reflect):
                    prompts.add(step.prompt)
    return needed


def _serves_story(module: Module, prompts: set[str]) -> bool:
    """Whether the module has a quiz and every one of these prompts."""
    return bool(module.questions) and all(module.prompt(prompt) is not None for prompt in prompts)


def _build(modules: dict[str, Module], now: datetime) -> None:
    start = now - timedelta(weeks=4)
    dana = User(
        email=FACILITATOR_EMAIL, display_name=FACILITATOR, role=Role.FACILITATOR,
        created_at=start - timedelta(days=3), email_confirmed_at=start - timedelta(days=3),
    )
    dana.set_password(DEMO_PASSWORD)
    cohort = Cohort(
        name=COHORT_NAME, start_date=start.date(), meeting_day=1,
        created_at=start - timedelta(days=3),
        note="We meet Tuesdays at 6 pm in Room 2. Bring a friend if you like. - Dana",
        note_updated_at=now - timedelta(days=1),
        facilitators=[CohortFacilitator(user=dana, is_owner=True, added_at=start)],
    )
    db.session.add_all([dana, cohort])
    db.session.flush()
    for family_name, people in FAMILIES.items():
        relatives: dict[str, User] = {}
        family = None
        for person in people:
            joined = now - timedelta(days=person.joined_days_ago)
            user = accounts.create_member(
                accounts.Profile(
                    email=person.email, password=DEMO_PASSWORD, display_name=person.name,
                    relationship=person.relationship, loved_one_nickname=person.loved_one,
                    family_name=family_name,
                ),
                family=family, cohort=cohort,
            )
            family = user.membership.family
            family.created_at = min(family.created_at, joined)
            user.created_at = user.email_confirmed_at = user.membership.joined_at = joined
            user.membership.plan_visibility = person.plan
            user.locale = person.locale
            relatives[person.name.split()[0]] = user
            for step_number, step in enumerate(person.story):
                # A few minutes apart, so steps on the same day keep their order.
                moment = now - timedelta(days=step.days_ago) + timedelta(minutes=5 * step_number)
                _act(step, user, relatives, modules, moment)
    db.session.flush()


def _act(
    step, user: User, relatives: dict[str, User], modules: dict[str, Module], moment: datetime
) -> None:
    module = modules[step.module]
    match step:
        case Read(sections=count):
            for section in module.sections[:count]:
                progress.record_section_read(user, module, section, now=moment)
        case Quiz(wrong=wrong):
            progress.submit_quiz(user, module, _answers(module, wrong), uuid.uuid4().hex,
                                 now=moment)
        case Reflect(prompt=prompt_id, visibility=visibility, text=text):
            progress.save_reflection(user, module, prompt_id, text, visibility, now=moment)
        case Encourage(on=name, text=text):
            reflection = db.session.scalar(
                select(Reflection).where(
                    Reflection.user_id == relatives[name].id, Reflection.module_slug == module.slug
                )
            )
            db.session.add(Encouragement(
                reflection=reflection, author_id=user.id, body=text, created_at=moment
            ))


def _answers(module: Module, wrong: int) -> dict[str, list[str]]:
    """Right answers to every question but the last `wrong`, which get a tempting wrong one."""
    answers = {}
    for index, question in enumerate(module.questions):
        if index < len(module.questions) - wrong:
            answers[question.id] = sorted(question.correct_ids)
        else:
            answers[question.id] = [o.id for o in question.options if not o.is_correct][:1]
    return answers
