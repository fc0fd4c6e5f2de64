"""My data as a page to read and print: the same things the download holds, in words (module
titles, the prompts, who can read each reflection), and nothing of anyone else's."""

from __future__ import annotations

import json

from helpers import right_answers, words

from course.content.ext import current_catalog
from course.extensions import db
from course.models import Encouragement, Reflection, Visibility


def titles(app, slug) -> tuple[str, str, str]:
    """The module's title, its first prompt's text and its first question's title."""
    with app.app_context():
        module = current_catalog().get(slug)
        return module.title, module.prompts[0].text, module.questions[0].title


def test_my_data_page_shows_in_words_what_the_download_holds(app, make_member, signed_in):
    rosa = make_member("Rosa")
    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    as_rosa, as_tom = signed_in(app, rosa), signed_in(app, tom)
    title, prompt, question = titles(app, "boundaries")
    with app.app_context():
        prompt_id = current_catalog().get("boundaries").prompts[0].id
        section_id = current_catalog().get("boundaries").sections[0].id
    as_rosa.post(f"/modules/boundaries/{section_id}", data={
        "action": "next", f"reflection-{prompt_id}": "No more lending money.",
        f"visibility-{prompt_id}": "family"})
    as_rosa.post("/modules/boundaries/quiz",
                 data={**right_answers(app, "boundaries"), "submission_key": "rosa-1"})
    as_tom.post("/modules/boundaries/quiz",
                data={**right_answers(app, "boundaries"), "submission_key": "tom-1"})
    with app.app_context():
        mine = db.session.query(Reflection).filter_by(user_id=rosa.id).one()
        db.session.add(Encouragement(reflection_id=mine.id, author_id=tom.id,
                                     body="Proud of you"))
        db.session.add(Reflection(user_id=tom.id, module_slug="boundaries",
                                  prompt_id=prompt_id, body="Tom's own thoughts.",
                                  visibility=Visibility.FAMILY))
        db.session.commit()

    page = as_rosa.get("/account/data")
    download = json.loads(as_rosa.get("/account/data.json").text)
    text = words(page)

    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert rosa.email in text
    assert title in text and prompt in text and question in text
    assert "No more lending money." in text
    assert "Who can read it: " in text and "family" in text.lower()
    assert "Tom, " in text and "Proud of you" in text
    assert "Score 100%, passed" in text
    assert 'href="/account/data.json"' in page.text
    for theirs in (tom.email, "Tom's own thoughts."):
        assert theirs not in page.text
    # The page and the download hold the same things.
    assert len(download["reflections"]) == 1 and len(download["quiz_attempts"]) == 1
    assert download["reflections"][0]["encouragements"][0]["text"] == "Proud of you"


def test_my_data_page_says_plainly_when_there_is_nothing_yet(app, make_member, signed_in):
    page = signed_in(app, make_member("Sam")).get("/account/data")

    text = words(page)
    assert "You haven't started a module yet." in text
    assert "You haven't written a reflection yet." in text
    assert "Nobody on the staff has looked at your data." in text
    assert "Delete my account" in text
