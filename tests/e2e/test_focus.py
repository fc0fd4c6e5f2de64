"""Someone on a keyboard always sees where they are, and after a form is refused they start at
the list of what to fix rather than at the top of the page."""

import pytest
from helpers import PASSWORD
from playwright.sync_api import expect

from .axe import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.browser

# The focused element's outline colour, blended over the nearest background behind it, and
# that background: WCAG 2.2 asks 3:1 between the two (1.4.11, and 2.4.13's focus appearance).
OUTLINE_AND_BACKGROUND = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  let background = [255, 255, 255, 1];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour.length === 3 || colour[3] > 0) { background = colour; break; }
  }
  if (background.length === 4 && background[3] < 1) {
    const canvas = rgba(getComputedStyle(document.documentElement).backgroundColor);
    const alpha = background[3];
    background = background.map((c, i) => i < 3 ? c * alpha + (canvas[i] ?? 255) * (1 - alpha) : 1);
  }
  const [r, g, b, a = 1] = rgba(style.outlineColor);
  const outline = [r, g, b].map((c, i) => c * a + background[i] * (1 - a));
  return {
    outline, background: background.slice(0, 3), style: style.outlineStyle,
    width: parseFloat(style.outlineWidth), tag: el.tagName + (el.type ? ":" + el.type : ""),
  };
}"""


def luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_focus_ring_stands_out_three_to_one_from_what_is_behind_it(site, page, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(PHONE)
    page.goto("/login")
    seen = set()
    # Through the skip link, the menu's links, the fields, the checkbox and the button.
    for _ in range(12):
        page.keyboard.press("Tab")
        ring = page.evaluate(OUTLINE_AND_BACKGROUND)
        seen.add(ring["tag"])
        assert ring["style"] == "solid", ring
        assert ring["width"] >= 2, ring
        assert contrast(ring["outline"], ring["background"]) >= 3, ring
    assert {"A", "INPUT:email", "INPUT:password", "INPUT:checkbox", "BUTTON:submit"} <= seen


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_refused_login_puts_focus_on_the_list_of_what_to_fix(site, page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/login")
    page.get_by_role("button", name="Log in").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    expect(summary).to_be_in_viewport()
    assert_accessible(page)
    # Its links still take the keyboard to each field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email")).to_be_focused()


def test_an_unanswered_quiz_puts_focus_on_the_questions_left(site, page, make_member):
    page.set_viewport_size(PHONE)
    member = make_member("Rosa")
    page.goto("/login")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/modules/boundaries/quiz")
    page.locator("form button[type=submit]").last.click()

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Please answer every question")


def test_a_page_without_errors_leaves_focus_where_it_was(site, page):
    page.goto("/login")
    assert page.evaluate("document.activeElement === document.body")
