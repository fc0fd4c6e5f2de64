"""A family member on a phone or a laptop opens the course and reads a module, with a keyboard
or a screen reader as well as a mouse."""

import pytest
from helpers import PASSWORD
from playwright.sync_api import expect

from .axe import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/login", "/register", "/resources", "/privacy", "/no-such-page"]
MEMBER_PAGES = [
    "/", "/modules/boundaries", "/modules/boundaries/what-a-boundary-is",
    "/modules/boundaries/quiz", "/family", "/account", "/account/data",
]


def log_in(page, user, landing="My course"):
    """Log in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(landing)



@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_axe_and_fit_the_screen(site, page, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(path)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_member_pages_pass_axe_and_fit_the_screen(site, page, make_member, viewport):
    page.set_viewport_size(viewport)
    log_in(page, make_member("Rosa"))
    for path in MEMBER_PAGES:
        page.goto(path)
        assert_accessible(page)


def test_a_member_opens_a_module_and_moves_through_its_steps(site, page, make_member):
    page.set_viewport_size(PHONE)
    log_in(page, make_member("Rosa"))
    page.get_by_role("link", name="Boundaries and natural consequences").click()
    page.get_by_role("button", name="Start", exact=True).click()

    expect(page.get_by_text("Step 1 of 6")).to_be_visible()
    page.get_by_role("button", name="Next: Boundaries versus threats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boundaries versus threats")
    expect(page.get_by_text("Step 2 of 6")).to_be_visible()
    page.get_by_role("link", name="← Previous: What a boundary is").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What a boundary is")


def test_a_question_left_unanswered_is_shown_under_its_own_number(site, page, make_member):
    page.set_viewport_size(PHONE)
    log_in(page, make_member("Rosa"))
    page.goto("/modules/boundaries/quiz")
    page.get_by_role("button", name="Check my answers").click()

    page.get_by_role("link", name="Question 3: The missed shift").click()
    expect(page.get_by_role("heading", name="3. The missed shift")).to_be_in_viewport()


def test_the_keyboard_reaches_the_content_and_help_first(site, page):
    page.goto("/resources")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("link", name="Get help now").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#crisis")).to_be_focused()
    expect(page.get_by_role("link", name="call or text 988")).to_be_in_viewport()
