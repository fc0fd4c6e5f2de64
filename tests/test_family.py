"""The family page: everyone's progress (unless someone keeps theirs private), the reflections
shared with the family, a few kind words left on them, and links to invite one more person."""

import re

import pytest
from helpers import text_of
from sqlalchemy import select

from course.content.ext import current_catalog
from course.extensions import db
from course.models import Cohort, Encouragement, Invite, Reflection

# Shipped modules: (slug, section, prompt) of a reflection box in each.
START_HERE = ("start-here", "how-this-course-works", "how-this-course-works-reflect")
BOUNDARIES = ("boundaries", "what-a-boundary-is", "what-a-boundary-is-reflect")
BOUNDARIES_LATER = ("boundaries", "rewarding-not-using", "rewarding-not-using-reflect")


def reflect(client, where, text, visibility="family"):
    """Write a reflection in a section's box, choose who reads it, and save it."""
    slug, section, prompt = where
    response = client.post(f"/modules/{slug}/{section}", data={
        "action": "save", f"reflection-{prompt}": text, f"visibility-{prompt}": visibility})
    assert response.status_code == 302, response.text


def reflection_id(app, text) -> int:
    with app.app_context():
        return db.session.scalar(select(Reflection.id).where(Reflection.body == text))


def encouragements(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [(e.body, e.author_id) for e in db.session.scalars(select(Encouragement))]


def encourage(client, reflection, text):
    return client.post(f"/reflections/{reflection}/encouragements",
                       data={f"r{reflection}-body": text})


def member_card(page: str, name: str) -> str:
    """What the family page says about one member."""
    match = re.search(
        rf'<article class="member">\s*<h3>{re.escape(name)}.*?</article>', page, re.DOTALL)
    assert match, f"{name} is not on the family page"
    return match.group(0)


def shared_section(page: str) -> str:
    start = page.index('<h2 id="shared_heading">')
    return page[start:page.index('<h2 id="invite_heading">')]


@pytest.fixture
def family(app, make_member):
    """Rosa and her husband Tom, in one family, in a facilitator's group."""
    with app.app_context():
        cohort = Cohort(name="Tuesday group")
        db.session.add(cohort)
        db.session.commit()
        db.session.expunge(cohort)
    rosa = make_member("Rosa", cohort=cohort)
    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    return rosa, tom


# Progress ------------------------------------------------------------------------------------


def test_family_members_see_each_others_progress(app, family, signed_in):
    rosa, tom = family
    as_rosa, as_tom = signed_in(app, rosa), signed_in(app, tom)
    slug, section, _ = START_HERE
    as_tom.post(f"/modules/{slug}/{section}", data={"action": "next"})

    rosas_view = text_of(as_rosa.get("/family"))
    assert "0 of 17 modules completed." in member_card(rosas_view, "Rosa (you)")
    toms_card = member_card(rosas_view, "Tom")
    assert "0 of 17 modules completed." in toms_card
    assert "How this course works, and safety first: 1 of 6 sections" in " ".join(re.sub(
        r"<[^>]+>", " ", toms_card).split())
    assert "keeps their progress private" not in rosas_view

    toms_view = text_of(as_tom.get("/family"))
    assert "Tom (you)" in toms_view
    assert "0 of 17 modules completed." in member_card(toms_view, "Rosa")


def test_hiding_my_progress_keeps_it_from_my_family(app, family, signed_in):
    rosa, tom = family
    as_rosa, as_tom = signed_in(app, rosa), signed_in(app, tom)
    slug, section, _ = START_HERE
    as_tom.post(f"/modules/{slug}/{section}", data={"action": "next"})

    saved = as_tom.post("/account", data={
        "display_name": "Tom", "relationship": "partner", "is_progress_hidden": "y"})
    assert saved.status_code == 302

    toms_card = member_card(text_of(as_rosa.get("/family")), "Tom")
    assert "Tom keeps their progress private." in toms_card
    assert "modules completed" not in toms_card and "1 of 6 sections" not in toms_card
    # Tom still sees his own.
    assert "1 of 6 sections" in member_card(text_of(as_tom.get("/family")), "Tom (you)")


def test_showing_my_progress_again(app, family, signed_in):
    rosa, tom = family
    as_tom = signed_in(app, tom)
    as_tom.post("/account", data={
        "display_name": "Tom", "relationship": "partner", "is_progress_hidden": "y"})

    as_tom.post("/account", data={"display_name": "Tom", "relationship": "partner"})

    toms_card = member_card(text_of(signed_in(app, rosa).get("/family")), "Tom")
    assert "0 of 17 modules completed." in toms_card


# Shared reflections --------------------------------------------------------------------------


def test_shared_reflections_are_grouped_by_module_newest_first(app, family, signed_in):
    rosa, tom = family
    as_rosa, as_tom = signed_in(app, rosa), signed_in(app, tom)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")
    reflect(as_rosa, START_HERE, "I want to worry less.", visibility="facilitator")
    reflect(as_tom, BOUNDARIES_LATER, "Dinner out when he is sober.")

    page = shared_section(text_of(as_tom.get("/family")))

    with app.app_context():
        titles = [current_catalog().get(slug).title for slug in ("start-here", "boundaries")]
    assert re.findall(r"<h3>([^<]+)</h3>", page) == titles
    order = [page.index(text) for text in (
        "I want to worry less.", "Dinner out when he is sober.", "Saying no to lending money.")]
    assert order == sorted(order)
    # Said of the writer, not in the reader's own words ("My family").
    assert page.count("shared with the family and the facilitator</span>") == 1
    assert page.count("shared with the family</span>") == 2
    assert "My family" not in page


def test_private_reflections_never_reach_the_family(app, family, signed_in):
    rosa, tom = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Some days I am so angry.", visibility="private")

    assert "Some days I am so angry." not in text_of(signed_in(app, tom).get("/family"))
    assert "Some days I am so angry." not in text_of(as_rosa.get("/family"))
    assert "Nothing is shared yet." in text_of(as_rosa.get("/family"))


def test_a_reflection_made_private_again_leaves_the_family_page(app, family, signed_in):
    rosa, tom = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")

    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.", visibility="private")

    assert "Saying no to lending money." not in text_of(signed_in(app, tom).get("/family"))


def test_i_can_delete_my_shared_reflection_from_the_family_page(app, family, signed_in):
    rosa, tom = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")
    mine = reflection_id(app, "Saying no to lending money.")

    page = as_rosa.get("/family").text
    assert f'href="/reflections/{mine}/delete?back=family"' in page
    assert "/delete?back=family" not in signed_in(app, tom).get("/family").text

    done = as_rosa.post(f"/reflections/{mine}/delete?back=family")
    assert done.headers["Location"] == "/family"
    assert reflection_id(app, "Saying no to lending money.") is None


# Encouragement -------------------------------------------------------------------------------


def test_a_family_member_leaves_a_few_kind_words(app, family, signed_in):
    rosa, tom = family
    as_rosa, as_tom = signed_in(app, rosa), signed_in(app, tom)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")
    reflection = reflection_id(app, "Saying no to lending money.")
    assert f'action="/reflections/{reflection}/encouragements"' in as_tom.get("/family").text
    assert f'action="/reflections/{reflection}/encouragements"' not in as_rosa.get("/family").text

    response = encourage(as_tom, reflection, "  So proud of you.  ")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/family#reflection-{reflection}"
    assert encouragements(app) == [("So proud of you.", tom.id)]
    page = text_of(as_rosa.get("/family"))
    assert "<strong>Tom:</strong> <span class=\"reflection-text\">So proud of you.</span>" in page


def test_i_cannot_encourage_my_own_reflection(app, family, signed_in):
    rosa, _ = family
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARIES, "Saying no to lending money.")

    response = encourage(as_rosa, reflection_id(app, "Saying no to lending money."), "Go me")

    assert response.status_code == 404
    assert encouragements(app) == []


@pytest.mark.parametrize("text, error", [
    pytest.param("", "Write a few words first.", id="empty"),
    pytest.param("   ", "Write a few words first.", id="only-spaces"),
    pytest.param("You are doing so well. " * 13, "Please keep it under 280 characters.",
                 id="too-long"),
])
def test_an_encouragement_that_cannot_be_posted_comes_back_with_the_error(
    text, error, app, family, signed_in
):
    rosa, tom = family
    reflect(signed_in(app, rosa), BOUNDARIES, "Saying no to lending money.")
    reflection = reflection_id(app, "Saying no to lending money.")

    response = encourage(signed_in(app, tom), reflection, text)

    assert response.status_code == 422
    page = text_of(response)
    assert f'<small id="r{reflection}-body-error" class="field-error">{error}</small>' in page
    if text.strip():
        assert f"{text.strip()}</textarea>" in page
    assert encouragements(app) == []


@pytest.fixture
def encouraged(app, family, make_member, signed_in):
    """Rosa's shared reflection with Tom's encouragement on it; Lena is in the family too."""
    rosa, tom = family
    lena = make_member("Lena", family=rosa.membership.family, relationship="sibling")
    reflect(signed_in(app, rosa), BOUNDARIES, "Saying no to lending money.")
    encourage(signed_in(app, tom), reflection_id(app, "Saying no to lending money."), "Proud.")
    with app.app_context():
        encouragement = db.session.scalar(select(Encouragement.id))
    return rosa, tom, lena, encouragement


@pytest.mark.parametrize("remover", ["author of the reflection", "writer"])
def test_an_encouragement_can_be_removed_by_its_writer_or_the_author(
    remover, app, encouraged, signed_in
):
    rosa, tom, _, encouragement = encouraged
    client = signed_in(app, rosa if remover == "author of the reflection" else tom)
    assert f'action="/encouragements/{encouragement}/delete"' in client.get("/family").text

    response = client.post(f"/encouragements/{encouragement}/delete")

    assert response.status_code == 302
    assert encouragements(app) == []
    assert "The encouragement is removed." in client.get("/family").text


def test_another_family_member_cannot_remove_an_encouragement(app, encouraged, signed_in):
    _, tom, lena, encouragement = encouraged
    as_lena = signed_in(app, lena)
    assert f'action="/encouragements/{encouragement}/delete"' not in as_lena.get("/family").text

    assert as_lena.post(f"/encouragements/{encouragement}/delete").status_code == 404
    assert encouragements(app) == [("Proud.", tom.id)]


# Invites -------------------------------------------------------------------------------------


def live_invites(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Invite.id).where(Invite.revoked_at.is_(None))))


def test_an_invite_link_is_shown_once(app, family, signed_in, client):
    rosa, _ = family
    as_rosa = signed_in(app, rosa)

    response = as_rosa.post("/family/invites")

    assert response.status_code == 201
    link = re.search(r'<textarea id="invite_link"[^>]*>([^<]+)</textarea>',
                     response.text).group(1)
    token = link.rsplit("/join/", 1)[1]
    page = as_rosa.get("/family").text
    assert "Links not used yet" in page
    assert token not in page
    assert client.get(f"/join/{token}").status_code == 200


def test_withdrawing_an_invite_stops_the_link(app, family, signed_in, client):
    rosa, tom = family
    response = signed_in(app, rosa).post("/family/invites")
    token = re.search(r'<textarea id="invite_link"[^>]*>[^<]*/join/([^<]+)</textarea>',
                      response.text).group(1)
    [invite] = live_invites(app)

    as_tom = signed_in(app, tom)  # Anyone in the family may withdraw it.
    withdrawn = as_tom.post(f"/family/invites/{invite}/revoke")

    assert withdrawn.headers["Location"] == "/family"
    assert live_invites(app) == []
    page = as_tom.get("/family").text
    assert "The invite link no longer works." in page
    assert "Links not used yet" not in page
    assert client.get(f"/join/{token}").status_code == 404


def test_another_family_cannot_withdraw_our_invite(app, family, make_member, signed_in):
    rosa, _ = family
    signed_in(app, rosa).post("/family/invites")
    [invite] = live_invites(app)

    stranger = signed_in(app, make_member("Dana"))
    response = stranger.post(f"/family/invites/{invite}/revoke")

    assert response.status_code == 404
    assert live_invites(app) == [invite]
