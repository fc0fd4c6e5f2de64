"""A visitor sees what the course is; a member opens a module and reads it; help is in the same
place on every page, and no page loads anything from another site."""

import re

import pytest
from helpers import ROOT, guide_example, text_of, write_module

from course.content.ext import current_catalog


def test_a_visitor_sees_the_published_modules_in_order_and_how_to_join(client, app):
    page = text_of(client.get("/"))

    with app.app_context():
        modules = current_catalog().published
    assert re.findall(r"<h3>([^<]+)</h3>", page) == [m.title for m in modules]
    first = modules[0]
    assert first.summary in page
    assert f"About {first.minutes} minutes" in page
    assert f"{len(first.sections)} sections" in page
    assert 'href="/register"' in page and 'href="/login"' in page


def test_module_pages_are_for_members(client):
    response = client.get("/modules/start-here")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_draft_module_is_not_listed_or_served(module_folder, make_app, signed_in):
    write_module(module_folder, "13-stress.md", guide_example())
    write_module(
        module_folder, "14-draft.md",
        guide_example().replace("order: 13", "order: 14\ndraft: true").replace(
            "Noticing your own stress", "Work in progress"),
    )
    client = signed_in(make_app(module_folder))

    assert "Work in progress" not in client.get("/").text
    assert client.get("/modules/draft").status_code == 404


def test_a_module_page_shows_objectives_steps_and_sources_not_answers(
    module_folder, make_app, signed_in
):
    write_module(module_folder, "13-stress.md", guide_example())
    page = text_of(signed_in(make_app(module_folder)).get("/modules/stress"))

    assert "<h1>Noticing your own stress</h1>" in page
    assert "Name three signs of stress in your body or mood" in page
    assert '<a href="/modules/stress/one-small-step">One small step</a>' in page
    assert "Quiz: 3 questions" in page
    assert "American Psychological Association" in page
    assert "Slow breathing calms" not in page


def test_a_section_page_shows_its_text_and_a_box_under_each_prompt(
    module_folder, make_app, signed_in
):
    write_module(module_folder, "13-stress.md", guide_example())
    page = text_of(signed_in(make_app(module_folder)).get("/modules/stress/one-small-step"))

    assert "<h1>One small step</h1>" in page
    assert "Step 2 of 2" in page
    assert "Small things help" in page
    assert "If you like, write down one small thing" in page
    assert '<textarea id="reflection-one-small-step-reflect"' in page
    assert "Next: the quiz" in page
    assert "← Previous: Signs of stress" in page


def test_an_unknown_module_gets_a_friendly_404(signed_in, app):
    page = signed_in(app).get("/modules/no-such-module")
    assert page.status_code == 404
    assert "We can't find that page" in text_of(page)
    assert 'href="/"' in page.text


def test_the_resources_page_lists_crisis_lines(client):
    page = client.get("/resources")
    assert page.status_code == 200
    assert "988" in page.text
    assert "1-800-662-4357" in page.text


PUBLIC_PAGES = ["/", "/resources", "/privacy", "/login", "/register", "/no-such-page"]
MEMBER_PAGES = ["/", "/modules/start-here", "/modules/start-here/quiz", "/family", "/account"]


def assert_crisis_help(page: str) -> None:
    footer = page[page.index('<footer id="crisis"') :]
    assert 'href="tel:911"' in footer
    assert 'href="tel:988"' in footer
    assert "1-800-662-4357" in footer
    assert 'href="#crisis"' in page  # "Get help now" at the top jumps there.


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_crisis_help_is_in_the_same_place_on_every_public_page(client, url):
    assert_crisis_help(client.get(url).text)


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_crisis_help_is_in_the_same_place_on_every_member_page(signed_in, app, url):
    assert_crisis_help(signed_in(app).get(url).text)


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/modules/start-here/quiz"])
def test_pages_load_nothing_from_other_sites(signed_in, app, url):
    page = signed_in(app).get(url).text
    assert re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', page) == []


def test_every_section_of_every_shipped_module_renders(signed_in, app):
    client = signed_in(app)
    with app.app_context():
        modules = current_catalog().published
    for module in modules:
        for section in module.sections:
            url = f"/modules/{module.slug}/{section.id}"
            assert client.get(url).status_code == 200, url
        assert client.get(f"/modules/{module.slug}/quiz").status_code == 200, module.slug


def test_pages_tell_the_browser_to_load_nothing_from_elsewhere_and_leak_no_referrer(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    # Other sites learn nothing; this one gets the Referer that HTTPS form checks need.
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_logged_in_persons_pages_are_never_cached_and_a_visitors_may_be(client, signed_in, app):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    member = signed_in(app)
    for url in ("/", "/family", "/account"):
        assert member.get(url).headers["Cache-Control"] == "no-store", url


def test_static_files_have_fingerprinted_names_kept_for_a_year(client):
    page = client.get("/").text
    [css] = re.findall(r'href="(/static/course\.[0-9a-f]{12}\.css)"', page)
    with client.get(css) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
    # A page from an older (or newer) release, still open or served by another node during a
    # rolling update, asks for a name that isn't current: it gets today's file, revalidated,
    # rather than a 404 that would leave the page without its styles.
    with client.get("/static/course.000000000000.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css" and "immutable" not in response.headers[
            "Cache-Control"]
        assert "no-cache" in response.headers["Cache-Control"]
    assert client.get("/static/nothing.000000000000.css").status_code == 404
    with client.get("/static/course.css") as response:
        assert "no-cache" in response.headers["Cache-Control"]


# Symbols and emoji that many phones' and desktops' fonts lack, so they show as empty boxes:
# Miscellaneous Technical to Miscellaneous Symbols and Arrows (U+2300-2BFF: ◐ ○ ⚠ ✓ ✗ ✎), and
# everything from U+1F000 (🎉 🔒). Arrows (← →) and punctuation (· …) are in every font.
ICON_GLYPHS = re.compile("[\u2300-\u2bff\ufe0f\U0001f000-\U0010ffff]")
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", [*TEMPLATES, ROOT / "course" / "static" / "course.css"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_icon_is_a_character_that_some_fonts_show_as_an_empty_box(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [f"{n}: {ICON_GLYPHS.findall(line)}" for n, line in enumerate(lines, 1)
             if ICON_GLYPHS.search(line)]
    assert found == []


def test_a_members_statuses_are_drawn_and_said_in_words(signed_in, app):
    page = signed_in(app).get("/").text
    [status, *_] = re.findall(r'<span class="status status-new">(.*?)</span>', page, re.DOTALL)
    assert re.match(r'<svg class="icon" aria-hidden="true" focusable="false"', status), status
    assert status.endswith("</svg> Not started")


def test_every_page_moves_focus_to_its_error_summary_with_a_script_of_its_own(client):
    page = client.post("/login", data={}).text
    assert 'id="error-summary"' in page and 'tabindex="-1"' in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert '<script src="/static/focus.js" defer>' in [
        re.sub(r"\.[0-9a-f]{12}\.js", ".js", script) for script in scripts]
    # Every script is a file of the site's own, and no element has an inline handler: the
    # Content-Security-Policy would refuse both.
    assert all(re.match(r'<script src="/static/', script) for script in scripts), scripts
    assert re.search(r"\son[a-z]+=", page) is None
    [focus] = re.findall(r'src="(/static/focus\.[0-9a-f]{12}\.js)"', page)
    with client.get(focus) as response:
        assert response.status_code == 200
        assert "error-summary" in response.text
