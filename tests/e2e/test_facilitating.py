"""A facilitator runs a group in a real browser, on a phone and on a laptop.

Dana starts a Thursday group that opens one module a week and makes an invite link. Rosa joins
with it, finds the second module not open yet, reads the first step by step, shares a reflection
with Dana and gets part of the quiz wrong. Dana's Progress, Questions and Shared with you tabs,
Rosa's own page and the progress CSV all show it. Every facilitator page, with a group's data in
it, passes an axe-core scan at both widths.
"""

import csv
import html
import io
import re
from datetime import timedelta
from urllib.parse import urljoin

import pytest
from helpers import pdf_page_count, pdf_text, squeezed
from playwright.sync_api import expect

from course import invitations, progress
from course.cohorts import weekly_dates
from course.content.ext import current_catalog
from course.extensions import db
from course.models import Cohort, CohortFacilitator, ModuleSchedule, User, Visibility, local_today

from .axe import DESKTOP, PHONE, assert_accessible, serious_violations
from .test_journey import sign_up
from .test_reading import log_in

pytestmark = pytest.mark.browser

SLUG = "start-here"
GROUP = "Thursday family group"
SHARED = "We keep naloxone in the kitchen drawer now, and my sister knows where it is."
WRONG = {0, 1}  # Rosa gets the first two questions wrong, the rest right.
WEEKLY = "One module a week, from the first meeting"


@pytest.fixture
def modules(session_app):
    """The published modules, in order."""
    with session_app.app_context():
        return list(current_catalog().published)


@pytest.fixture
def module(modules):
    return next(m for m in modules if m.slug == SLUG)


def plain(option_html: str) -> str:
    """An answer option as a reader sees it: its words without the markup."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", option_html)).split())


def choices(module, wrong=frozenset()):
    """For each question, the options chosen: one wrong option for the questions in `wrong`
    (by index), every right option for the others."""
    chosen = {}
    for index, question in enumerate(module.questions):
        if index in wrong:
            chosen[question.id] = [next(o for o in question.options if not o.is_correct)]
        else:
            chosen[question.id] = [o for o in question.options if o.is_correct]
    return chosen


def score_percent(module, wrong) -> int:
    return round(100 * (len(module.questions) - len(wrong)) / len(module.questions))


def rosa_card(page):
    """Rosa's card in the dashboard's list of members (a phone's view)."""
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Rosa", exact=True)
    )


def open_groups(page, facilitator):
    """Log in through the form, then open the facilitator's list of groups."""
    log_in(page, facilitator, landing="Your groups")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your groups")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_facilitator_runs_a_weekly_group_and_sees_how_a_member_does(
    site, page, browser, session_app, make_staff, modules, module, viewport
):
    page.set_viewport_size(viewport)
    today = local_today()
    second = modules[1]
    score = score_percent(module, WRONG)
    sections = len(module.sections)

    # Dana starts a group that meets on the first meeting's weekday, from today.
    open_groups(page, make_staff())
    page.get_by_role("button", name="Start a new group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new group")
    page.get_by_label("Name of the group").fill(GROUP)
    page.get_by_label("First meeting").fill(today.isoformat())
    page.get_by_label("Meeting day").select_option(label=today.strftime("%A"))
    page.get_by_role("button", name="Start the group").click()

    # She lands on the Invites tab and makes a link for the families.
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
    expect(page.get_by_text(f"“{GROUP}” is ready.")).to_be_visible()
    tabs = page.get_by_role("navigation", name=GROUP)
    expect(tabs.get_by_role("link", name="Invites")).to_have_attribute("aria-current", "page")
    page.get_by_role("button", name="Make an invite link").click()
    invite_url = page.get_by_label("Invite link", exact=True).input_value()
    assert "/join/" in invite_url

    # Modules open one a week from the first meeting: the second one a week from today.
    tabs.get_by_role("link", name="Schedule").click()
    page.get_by_label(WEEKLY).check()
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_text("The schedule is saved.")).to_be_visible()
    expect(page.get_by_label(WEEKLY)).to_be_checked()
    expect(page.get_by_role("row").filter(has_text=second.title)).to_contain_text(
        f"Opens on {(today + timedelta(weeks=1)).strftime('%a %-d %b %Y')}"
    )

    # Rosa joins with the link on her own device; the second module isn't open yet.
    rosa = browser.new_page(viewport=viewport, base_url=site)
    sign_up(rosa, session_app, invite_url, "Rosa", "rosa@example.org", "Parent")
    locked = rosa.get_by_role("listitem").filter(
        has=rosa.get_by_role("heading", name=second.title, exact=True)
    )
    expect(locked).to_contain_text(
        f"Opens {(today + timedelta(weeks=1)).strftime('%A %-d %B')}"
    )
    expect(rosa.get_by_role("link", name=second.title, exact=True)).to_have_count(0)

    # She reads the first module step by step and shares one reflection with Dana.
    rosa.get_by_role("link", name=module.title, exact=True).click()
    rosa.get_by_role("button", name="Start", exact=True).click()
    shared = False
    for number, section in enumerate(module.sections, start=1):
        expect(rosa.get_by_text(f"Step {number} of {sections}")).to_be_visible()
        expect(rosa.get_by_role("heading", level=1)).to_have_text(section.title)
        for prompt in section.prompts:
            if not shared:
                box = rosa.locator(f"#prompt-{prompt.id}")
                box.get_by_label("Your reflection (optional)").fill(SHARED)
                box.get_by_label("My family and my facilitator", exact=True).check()
                shared = True
        rosa.get_by_role("button", name=re.compile("^Next")).click()
    assert shared

    # The quiz: she gets two questions wrong, so she doesn't pass yet.
    expect(rosa.get_by_role("heading", level=1)).to_have_text("Quiz")
    for number, (question, options) in enumerate(
        zip(module.questions, choices(module, WRONG).values(), strict=True), start=1
    ):
        asked = rosa.get_by_role("group", name=f"{number}. {question.title}", exact=True)
        for option in options:
            asked.get_by_label(plain(option.html), exact=True).check()
    rosa.get_by_role("button", name="Check my answers").click()
    expect(rosa.get_by_role("heading", level=1)).to_have_text("Your quiz results")
    expect(rosa.get_by_text(re.compile(rf"right \({score}%\)"))).to_be_visible()
    rosa.close()

    # Progress: Rosa is in the grid (on a phone, her card), every step read and her best score.
    tabs.get_by_role("link", name="Progress").click()
    first_cell = f"{sections}/{sections} · {score}%"
    if viewport == DESKTOP:
        grid = page.get_by_role("table", name="Members by module")
        row = grid.get_by_role("row").filter(has=page.get_by_role("link", name="Rosa"))
        expect(row).to_have_count(1)
        # A cell for each module, in course order, says in words what its mark shows.
        cells = row.get_by_role("cell")
        expect(cells).to_have_count(len(modules))
        expect(cells.nth(0)).to_contain_text(f"In progress {first_cell}")
        expect(cells.nth(1)).to_contain_text("Not started")
    else:
        card = rosa_card(page)
        expect(card).to_contain_text(
            f"0 completed · 1 in progress · {len(modules) - 1} not started"
        )
        marks = card.get_by_role("list", name="Modules of Rosa").get_by_role("listitem")
        expect(marks).to_have_count(len(modules))
        expect(marks.nth(0)).to_contain_text(f"Module 1: In progress {first_cell}")
        expect(marks.nth(1)).to_contain_text("Module 2: Not started")

    # The progress CSV has the same numbers as the screen.
    link = page.get_by_role("link", name="progress (CSV)")
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.ok
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    mine = {r["module_slug"]: r for r in rows if r["member"] == "Rosa"}
    assert set(mine) == {m.slug for m in modules}
    assert mine[SLUG]["status"] == "In progress"
    assert mine[SLUG]["sections_done"] == mine[SLUG]["sections_total"] == str(sections)
    assert mine[SLUG]["best_score_percent"] == str(score)
    assert mine[second.slug]["status"] == "Not started"

    # Questions: the ones she got wrong come first, with the wrong answer she chose.
    tabs.get_by_role("link", name="Questions").click()
    # The select sits inside its label, so its name also holds the option chosen.
    page.get_by_label("Module", exact=True).select_option(label=f"{module.order}. {module.title}")
    page.get_by_role("button", name="Show", exact=True).click()
    table = page.get_by_role("table", name="Questions in this module")
    expect(table.get_by_role("columnheader", name="Right first try")).to_be_visible()
    chosen = choices(module, WRONG)
    for index, question in enumerate(module.questions):
        figures = table.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=f"{question.title} ({module.title})",
                                 exact=True)
        ).get_by_role("cell")
        if index in WRONG:
            expect(figures.nth(0)).to_have_text("0% of 1")
            expect(figures.nth(1)).to_have_text(f"{plain(chosen[question.id][0].html)} (1×)")
        else:
            expect(figures.nth(0)).to_have_text("100% of 1")
            expect(figures.nth(1)).to_have_text("—")
    hardest = table.get_by_role("row").nth(1)  # The first row under the header.
    expect(hardest.get_by_role("cell").nth(0)).to_have_text("0% of 1")

    # Shared with you: Rosa's reflection, and from there her own page.
    tabs.get_by_role("link", name="Shared with you").click()
    expect(page.get_by_text(SHARED)).to_be_visible()
    page.get_by_role("link", name="Rosa", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa")
    expect(page.get_by_text(
        f"{module.order}. {module.title}: In progress · {sections} of {sections} sections · "
        f"quiz best {score}%"
    )).to_be_visible()
    attempt = page.get_by_role("heading", name=re.compile(rf"^Attempt 1, .*: {score}%$"))
    expect(attempt).to_be_visible()
    for index in sorted(WRONG):
        expect(page.get_by_text(f"Not quite: {module.questions[index].title}")).to_be_visible()
    expect(page.get_by_text(SHARED)).to_be_visible()


@pytest.fixture
def running_group(session_app, make_staff, make_member, module, modules):
    """Dana's weekly group with something in every tab: two families, one member part way with
    wrong answers and a reflection shared with Dana, one who completed a module, an invite."""
    dana = make_staff()
    with session_app.app_context():
        today = local_today()
        cohort = Cohort(name=GROUP, start_date=today, meeting_day=today.weekday())
        cohort.facilitators.append(CohortFacilitator(user_id=dana.id, is_owner=True))
        cohort.schedule = [
            ModuleSchedule(module_slug=slug, opens_on=opens)
            for slug, opens in weekly_dates(cohort, modules).items()
        ]
        db.session.add(cohort)
        invitations.create_invite(created_by=None, cohort=cohort, max_uses=10)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
    rosa = make_member("Rosa", cohort=cohort)
    make_member("Luis", family=rosa.membership.family, relationship="partner")
    may = make_member("May", cohort=cohort)
    with session_app.app_context():
        for member, wrong in ((rosa, WRONG), (may, set())):
            user = db.session.get(User, member.id)
            for section in module.sections:
                progress.record_section_read(user, module, section)
            answers = {qid: [o.id for o in options]
                       for qid, options in choices(module, wrong).items()}
            progress.submit_quiz(user, module, answers, f"{member.id}-{SLUG}")
        rosa_user = db.session.get(User, rosa.id)
        progress.save_reflection(
            rosa_user, module, module.prompts[0].id, SHARED, Visibility.FACILITATOR
        )
        db.session.commit()
    return dana, cohort.id, rosa.id


FACILITATOR_PAGES = {
    "groups": "/facilitate",
    "new-group": "/facilitate/cohorts/new",
    "progress": "/facilitate/cohorts/{cohort}",
    "questions": "/facilitate/cohorts/{cohort}/questions",
    "agenda": "/facilitate/cohorts/{cohort}/agenda",
    "shared": "/facilitate/cohorts/{cohort}/reflections",
    "families": "/facilitate/cohorts/{cohort}/roster",
    "invites": "/facilitate/cohorts/{cohort}/invites",
    "schedule": "/facilitate/cohorts/{cohort}/schedule",
    "settings": "/facilitate/cohorts/{cohort}/edit",
    "member": "/facilitate/cohorts/{cohort}/members/{member}",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", FACILITATOR_PAGES)
def test_facilitator_pages_pass_axe_and_fit_the_screen(site, page, running_group, name, viewport):
    dana, cohort_id, member_id = running_group
    page.set_viewport_size(viewport)
    open_groups(page, dana)
    response = page.goto(FACILITATOR_PAGES[name].format(cohort=cohort_id, member=member_id))
    assert response.ok, response.status
    if name == "invites":
        # With a link just made above the links made before.
        page.get_by_role("button", name="Make an invite link").click()
        expect(page.get_by_label("Invite link", exact=True)).to_be_visible()
    assert_accessible(page)


# Issue 13: invite links to copy or share, a dashboard that fits, the agenda to print. ---------


def make_invite_link(page, cohort_id, label="The Garcia family") -> str:
    page.goto(f"/facilitate/cohorts/{cohort_id}/invites")
    page.get_by_label("Who is it for? (optional)").fill(label)
    page.get_by_role("button", name="Make an invite link").click()
    expect(page.get_by_role("heading", name=f"Your new invite link for {label}")).to_be_visible()
    return page.get_by_label("Invite link", exact=True).input_value()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_new_invite_link_is_shown_whole_and_copied_with_one_button(
    site, browser, running_group, viewport
):
    dana, cohort_id, _ = running_group
    context = browser.new_context(base_url=site, viewport=viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    open_groups(page, dana)

    link = make_invite_link(page, cohort_id)
    box = page.get_by_label("Invite link", exact=True)
    # All of it in view: wrapped, never cut off at the box's edge.
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    expect(page.get_by_text("Copy it now: for safety we can't show it again.")).to_be_visible()
    # This browser can't share to other apps, so only Copy shows.
    expect(page.get_by_role("button", name="Share link")).to_be_hidden()
    page.get_by_role("button", name="Copy link").click()

    # The button itself says so, and the line saying what happened is on the screen.
    expect(page.get_by_role("button", name="Copied", exact=True)).to_be_visible()
    status = page.get_by_role("status").filter(has_text="Copied")
    expect(status).to_be_visible()
    expect(status).to_be_in_viewport()
    assert page.evaluate("navigator.clipboard.readText()") == link
    # A few seconds later the button is ready to copy again.
    expect(page.get_by_role("button", name="Copy link")).to_be_visible(timeout=8000)
    # The list of links says whom this one was for.
    expect(page.get_by_text("The Garcia family", exact=True)).to_be_visible()
    assert_accessible(page)
    context.close()


def test_without_the_clipboard_the_link_is_selected_to_copy_by_hand(site, page, running_group):
    dana, cohort_id, _ = running_group
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    open_groups(page, dana)
    link = make_invite_link(page, cohort_id)

    page.get_by_role("button", name="Copy link").click()

    status = page.locator("#invite_link-status")
    expect(status).to_have_text(re.compile(r"^(Copied\.|The link is selected\.)"))
    selected = page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e.value.slice(e.selectionStart, e.selectionEnd); })()"
    )
    assert selected == link


def test_where_a_phone_can_share_the_share_button_sends_the_link(site, page, running_group):
    dana, cohort_id, _ = running_group
    page.add_init_script(
        "navigator.share = data => { window.sharedWith = data; return Promise.resolve(); };"
    )
    page.set_viewport_size(PHONE)
    open_groups(page, dana)
    link = make_invite_link(page, cohort_id)

    page.get_by_role("button", name="Share link").click()

    assert page.evaluate("window.sharedWith.url") == link


def test_the_dashboard_shows_every_module_at_desktop_width_and_cards_on_a_phone(
    site, page, running_group, modules
):
    dana, cohort_id, _ = running_group
    page.set_viewport_size(DESKTOP)
    open_groups(page, dana)
    page.goto(f"/facilitate/cohorts/{cohort_id}")

    grid = page.get_by_role("region", name="Members by module")
    last = grid.get_by_role("columnheader", name=f"Module {modules[-1].order}", exact=True)
    expect(last).to_be_visible()
    column, region = last.bounding_box(), grid.bounding_box()
    assert column["x"] + column["width"] <= region["x"] + region["width"] <= DESKTOP["width"]
    assert grid.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(rosa_card(page)).to_be_hidden()

    page.set_viewport_size(PHONE)
    expect(grid).to_be_hidden()
    expect(rosa_card(page)).to_be_visible()
    expect(rosa_card(page).get_by_role("listitem")).to_have_count(len(modules))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_update_lands_on_the_members_it_shows(site, page, running_group, viewport):
    dana, cohort_id, _ = running_group
    page.set_viewport_size(viewport)
    open_groups(page, dana)
    page.goto(f"/facilitate/cohorts/{cohort_id}")

    page.get_by_label("Show", exact=True).select_option(label="Not started")
    page.get_by_role("button", name="Update").click()

    results = page.get_by_role("heading", name="Not started: 1 member")
    expect(results).to_be_focused()
    expect(results).to_be_in_viewport()
    assert page.url.endswith("#results")


def test_the_meeting_agenda_prints_the_hardest_questions_on_a_page_or_two(
    site, page, running_group, module
):
    dana, cohort_id, _ = running_group
    page.set_viewport_size(DESKTOP)
    open_groups(page, dana)
    page.goto(f"/facilitate/cohorts/{cohort_id}/questions")
    page.get_by_role("link", name="Print the meeting agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting agenda")
    expect(page.get_by_role("button", name="Print the agenda")).to_be_visible()

    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        assert 1 <= pdf_page_count(pdf) <= 2, paper
        printed = pdf_text(pdf).lower()
        for words in (GROUP, "Meeting agenda",
                      f"Next meeting: {local_today().strftime('%A %-d %B %Y')}",
                      *(module.questions[index].title for index in sorted(WRONG)),
                      "Notes"):
            assert squeezed(words).lower() in printed, (paper, words)
        # Two people answered: counts on paper could point to one of them, so they are left off.
        assert squeezed("Fewer than 3 people have answered it so far").lower() in printed
        assert squeezed("Right on the first try").lower() not in printed
        # No menu, buttons or links back: only the agenda and the crisis lines.
        for words in ("Print the agenda", "Back to the questions", "Skip to main content",
                      "Shared with you", "Rosa"):
            assert squeezed(words).lower() not in printed, (paper, words)


# The walk-through's findings (2026-11-28). ----------------------------------------------------


def headings_beside(row) -> list[str]:
    """The small headings a stacked row shows beside its figures, each on screen."""
    return row.evaluate("""r => [...r.querySelectorAll('td')].filter(td => {
        const box = td.getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
    }).map(td => getComputedStyle(td, '::before').content.replace(/^"|"$/g, ''))""")


def test_on_a_phone_the_module_and_question_tables_fit_without_scrolling_sideways(
    site, page, running_group, modules
):
    dana, cohort_id, _ = running_group
    page.set_viewport_size(PHONE)
    open_groups(page, dana)
    page.goto(f"/facilitate/cohorts/{cohort_id}")
    each = page.get_by_role("table", name="Each module")
    expect(each).to_be_visible()
    first = each.get_by_role("row").filter(has_text=modules[0].title)
    # Every figure of a module shows, each with its heading, inside the screen's width.
    assert headings_beside(first) == ["Completed", "Started", "Average best score"]
    assert each.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth")
    assert each.evaluate("e => e.parentElement.scrollWidth <= e.parentElement.clientWidth")

    page.goto(f"/facilitate/cohorts/{cohort_id}/questions")
    table = page.get_by_role("table", name="Questions")
    expect(table).to_be_visible()
    row = table.get_by_role("row").nth(1)
    assert headings_beside(row) == ["Right first try", "Wrong answer chosen most", "Answers"]
    assert table.evaluate("e => e.parentElement.scrollWidth <= e.parentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    # The families: each member a card, their language on screen without scrolling.
    page.goto(f"/facilitate/cohorts/{cohort_id}/roster")
    members = page.get_by_role("table").first
    row = members.get_by_role("row").nth(1)
    assert headings_beside(row) == ["Relationship", "Joined", "Last active", "Language"]
    assert members.evaluate("e => e.parentElement.scrollWidth <= e.parentElement.clientWidth")
    assert_accessible(page)


def test_expandable_headings_show_the_same_clear_focus_ring(site, page, running_group):
    dana, cohort_id, member_id = running_group
    page.set_viewport_size(DESKTOP)
    open_groups(page, dana)
    for path in (f"/facilitate/cohorts/{cohort_id}",
                 f"/facilitate/cohorts/{cohort_id}/members/{member_id}"):
        page.goto(path)
        summary = page.locator("summary").first
        summary.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        expect(summary).to_be_focused()
        ring = summary.evaluate("""e => { const s = getComputedStyle(e);
            return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }""")
        link = page.locator("main a[href]").first.evaluate(
            "e => { e.focus(); return getComputedStyle(e).outlineColor; }")
        assert ring[:2] == ["solid", "3px"], (path, ring)
        assert ring[2] in (link, "rgb(1, 114, 173)"), (path, ring, link)
        assert summary.bounding_box()["height"] >= 24


def test_progress_keeps_one_width_whatever_it_shows(site, page, running_group):
    dana, cohort_id, _ = running_group
    page.set_viewport_size(DESKTOP)
    open_groups(page, dana)

    def edges():
        return page.evaluate("""[...document.querySelectorAll(
            'body > header.container, body > main.container, body > footer.container')]
            .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.width]; })""")

    page.goto(f"/facilitate/cohorts/{cohort_id}")
    full = edges()
    page.goto(f"/facilitate/cohorts/{cohort_id}?show=completed")
    expect(page.get_by_role("heading", name="Completed every module: 0 members")).to_be_visible()
    empty = edges()
    assert len({tuple(e) for e in full}) == 1, full
    assert empty == full


def test_progress_jumps_to_the_members_with_one_link(site, page, running_group):
    dana, cohort_id, _ = running_group
    page.set_viewport_size(DESKTOP)
    open_groups(page, dana)
    page.goto(f"/facilitate/cohorts/{cohort_id}")

    page.get_by_role("link", name="Jump to members").click()

    members = page.get_by_role("heading", name="Members", exact=True)
    expect(members).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Show", exact=True)).to_be_focused()


def test_withdraw_buttons_are_big_enough_to_tap(
    site, page, browser, session_app, running_group
):
    dana, cohort_id, rosa_id = running_group
    page.set_viewport_size(PHONE)
    open_groups(page, dana)
    page.goto(f"/facilitate/cohorts/{cohort_id}/invites")
    withdraw = page.get_by_role("button", name=re.compile("^Withdraw")).first
    assert withdraw.bounding_box()["height"] >= 24

    # Rosa's own link on her Family page: the same kind of button.
    with session_app.app_context():
        rosa = db.session.get(User, rosa_id)
        db.session.expunge(rosa)
    member = browser.new_page(viewport=PHONE, base_url=site)
    log_in(member, rosa)
    member.goto("/family")
    member.get_by_role("button", name="Make an invite link").click()
    member.goto("/family")
    assert member.get_by_role("button", name=re.compile("^Withdraw")).first.bounding_box()[
        "height"] >= 24
    member.close()


def test_the_agenda_prints_what_each_question_asked_and_its_answer(
    site, page, running_group, module
):
    dana, cohort_id, _ = running_group
    page.set_viewport_size(DESKTOP)
    open_groups(page, dana)
    page.goto(f"/facilitate/cohorts/{cohort_id}/agenda")
    expect(page.get_by_text("Ctrl+P")).to_be_visible()

    printed = pdf_text(page.pdf(format="Letter")).lower()
    question = module.questions[min(WRONG)]
    for words in (plain(question.stem_html), plain(question.explanation_html),
                  *(plain(o.html) for o in question.options if o.is_correct)):
        assert squeezed(words).lower() in printed, words

    # On a phone the keyboard's print command means nothing.
    page.set_viewport_size(PHONE)
    expect(page.get_by_text("Ctrl+P")).to_be_hidden()
