"""Who sees what. A visitor sees nothing of a member's; another family can't even learn that a
reflection, an encouragement or an invite exists (404); a private reflection stays with its
author; a member can take all their data away, or delete it."""

import json
import re
from dataclasses import dataclass

import pytest
from helpers import PASSWORD, right_answers, text_of
from sqlalchemy import func, select

from course import sharing
from course.extensions import db
from course.invitations import create_invite
from course.models import (
    Cohort,
    CohortFacilitator,
    Encouragement,
    Family,
    FamilyMembership,
    Invite,
    ModuleProgress,
    QuizAttempt,
    Reflection,
    Role,
    SectionRead,
    User,
    Visibility,
)


def add_reflection(app, user, prompt, body, visibility, slug="boundaries") -> int:
    with app.app_context():
        reflection = Reflection(user_id=user.id, module_slug=slug, prompt_id=prompt, body=body,
                                visibility=visibility)
        db.session.add(reflection)
        db.session.commit()
        return reflection.id


def add_encouragement(app, reflection_id, author, body) -> int:
    with app.app_context():
        encouragement = Encouragement(reflection_id=reflection_id, author_id=author.id, body=body)
        db.session.add(encouragement)
        db.session.commit()
        return encouragement.id


def make_cohort(app, name="Tuesday evening group") -> Cohort:
    with app.app_context():
        cohort = Cohort(name=name)
        db.session.add(cohort)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
        return cohort


def everything(app) -> dict:
    """What a refused request must leave as it was."""
    with app.app_context():
        return {
            "reflections": db.session.execute(
                select(Reflection.id, Reflection.body, Reflection.visibility)
                .order_by(Reflection.id)).all(),
            "encouragements": db.session.execute(
                select(Encouragement.id, Encouragement.body).order_by(Encouragement.id)).all(),
            "invites": db.session.execute(
                select(Invite.id, Invite.revoked_at).order_by(Invite.id)).all(),
        }


@dataclass
class Scene:
    rosa: User
    tom: User
    dana: User
    shared: int  # Rosa's reflection, shared with her family
    private: int  # Rosa's private reflection
    encouragement: int  # Tom's, on Rosa's shared reflection
    invite: int  # to Rosa's family
    danas: int  # Dana's reflection, shared with her own family


@pytest.fixture
def scene(app, make_member) -> Scene:
    """Rosa and Tom's family, and Dana's: a second family that must see nothing of the first."""
    rosa = make_member("Rosa")
    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    dana = make_member("Dana", relationship="sibling")
    shared = add_reflection(app, rosa, "what-a-boundary-is-reflect",
                            "No more lending money.", Visibility.FAMILY)
    private = add_reflection(app, rosa, "rewarding-not-using-reflect",
                             "I feel like giving up.", Visibility.PRIVATE)
    encouragement = add_encouragement(app, shared, tom, "Proud of you.")
    danas = add_reflection(app, dana, "what-a-boundary-is-reflect",
                           "Our father drinks every night.", Visibility.FACILITATOR)
    with app.app_context():
        family = db.session.get(Family, rosa.membership.family_id)
        invite, _ = create_invite(created_by=rosa, family=family, max_uses=1)
        db.session.commit()
        invite_id = invite.id
    return Scene(rosa, tom, dana, shared, private, encouragement, invite_id, danas)


def send(client, method, url, scene):
    """Send a request as a form would, with kind words for any encouragement form."""
    url = url.format(**vars(scene))
    words = {f"r{scene.shared}-body": "Kind words", f"r{scene.private}-body": "Kind words"}
    return client.get(url) if method == "GET" else client.post(url, data=words)


# A visitor -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method, url", [
    ("GET", "/family"),
    ("POST", "/family/invites"),
    ("POST", "/family/invites/1/revoke"),
    ("GET", "/modules/boundaries"),
    ("GET", "/modules/boundaries/what-a-boundary-is"),
    ("POST", "/modules/boundaries/what-a-boundary-is"),
    ("GET", "/modules/boundaries/quiz"),
    ("POST", "/modules/boundaries/quiz"),
    ("GET", "/modules/boundaries/quiz/1"),
    ("GET", "/reflections/1/delete"),
    ("POST", "/reflections/1/delete"),
    ("POST", "/reflections/1/encouragements"),
    ("POST", "/encouragements/1/delete"),
    ("GET", "/account"),
    ("POST", "/account"),
    ("GET", "/account/data"),
    ("GET", "/account/data.json"),
    ("GET", "/account/delete"),
    ("POST", "/account/delete"),
    ("GET", "/account/password"),
])
def test_login_required(client, method, url):
    response = client.open(url, method=method)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# Another family ------------------------------------------------------------------------------


@pytest.mark.parametrize("method, url", [
    ("GET", "/reflections/{shared}/delete"),
    ("POST", "/reflections/{shared}/delete"),
    ("GET", "/reflections/{private}/delete"),
    ("POST", "/reflections/{private}/delete"),
    ("POST", "/reflections/{shared}/encouragements"),
    ("POST", "/reflections/{private}/encouragements"),
    ("POST", "/encouragements/{encouragement}/delete"),
    ("POST", "/family/invites/{invite}/revoke"),
])
def test_another_family_cannot_touch_ours(method, url, app, scene, signed_in):
    before = everything(app)

    response = send(signed_in(app, scene.dana), method, url, scene)

    assert response.status_code == 404
    assert "No more lending money." not in response.text
    assert everything(app) == before


def test_what_we_may_not_see_looks_like_what_does_not_exist(app, scene, signed_in):
    as_dana = signed_in(app, scene.dana)

    theirs = as_dana.get(f"/reflections/{scene.shared}/delete")
    nothing = as_dana.get("/reflections/999999/delete")

    # Alike but for the address she asked for, which the language switch sends her back to.
    def page(response):
        return re.sub(r'name="next" value="[^"]*"', "", response.text)

    assert (theirs.status_code, page(theirs)) == (nothing.status_code, page(nothing))
    assert f"/reflections/{scene.shared}/delete" in theirs.text


def test_the_family_page_shows_only_my_own_family(app, scene, signed_in):
    danas_page = text_of(signed_in(app, scene.dana).get("/family"))
    for theirs in ("Rosa", "Tom", "No more lending money.", "Proud of you.",
                   "I feel like giving up."):
        assert theirs not in danas_page
    assert "Our father drinks every night." in danas_page

    rosas_page = text_of(signed_in(app, scene.rosa).get("/family"))
    assert "Dana" not in rosas_page
    assert "Our father drinks every night." not in rosas_page
    assert "No more lending money." in rosas_page


# A private reflection within the family ------------------------------------------------------


@pytest.mark.parametrize("method, url", [
    ("GET", "/reflections/{private}/delete"),
    ("POST", "/reflections/{private}/delete"),
    ("POST", "/reflections/{private}/encouragements"),
    # Tom may read Rosa's shared reflection, but only Rosa may delete it.
    ("GET", "/reflections/{shared}/delete"),
    ("POST", "/reflections/{shared}/delete"),
])
def test_a_family_member_cannot_reach_my_private_reflection_or_delete_mine(
    method, url, app, scene, signed_in
):
    before = everything(app)

    response = send(signed_in(app, scene.tom), method, url, scene)

    assert response.status_code == 404
    assert "I feel like giving up." not in response.text
    assert everything(app) == before


def test_a_private_reflection_is_not_on_the_family_page(app, scene, signed_in):
    page = signed_in(app, scene.tom).get("/family").text

    assert "I feel like giving up." not in page
    assert f"reflection-{scene.private}" not in page
    assert f"r{scene.private}-body" not in page


# A facilitator -------------------------------------------------------------------------------


def test_a_facilitator_reads_only_what_their_groups_share_with_them(app, make_member):
    tuesday, thursday = make_cohort(app), make_cohort(app, "Thursday group")
    rosa = make_member("Rosa", cohort=tuesday)
    elsewhere = make_member("Omar", cohort=thursday)
    faye = make_member("Faye")
    with app.app_context():
        db.session.get(User, faye.id).role = Role.FACILITATOR
        db.session.add(CohortFacilitator(cohort_id=tuesday.id, user_id=faye.id))
        db.session.commit()
    prompts = iter(["a-reflect", "b-reflect", "c-reflect", "d-reflect"])
    expected = {
        add_reflection(app, rosa, next(prompts), "For Faye too.", Visibility.FACILITATOR): True,
        add_reflection(app, rosa, next(prompts), "Family only.", Visibility.FAMILY): False,
        add_reflection(app, rosa, next(prompts), "Only me.", Visibility.PRIVATE): False,
        add_reflection(app, elsewhere, next(prompts), "Other group.", Visibility.FACILITATOR):
            False,
    }

    with app.app_context():
        viewer = db.session.get(User, faye.id)
        seen = {
            reflection_id: sharing.can_read_reflection(viewer, db.session.get(Reflection,
                                                                               reflection_id))
            for reflection_id in expected
        }
    assert seen == expected


def test_an_admin_reads_nothing_of_a_group_they_do_not_run(app, make_member, make_staff,
                                                          signed_in):
    """Admins manage accounts and content; like any facilitator, they read members' reflections
    and answers only in a group they run, as the privacy page promises."""
    cohort = make_cohort(app)
    rosa = make_member("Rosa", cohort=cohort)
    ada = make_staff("Ada", Role.ADMIN)
    shared = add_reflection(app, rosa, "what-a-boundary-is-reflect", "For my facilitator.",
                            Visibility.FACILITATOR)
    as_ada = signed_in(app, ada)
    pages = [f"/facilitate/cohorts/{cohort.id}{page}" for page in (
        "", "/roster", "/questions", "/reflections", "/invites", "/schedule", "/edit",
        f"/members/{rosa.id}", "/progress.csv", "/questions.csv")]

    assert {url: as_ada.get(url).status_code for url in pages} == dict.fromkeys(pages, 404)
    assert "Tuesday evening group" not in as_ada.get("/facilitate").text
    with app.app_context():
        assert not sharing.can_read_reflection(db.session.get(User, ada.id),
                                               db.session.get(Reflection, shared))

    with app.app_context():
        db.session.add(CohortFacilitator(cohort_id=cohort.id, user_id=ada.id))
        db.session.commit()
    assert "For my facilitator." in as_ada.get(f"/facilitate/cohorts/{cohort.id}/reflections").text


def test_the_privacy_page_says_who_reads_what_as_the_code_decides(client):
    page = " ".join(text_of(client.get("/privacy")).split())

    assert "the facilitators who run your group" in page
    assert "Admins of the site don't see your progress, answers or reflections" in page
    assert "still see your progress" in page


# My data -------------------------------------------------------------------------------------


def take_quiz(client, answers, key):
    return client.post("/modules/boundaries/quiz", data={**answers, "submission_key": key})


def test_my_data_holds_what_i_wrote_and_did_and_nothing_of_anyone_else(
    app, scene, signed_in
):
    as_rosa, as_tom = signed_in(app, scene.rosa), signed_in(app, scene.tom)
    answers = right_answers(app, "boundaries")
    take_quiz(as_rosa, answers, "rosa-1")
    take_quiz(as_tom, answers, "tom-1")
    take_quiz(as_tom, answers, "tom-2")
    add_reflection(app, scene.tom, "rewarding-not-using-reflect", "Tom's own thoughts.",
                   Visibility.FAMILY)

    response = as_rosa.get("/account/data.json")

    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.text)
    assert data["account"]["email"] == scene.rosa.email
    assert sorted(r["text"] for r in data["reflections"]) == [
        "I feel like giving up.", "No more lending money."]
    assert [(a["module"], a["attempt"], a["score"]) for a in data["quiz_attempts"]] == [
        ("boundaries", 1, 1.0)]
    assert data["encouragements_written"] == []
    # What she agreed to be emailed, and who may read her plan, are hers too.
    assert data["account"]["emails_wanted"] == {
        "reminders": True, "module_notes": True, "family_notes": True, "digest": True}
    assert data["family"]["plan_visibility"] == "private"
    assert data["emails_sent"] == []
    for theirs in (scene.tom.email, scene.dana.email, "Tom's own thoughts.",
                   "Our father drinks every night.", "tom-1"):
        assert theirs not in response.text


# Deleting my account -------------------------------------------------------------------------


@pytest.fixture
def leaving(app, make_member, signed_in):
    """Rosa, in a group, has read, reflected, taken a quiz and encouraged Tom; then she leaves."""
    cohort = make_cohort(app)
    rosa = make_member("Rosa", cohort=cohort)
    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    as_rosa = signed_in(app, rosa)
    as_rosa.post("/modules/boundaries/what-a-boundary-is", data={
        "action": "next", "reflection-what-a-boundary-is-reflect": "No more lending money.",
        "visibility-what-a-boundary-is-reflect": "family"})
    take_quiz(as_rosa, right_answers(app, "boundaries"), "rosa-1")
    mine = add_reflection(app, rosa, "rewarding-not-using-reflect", "Only me.", Visibility.PRIVATE)
    toms = add_reflection(app, tom, "what-a-boundary-is-reflect", "Dinner out.",
                          Visibility.FAMILY)
    add_encouragement(app, toms, rosa, "Lovely idea.")
    with app.app_context():
        shared = db.session.scalar(select(Reflection.id).where(Reflection.user_id == rosa.id,
                                                               Reflection.id != mine))
    add_encouragement(app, shared, tom, "Proud of you.")
    return rosa, tom, cohort, as_rosa


def rows_of(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_a_wrong_password_deletes_nothing(app, leaving):
    rosa, _, _, as_rosa = leaving

    response = as_rosa.post("/account/delete", data={"password": "not my password"})

    assert response.status_code == 422
    assert "That is not your password." in text_of(response)
    assert rows_of(app, User, id=rosa.id) == 1
    assert rows_of(app, Reflection, user_id=rosa.id) == 2
    assert as_rosa.get("/family").status_code == 200


def test_deleting_my_account_removes_what_is_mine_and_logs_me_out(app, leaving, client):
    rosa, _, cohort, as_rosa = leaving

    response = as_rosa.post("/account/delete", data={"password": PASSWORD})

    assert response.status_code == 200
    assert "Your account is deleted" in response.text
    assert as_rosa.get("/family").headers["Location"].startswith("/login")
    for model, owner in [(User, "id"), (FamilyMembership, "user_id"), (Reflection, "user_id"),
                         (ModuleProgress, "user_id"), (SectionRead, "user_id"),
                         (Encouragement, "author_id")]:
        assert rows_of(app, model, **{owner: rosa.id}) == 0, model.__name__
    # Tom's encouragement went with the reflection it was left on.
    assert rows_of(app, Encouragement) == 0
    with app.app_context():
        attempts = db.session.execute(select(QuizAttempt.user_id, QuizAttempt.cohort_id)).all()
    assert attempts == [(None, cohort.id)]
    assert client.post("/login", data={"email": rosa.email, "password": PASSWORD}
                       ).status_code == 401


def test_the_family_goes_on_after_a_member_leaves(app, leaving, signed_in):
    _, tom, _, as_rosa = leaving

    as_rosa.post("/account/delete", data={"password": PASSWORD})

    response = signed_in(app, tom).get("/family")
    assert response.status_code == 200
    page = text_of(response)
    assert "Tom (you)" in page
    assert "<h3>Rosa" not in page and "No more lending money." not in page
    assert "Dinner out." in page
    assert "Lovely idea." not in page


def test_a_family_named_after_a_deleted_member_is_renamed_for_those_who_stay(
    app, make_member, signed_in
):
    rosa = make_member("Rosa")
    tom = make_member("Tom", family=rosa.membership.family)

    signed_in(app, rosa).post("/account/delete", data={"password": PASSWORD})

    page = signed_in(app, tom).get("/family").text
    assert "Tom&#39;s family" in page
    assert "Rosa" not in page
