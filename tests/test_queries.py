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
