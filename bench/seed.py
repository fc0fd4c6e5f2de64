"""A large fictional cohort, written in bulk: one facilitator, 1,000 members in families of two to
four, and a realistic spread of progress over every published module.

Rows are built in Python and written with one bulk insert per table; every timestamp is set to
the day the member's made-up history says, so the dashboard shows members who are stuck,
inactive or doing well. Every account shares one password hash: scrypt is slow on purpose.
Like the app's services, this flushes and never commits.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from course import progress
from course.content import Module
from course.extensions import db
from course.models import (
    Cohort,
    CohortFacilitator,
    Family,
    FamilyMembership,
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
    QuizResponse,
    Reflection,
    Relationship,
    Role,
    SectionRead,
    User,
    Visibility,
    utcnow,
)

DOMAIN = "bench.familycourse.example"
PASSWORD = "bench-password-2026"
FACILITATOR_EMAIL = f"facilitator@{DOMAIN}"
COHORT_NAME = "Benchmark group (1,000 members)"

FIRST_NAMES = (
    "Ana", "Ben", "Carla", "David", "Elena", "Femi", "Grace", "Hiro", "Ines", "Jamal", "Kara",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Chloe", "Dev", "Esther", "Felix",
)
SURNAMES = (
    "Abara", "Baker", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lopez", "Mensah", "Nguyen", "Okafor", "Patel", "Quispe", "Rossi",
    "Santos", "Tanaka", "Usman", "Volkov", "Walsh", "Xu", "Yilmaz", "Zhang", "Murphy", "Chen",
    "Rivera", "Novak", "Ahmed", "Silva", "Kim", "Moreau", "Brown", "Costa", "Iyer", "Larsen",
)
LOVED_ONES = ("Alex", "Jordan", "Sam", "Chris", "Robin", "Dad", "Mum", "Jamie", "Taylor", None)
RELATIONSHIPS = (
    (Relationship.PARENT, 35), (Relationship.PARTNER, 20), (Relationship.SIBLING, 20),
    (Relationship.ADULT_CHILD, 12), (Relationship.GRANDPARENT, 5), (Relationship.FRIEND, 5),
    (Relationship.OTHER, 3),
)
VISIBILITIES = ((Visibility.PRIVATE, 50), (Visibility.FAMILY, 25), (Visibility.FACILITATOR, 25))
REFLECTIONS = (
    "I noticed I hold my breath when the phone rings late. I am trying to breathe first.",
    "We talked at dinner without arguing. It was short, but it was kind.",
    "I still feel angry some days. Writing it here helps me not say it in the heat of it.",
    "I asked what would help instead of telling them what to do. They actually answered.",
    "I booked an hour for myself this week and did not cancel it.",
)


def completed_weights(modules: int) -> list[int]:
    """How likely a member who started has completed 0, 1, ... all modules: fewer for each
    module further on, as most stop part-way, and a tenth or so finish everything."""
    return [10 - 5 * done // max(modules - 1, 1) for done in range(modules)] + [10]


@dataclass(frozen=True)
class Seeded:
    """What was written: the facilitator's login, the cohort, and row counts by table."""

    cohort_id: int
    email: str
    password: str
    families: int
    members: int
    rows: Counter


def member_email(number: int) -> str:
    """The login of the cohort's member `number`, counting from 1."""
    return f"member{number:04d}@{DOMAIN}"


def family_sizes(rng: random.Random, members: int) -> list[int]:
    """Sizes of two to four that add up to `members` (two at least)."""
    sizes = []
    remaining = members
    while remaining:
        size = rng.choice([s for s in (2, 3, 4) if s <= remaining and remaining - s != 1])
        sizes.append(size)
        remaining -= size
    return sizes


def seed_cohort(
    modules: Sequence[Module], *, members: int = 1000, now: datetime | None = None, seed: int = 2026
) -> Seeded:
    """Write a cohort of `members` with their progress over `modules`; return its login."""
    rng = random.Random(seed)
    now = now or utcnow()
    start = now - timedelta(weeks=12)
    password_hash = generate_password_hash(PASSWORD, method="scrypt")

    facilitator = User(
        email=FACILITATOR_EMAIL, password_hash=password_hash, display_name="Benchmark facilitator",
        role=Role.FACILITATOR, created_at=start - timedelta(days=7),
        email_confirmed_at=start - timedelta(days=7),
    )
    cohort = Cohort(
        name=COHORT_NAME, start_date=start.date(), meeting_day=start.weekday(),
        stuck_after_days=14, created_at=start - timedelta(days=7),
        facilitators=[CohortFacilitator(user=facilitator, is_owner=True, added_at=start)],
    )
    db.session.add_all([facilitator, cohort])
    db.session.flush()

    sizes = family_sizes(rng, members)
    family_joined = [start + timedelta(days=rng.uniform(0, 21)) for _ in sizes]
    family_ids = _insert_ids(Family, [
        {"name": f"The {rng.choice(SURNAMES)} family", "cohort_id": cohort.id, "created_at": joined}
        for joined in family_joined
    ])

    people = []  # (family_id, surname, joined)
    for family_id, size, joined in zip(family_ids, sizes, family_joined, strict=True):
        surname = rng.choice(SURNAMES)
        people.extend(
            (family_id, surname, joined + timedelta(days=place * rng.uniform(0, 3)))
            for place in range(size)
        )
    histories = [History(rng, modules, joined, now) for _, _, joined in people]
    user_ids = _insert_ids(User, [
        {"email": member_email(number), "password_hash": password_hash,
         "display_name": f"{rng.choice(FIRST_NAMES)} {surname}", "role": Role.MEMBER,
         "is_active": True, "created_at": joined, "email_confirmed_at": joined}
        for number, (_, surname, joined) in enumerate(people, 1)
    ])
    relationships, weights = zip(*RELATIONSHIPS, strict=True)
    db.session.execute(insert(FamilyMembership), [
        {"family_id": family_id, "user_id": user_id, "joined_at": joined,
         "relationship_to_loved_one": rng.choices(relationships, weights)[0],
         "loved_one_nickname": rng.choice(LOVED_ONES)}
        for user_id, (family_id, _, joined) in zip(user_ids, people, strict=True)
    ])

    rows = Counter(families=len(family_ids), users=len(user_ids) + 1)
    for model, key in ((ModuleProgress, "progress"), (SectionRead, "reads"),
                       (Reflection, "reflections")):
        batch = [dict(row, user_id=user_id)
                 for user_id, history in zip(user_ids, histories, strict=True)
                 for row in getattr(history, key)]
        if batch:
            db.session.execute(insert(model), batch)
        rows[model.__tablename__] = len(batch)
    attempts = [(user_id, attempt, answers)
                for user_id, history in zip(user_ids, histories, strict=True)
                for attempt, answers in history.attempts]
    attempt_ids = _insert_ids(QuizAttempt, [
        dict(attempt, user_id=user_id, cohort_id=cohort.id,
             submission_key=f"{rng.getrandbits(128):032x}")
        for user_id, attempt, _ in attempts
    ])
    responses = [dict(answer, attempt_id=attempt_id)
                 for attempt_id, (_, _, answers) in zip(attempt_ids, attempts, strict=True)
                 for answer in answers]
    if responses:
        db.session.execute(insert(QuizResponse), responses)
    rows.update(quiz_attempts=len(attempt_ids), quiz_responses=len(responses))
    db.session.flush()
    return Seeded(cohort.id, FACILITATOR_EMAIL, PASSWORD, len(family_ids), len(user_ids), rows)


def _insert_ids(model, rows: list[dict]) -> list[int]:
    """Insert rows in bulk and return their new ids, in the order given."""
    if not rows:
        return []
    return list(db.session.scalars(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    ))


class History:
    """One member's made-up course so far: the rows it left, as dictionaries without user_id.

    One in ten never started. The rest completed some modules in order (a few all of them),
    and most are part-way through the next. Their last activity is recent for about two in
    three; for the others it is two weeks or more ago, so they show as inactive, and as stuck
    when a module is left half done.
    """

    def __init__(self, rng: random.Random, modules: Sequence[Module], joined: datetime,
                 now: datetime) -> None:
        self.rng = rng
        self.progress: list[dict] = []
        self.reads: list[dict] = []
        self.attempts: list[tuple[dict, list[dict]]] = []
        self.reflections: list[dict] = []
        self.last_activity_at: datetime = joined
        if rng.random() < 0.10:
            return
        completed = rng.choices(range(len(modules) + 1), completed_weights(len(modules)))[0]
        partial = completed < len(modules) and (completed == 0 or rng.random() < 0.75)
        idle_days = rng.uniform(0, 12) if rng.random() < 0.65 else rng.uniform(15, 60)
        last = max(joined + timedelta(hours=2), now - timedelta(days=idle_days))
        # A member who knows the subject well gets more right the first time.
        self.skill = rng.uniform(-0.1, 0.1)
        steps = completed + partial
        span = (last - joined) / steps
        for index, module in enumerate(modules[:steps]):
            begin = joined + span * index + timedelta(minutes=rng.uniform(10, 120))
            end = joined + span * (index + 1)
            self._module(module, begin, max(begin + timedelta(minutes=30), end),
                         completed=index < completed)
        self.last_activity_at = last

    def _module(self, module: Module, begin: datetime, end: datetime, *, completed: bool) -> None:
        rng = self.rng
        total = len(module.sections)
        read = total if completed else rng.randint(1, total)
        moments = sorted(begin + (end - begin) * rng.random() * 0.8 for _ in range(read))
        if completed:
            tries = 3
        elif read == total:
            tries = rng.choice((1, 1, 2))  # read it all, then missed the pass mark
        else:
            tries = rng.choice((0, 0, 0, 1))  # tried the quiz before finishing the reading
        tried = []
        for number in range(1, tries + 1):
            tried.append(self._attempt(module, number, must_pass=completed and number == tries,
                                       may_pass=completed or read < total))
            if completed and tried[-1]["is_passed"]:
                break
        # The module's last step lands on `end`: a member's last activity is what the story says.
        if tried:
            for number, attempt in enumerate(tried, 1):
                attempt["submitted_at"] = moments[-1] + (end - moments[-1]) * number / len(tried)
        else:
            moments[-1] = end
        for section, moment in zip(module.sections, moments, strict=False):
            self.reads.append({"module_slug": module.slug, "section_id": section.id,
                               "read_at": moment})
        self.progress.append({
            "module_slug": module.slug,
            "status": ProgressStatus.COMPLETED if completed else ProgressStatus.STARTED,
            "sections_done": read, "attempts": len(tried),
            "best_score": max((attempt["score"] for attempt in tried), default=None),
            "started_at": moments[0], "completed_at": end if completed else None,
            "last_activity_at": end,
        })
        for section in module.sections[:read]:
            for prompt in section.prompts:
                if rng.random() < 0.35:
                    written = end - timedelta(minutes=rng.uniform(1, 30))
                    self.reflections.append({
                        "module_slug": module.slug, "prompt_id": prompt.id,
                        "body": rng.choice(REFLECTIONS),
                        "visibility": rng.choices(*zip(*VISIBILITIES, strict=True))[0],
                        "created_at": written, "updated_at": written,
                    })

    def _attempt(self, module: Module, number: int, *, must_pass: bool, may_pass: bool) -> dict:
        """Answer every question, better on each try; return the attempt, not yet timed."""
        rng = self.rng
        right = [rng.random() < _difficulty(module.slug, q.id) + self.skill + 0.12 * (number - 1)
                 for q in module.questions]
        needed = -(-module.pass_score * len(right) // 1)  # questions right to pass
        # Fix the story's ending: a completed module was passed, a stuck one was not.
        while must_pass and sum(right) < needed:
            right[right.index(False)] = True
        while not may_pass and sum(right) >= needed:
            right[right.index(True)] = False
        chosen: dict[str, list[str]] = {}
        for question, is_right in zip(module.questions, right, strict=True):
            wrong = [o.id for o in question.options if not o.is_correct]
            if is_right or not wrong:
                chosen[question.id] = sorted(question.correct_ids)
            else:
                # Most who get it wrong fall for the same tempting option.
                chosen[question.id] = [wrong[0] if rng.random() < 0.6 else rng.choice(wrong)]
        # Graded as the app grades a quiz sent.
        results = progress.grade(module, chosen)
        answers = [{"question_id": question_id, "chosen_option_ids": chosen[question_id],
                    "is_correct": is_right} for question_id, is_right in results.items()]
        score = sum(results.values()) / len(results) if results else 0.0
        attempt = {
            "module_slug": module.slug, "attempt_number": number,
            "content_version": module.version, "score": score,
            "is_passed": score >= module.pass_score,
        }
        self.attempts.append((attempt, answers))
        return attempt


def _difficulty(slug: str, question_id: str) -> float:
    """The chance of a first-try right answer: fixed per question, between 0.45 and 0.95."""
    return 0.45 + random.Random(f"{slug}/{question_id}").random() * 0.5
