"""Pages that list a family's members and reflections take the same number of SQL queries
whether the family shares two reflections or twenty."""

from contextlib import contextmanager

from sqlalchemy import event

from course.extensions import db
from course.models import Encouragement, Reflection, Visibility


@contextmanager
def counting_queries(app):
    count = [0]

    def before(*_args):
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", before)


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


def statements_of(app, client, path, data) -> int:
    with counting_queries(app) as count:
        response = client.post(path, data=data)
        assert response.status_code == 302, response.text
    return count[0]


def test_next_and_a_quiz_take_at_most_ten_statements_each(app, make_member, signed_in):
    with app.app_context():
        from datetime import date

        from course.content.ext import current_catalog
        from course.models import Cohort, ModuleSchedule

        module = max(current_catalog().published, key=lambda m: len(m.questions))
        cohort = Cohort(name="Tuesday group")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug=module.slug,
                                      opens_on=date(2000, 1, 1)))
        db.session.commit()
        db.session.expunge_all()
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
    assert statements == {"Next": 7, "Next with a reflection": 9, "quiz": 8}
