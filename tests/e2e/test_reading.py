"""A family member on a phone or a laptop opens the course and reads a module, with a keyboard
or a screen reader as well as a mouse."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
PAGES = ["/", "/modules/start-here", "/modules/boundaries", "/resources", "/no-such-page"]


def serious_violations(page) -> list[str]:
    """axe-core violations of serious or critical impact, one readable line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_pass_axe_and_fit_the_screen(site, page, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(site + path)

    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )


def test_a_member_opens_a_module_from_the_course_page(site, page):
    page.set_viewport_size(PHONE)
    page.goto(site + "/")
    page.get_by_role("link", name="Boundaries and natural consequences").click()

    expect(page).to_have_url(site + "/modules/boundaries")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Boundaries and natural consequences"
    )
    steps = page.get_by_role("navigation", name="Steps")
    steps.get_by_role("link").first.click()
    expect(page.locator("section.module-section").first).to_be_in_viewport()


def test_the_keyboard_reaches_the_content_and_help_first(site, page):
    page.goto(site + "/modules/start-here")

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
