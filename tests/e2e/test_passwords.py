"""Someone typing a password on a phone can see what they typed, with a button that says
whether the password is shown; without scripts the form works as before."""

import pytest
from helpers import PASSWORD
from playwright.sync_api import expect

from .axe import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_show_password_is_a_toggle_button_that_reveals_what_i_typed(site, page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/register")
    password = page.get_by_label("Password", exact=True)
    toggle = page.get_by_role("button", name="Show password")
    password.fill("a long and memorable phrase")

    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_have_attribute("aria-controls", "password")
    expect(password).to_have_attribute("type", "password")
    assert_accessible(page)

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(password).to_have_attribute("type", "text")
    expect(password).to_have_value("a long and memorable phrase")
    assert_accessible(page)

    # By keyboard: tab from the field to its button, and press it with the space bar.
    password.focus()
    page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(password).to_have_attribute("type", "password")


def test_a_password_shown_is_hidden_again_when_the_form_is_sent(site, page, make_member):
    rosa = make_member("Rosa")
    page.goto("/login")
    page.get_by_label("Email").fill(rosa.email)
    page.get_by_label("Password", exact=True).fill("not my password at all")
    page.get_by_role("button", name="Show password").click()
    page.get_by_role("button", name="Log in").click()

    # The refused form comes back with the password hidden and empty.
    expect(page.get_by_role("button", name="Show password")).to_have_attribute(
        "aria-pressed", "false")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("type", "password")


def test_without_scripts_there_is_no_toggle_and_logging_in_works(site, browser, make_member):
    rosa = make_member("Rosa")
    context = browser.new_context(java_script_enabled=False, base_url=site)
    page = context.new_page()
    page.goto("/login")
    expect(page.get_by_role("button", name="Show password")).to_have_count(0)
    page.get_by_label("Email").fill(rosa.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My course")
    context.close()
