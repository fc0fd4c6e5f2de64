"""The family member's journey in a real browser, on a phone and on a laptop.

A parent joins from an invite link, reads a module step by step, fails the quiz and sees why,
passes it, shares a reflection with the family and keeps another private. Her partner joins from
the family's own invite, reads and encourages the shared reflection, and the family page shows
both of them. Every page of the way passes an axe-core scan.
"""

import re

import pytest
from playwright.sync_api import expect

from course import invitations
from course.content.ext import current_catalog
from course.extensions import db
from course.models import Cohort

from .axe import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.browser

SLUG = "boundaries"
SHARED = "I said no to lending money, and I kept to it. It felt strange, then calm."
PRIVATE = "Some nights I am so angry I can't sleep. Nobody needs to read this."


@pytest.fixture
def module(session_app):
    with session_app.app_context():
        return current_catalog().get(SLUG)


@pytest.fixture
def cohort_invite_url(session_app, site):
    """An invite to the Tuesday group, made the way a facilitator's screen will make it."""
    with session_app.test_request_context(base_url=site):
        cohort = Cohort(name="Tuesday evening group")
        db.session.add(cohort)
        _, token = invitations.create_invite(created_by=None, cohort=cohort, max_uses=10)
        db.session.commit()
        return invitations.invite_url(token)


def last_link_emailed_to(session_app, address: str) -> str:
    message = next(
        m for m in reversed(session_app.extensions.get("outbox", [])) if m["To"] == address
    )
    return re.search(r"http://\S+", message.get_content()).group(0)


def sign_up(page, session_app, invite_url: str, name: str, email: str, relationship: str):
    page.goto(invite_url)
    assert_accessible(page)
    page.get_by_label("Your first name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("a long and memorable phrase")
    page.get_by_label(relationship, exact=True).check()
    page.get_by_role("button", name=re.compile("Create my account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)
    page.goto(last_link_emailed_to(session_app, email))
    expect(page.get_by_role("heading", level=1)).to_have_text("My course")
    assert_accessible(page)


def answer_quiz(page, module, right: bool):
    for question in module.questions:
        options = [o for o in question.options if o.is_correct == right]
        if not right:
            options = options[:1]
        for option in options:
            index = question.options.index(option)
            page.locator(f"#q-{question.id}-{index}").check()
    page.get_by_role("button", name="Check my answers").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_family_learns_together(site, page, browser, session_app, module, cohort_invite_url,
                                  viewport):
    page.set_viewport_size(viewport)

    # Maria joins her group from the facilitator's invite and opens a module.
    sign_up(page, session_app, cohort_invite_url, "Maria", "maria@example.org", "Parent")
    page.get_by_role("link", name=module.title).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start", exact=True).click()

    # She reads it one step at a time; the prompt in one step gets a shared reflection,
    # another a private one.
    prompts_written = 0
    for number, section in enumerate(module.sections, start=1):
        expect(page.get_by_text(f"Step {number} of {len(module.sections)}")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        assert_accessible(page)
        for prompt in section.prompts:
            box = page.locator(f"#reflection-{prompt.id}")
            if prompts_written == 0:
                box.fill(SHARED)
                page.locator(f"#prompt-{prompt.id}").get_by_label("My family", exact=True).check()
            elif prompts_written == 1:
                box.fill(PRIVATE)
            prompts_written += 1
        page.get_by_role("button", name=re.compile("^Next")).click()
    assert prompts_written >= 2

    # The quiz: she gets it wrong first, and sees why.
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz")
    assert_accessible(page)
    answer_quiz(page, module, right=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your quiz results")
    expect(page.get_by_text("Not quite").first).to_be_visible()
    first_wrong = next(o for o in module.questions[0].options if not o.is_correct)
    feedback = re.sub(r"<[^>]+>", "", first_wrong.feedback_html).split("\n")[0][:40]
    expect(page.get_by_text(feedback, exact=False).first).to_be_visible()
    assert_accessible(page)

    # Then she passes, and the module is complete.
    page.get_by_role("button", name="Take the quiz again").click()
    answer_quiz(page, module, right=True)
    expect(page.get_by_text("Well done: that's a pass.")).to_be_visible()
    expect(page.get_by_text("You have completed this module.")).to_be_visible()
    assert_accessible(page)

    # She invites her partner from the family page.
    page.get_by_role("link", name="Family", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Make an invite link").click()
    family_invite = page.get_by_label("Invite link").input_value()
    assert_accessible(page)

    # Joe joins the family on his own phone, reads Maria's shared reflection and encourages it.
    joe = browser.new_page(viewport=viewport, base_url=site)
    sign_up(joe, session_app, family_invite, "Joe", "joe@example.org", "Partner or spouse")
    joe.get_by_role("link", name="Family", exact=True).click()
    expect(joe.get_by_text(SHARED)).to_be_visible()
    expect(joe.get_by_text(PRIVATE)).to_have_count(0)
    joe.get_by_label("Leave a few kind words").fill("Proud of you. That took courage.")
    joe.get_by_role("button", name=re.compile("^Post")).click()
    expect(joe.get_by_text("Proud of you. That took courage.")).to_be_visible()
    assert_accessible(joe)

    # The family page shows both of them and their progress; Maria sees Joe's encouragement.
    members = joe.get_by_role("region", name="Everyone's progress")
    expect(members.get_by_text("Maria")).to_be_visible()
    expect(members.get_by_text("1 of 17 modules completed.")).to_be_visible()
    expect(members.get_by_text("Joe (you)")).to_be_visible()
    expect(members.get_by_text("0 of 17 modules completed.")).to_be_visible()
    page.get_by_role("link", name="Back to my family").click()
    expect(page.get_by_text("Proud of you. That took courage.")).to_be_visible()

    # Maria's private reflection is hers alone: not even the family page shows it to her family.
    joe.goto("/")
    expect(joe.get_by_text(PRIVATE)).to_have_count(0)
    joe.close()
