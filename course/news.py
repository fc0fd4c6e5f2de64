"""What's new for a member since they last looked: the "Since your last visit" list.

Kind words left on their reflections, reflections their family newly shared, modules their
group opened, and the facilitators' note to the group. `whats_new` finds them in a fixed number
of statements, whatever their count; `mark_seen` notes that they were shown, so each shows once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlalchemy import func, literal, or_, select, union_all, update

from . import sharing
from .content import Module
from .extensions import db
from .models import (
    Cohort,
    Encouragement,
    ModuleSchedule,
    Reflection,
    User,
    Visibility,
    local_today,
    utcnow,
)

# At most this many things are listed: a member back after months, or new to a busy family,
# gets a short list and a count of the rest, not a wall of news.
SHOWN = 5


class NewsKind(StrEnum):
    """What a piece of news is about."""

    NOTE = "note"  # the facilitators' note to the group
    ENCOURAGEMENT = "encouragement"  # someone's kind words on one of my reflections
    SHARED = "shared"  # someone in my family shared (or changed) a reflection with us
    MODULE_OPEN = "module_open"  # a module my group held back is open now


@dataclass(frozen=True)
class NewsItem:
    """One thing that happened since the member's last visit."""

    kind: NewsKind
    at: datetime
    module: Module | None = None
    who: str = ""  # the person who encouraged or shared
    reflection_id: int | None = None
    # Where the reflection is: the section of the member's own (for kind words on one they no
    # longer share), and whether the family page shows it.
    section_id: str | None = None
    prompt_id: str | None = None
    is_on_family_page: bool = False
    is_change: bool = False  # a reflection shared before and changed since
    note: str = ""


@dataclass(frozen=True)
class News:
    """The news to show, newest first (the group's note on top), and how many more there are."""

    items: list[NewsItem] = field(default_factory=list)
    more: int = 0

    def __bool__(self) -> bool:
        return bool(self.items)


def last_visit(user: User) -> datetime:
    """Since when news is new: the last time the list was shown, else when the member joined."""
    if user.news_seen_at is not None:
        return user.news_seen_at
    joined = user.membership.joined_at if user.membership is not None else None
    return max(filter(None, (user.created_at, joined)))


def whats_new(user: User, modules: Iterable[Module], now: datetime | None = None) -> News:
    """What happened since the member's last visit, in the published `modules`: up to
    `SHOWN` items and the count of the rest, in at most two statements."""
    now = now or utcnow()
    family = sharing.family_of(user)
    if family is None:
        return News()
    since = last_visit(user)
    by_slug = {module.slug: module for module in modules}
    found, total = _reflection_news(user, by_slug, since, now)
    if family.cohort_id is not None:
        # The group's note is for everyone in it: one who has never been shown news (new to
        # the group) gets the standing note too, such as when and where it meets.
        note_since = since if user.news_seen_at is not None else None
        group = _group_news(family.cohort_id, by_slug, since, now, note_since)
        found += group
        total += len(group)
    # The group's note first: it is meant for everyone. Then the newest first.
    found.sort(key=lambda item: (item.kind is not NewsKind.NOTE, -item.at.timestamp()))
    shown = found[:SHOWN]
    return News(items=shown, more=total - len(shown))


def mark_seen(user: User, now: datetime | None = None) -> None:
    """Note that the member has seen their news: what came before `now` is no longer new.

    One UPDATE that never moves the mark back: a slower page in another tab, which found its
    news earlier, leaves a later mark as it is."""
    now = now or utcnow()
    db.session.execute(
        update(User).where(User.id == user.id)
        .where(or_(User.news_seen_at.is_(None), User.news_seen_at < now))
        .values(news_seen_at=now),
        execution_options={"synchronize_session": False},
    )


def _reflection_news(
    user: User, by_slug: dict[str, Module], since: datetime, now: datetime
) -> tuple[list[NewsItem], int]:
    """Kind words others left on the member's reflections, and reflections others in the family
    shared (or changed) since the last visit: the newest `SHOWN` and the count of all, in one
    statement."""
    slugs = list(by_slug)
    kind_words = (
        select(literal(NewsKind.ENCOURAGEMENT.value).label("kind"),
               Encouragement.created_at.label("at"), Reflection.id.label("reflection_id"),
               User.display_name.label("who"), Reflection.module_slug, Reflection.prompt_id,
               Reflection.visibility, Reflection.created_at)
        .join(Reflection, Reflection.id == Encouragement.reflection_id)
        .join(User, User.id == Encouragement.author_id)
        .where(sharing.encouragements_received(user), Reflection.module_slug.in_(slugs),
               Encouragement.created_at > since, Encouragement.created_at <= now)
    )
    shared = (
        select(literal(NewsKind.SHARED.value).label("kind"), Reflection.updated_at.label("at"),
               Reflection.id.label("reflection_id"), User.display_name.label("who"),
               Reflection.module_slug, Reflection.prompt_id, Reflection.visibility,
               Reflection.created_at)
        .join(User, User.id == Reflection.user_id)
        .where(sharing.shared_by_family(user), Reflection.module_slug.in_(slugs),
               Reflection.updated_at > since, Reflection.updated_at <= now)
    )
    both = union_all(kind_words, shared).subquery()
    rows = db.session.execute(
        select(both, func.count().over().label("total"))
        .order_by(both.c.at.desc(), both.c.reflection_id.desc()).limit(SHOWN)
    ).all()
    items = []
    for row in rows:
        module = by_slug[row.module_slug]
        section = module.section_with_prompt(row.prompt_id)
        items.append(NewsItem(
            kind=NewsKind(row.kind), at=row.at, module=module, who=row.who,
            reflection_id=row.reflection_id, section_id=section.id if section else None,
            prompt_id=row.prompt_id,
            is_on_family_page=Visibility(row.visibility) in sharing.SHARED_WITH_FAMILY,
            is_change=row.kind == NewsKind.SHARED and row.created_at <= since,
        ))
    return items, rows[0].total if rows else 0


def _local_day(moment: datetime) -> date:
    """The day a moment falls on in the server's time zone, the calendar of group schedules."""
    return moment.astimezone().date()


def _group_news(
    cohort_id: int, by_slug: dict[str, Module], since: datetime, now: datetime,
    note_since: datetime | None,
) -> list[NewsItem]:
    """The group's note, if the facilitators wrote or changed it since the last visit, and the
    modules it held back that opened since then and are open today (one statement)."""
    today = min(local_today(), _local_day(now))
    opened = (
        (ModuleSchedule.cohort_id == Cohort.id) & ModuleSchedule.module_slug.in_(by_slug)
        & (ModuleSchedule.opens_on > _local_day(since)) & (ModuleSchedule.opens_on <= today)
    )
    rows = db.session.execute(
        select(Cohort.note, Cohort.note_updated_at, ModuleSchedule.module_slug,
               ModuleSchedule.opens_on)
        .outerjoin(ModuleSchedule, opened)
        .where(Cohort.id == cohort_id)
    ).all()
    items = [
        NewsItem(kind=NewsKind.MODULE_OPEN, module=by_slug[row.module_slug],
                 at=datetime.combine(row.opens_on, time.min).astimezone().astimezone(UTC))
        for row in rows
        if row.module_slug is not None and not by_slug[row.module_slug].is_always_open
    ]
    changed = rows[0].note_updated_at if rows and rows[0].note else None
    if changed is not None and (note_since is None or note_since < changed) and changed <= now:
        items.append(NewsItem(kind=NewsKind.NOTE, at=changed, note=rows[0].note))
    return items
