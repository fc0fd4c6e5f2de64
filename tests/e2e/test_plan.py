"""A family member writes their safety plan in a module, finds it on My plan, and prints it as a
card for the fridge: one or two sheets of A4 or Letter, crisis lines included."""

import re

import pytest
from playwright.sync_api import expect

from .axe import DESKTOP, PHONE, assert_accessible
from .test_reading import log_in

pytestmark = pytest.mark.browser

SAFETY_PLAN = "Go to Ana's house on Elm Street. Code word: pineapple. Naloxone: kitchen drawer."
CALL = "My sister Bea, 555-0100. Pastor Joe, 555-0111."


def pages_in(pdf: bytes) -> int:
    """The number of pages of a PDF, counted by their page objects."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def write_in_module(page, path: str, label_near: str, text: str) -> None:
    """Open a step of a module, write in the prompt's box, keep it to "Only me" and save it."""
    page.goto(path)
    box = page.locator(".prompt", has_text=label_near)
    box.get_by_label("Your reflection (optional)").fill(text)
    box.get_by_role("button", name="Save my reflection").click()
    expect(page.get_by_text("Your reflection is saved.")).to_be_visible()


def test_a_member_writes_a_plan_answer_and_prints_my_plan_on_one_or_two_pages(
    site, page, make_member
):
    page.set_viewport_size(PHONE)
    log_in(page, make_member("Rosa"))
    write_in_module(page, "/modules/start-here/if-you-feel-unsafe-at-home",
                    "your safety plan", SAFETY_PLAN)
    write_in_module(page, "/modules/start-here/when-to-call-whom", "people you could call", CALL)

    page.get_by_role("link", name="My plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    safe = page.get_by_role("region", name="Staying safe")
    expect(safe.get_by_text(SAFETY_PLAN)).to_be_visible()
    expect(page.get_by_role("region", name="Who I can call").get_by_text(CALL)).to_be_visible()
    expect(page.get_by_role("link", name="Write this in module 9").first).to_be_visible()
    # print.js shows the Print button, which only does something with it.
    expect(page.get_by_role("button", name="Print my plan")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.get_by_text(SAFETY_PLAN)).to_be_visible()
    expect(page.get_by_role("link", name="call or text 988")).to_be_visible()
    expect(page.get_by_role("button", name="Print my plan")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Save who can read my plan")).to_be_hidden()
    for paper in ("A4", "Letter"):
        assert pages_in(page.pdf(format=paper)) in (1, 2), paper


def test_the_print_button_opens_the_print_dialog(site, page, make_member):
    log_in(page, make_member("Rosa"))
    page.goto("/plan")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")

    page.get_by_role("button", name="Print my plan").click()

    expect(page.locator("body")).to_have_attribute("data-printed", "yes")


def test_a_member_shares_the_plan_with_the_family_by_keyboard(site, page, make_member):
    page.set_viewport_size(PHONE)
    log_in(page, make_member("Rosa"))
    page.goto("/plan")

    page.get_by_label("My family", exact=True).check()
    page.get_by_role("button", name="Save who can read my plan").press("Enter")

    expect(page.get_by_text("Saved. Your family can read your plan.")).to_be_visible()
    expect(page.get_by_label("My family", exact=True)).to_be_checked()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_my_plan_passes_axe_and_fits_the_screen(site, page, make_member, viewport):
    page.set_viewport_size(viewport)
    log_in(page, make_member("Rosa"))
    write_in_module(page, "/modules/boundaries/stating-a-boundary-and-keeping-it",
                    "boundary", "No more cash. I will buy groceries with him instead.")
    page.goto("/plan")
    assert_accessible(page)

    page.get_by_role("button", name="Save who can read my plan").click()
    expect(page.get_by_text("Saved. Only you can read your plan.")).to_be_visible()
    assert_accessible(page)
