"""A family member opens the course, sees the modules in order, and reads a module; help is
in the same place on every page."""

import html
import re

import pytest
from helpers import guide_example, write_module

from course.content.ext import current_catalog


def test_the_course_page_lists_the_published_modules_in_order(client, app):
    page = client.get("/")

    assert page.status_code == 200
    with app.app_context():
        modules = current_catalog().published
    text = html.unescape(page.text)
    titles = re.findall(r'<h2><a href="/modules/[^"]+">([^<]+)</a></h2>', text)
    assert titles == [m.title for m in modules]
    first = modules[0]
    assert first.summary in text
    assert f"About {first.minutes} minutes" in page.text
    assert f"{len(first.sections)} sections" in page.text


def test_a_draft_module_is_not_listed_or_served(module_folder, make_app):
    write_module(module_folder, "13-stress.md", guide_example())
    write_module(
        module_folder, "14-draft.md",
        guide_example().replace("order: 13", "order: 14\ndraft: true").replace(
            "Noticing your own stress", "Work in progress"),
    )
    client = make_app(module_folder).test_client()

    assert "Work in progress" not in client.get("/").text
    assert client.get("/modules/draft").status_code == 404


def test_a_module_page_shows_its_sections_prompts_and_sources(module_folder, make_app):
    write_module(module_folder, "13-stress.md", guide_example())
    page = make_app(module_folder).test_client().get("/modules/stress").text

    assert "<h1>Noticing your own stress</h1>" in page
    assert "Name three signs of stress in your body or mood" in page
    assert '<section id="signs-of-stress"' in page
    assert '<a href="#one-small-step">One small step</a>' in page
    assert "If you like, write down one small thing" in page
    assert "Quiz: 3 questions" in page
    assert "American Psychological Association" in page
    # The answers stay hidden until the quiz is taken.
    assert "Slow breathing calms" not in page


def test_an_unknown_module_gets_a_friendly_404(client):
    page = client.get("/modules/no-such-module")
    assert page.status_code == 404
    assert "We can't find that page" in html.unescape(page.text)
    assert 'href="/"' in page.text


def test_the_resources_page_lists_crisis_lines(client):
    page = client.get("/resources")
    assert page.status_code == 200
    assert "988" in page.text
    assert "1-800-662-4357" in page.text


@pytest.mark.parametrize("url", ["/", "/modules/start-here", "/resources", "/no-such-page"])
def test_crisis_help_is_in_the_same_place_on_every_page(client, url):
    page = client.get(url).text
    footer = page[page.index('<footer id="crisis"') :]
    assert 'href="tel:911"' in footer
    assert 'href="tel:988"' in footer
    assert "1-800-662-4357" in footer
    assert 'href="#crisis"' in page  # "Get help now" at the top jumps there.


@pytest.mark.parametrize("url", ["/", "/modules/start-here", "/resources"])
def test_pages_load_nothing_from_other_sites(client, url):
    page = client.get(url).text
    assert re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', page) == []


def test_every_shipped_module_page_renders(client, app):
    with app.app_context():
        slugs = [module.slug for module in current_catalog().published]
    for slug in slugs:
        assert client.get(f"/modules/{slug}").status_code == 200, slug


def test_pages_tell_the_browser_to_load_nothing_from_elsewhere_and_leak_no_referrer(client):
    headers = client.get("/modules/start-here").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
