"""Pages that list a family's members and reflections take the same number of SQL queries
whether the family shares two reflections or twenty."""

from helpers import counting_queries

from course.extensions import db
from course.models import Encouragement, Reflection, Visibility


def share(app, members, how_many):
    with app.app_context():
        for n in range(how_many):
            author = members[n % len(members)]
            reflection = Reflection(
                user_id=author.id, module_slug="boundaries", prompt_id=f"p{n}",
                body=f"Shared thought {n}", visibility=Visibility.FAMILY,
            )
            db.session.add(reflection)
            db.session.flush()
            reader = members[(n + 1) % len(members)]
            db.session.add(Encouragement(reflection_id=reflection.id, author_id=reader.id,
                                         body="Thank you"))
        db.session.commit()


def family_page_queries(app, signed_in, viewer) -> int:
    client = signed_in(app, viewer)
    with counting_queries(app) as count:
        assert client.get("/family").status_code == 200
    return count[0]


def test_the_family_page_takes_a_fixed_number_of_queries(app, make_member, signed_in):
    small = [make_member("Ana")]
    small.append(make_member("Ben", family=small[0].membership.family))
    share(app, small, 2)
    large = [make_member("Cy")]
    large += [make_member(f"Kin {n}", family=large[0].membership.family) for n in range(5)]
    share(app, large, 20)

    assert family_page_queries(app, signed_in, small[0]) == family_page_queries(
        app, signed_in, large[0]
    )


# A member's steps: a fixed, small number of statements whatever the module's size. ------------


def cohort_opening(app, module, name: str):
    """A group whose schedule holds a day for the module, long past: the status is read in full."""
    from datetime import date

    from course.models import Cohort, ModuleSchedule

    with app.app_context():
        cohort = Cohort(name=name)
        db.session.add(cohort)
        db.session.flush()
        db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug=module.slug,
                                      opens_on=date(2000, 1, 1)))
        db.session.commit()
        db.session.expunge_all()
        return cohort


def statements_of(app, client, path, data) -> int:
    with counting_queries(app) as count:
        response = client.post(path, data=data)
        assert response.status_code == 302, response.text
    return count[0]


def test_next_and_a_quiz_take_at_most_ten_statements_each(app, make_member, signed_in):
    from course.content.ext import current_catalog

    with app.app_context():
        module = max(current_catalog().published, key=lambda m: len(m.questions))
    cohort = cohort_opening(app, module, "Tuesday group")
    client = signed_in(app, make_member(cohort=cohort))
    with_prompt = next(s for s in module.sections if s.prompts)
    without_prompt = next(s for s in module.sections if not s.prompts)
    fields = {f"reflection-{p.id}": "Some words" for p in with_prompt.prompts}

    statements = {
        "Next": statements_of(app, client, f"/modules/{module.slug}/{without_prompt.id}",
                              {"action": "next"}),
        "Next with a reflection": statements_of(
            app, client, f"/modules/{module.slug}/{with_prompt.id}",
            {"action": "next", **fields}) - (len(with_prompt.prompts) - 1),
        "quiz": statements_of(app, client, f"/modules/{module.slug}/quiz", {
            "submission_key": "k1",
            **{f"q-{q.id}": q.options[0].id for q in module.questions},
        }),
    }
    assert len(module.questions) >= 7
    assert statements == {"Next": 5, "Next with a reflection": 7, "quiz": 6}


def test_a_step_shows_in_three_statements_however_far_along(app, make_member, signed_in):
    """The login with the member's family, where they stand in the module, and their own
    reflections when the step asks for some: the same for a member new to it as for one who
    has read every step, reflected and been given a schedule."""

    from course.content.ext import current_catalog

    with app.app_context():
        module = next(m for m in current_catalog().published
                      if any(s.prompts for s in m.sections) and len(m.sections) > 2)
    cohort = cohort_opening(app, module, "Thursday group")
    with_prompt = next(s for s in module.sections if s.prompts)
    without_prompt = next(s for s in module.sections if not s.prompts)
    pages = {"reflect": f"/modules/{module.slug}/{with_prompt.id}",
             "read": f"/modules/{module.slug}/{without_prompt.id}"}

    def statements(client) -> dict[str, int]:
        counts = {}
        for name, path in pages.items():
            with counting_queries(app) as count:
                assert client.get(path).status_code == 200
            counts[name] = count[0]
        return counts

    new = signed_in(app, make_member(cohort=cohort))
    assert statements(new) == {"reflect": 3, "read": 2}

    along = signed_in(app, make_member(cohort=cohort))
    for step in module.sections:
        along.post(f"/modules/{module.slug}/{step.id}", data={
            "action": "next",
            **{f"reflection-{p.id}": "Some words" for p in step.prompts},
            **{f"visibility-{p.id}": Visibility.FACILITATOR.value for p in step.prompts},
        })
    page = along.get(pages["reflect"])
    assert "Some words" in page.text and "Delete this reflection" in page.text
    assert statements(along) == {"reflect": 3, "read": 2}


# A facilitator's page of what members shared: the same statements for 3 members or 600. ------


def cohort_sharing(app, facilitator, members: int) -> int:
    """A cohort the facilitator runs, whose members each shared a reflection with them."""
    from course.models import (
        Cohort,
        CohortFacilitator,
        Family,
        FamilyMembership,
        Relationship,
        Role,
        User,
    )

    with app.app_context():
        cohort = Cohort(name=f"Group of {members}")
        cohort.facilitators.append(CohortFacilitator(user_id=facilitator.id, is_owner=True))
        db.session.add(cohort)
        db.session.flush()
        for n in range(members):
            family = Family(name=f"Family {members}-{n}", cohort_id=cohort.id)
            user = User(email=f"m{members}-{n}@example.org", display_name=f"Member {n}",
                        role=Role.MEMBER, password_hash="-")
            db.session.add_all([family, user])
            db.session.flush()
            db.session.add_all([
                FamilyMembership(family_id=family.id, user_id=user.id,
                                 relationship_to_loved_one=Relationship.PARENT),
                Reflection(user_id=user.id, module_slug="boundaries",
                           prompt_id="what-a-boundary-is-reflect",
                           body=f"Shared thought {n}", visibility=Visibility.FACILITATOR),
            ])
        db.session.commit()
        return cohort.id


def test_the_shared_reflections_page_takes_a_fixed_number_of_queries(app, make_staff, signed_in):
    dana = make_staff()
    small, large = cohort_sharing(app, dana, 3), cohort_sharing(app, dana, 600)
    client = signed_in(app, dana)

    counts = []
    for cohort_id in (small, large):
        with counting_queries(app) as count:
            page = client.get(f"/facilitate/cohorts/{cohort_id}/reflections")
            assert page.status_code == 200
        counts.append(count[0])

    assert "Shared thought 599" in page.text
    assert counts[0] == counts[1]


# What's new: My course and the family page list it in the same statements for a little news
# as for a lot, in a small family as in a large one. ------------------------------------------


def family_with_news(app, make_member, name: str, size: int, how_many: int):
    """A family of `size` in a group, its first member the viewer: in the last few days
    the family shared and encouraged `how_many` reflections, `how_many` modules (up to the
    course's) opened a day ago and the facilitator wrote a note."""
    from datetime import timedelta

    from course.content.ext import current_catalog
    from course.models import Cohort, ModuleSchedule, local_today, utcnow

    with app.app_context():
        cohort = Cohort(name=name, note="We meet on Thursday.", note_updated_at=utcnow())
        db.session.add(cohort)
        db.session.flush()
        held_back = [m for m in current_catalog().published if not m.is_always_open]
        db.session.add_all(
            ModuleSchedule(cohort_id=cohort.id, module_slug=module.slug,
                           opens_on=local_today() - timedelta(days=1))
            for module in held_back[:how_many]
        )
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
    members = [make_member(f"{name} 0", cohort=cohort)]
    family = members[0].membership.family
    members += [make_member(f"{name} {n}", family=family) for n in range(1, size)]
    share(app, members, how_many)
    return members[0]


def looked_three_days_ago(app, member) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from course.models import User, utcnow

    with app.app_context():
        db.session.execute(update(User).where(User.id == member.id).values(
            news_seen_at=utcnow() - timedelta(days=3)))
        db.session.commit()


def test_my_course_and_the_family_page_show_news_in_a_fixed_number_of_statements(
    app, make_member, signed_in
):
    """The news takes two statements (the family's reflections and kind words; the group's
    note and openings), and one more to mark it seen when there was some to show."""
    viewers = {
        "small": family_with_news(app, make_member, "Small", size=2, how_many=2),
        "large": family_with_news(app, make_member, "Large", size=8, how_many=12),
    }
    counts: dict[str, dict[tuple[str, str], int]] = {}
    for size, viewer in viewers.items():
        client = signed_in(app, viewer)
        counts[size] = {}
        for path in ("/", "/family"):
            for visit in ("with news", "nothing new"):
                if visit == "with news":
                    looked_three_days_ago(app, viewer)
                with counting_queries(app) as count:
                    page = client.get(path)
                    assert page.status_code == 200
                assert ("Since your last visit" in page.text) is (visit == "with news")
                counts[size][path, visit] = count[0]

    assert counts["small"] == counts["large"] == {
        ("/", "with news"): 7, ("/", "nothing new"): 6,
        ("/family", "with news"): 16, ("/family", "nothing new"): 15,
    }
