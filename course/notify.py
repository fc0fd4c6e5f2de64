"""The emails `flask notify send` writes: reminders, modules opening, family news, digests.

Each run decides, in a fixed number of set-based queries whatever the number of members, who
is due which notice; records each as a `Notice` row before it is sent (so a second run sends
nothing twice); sends it; and marks it sent, or counts the failed try so the next run tries
again (up to MAX_TRIES). Only confirmed, active accounts that said yes to that kind of email
get one. A facilitator's digest reads the group's figures through course/reports.py, a few
statements for each group whose digest is due.

Subjects and first lines never say what the course is about: a phone's lock screen shows them
to whoever holds it. Each mail is in its recipient's language (course/i18n.py, locale_of), read
with the people in the same queries.

Plain functions the CLI calls; they change the session and flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from flask_babel import force_locale, lazy_gettext as _l, ngettext
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import aliased

from . import cohorts, i18n, reports, sharing, tokens
from .content import Module
from .extensions import db
from .links import external_url
from .mail import send_now
from .models import (
    Cohort,
    CohortFacilitator,
    Encouragement,
    Family,
    FamilyMembership,
    ModuleProgress,
    ModuleSchedule,
    Notice,
    NoticeKind,
    ProgressStatus,
    Reflection,
    User,
    utcnow,
)
from .progress import INSERTS

SUBJECT = _l("Your Family Course update")
MAX_TRIES = 5  # a notice that failed this often is given up
SELF_PACED_REMIND_DAYS = 7  # members outside a group: reminded after a week without activity
REMINDER_GAP = timedelta(days=7)  # at most one reminder a week
# The member's mail that counts toward that week: each brings them back to the course.
NUDGES = frozenset({NoticeKind.REMINDER, NoticeKind.MODULE_OPENS, NoticeKind.FAMILY})
LOOKBACK = timedelta(days=7)  # how far back a run looks for modules opened and family news
STOP_AFTER_FAILURES = 5  # failures in a row: the mail server is down; stop, try next run
DIGEST_MEMBERS_LISTED = 25
TEMPLATES = {
    NoticeKind.REMINDER: "reminder",
    NoticeKind.MODULE_OPENS: "module_opens",
    NoticeKind.FAMILY: "family",
    NoticeKind.DIGEST: "digest",
}
# What the dry run and the summary call a number of each kind.
NAMES = {
    NoticeKind.REMINDER: lambda n: ngettext("%(num)d reminder", "%(num)d reminders", n),
    NoticeKind.MODULE_OPENS: lambda n: ngettext("%(num)d module note", "%(num)d module notes", n),
    NoticeKind.FAMILY: lambda n: ngettext("%(num)d family note", "%(num)d family notes", n),
    NoticeKind.DIGEST: lambda n: ngettext("%(num)d digest", "%(num)d digests", n),
}
WANTS = {
    NoticeKind.REMINDER: "wants_reminders",
    NoticeKind.MODULE_OPENS: "wants_module_notes",
    NoticeKind.FAMILY: "wants_family_notes",
    NoticeKind.DIGEST: "wants_digest",
}


@dataclass(frozen=True)
class Person:
    """Someone a notice may go to: a confirmed, active account."""

    id: int
    email: str
    name: str
    wants: frozenset[NoticeKind]
    joined_at: datetime | None = None  # in a family since
    cohort_id: int | None = None  # their family's current group
    remind_after_days: int = SELF_PACED_REMIND_DAYS
    locale: str = i18n.DEFAULT  # the language to write to them in


@dataclass(frozen=True)
class Due:
    """One notice a person is due: its kind, what it is about (key), and what it says."""

    kind: NoticeKind
    key: str
    person: Person
    detail: dict = field(default_factory=dict, compare=False)
    notice_id: int | None = None  # its Notice row, once recorded


@dataclass
class Outcome:
    """What a batch of sending did."""

    sent: int = 0
    failed: int = 0
    stopped: bool = False  # the mail server kept failing: the rest wait for the next run


def the_day(now: datetime) -> date:
    """The calendar day of a moment, in the server's time zone (the schedules' calendar)."""
    return now.astimezone().date()


def week_key(cohort_id: int, day: date) -> str:
    """A digest's key: the group and the ISO week."""
    year, week, _ = day.isocalendar()
    return f"{cohort_id}:{year}-W{week:02d}"


# Deciding ------------------------------------------------------------------------------------


def due_notices(modules: Sequence[Module], now: datetime | None = None) -> list[Due]:
    """Every notice due now, not yet sent or given up, in a fixed number of queries."""
    now = now or utcnow()
    people = _people()
    earlier = _recent_notices(now)
    candidates = [
        *_reminders(people, modules, now),
        *_module_notes(people, modules, now),
        *_family_notes(people, earlier, now),
        *_digests(people, now),
    ]
    due = []
    for candidate in candidates:
        if candidate.kind not in candidate.person.wants:
            continue
        found = earlier.get((candidate.person.id, candidate.kind, candidate.key))
        if found is None:
            due.append(candidate)
        else:
            sent_at, tries, notice_id = found
            if sent_at is None and tries < MAX_TRIES:
                due.append(replace(candidate, notice_id=notice_id))
    # A reminder at most once a week, and not in a week that brought other news: that mail
    # invites them back already.
    recently = {
        user_id for (user_id, kind, _key), (sent_at, _tries, _id) in earlier.items()
        if kind in NUDGES and sent_at is not None and sent_at > now - REMINDER_GAP
    } | {item.person.id for item in due if item.kind in NUDGES - {NoticeKind.REMINDER}}
    return [
        item for item in due
        if not (item.kind is NoticeKind.REMINDER and item.notice_id is None
                and item.person.id in recently)
    ]


def language(locale: str | None, group_locale: str | None) -> str:
    """What i18n.locale_of says for someone, from the two columns it reads (their own choice,
    their group's default), loaded with everyone at once rather than account by account."""
    family = SimpleNamespace(cohort=SimpleNamespace(default_locale=group_locale))
    return i18n.locale_of(SimpleNamespace(locale=locale,
                                          membership=SimpleNamespace(family=family)))


def _people() -> dict[int, Person]:
    """Every confirmed, active account, with their family's group, their language and what
    mail they want (one query)."""
    people = {}
    for row in db.session.execute(
        select(User.id, User.email, User.display_name, User.wants_reminders,
               User.wants_module_notes, User.wants_family_notes, User.wants_digest,
               User.role, FamilyMembership.joined_at, Cohort.id, Cohort.remind_after_days,
               Cohort.archived_at, User.locale, Cohort.default_locale)
        .outerjoin(FamilyMembership, FamilyMembership.user_id == User.id)
        .outerjoin(Family, Family.id == FamilyMembership.family_id)
        .outerjoin(Cohort, Cohort.id == Family.cohort_id)
        .where(User.is_active.is_(True), User.email_confirmed_at.is_not(None))
    ):
        (user_id, email, name, reminders, module_notes, family_notes, digest, role, joined_at,
         cohort_id, remind_days, archived_at, locale, group_locale) = row
        # A group that has ended: no group's schedule or days (its language still counts).
        current = cohort_id if archived_at is None else None
        wants = {
            NoticeKind.REMINDER: reminders, NoticeKind.MODULE_OPENS: module_notes,
            NoticeKind.FAMILY: family_notes,
            NoticeKind.DIGEST: digest and role in sharing.FACILITATOR_ROLES,
        }
        people[user_id] = Person(
            user_id, email, name, frozenset(kind for kind, yes in wants.items() if yes),
            joined_at, current, (current and remind_days) or SELF_PACED_REMIND_DAYS,
            language(locale, group_locale),
        )
    return people


def _recent_notices(now: datetime) -> dict[tuple[int, NoticeKind, str], tuple]:
    """Notices made in the last days, sent or not: (sent_at, tries, id) by (user, kind, key)
    (one query). Every kind's key names something of the last week, so this is enough."""
    return {
        (user_id, kind, key): (sent_at, tries, notice_id)
        for notice_id, user_id, kind, key, sent_at, tries in db.session.execute(
            select(Notice.id, Notice.user_id, Notice.kind, Notice.key, Notice.sent_at,
                   Notice.tries)
            .where(Notice.created_at >= now - LOOKBACK - timedelta(days=2))
        )
    }


def _reminders(people: dict[int, Person], modules: Sequence[Module], now: datetime) -> list[Due]:
    """Members in a family who have done nothing for their group's number of days and have
    not finished the course (one query)."""
    slugs = [module.slug for module in modules]
    last_active = {
        user_id: (last, completed or 0)
        for user_id, last, completed in db.session.execute(
            select(ModuleProgress.user_id, func.max(ModuleProgress.last_activity_at),
                   func.sum(case((ModuleProgress.status == ProgressStatus.COMPLETED, 1),
                                 else_=0)))
            .where(ModuleProgress.module_slug.in_(slugs))
            .group_by(ModuleProgress.user_id)
        )
    }
    key = the_day(now).isoformat()
    due = []
    for person in people.values():
        if person.joined_at is None or NoticeKind.REMINDER not in person.wants:
            continue
        last, completed = last_active.get(person.id, (None, 0))
        last = max(last or person.joined_at, person.joined_at)
        if completed < len(modules) and last < now - timedelta(days=person.remind_after_days):
            due.append(Due(NoticeKind.REMINDER, key, person))
    return due


def _module_notes(
    people: dict[int, Person], modules: Sequence[Module], now: datetime
) -> list[Due]:
    """A note to each member of a group for each held-back module that opened in the last
    week, after they joined (one query)."""
    number = {module.slug: n for n, module in enumerate(modules, start=1)}
    today = the_day(now)
    opened: dict[int, list[tuple[str, date]]] = {}
    for cohort_id, slug, opens_on in db.session.execute(
        select(ModuleSchedule.cohort_id, ModuleSchedule.module_slug, ModuleSchedule.opens_on)
        .where(ModuleSchedule.opens_on <= today,
               ModuleSchedule.opens_on > today - LOOKBACK,
               ModuleSchedule.module_slug.in_(list(number)))
    ):
        opened.setdefault(cohort_id, []).append((slug, opens_on))
    return [
        Due(NoticeKind.MODULE_OPENS, slug, person, {"number": number[slug]})
        for person in people.values()
        if person.cohort_id in opened and person.joined_at is not None
        for slug, opens_on in opened[person.cohort_id]
        if the_day(person.joined_at) < opens_on
    ]


def _family_notes(
    people: dict[int, Person], earlier: dict[tuple[int, NoticeKind, str], tuple], now: datetime
) -> list[Due]:
    """A note to each member whose family encouraged their reflections or shared reflections
    with them since their last family note, at most one a day (two queries)."""
    since = now - LOOKBACK
    kind_words = {
        author_id: (count, latest)
        for author_id, count, latest in db.session.execute(
            select(Reflection.user_id, func.count(), func.max(Encouragement.created_at))
            .join(Encouragement, Encouragement.reflection_id == Reflection.id)
            .where(Encouragement.author_id != Reflection.user_id,
                   Encouragement.created_at >= since, Encouragement.created_at <= now)
            .group_by(Reflection.user_id)
        )
    }
    reader, writer = aliased(FamilyMembership), aliased(FamilyMembership)
    shared = {
        reader_id: (count, latest)
        for reader_id, count, latest in db.session.execute(
            select(reader.user_id, func.count(), func.max(Reflection.updated_at))
            .join(writer, (writer.family_id == reader.family_id)
                  & (writer.user_id != reader.user_id))
            .join(Reflection, Reflection.user_id == writer.user_id)
            .where(Reflection.visibility.in_(sharing.SHARED_WITH_FAMILY),
                   Reflection.updated_at >= since, Reflection.updated_at <= now)
            .group_by(reader.user_id)
        )
    }
    last_note: dict[int, datetime] = {}
    for (user_id, kind, _key), (sent_at, _tries, _id) in earlier.items():
        if kind is NoticeKind.FAMILY and sent_at is not None:
            last_note[user_id] = max(sent_at, last_note.get(user_id, sent_at))
    key = the_day(now).isoformat()
    due = []
    for user_id in kind_words.keys() | shared.keys():
        person = people.get(user_id)
        if person is None:
            continue
        words, words_at = kind_words.get(user_id, (0, since))
        reflections, shared_at = shared.get(user_id, (0, since))
        if max(words_at, shared_at) > last_note.get(user_id, since):
            due.append(Due(NoticeKind.FAMILY, key, person,
                           {"encouragements": words, "shared": reflections}))
    return due


def _digests(people: dict[int, Person], now: datetime) -> list[Due]:
    """This week's digest of each current group with members, for each facilitator running it,
    in their language (one query)."""
    members = (
        select(Family.cohort_id, func.count(FamilyMembership.id).label("members"))
        .join(FamilyMembership, FamilyMembership.family_id == Family.id)
        .group_by(Family.cohort_id)
        .subquery()
    )
    today = the_day(now)
    due = []
    for user, cohort in db.session.execute(
        select(User, Cohort)
        .join(CohortFacilitator, CohortFacilitator.user_id == User.id)
        .join(Cohort, Cohort.id == CohortFacilitator.cohort_id)
        .join(members, members.c.cohort_id == Cohort.id)
        .where(Cohort.archived_at.is_(None), User.is_active.is_(True),
               User.email_confirmed_at.is_not(None), User.wants_digest.is_(True),
               User.role.in_(sharing.FACILITATOR_ROLES))
        .order_by(Cohort.id, User.id)
    ):
        known = people.get(user.id)
        person = Person(user.id, user.email, user.display_name, frozenset({NoticeKind.DIGEST}),
                        locale=known.locale if known else language(user.locale, None))
        due.append(Due(NoticeKind.DIGEST, week_key(cohort.id, today), person,
                       {"cohort": cohort, "viewer": user}))
    return due


# Recording and sending -----------------------------------------------------------------------

RECORD_CHUNK = 500  # rows a statement: well under SQLite's limit of bound values


def record(due: Sequence[Due], now: datetime | None = None) -> list[Due]:
    """Record the new notices before they are sent (sent_at empty); the ones another run
    recorded at the same moment are left to it. Give back what this run is to send."""
    now = now or utcnow()
    new = [item for item in due if item.notice_id is None]
    ids: dict[tuple[int, NoticeKind, str], int] = {}
    for start in range(0, len(new), RECORD_CHUNK):
        chunk = new[start:start + RECORD_CHUNK]
        # Either database's INSERT, both with on_conflict_do_nothing (as progress.py's).
        insert: Any = INSERTS[db.engine.dialect.name](Notice)
        for notice_id, user_id, kind, key in db.session.execute(
            insert.values([
                {"user_id": item.person.id, "kind": item.kind, "key": item.key,
                 "created_at": now, "tries": 0}
                for item in chunk
            ])
            .on_conflict_do_nothing(index_elements=["user_id", "kind", "key"])
            .returning(Notice.id, Notice.user_id, Notice.kind, Notice.key)
        ):
            ids[user_id, NoticeKind(kind), key] = notice_id
    recorded = [item for item in due if item.notice_id is not None]
    recorded += [
        replace(item, notice_id=ids[item.person.id, item.kind, item.key])
        for item in new if (item.person.id, item.kind, item.key) in ids
    ]
    db.session.flush()
    return recorded


@dataclass
class DigestCache:
    """A run's digests: one dashboard per group, however many facilitators run it."""

    modules: Sequence[Module]
    now: datetime
    boards: dict[int, reports.Dashboard] = field(default_factory=dict)

    def board(self, cohort: Cohort) -> reports.Dashboard:
        if cohort.id not in self.boards:
            self.boards[cohort.id] = reports.build_dashboard(cohort, self.modules, self.now)
        return self.boards[cohort.id]


def send(
    due: Iterable[Due], modules: Sequence[Module], now: datetime | None = None,
    cache: DigestCache | None = None,
) -> Outcome:
    """Send recorded notices, one by one, and mark each sent or count its failed try."""
    now = now or utcnow()
    cache = cache or DigestCache(modules, now)
    outcome = Outcome()
    sent: list[int] = []
    failed: list[int] = []
    in_a_row = 0
    for item in due:
        if item.notice_id is None:
            raise ValueError("record() a notice before sending it")
        if _send_one(item, cache):
            sent.append(item.notice_id)
            in_a_row = 0
        else:
            failed.append(item.notice_id)
            in_a_row += 1
            if in_a_row >= STOP_AFTER_FAILURES:
                outcome.stopped = True
                break
    if sent:
        db.session.execute(
            update(Notice).where(Notice.id.in_(sent))
            .values(sent_at=now, tries=Notice.tries + 1)
        )
    if failed:
        db.session.execute(
            update(Notice).where(Notice.id.in_(failed)).values(tries=Notice.tries + 1)
        )
    db.session.flush()
    outcome.sent, outcome.failed = len(sent), len(failed)
    return outcome


def _send_one(item: Due, cache: DigestCache) -> bool:
    """Render one notice and send it now; whether it went."""
    unsubscribe = external_url(
        "account.unsubscribe", token=tokens.make_unsubscribe_token(item.person.id, item.kind)
    )
    context = {
        "name": item.person.name,
        "course_link": external_url("learn.index"),
        "settings_link": external_url("account.settings"),
        "unsubscribe_link": unsubscribe,
        **item.detail,
    }
    if item.kind is NoticeKind.FAMILY:
        context["family_link"] = external_url("family.index")
    if item.kind is NoticeKind.DIGEST:
        context.update(_digest(item.detail["viewer"], item.detail["cohort"], cache))
    with force_locale(item.person.locale):
        return send_now(
            item.person.email, str(SUBJECT), TEMPLATES[item.kind],
            headers={
                # One click in the mail program turns this kind off (RFC 8058).
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                # Sent by a program: no out-of-office replies to it (RFC 3834).
                "Auto-Submitted": "auto-generated",
            },
            **context,
        )


@dataclass(frozen=True)
class Waiting:
    """A member a facilitator may want to reach: stuck, or quiet for a while."""

    name: str
    family: str
    is_stuck: bool
    last_activity_at: datetime | None
    link: str


def _digest(viewer: User, cohort: Cohort, cache: DigestCache) -> dict:
    """What a facilitator's weekly digest of one group says (a few statements a group)."""
    board = cache.board(cohort)
    waiting = [
        Waiting(row.name, row.family_name, row.is_stuck, row.last_activity_at,
                external_url("facilitate.member", cohort_id=cohort.id, user_id=row.user_id))
        for row in board.rows if row.is_stuck or board.is_inactive(row)
    ]
    hardest = [
        figures for figures in reports.question_analytics(viewer, cohort, cache.modules)
        if figures.first_attempts
    ][:3]
    shared = db.session.scalar(
        select(func.count(Reflection.id))
        .join(FamilyMembership, FamilyMembership.user_id == Reflection.user_id)
        .join(Family, Family.id == FamilyMembership.family_id)
        .where(Family.cohort_id == cohort.id, sharing.shared_with_facilitator(viewer),
               Reflection.updated_at >= cache.now - timedelta(days=7))
    ) or 0
    return {
        "cohort_name": cohort.name,
        "members": len(board.rows),
        "waiting": waiting[:DIGEST_MEMBERS_LISTED],
        "more_waiting": max(0, len(waiting) - DIGEST_MEMBERS_LISTED),
        "hardest": hardest,
        "shared": shared,
        "next_meeting": cohorts.next_meeting(cohort, the_day(cache.now)),
        "dashboard_link": external_url("facilitate.dashboard", cohort_id=cohort.id),
        "questions_link": external_url("facilitate.questions", cohort_id=cohort.id),
        "reflections_link": external_url("facilitate.reflections", cohort_id=cohort.id),
    }


def count_by_kind(due: Iterable[Due]) -> dict[NoticeKind, list[int]]:
    """The user ids of the notices due, by kind, in a fixed order of kinds."""
    by_kind: dict[NoticeKind, list[int]] = {kind: [] for kind in NoticeKind}
    for item in due:
        by_kind[item.kind].append(item.person.id)
    return by_kind


def plural(count: int, kind: NoticeKind) -> str:
    """"1 reminder", "3 reminders"."""
    return NAMES[kind](count)


def switch_off(user: User, kind: NoticeKind) -> None:
    """Stop one kind of email to this account."""
    setattr(user, WANTS[kind], False)
    db.session.flush()
