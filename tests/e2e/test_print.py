"""On paper: a family prints a whole module to read away from the screen or to bring to the
group meeting, and any member page prints as its content alone, with the crisis lines. And the
"Since your last visit" list passes the same checks as the rest of the page."""

import re
import unicodedata
import zlib

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from course.content.ext import current_catalog
from course.extensions import db
from course.models import Encouragement, Reflection, User, Visibility

from .axe import DESKTOP, PHONE, assert_accessible
from .test_reading import log_in

pytestmark = pytest.mark.browser

# What the menu and the skip link say: none of it belongs on paper.
MENU = {"Skip to main content", "Family Course", "Course", "Family", "Account", "My plan",
        "Get help now", "Log out"}


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """The text of each page of a PDF Chromium printed: a list of its runs of text.

    Chromium (Skia) writes each run as glyph ids in a font whose ToUnicode map gives the
    characters; enough of PDF to read them back is here, as no PDF library is installed."""
    objects = {
        int(n): body for n, body in re.findall(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.DOTALL)
    }

    def stream(number: int) -> bytes:
        body = objects[number]
        raw = re.search(rb"stream\r?\n(.*)endstream", body, re.DOTALL).group(1)
        return zlib.decompress(raw) if b"/FlateDecode" in body else raw

    def characters(font: int) -> dict[int, str]:
        cmap = stream(int(re.search(rb"/ToUnicode (\d+) 0 R", objects[font]).group(1)))
        found = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
            for glyph, text in re.findall(rb"<(\w+)>\s*<(\w+)>", block):
                found[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
            for first, last, text in re.findall(rb"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
                for offset in range(int(first, 16), int(last, 16) + 1):
                    found[offset] = chr(int(text, 16) + offset - int(first, 16))
        return found

    [kids] = re.findall(rb"/Type /Pages\s*/Count \d+\s*/Kids \[([^\]]*)\]", pdf)
    pages = []
    for page in (int(n) for n in re.findall(rb"(\d+) 0 R", kids)):
        body = objects[page]
        fonts = {name: characters(int(n)) for name, n in re.findall(
            rb"/(F\d+) (\d+) 0 R", re.search(rb"/Font <<(.*?)>>", body, re.DOTALL).group(1)
        )}
        runs = []
        content = stream(int(re.search(rb"/Contents (\d+) 0 R", body).group(1)))
        for block in re.findall(rb"BT(.*?)ET", content, re.DOTALL):
            font, text = None, ""
            for name, glyphs in re.findall(rb"/(F\d+) [\d.]+ Tf|<(\w+)> Tj", block):
                if name:
                    font = fonts[name]
                else:
                    text += "".join(font.get(int(glyphs[i:i + 4], 16), "")
                                    for i in range(0, len(glyphs), 4))
            runs.append(unicodedata.normalize("NFKC", text).strip())  # "ﬁ" is "fi"
        pages.append([run for run in runs if run])
    return pages


def module_of(app, slug: str):
    with app.app_context():
        return current_catalog().get(slug)


def test_a_printed_module_is_the_module_alone_on_a_few_a4_pages(site, app, page, make_member):
    log_in(page, make_member("Rosa"))
    page.goto("/modules/boundaries/print")
    pages = pdf_pages(page.pdf(format="A4"))

    assert 4 <= len(pages) <= 16, f"{len(pages)} pages"
    runs = [run for runs in pages for run in runs]
    text = " ".join(runs)
    assert MENU.isdisjoint(runs), MENU & set(runs)
    assert "Print this module" not in text
    module = module_of(app, "boundaries")
    for step in module.sections:
        assert step.title in text
    # The quiz begins a page of its own, and the crisis lines close the last one.
    assert any(runs and runs[0].startswith("Quiz:") for runs in pages[1:])
    assert "Need help now?" in " ".join(pages[-1])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_printing_a_member_page_leaves_the_menu_and_buttons_off(site, page, make_member, scheme):
    page.emulate_media(color_scheme=scheme)
    log_in(page, make_member("Rosa"))
    continue_button = page.get_by_role("button", name=re.compile("^Start: "))
    expect(continue_button).to_be_visible()

    page.emulate_media(media="print", color_scheme=scheme)

    expect(page.locator("body > header")).to_be_hidden()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_hidden()
    expect(continue_button).to_be_hidden()
    expect(page.get_by_role("heading", name="My course")).to_be_visible()
    expect(page.get_by_role("link", name="call or text 988")).to_be_visible()
    colours = page.evaluate("""() => [document.body, document.querySelector('h1'),
        document.querySelector('a[href="tel:988"]')].map(el => {
          const style = getComputedStyle(el);
          return [style.color, getComputedStyle(document.body).backgroundColor];
        })""")
    assert {tuple(pair) for pair in colours} == {("rgb(0, 0, 0)", "rgb(255, 255, 255)")}


def test_the_print_button_opens_the_browsers_print(site, app, page, make_member):
    log_in(page, make_member("Rosa"))
    page.goto("/modules/boundaries")
    page.get_by_role("link", name="Print this module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(module_of(app, "boundaries").title)
    page.evaluate("window.print = () => { window.printed = true; }")

    page.get_by_role("button", name="Print this module").click()

    assert page.evaluate("window.printed") is True


def news_for(app, rosa, tom) -> None:
    """Tom shares a reflection and leaves kind words on Rosa's: news for Rosa."""
    with app.app_context():
        mine = Reflection(user_id=rosa.id, module_slug="boundaries",
                          prompt_id="what-a-boundary-is-reflect", body="Saying no to money.",
                          visibility=Visibility.FAMILY)
        db.session.add_all([mine, Reflection(
            user_id=tom.id, module_slug="boundaries", prompt_id="rewarding-not-using-reflect",
            body="Dinner out when he is sober.", visibility=Visibility.FAMILY)])
        db.session.flush()
        db.session.add(Encouragement(reflection_id=mine.id, author_id=tom.id, body="Proud."))
        db.session.commit()


def forget_seen(app, member) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == member.id).values(news_seen_at=None))
        db.session.commit()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_news_and_the_print_page_pass_axe_and_fit_the_screen(
    site, app, page, make_member, viewport
):
    rosa = make_member("Rosa")
    tom = make_member("Tom", family=rosa.membership.family, relationship="partner")
    news_for(app, rosa, tom)
    page.set_viewport_size(viewport)

    log_in(page, rosa)
    news = page.get_by_role("region", name="Since your last visit")
    expect(news).to_be_visible()
    expect(news.get_by_role("listitem")).to_have_count(2)
    assert_accessible(page)

    forget_seen(app, rosa)
    page.goto("/family")
    expect(news).to_be_visible()
    assert_accessible(page)
    news.get_by_role("link", name="“Boundaries and natural consequences”", exact=True).click()
    expect(page.get_by_text("Dinner out when he is sober.")).to_be_in_viewport()

    page.goto("/modules/boundaries/print")
    assert_accessible(page)
