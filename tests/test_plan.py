"""My plan: a member's answers to the plan's prompts from every module on one page, grouped by
part in course order; prompts not answered yet link to their module; the member chooses who else
may read it, and nobody else ever does."""

import re

import pytest
from helpers import counting_queries, guide_example, text_of, words, write_module
from sqlalchemy import select

from course import sharing
from course.extensions import db
from course.models import (
    AuditEvent,
    AuditKind,
    Cohort,
    CohortFacilitator,
    FamilyMembership,
    Reflection,
    User,
    Visibility,
)

# Shipped plan prompts: (slug, section, prompt), in course order.
SAFETY = ("start-here", "if-you-feel-unsafe-at-home", "if-you-feel-unsafe-at-home-reflect")
CALL = ("start-here", "when-to-call-whom", "when-to-call-whom-reflect")
NALOXONE = ("staying-alive", "naloxone-in-every-home", "naloxone-in-every-home-reflect")
BOUNDARY = ("boundaries", "stating-a-boundary-and-keeping-it",
            "stating-a-boundary-and-keeping-it-reflect")
REWARD = ("boundaries", "rewarding-not-using", "rewarding-not-using-reflect")
SELF_CARE = ("caring-for-yourself", "self-care-that-fits-real-life",
             "self-care-that-fits-real-life-reflect")
PARTS = ["Staying safe", "Who I can call", "The boundary I will keep",
         "How I will reward not using", "Caring for myself"]


def reflect(client, where, text, visibility="private"):
    """Write an answer in a prompt's box in its module, and save it."""
    slug, section, prompt = where
    response = client.post(f"/modules/{slug}/{section}", data={
        "action": "save", f"reflection-{prompt}": text, f"visibility-{prompt}": visibility})
    assert response.status_code == 302, response.text


def share_plan(client, visibility):
    return client.post("/plan", data={"visibility": visibility})


def plan_visibility(app, user) -> Visibility:
    with app.app_context():
        return db.session.scalar(
            select(FamilyMembership.plan_visibility).where(FamilyMembership.user_id == user.id)
        )


@pytest.fixture
def group(app, make_staff, make_member):
    """Dana runs the Tuesday group; Rosa and her husband Tom are a family in it."""
    dana = make_staff("Dana")
    with app.app_context():
        cohort = Cohort(name="Tuesday group")
        cohort.facilitators.append(CohortFacilitator(user_id=dana.id, is_owner=True))
        db.session.add(cohort)
        db.session.commit()
        db.session.expunge(cohort)
    rosa = make_member("Rosa", cohort=cohort)
    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    return dana, rosa, tom


# Gathering the plan ----------------------------------------------------------------------------


def test_my_plan_gathers_my_answers_by_part_in_course_order(app, make_member, signed_in):
    client = signed_in(app, make_member("Rosa"))
    reflect(client, SELF_CARE, "A walk after dinner on Tuesdays.")
    reflect(client, NALOXONE, "Naloxone in the kitchen drawer; Tom knows how.")
    reflect(client, SAFETY, "Go to Ana's house. Code word: pineapple.")

    page = text_of(client.get("/plan"))

    headings = re.findall(r"<h2 id=\"plan-part-\d+\">([^<]+)</h2>", page)
    assert headings == PARTS
    safe = page[page.index(">Staying safe<"):page.index(">Who I can call<")]
    # Module 1's answer before module 3's, both under "Staying safe".
    assert safe.index("Code word: pineapple") < safe.index("kitchen drawer")
    assert "From module 1:" in words_of(safe) and "From module 3:" in words_of(safe)
    assert "A walk after dinner on Tuesdays." in page[page.index(">Caring for myself<"):]


def words_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_answer_links_back_to_its_prompt_to_change_it(app, make_member, signed_in):
    client = signed_in(app, make_member())
    reflect(client, BOUNDARY, "No more cash. I will buy groceries with him instead.")

    page = text_of(client.get("/plan"))

    slug, section, prompt = BOUNDARY
    assert f'href="/modules/{slug}/{section}#prompt-{prompt}">Change this' in page


def test_a_plan_prompt_not_answered_yet_shows_its_question_and_where_to_write_it(
    app, make_member, signed_in
):
    client = signed_in(app, make_member())

    response = client.get("/plan")

    assert response.status_code == 200
    text = words(response)
    assert "you might write down the names of one or two people you could call" in text
    slug, section, prompt = CALL
    assert f'href="/modules/{slug}/{section}#prompt-{prompt}">Write this in module 1<' in (
        response.text
    )
    assert "Write this in module 17" in text
    # The crisis lines are on the page, to print with it.
    for line in ("tel:911", "tel:988", "tel:+18006624357"):
        assert line in response.text


def test_an_emptied_answer_goes_back_to_its_question(app, make_member, signed_in):
    client = signed_in(app, make_member())
    reflect(client, REWARD, "Pizza night together.")
    reflect(client, REWARD, "")

    page = words(client.get("/plan"))

    assert "Pizza night" not in page
    assert "Write this in module 9" in page


def test_other_reflections_are_not_part_of_the_plan(app, make_member, signed_in):
    client = signed_in(app, make_member())
    client.post("/modules/start-here/how-this-course-works", data={
        "action": "save", "reflection-how-this-course-works-reflect": "Not a plan answer.",
        "visibility-how-this-course-works-reflect": "private"})

    assert "Not a plan answer." not in client.get("/plan").text


def test_the_plan_page_takes_a_fixed_number_of_statements(app, make_member, signed_in):
    def statements(client):
        client.get("/plan")  # Warm: the first request of a client logs its session in.
        with counting_queries(app) as count:
            assert client.get("/plan").status_code == 200
        return count[0]

    empty = signed_in(app, make_member())
    full = signed_in(app, make_member())
    for where in (SAFETY, CALL, NALOXONE, BOUNDARY, REWARD, SELF_CARE):
        reflect(full, where, f"My answer for {where[2]}")

    assert statements(empty) == statements(full)


def test_the_menu_links_to_my_plan(app, make_member, signed_in):
    client = signed_in(app, make_member())

    assert 'href="/plan"' in client.get("/").text
    assert re.search(r'href="/plan"\s+aria-current="page">My plan<', client.get("/plan").text)


def test_staff_without_a_family_see_their_plan_without_sharing_choices(
    app, make_staff, client, login
):
    login(make_staff("Dana"))

    response = client.get("/plan")

    assert response.status_code == 200
    assert "Only you can read your plan." in response.text
    assert share_plan(client, "family").status_code == 200  # Nothing to share: shown again.


# Choosing who reads it -------------------------------------------------------------------------


def test_a_plan_starts_private_and_the_page_says_what_each_choice_means(
    app, group, signed_in
):
    _, rosa, _ = group
    page = words(signed_in(app, rosa).get("/plan"))

    assert plan_visibility(app, rosa) is Visibility.PRIVATE
    assert "Only me: nobody else can open this page." in page
    assert "My family: the people in your family can read it" in page
    assert "the person who runs your group can read it too" in page
    assert "even answers you kept to yourself in a module" in page


def test_a_member_shares_the_plan_with_the_family_and_takes_it_back(app, group, signed_in):
    _, rosa, _ = group
    client = signed_in(app, rosa)

    response = share_plan(client, "family")
    assert response.status_code == 302
    assert plan_visibility(app, rosa) is Visibility.FAMILY
    assert "Saved. Your family can read your plan." in client.get("/plan").text
    assert re.search(r'<input checked [^>]*value="family"', client.get("/plan").text)
    # Said at the top of the page too, where she starts reading, not only by the choice.
    top = client.get("/plan").text.split("Sharing my plan")[0]
    assert "Your family can read this plan." in top

    share_plan(client, "private")
    assert plan_visibility(app, rosa) is Visibility.PRIVATE
    assert "Only you can read this plan." in client.get("/plan").text.split("Sharing my plan")[0]


@pytest.mark.parametrize("sent", [{}, {"visibility": "everyone"}])
def test_a_choice_not_offered_is_refused_and_nothing_changes(app, group, signed_in, sent):
    _, rosa, _ = group
    client = signed_in(app, rosa)

    response = client.post("/plan", data=sent)

    assert response.status_code == 422
    assert 'id="error-summary"' in response.text
    assert plan_visibility(app, rosa) is Visibility.PRIVATE


def test_a_member_outside_any_group_is_not_offered_a_facilitator(
    app, make_member, signed_in
):
    member = make_member()
    client = signed_in(app, member)

    assert 'value="facilitator"' not in client.get("/plan").text
    assert share_plan(client, "facilitator").status_code == 422
    assert plan_visibility(app, member) is Visibility.PRIVATE


# Who sees a shared plan -------------------------------------------------------------------------


def test_a_private_plan_is_not_found_by_the_family(app, group, signed_in):
    _, rosa, tom = group
    reflect(signed_in(app, rosa), SAFETY, "Code word: pineapple.")
    as_tom = signed_in(app, tom)

    assert as_tom.get(f"/plan/{rosa.id}").status_code == 404
    assert f'href="/plan/{rosa.id}"' not in as_tom.get("/family").text


def test_the_family_reads_a_shared_plan_from_the_family_page(app, group, signed_in):
    _, rosa, tom = group
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, SAFETY, "Code word: pineapple.")  # Kept to "Only me" in the module.
    share_plan(as_rosa, "family")
    as_tom = signed_in(app, tom)

    family_page = as_tom.get("/family").text
    assert f'href="/plan/{rosa.id}">Read Rosa’s plan</a>' in family_page
    plan = as_tom.get(f"/plan/{rosa.id}")
    assert plan.status_code == 200
    assert "Code word: pineapple." in plan.text
    assert "Rosa’s plan" in plan.text
    # Read only: no form, no links to write or change answers.
    assert "<form" not in plan.text.split('<footer')[0].split("<main")[1]
    assert "Write this in module" not in plan.text
    assert "Change this" not in plan.text


def test_another_family_never_sees_a_shared_plan(app, group, make_member, signed_in):
    _, rosa, _ = group
    share_plan(signed_in(app, rosa), "facilitator")
    stranger = signed_in(app, make_member("Lee"))

    assert stranger.get(f"/plan/{rosa.id}").status_code == 404


def test_my_own_plan_address_leads_to_my_plan(app, group, signed_in):
    _, rosa, _ = group
    response = signed_in(app, rosa).get(f"/plan/{rosa.id}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plan")


def test_a_facilitator_reads_a_plan_only_when_it_is_shared_with_them(
    app, group, signed_in, client, login
):
    dana, rosa, _ = group
    as_rosa = signed_in(app, rosa)
    reflect(as_rosa, BOUNDARY, "No more cash.")
    login(dana)

    share_plan(as_rosa, "family")
    assert client.get(f"/plan/{rosa.id}").status_code == 404

    share_plan(as_rosa, "facilitator")
    response = client.get(f"/plan/{rosa.id}")
    assert response.status_code == 200
    assert "No more cash." in response.text
    with app.app_context():
        events = [(e.kind, e.member_id) for e in db.session.scalars(select(AuditEvent))]
    assert events == [(AuditKind.MEMBER_DETAIL, rosa.id)]


def test_a_facilitator_of_another_group_never_sees_the_plan(
    app, group, make_staff, signed_in, client, login
):
    _, rosa, _ = group
    share_plan(signed_in(app, rosa), "facilitator")
    login(make_staff("Sam"))

    assert client.get(f"/plan/{rosa.id}").status_code == 404


def test_the_yes_no_rule_and_the_where_clause_agree(app, group, make_member, make_staff):
    dana, rosa, tom = group
    lee = make_member("Lee")
    sam = make_staff("Sam")
    people = [dana, rosa, tom, lee, sam]
    with app.app_context():
        for visibility in Visibility:
            db.session.execute(
                FamilyMembership.__table__.update()
                .where(FamilyMembership.user_id == rosa.id)
                .values(plan_visibility=visibility)
            )
            db.session.commit()
            owner = db.session.scalar(
                select(FamilyMembership).where(FamilyMembership.user_id == rosa.id)
            )
            for person in people:
                viewer = db.session.get(User, person.id)
                by_query = db.session.scalar(
                    select(FamilyMembership.user_id).where(
                        FamilyMembership.user_id == rosa.id, sharing.plans_visible_to(viewer)
                    )
                ) is not None
                assert sharing.can_see_plan(viewer, owner) is by_query, (
                    visibility, person.display_name
                )
            db.session.expire_all()


def test_the_shared_plan_page_keeps_reflections_out_of_its_page_when_private(
    app, group, signed_in
):
    """A shared plan shows plan answers only: other private reflections stay private."""
    _, rosa, tom = group
    as_rosa = signed_in(app, rosa)
    as_rosa.post("/modules/start-here/how-this-course-works", data={
        "action": "save", "reflection-how-this-course-works-reflect": "Just for me.",
        "visibility-how-this-course-works-reflect": "private"})
    share_plan(as_rosa, "family")

    assert "Just for me." not in signed_in(app, tom).get(f"/plan/{rosa.id}").text
    with app.app_context():
        assert db.session.scalar(select(Reflection.visibility)) is Visibility.PRIVATE


def test_the_plan_page_takes_as_many_statements_for_many_modules_as_for_one(
    tmp_path, make_app, make_member, signed_in
):
    marked = guide_example().replace(
        "> **Reflect:** If you like,", "> **Reflect (My plan: Caring for myself):** If you like,"
    )

    def statements(count):
        folder = tmp_path / f"modules-{count}"
        folder.mkdir()
        for n in range(1, count + 1):
            write_module(folder, f"{n:02d}-stress-{n}.md", marked.replace("order: 13\n", ""))
        app = make_app(folder)
        client = signed_in(app, make_member())
        for n in range(1, count + 1):
            reflect(client, (f"stress-{n}", "one-small-step", "one-small-step-reflect"), "A walk.")
        client.get("/plan")
        with counting_queries(app) as counted:
            page = client.get("/plan")
        assert page.text.count("A walk.") == count
        return counted[0]

    assert statements(1) == statements(8)


def test_every_part_of_the_plan_has_its_words_in_every_language(app):
    from flask_babel import force_locale

    from course.content import PLAN_PARTS
    from course.plan.views import plan_part

    with app.test_request_context("/"):
        assert [plan_part(part) for part in PLAN_PARTS] == list(PLAN_PARTS)
        with force_locale("es"):
            assert plan_part("Staying safe") == "Mantenerme a salvo"
            assert len({plan_part(part) for part in PLAN_PARTS}) == len(PLAN_PARTS)
