"""A Spanish-speaking parent's journey on a phone, in a real browser, never meeting English.

Rosa opens an invite to a group whose language is Spanish, signs up, confirms her address from
a Spanish email, reads module 1 in Spanish, writes a reflection, takes the quiz and sees the
family page. Every page is in Spanish (`lang="es"`), passes an axe-core scan, and shows none of
the site's English sentences nor module 1's English text.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from course import invitations
from course.content.ext import current_catalog
from course.extensions import db
from course.models import Cohort

from .axe import PHONE, assert_accessible

pytestmark = pytest.mark.browser

CATALOG = Path(__file__).resolve().parents[2] / "course/translations/es/LC_MESSAGES/messages.po"
REFLECTION = "Guardé los números en el refrigerador y en mi teléfono."


def english_sentences(english_module) -> set[str]:
    """What would betray an untranslated page: the site's English messages of a few words or
    more (whose Spanish differs), and module 1's English headings and questions."""
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="es")
    found = set()
    for message in catalog:
        text = message.id if isinstance(message.id, str) else message.id[0]
        if not text or "%(" in text or "<" in text or message.string == text:
            continue
        if len(text.split()) >= 3:
            found.add(text)
    found |= {section.title for section in english_module.sections}
    found |= {question.title for question in english_module.questions}
    return found


def assert_all_spanish(page, english: set[str]) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    shown = page.evaluate("document.body.innerText")
    leaked = sorted(text for text in english if text in shown)
    assert leaked == [], f"English on {page.url}: {leaked[:5]}"
    assert_accessible(page)


@pytest.fixture
def spanish_invite(session_app, site):
    with session_app.test_request_context(base_url=site):
        cohort = Cohort(name="Grupo de los martes", default_locale="es")
        db.session.add(cohort)
        _, token = invitations.create_invite(created_by=None, cohort=cohort, max_uses=10)
        db.session.commit()
        return invitations.invite_url(token)


def test_a_spanish_speaking_parent_takes_module_one_in_spanish(
    site, page, session_app, spanish_invite
):
    with session_app.app_context():
        english = current_catalog().get("start-here")
        spanish = current_catalog().get("start-here", lang="es")
    assert spanish.lang == "es"
    leaks = english_sentences(english)
    page.set_viewport_size(PHONE)

    # The invite of a Spanish-speaking group opens in Spanish, whatever the browser says.
    page.goto(spanish_invite)
    assert_all_spanish(page, leaks)
    expect(page.get_by_role("button", name="Mostrar contraseña")).to_be_visible()
    page.locator("#display_name").fill("Rosa")
    page.locator("#email").fill("rosa@example.org")
    page.locator("#password").fill("una frase larga y fácil de recordar")
    page.locator("input[name=relationship][value=parent]").check()
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo")
    assert_all_spanish(page, leaks)

    # The confirmation email is in Spanish too.
    message = next(m for m in reversed(session_app.extensions.get("outbox", []))
                   if m["To"] == "rosa@example.org")
    body = message.get_content()
    assert message["Subject"].strip() == "Confirme su correo para el Curso para Familias"
    assert body.startswith("Hola, Rosa")
    page.goto(re.search(r"http://\S+", body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi curso")
    assert_all_spanish(page, leaks)

    # Module 1, step by step, in Spanish; a reflection on its first prompt.
    page.get_by_role("link", name=spanish.title).click()
    assert_all_spanish(page, leaks)
    page.get_by_role("button", name="Empezar", exact=True).click()
    for number, section in enumerate(spanish.sections, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        if number == 1:
            assert_all_spanish(page, leaks)
            [prompt, *_] = section.prompts
            page.locator(f"#reflection-{prompt.id}").fill(REFLECTION)
        page.locator("button[name=action][value=next]").click()

    # The quiz, in Spanish, and its results.
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuestionario")
    assert_all_spanish(page, leaks)
    for question in spanish.questions:
        for option in (o for o in question.options if o.is_correct):
            page.locator(f"#q-{question.id}-{question.options.index(option)}").check()
    page.get_by_role("button", name="Revisar mis respuestas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sus resultados del cuestionario")
    assert_all_spanish(page, leaks)

    # Her reflection is kept, and the family page is in Spanish.
    page.goto(f"/modules/start-here/{spanish.sections[0].id}")
    expect(page.locator(f"#reflection-{spanish.sections[0].prompts[0].id}")).to_have_value(
        REFLECTION)
    page.get_by_role("link", name="Familia", exact=True).click()
    assert_all_spanish(page, leaks)
    # The plan gathers her answers to the plan prompts, in Spanish.
    page.get_by_role("link", name="Mi plan", exact=True).click()
    assert_all_spanish(page, leaks)
