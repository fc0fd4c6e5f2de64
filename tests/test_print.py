"""Print this module: the whole module on one page, for families who read on paper or bring it
to the group meeting. Every step, each prompt with room to write, the quiz without its answers,
and the sources; a module the group has not reached yet stays locked here too."""

import html
import re
from datetime import timedelta

import pytest
from helpers import ROOT, text_of

from course.content.ext import current_catalog
from course.extensions import db
from course.models import Cohort, ModuleSchedule, local_today

with_shipped = pytest.mark.parametrize("slug", [
    path.stem.split("-", 1)[1] for path in sorted((ROOT / "content" / "modules").glob("*.md"))
])


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def module(app, slug):
    with app.app_context():
        return current_catalog().get(slug)


@with_shipped
def test_the_print_page_holds_every_step_prompt_question_and_option(slug, app, signed_in):
    found = module(app, slug)
    if found is None or found.is_draft:
        pytest.skip("a draft is not printed for members")
    response = signed_in(app).get(f"/modules/{slug}/print")

    assert response.status_code == 200
    page = main_of(response.text)
    headings = re.findall(
        r'<h2 id="step_[^"]+"><span class="eyebrow">Step (\d+)</span> ([^<]+)</h2>', page)
    assert headings == [(str(n), html.escape(s.title, quote=False))
                        for n, s in enumerate(found.sections, 1)]
    for prompt in found.prompts:
        assert prompt.html in page
    assert page.count('<div class="write-lines" aria-hidden="true">') == len(found.prompts)
    for number, question in enumerate(found.questions, 1):
        assert f"<h3>{number}. {html.escape(question.title, quote=False)}</h3>" in page
        assert question.stem_html in page
        for option in question.options:
            assert f"</svg> {option.html}</li>" in page
    if found.sources_html:
        assert found.sources_html in page


@with_shipped
def test_the_print_page_gives_away_no_answer(slug, app, signed_in):
    found = module(app, slug)
    if found is None or found.is_draft:
        pytest.skip("a draft is not printed for members")
    page = main_of(signed_in(app).get(f"/modules/{slug}/print").text)

    for question in found.questions:
        assert question.explanation_html not in page
        for option in question.options:
            if option.feedback_html:
                assert option.feedback_html not in page
    # Right and wrong options are drawn alike, with nothing to tell them apart.
    quiz = page.split('<section class="print-quiz"', 1)[1].split('class="sources"', 1)[0]
    assert set(re.findall(r"<li[^>]*>", quiz)) <= {"<li>"}
    assert len(re.findall(r'<li><svg class="icon answer-box"', quiz)) == sum(
        len(question.options) for question in found.questions)
    assert not re.search(r"<input|\schecked|correct\b|aria-checked", quiz, re.IGNORECASE)


def test_options_are_drawn_as_boxes_to_tick_or_circles_to_fill(app, signed_in):
    """Choose all that apply: squares. Choose one: circles."""
    found = module(app, "boundaries")
    page = main_of(signed_in(app).get("/modules/boundaries/print").text)
    drawn = re.findall(r'<li><svg class="icon answer-box"[^>]*>\s*<(rect|circle)', page)
    assert drawn == [
        "rect" if question.kind == "multiple" else "circle"
        for question in found.questions for _ in question.options
    ]


def test_the_module_page_links_to_its_print_page(app, signed_in):
    page = signed_in(app).get("/modules/boundaries").text
    assert '<a href="/modules/boundaries/print">Print this module</a>' in page


def test_the_print_button_is_a_script_of_the_sites_own(app, signed_in):
    client = signed_in(app)
    page = client.get("/modules/boundaries/print").text

    assert '<button type="button" data-print hidden>Print this module</button>' in page
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.DOTALL)
    assert all(body == "" for body in scripts)  # No inline script: the CSP refuses them.
    [script] = re.findall(r'<script src="(/static/print\.[0-9a-f]{12}\.js)" defer>', page)
    with client.get(script) as response:
        assert "window.print()" in response.text
    assert re.search(r"\son[a-z]+=", page) is None


def test_a_module_the_group_has_not_reached_stays_locked(app, make_member, signed_in):
    with app.app_context():
        cohort = Cohort(name="Tuesday group")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(ModuleSchedule(cohort_id=cohort.id, module_slug="boundaries",
                                      opens_on=local_today() + timedelta(days=7)))
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
    client = signed_in(app, make_member(cohort=cohort))

    response = client.get("/modules/boundaries/print")

    assert response.status_code == 403
    assert "This module opens on" in text_of(response)
    with app.app_context():
        first_step = current_catalog().get("boundaries").sections[0]
        assert first_step.title not in response.text


def test_the_print_page_is_for_members_and_known_modules(app, client, signed_in):
    assert client.get("/modules/boundaries/print").status_code == 302
    assert signed_in(app).get("/modules/no-such-module/print").status_code == 404


def test_every_member_page_prints_without_the_menu_or_buttons():
    """The stylesheet's print rules: no menu, skip link or buttons; the crisis lines kept."""
    css = (ROOT / "course" / "static" / "course.css").read_text(encoding="utf-8")
    rules = css.split("/* Paper: every member page prints", 1)[1]
    hidden = rules.split("{ display: none !important; }", 1)[0]
    for part in (".skip-link", "body > header", "button", '[role="button"]', "nav.crumbs"):
        assert part in hidden
    assert ".crisis" not in hidden and "footer" not in hidden
