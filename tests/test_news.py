"""What's new: the "Since your last visit" list on My course and the family page. Kind words on
my reflections, reflections my family newly shared, modules my group opened and the group's
note, each shown once; nobody else's private words, and nothing of another family, ever."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from course import news, sharing
from course.content.ext import current_catalog
from course.extensions import db
from course.models import Cohort, ModuleSchedule, Reflection, User, local_today, utcnow

BOUNDARIES = ("boundaries", "what-a-boundary-is", "what-a-boundary-is-reflect")
BOUNDARIES_LATER = ("boundaries", "rewarding-not-using", "rewarding-not-using-reflect")
START_HERE = ("start-here", "how-this-course-works", "how-this-course-works-reflect")
HEADING = "Since your last visit"


def reflect(client, where, text, visibility="family"):
    slug, section, prompt = where
    response = client.post(f"/modules/{slug}/{section}", data={
        "action": "save", f"reflection-{prompt}": text, f"visibility-{prompt}": visibility})
    assert response.status_code == 302, response.text


def reflection_id(app, text) -> int:
    with app.app_context():
        return db.session.scalar(select(Reflection.id).where(Reflection.body == text))


def encourage(client, reflection, text):
    response = client.post(f"/reflections/{reflection}/encouragements",
                           data={f"r{reflection}-body": text})
    assert response.status_code == 302, response.text


def news_of(response) -> str:
    """The words of the page's "Since your last visit" list; "" when it shows none."""
    match = re.search(r'<section aria-labelledby="news_heading".*?</section>', response.text,
                      re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(0))).split()) if match else ""


def seen_at(app, user):
    with app.app_context():
        return db.session.get(User, user.id).news_seen_at


def last_looked(app, user, days_ago: int) -> None:
    """As if the member last saw their news some days ago."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(
            news_seen_at=utcnow() - timedelta(days=days_ago)))
        db.session.commit()


def title(app, slug) -> str:
    with app.app_context():
        return current_catalog().get(slug).title


@pytest.fixture
def cohort(app):
    with app.app_context():
        group = Cohort(name="Tuesday group")
        db.session.add(group)
        db.session.commit()
        db.session.refresh(group)
        db.session.expunge(group)
    return group


@pytest.fixture
def family(app, make_member, cohort):
    """Rosa and Tom, one family in a group; Ivy, of another family in the same group."""
    rosa = make_member("Rosa", cohort=cohort)
    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    ivy = make_member("Ivy", cohort=cohort)
    return rosa, tom, ivy


# Each kind of news, once ---------------------------------------------------------------------


@pytest.mark.parametrize("first, then", [("/", "/family"), ("/family", "/")])
def test_kind_words_on_my_reflection_show_once(first, then, app, family, signed_in):
    rosa, tom, _ = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")
    mine = reflection_id(app, "Saying no to lending money.")
    encourage(signed_in(app, tom), mine, "So proud of you.")

    page = as_rosa.get(first)

    assert news_of(page) == (f"{HEADING} Tom left kind words on your reflection in "
                             f"“{title(app, 'boundaries')}”.")
    assert f'href="/family#reflection-{mine}"' in page.text
    assert seen_at(app, rosa) is not None
    assert news_of(as_rosa.get(first)) == ""
    assert news_of(as_rosa.get(then)) == ""


def test_kind_words_on_a_reflection_no_longer_shared_lead_to_its_step(app, family, signed_in):
    rosa, tom, _ = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")
    encourage(signed_in(app, tom), reflection_id(app, "Saying no to lending money."), "Proud.")
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.", visibility="private")

    page = as_rosa.get("/")

    assert "Tom left kind words" in news_of(page)
    assert ('href="/modules/boundaries/what-a-boundary-is#prompt-what-a-boundary-is-reflect"'
            in page.text)


@pytest.mark.parametrize("visibility", ["family", "facilitator"])
def test_a_reflection_my_family_shares_shows_once(visibility, app, family, signed_in):
    rosa, tom, _ = family
    as_rosa = signed_in(app, rosa)
    reflect(signed_in(app, tom), BOUNDARIES, "Dinner out when he is sober.", visibility)
    shared = reflection_id(app, "Dinner out when he is sober.")

    page = as_rosa.get("/family")

    assert news_of(page) == (f"{HEADING} Tom shared a reflection in "
                             f"“{title(app, 'boundaries')}”.")
    assert f'href="/family#reflection-{shared}"' in page.text
    assert f'id="reflection-{shared}"' in page.text  # The link leads to it on the same page.
    assert news_of(as_rosa.get("/family")) == ""
    assert news_of(as_rosa.get("/")) == ""


def test_a_shared_reflection_changed_since_shows_as_changed(app, family, signed_in):
    rosa, tom, _ = family
    as_rosa, as_tom = signed_in(app, rosa), signed_in(app, tom)
    reflect(as_tom, BOUNDARIES, "Dinner out when he is sober.")
    as_rosa.get("/")

    reflect(as_tom, BOUNDARIES, "Dinner out, and a film, when he is sober.")

    assert "Tom changed a reflection they share in" in news_of(as_rosa.get("/"))


def test_my_own_sharing_is_not_news_to_me(app, family, signed_in):
    rosa, _, _ = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")

    assert news_of(as_rosa.get("/family")) == ""
    assert seen_at(app, rosa) is None  # Nothing shown, nothing written.


def test_a_module_my_group_opened_since_my_last_visit_shows_once(app, family, cohort, signed_in):
    rosa, _, _ = family
    with app.app_context():
        today = local_today()
        db.session.add_all([
            ModuleSchedule(cohort_id=cohort.id, module_slug="boundaries",
                           opens_on=today - timedelta(days=1)),
            ModuleSchedule(cohort_id=cohort.id, module_slug="medications",
                           opens_on=today + timedelta(days=1)),
            ModuleSchedule(cohort_id=cohort.id, module_slug="how-people-change",
                           opens_on=today - timedelta(days=10)),
        ])
        db.session.commit()
    last_looked(app, rosa, days_ago=3)
    as_rosa = signed_in(app, rosa)

    page = as_rosa.get("/")

    assert news_of(page) == f"{HEADING} “{title(app, 'boundaries')}” is open now."
    assert '<a href="/modules/boundaries">“' in page.text
    assert news_of(as_rosa.get("/")) == ""


def test_the_group_note_shows_once_and_again_when_changed(app, family, cohort, signed_in):
    rosa, _, ivy = family

    def write_note(text):
        with app.app_context():
            db.session.execute(update(Cohort).where(Cohort.id == cohort.id).values(
                note=text, note_updated_at=utcnow()))
            db.session.commit()

    write_note("We meet on Thursday this week.\nBring a friend if you like.")
    as_rosa = signed_in(app, rosa)

    page = as_rosa.get("/")
    assert news_of(page) == (f"{HEADING} A note from your group's facilitator · "
                             f"{utcnow().strftime('%-d %B')} We meet on Thursday this week. "
                             "Bring a friend if you like.")
    assert news_of(as_rosa.get("/")) == ""
    assert "We meet on Thursday" in news_of(signed_in(app, ivy).get("/family"))

    write_note("Room 4 tonight.")
    assert "Room 4 tonight." in news_of(as_rosa.get("/family"))


# Who sees what -------------------------------------------------------------------------------


def test_others_private_reflections_and_other_families_never_show(app, family, signed_in):
    rosa, tom, ivy = family
    as_tom, as_ivy = signed_in(app, tom), signed_in(app, ivy)
    reflect(as_tom, BOUNDARIES, "Some days I am so angry.", visibility="private")
    reflect(as_ivy, BOUNDARIES, "Ivy's family thought.", visibility="family")
    reflect(as_ivy, START_HERE, "Ivy's note to the facilitator.", visibility="facilitator")
    as_rosa = signed_in(app, rosa)

    for path in ("/", "/family"):
        page = as_rosa.get(path)
        assert news_of(page) == ""
        assert "angry" not in page.text and "Ivy" not in page.text
    assert seen_at(app, rosa) is None


def test_kind_words_on_others_reflections_are_not_my_news(app, family, make_member, signed_in):
    rosa, tom, _ = family
    lena = make_member("Lena", family=rosa.membership.family, relationship="sibling")
    reflect(signed_in(app, tom), BOUNDARIES, "Dinner out when he is sober.")
    as_rosa = signed_in(app, rosa)
    as_rosa.get("/")  # Tom's reflection, seen.

    encourage(signed_in(app, lena), reflection_id(app, "Dinner out when he is sober."), "Yes!")

    assert news_of(as_rosa.get("/")) == ""


def test_the_where_clause_agrees_with_the_rule_for_each_reflection(app, family, signed_in):
    """sharing.shared_by_family picks exactly the others' reflections the viewer may read."""
    rosa, tom, ivy = family
    for who, where, visibility in [
        (tom, BOUNDARIES, "private"), (tom, BOUNDARIES_LATER, "family"),
        (tom, START_HERE, "facilitator"), (rosa, BOUNDARIES, "family"),
        (ivy, BOUNDARIES, "family"), (ivy, START_HERE, "facilitator"),
    ]:
        reflect(signed_in(app, who), where, f"{who.display_name} {visibility}", visibility)

    with app.app_context():
        viewer = db.session.get(User, rosa.id)
        rows = db.session.scalars(select(Reflection)).all()
        picked = set(db.session.scalars(
            select(Reflection.id).where(sharing.shared_by_family(viewer))))
        assert picked == {r.id for r in rows
                          if r.user_id != viewer.id and sharing.can_read_reflection(viewer, r)}
        assert {r.body for r in rows if r.id in picked} == {"Tom family", "Tom facilitator"}


# A short list --------------------------------------------------------------------------------


def test_a_busy_family_gives_five_items_and_a_count_of_the_rest(app, family, signed_in):
    rosa, tom, _ = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")
    mine = reflection_id(app, "Saying no to lending money.")
    as_tom = signed_in(app, tom)
    for n in range(6):
        encourage(as_tom, mine, f"Kind words {n}")
    reflect(as_tom, BOUNDARIES_LATER, "Dinner out when he is sober.")

    page = as_rosa.get("/")

    listed = news_of(page)
    assert listed.count("Tom left kind words") + listed.count("Tom shared") == news.SHOWN
    assert "Tom shared a reflection" in listed  # The newest first.
    assert listed.endswith("And 2 more. See them on your family page and My course.")
    assert news_of(as_rosa.get("/")) == ""


def test_a_new_member_gets_the_groups_note_but_not_what_happened_before_they_joined(
    app, cohort, make_member, signed_in
):
    rosa = make_member("Rosa", cohort=cohort)
    reflect(signed_in(app, rosa), BOUNDARIES, "Saying no to lending money.")
    with app.app_context():
        db.session.execute(update(Cohort).where(Cohort.id == cohort.id).values(
            note="Welcome, everyone.", note_updated_at=utcnow()))
        db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug="boundaries",
                                      opens_on=local_today() - timedelta(days=2)))
        db.session.commit()

    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    as_tom = signed_in(app, tom)

    # Only the group's standing note, which a newcomer needs (when and where it meets), once.
    first = news_of(as_tom.get("/"))
    assert "Welcome, everyone." in first
    assert "lending money" not in first and "Boundaries" not in first
    assert news_of(as_tom.get("/")) == ""



def test_a_module_that_is_always_open_is_never_news(app, family, cohort):
    rosa, _, _ = family
    with app.app_context():
        db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug="start-here",
                                      opens_on=local_today()))
        db.session.commit()
        member = db.session.get(User, rosa.id)
        member.news_seen_at = utcnow() - timedelta(days=3)
        assert news.whats_new(member, current_catalog().published).items == []


def test_news_after_now_waits_for_the_next_visit(app, family, signed_in):
    rosa, tom, _ = family
    reflect(signed_in(app, tom), BOUNDARIES, "Dinner out when he is sober.")
    with app.app_context():
        member = db.session.get(User, rosa.id)
        found = news.whats_new(member, current_catalog().published,
                               now=utcnow() - timedelta(seconds=30))
        assert found.items == [] and found.more == 0
        news_now = news.whats_new(member, current_catalog().published)
        assert [item.kind for item in news_now.items] == [news.NewsKind.SHARED]


def test_a_slower_tab_never_moves_the_mark_back(app, family):
    rosa, _, _ = family
    later = utcnow()
    with app.app_context():
        member = db.session.get(User, rosa.id)
        news.mark_seen(member, later)
        news.mark_seen(member, later - timedelta(minutes=1))  # Its news was found earlier.
        db.session.commit()

    assert seen_at(app, rosa) == later
