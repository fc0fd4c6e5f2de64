"""A member who has been away gets a gentle reminder from `flask notify send`; its link turns
reminders off without a login, after a button press, and My account then shows them off."""

from datetime import timedelta

import pytest
from helpers import PASSWORD
from playwright.sync_api import expect
from sqlalchemy import update

from course.extensions import db
from course.models import FamilyMembership, utcnow

from .axe import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_reminders_unsubscribe_link_turns_reminders_off(
    site, page, app, make_member, outbox, monkeypatch, viewport
):
    page.set_viewport_size(viewport)
    rosa = make_member("Rosa")
    with app.app_context():
        db.session.execute(update(FamilyMembership)
                           .values(joined_at=utcnow() - timedelta(days=10)))
        db.session.commit()
    # The mail's links lead to the live server, as COURSE_BASE_URL makes them in production.
    monkeypatch.setitem(app.config, "COURSE_BASE_URL", site)

    result = app.test_cli_runner().invoke(args=["notify", "send"])

    assert result.exit_code == 0, result.output
    assert "1 reminder: sent 1, failed 0" in result.output
    [mail] = outbox
    assert mail["Subject"] == "Your Family Course update"
    link = mail["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith(f"{site}/unsubscribe/") and link in mail.get_content()

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop these emails?")
    assert_accessible(page)
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Done: these emails are off")
    expect(page.get_by_text("We won't send you reminders any more.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="My account").last.click()
    page.get_by_label("Email").fill(rosa.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    reminders = page.get_by_label("A gentle reminder when I haven't visited for a while")
    expect(reminders).not_to_be_checked()
    expect(page.get_by_label("A note when a new part of the course opens for me")).to_be_checked()
    assert_accessible(page)

    # Turned on again from the account page, and saved.
    reminders.check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    expect(page.get_by_label("A gentle reminder when I haven't visited for a while")) \
        .to_be_checked()


def test_a_spoiled_unsubscribe_link_says_so_kindly(site, page):
    page.set_viewport_size(PHONE)
    page.goto("/unsubscribe/not-a-real-link")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link can't be used")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_my_data_page_with_answers_and_reflections_is_readable_and_accessible(
    site, page, app, make_member, viewport
):
    from course import progress
    from course.content.ext import current_catalog
    from course.models import Reflection, User, Visibility

    rosa = make_member("Rosa")
    with app.app_context():
        module = current_catalog().get("boundaries")
        db.session.add(Reflection(user_id=rosa.id, module_slug=module.slug,
                                  prompt_id=module.prompts[0].id, body="No more lending money.",
                                  visibility=Visibility.FAMILY))
        progress.submit_quiz(db.session.get(User, rosa.id), module,
                             {q.id: sorted(q.correct_ids) for q in module.questions}, "rosa-1")
        db.session.commit()
    page.set_viewport_size(viewport)
    page.goto("/login")
    page.get_by_label("Email").fill(rosa.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/account/data")
    expect(page.get_by_role("heading", name="My reflections")).to_be_visible()
    expect(page.get_by_text("No more lending money.")).to_be_visible()
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    expect(page.get_by_text("No more lending money.")).to_be_visible()
