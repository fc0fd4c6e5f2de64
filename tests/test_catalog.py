"""The site serves every good module, leaves a broken one out without falling over, and in
development picks up an author's edit on the next page load."""

import logging
import os

from helpers import guide_example, write_module

from course.content import Catalog, catalog as catalog_module


def test_a_broken_module_is_left_out_and_logged_while_the_rest_serve(
    module_folder, make_app, signed_in, caplog
):
    write_module(module_folder, "13-stress.md", guide_example())
    write_module(module_folder, "14-broken.md", "---\ntitle: Broken\n---\n\nNo sections.\n")

    app = make_app(module_folder)
    with caplog.at_level(logging.WARNING):
        client = signed_in(app)

    assert "Noticing your own stress" in client.get("/").text
    assert client.get("/modules/stress").status_code == 200
    assert client.get("/modules/broken").status_code == 404
    assert "14-broken.md:4: module has no sections" in caplog.text


def test_drafts_are_hidden_from_members_but_can_be_looked_up(module_folder):
    write_module(module_folder, "13-stress.md", guide_example().replace("order: 13", "draft: true"))
    catalog = Catalog(module_folder)

    assert catalog.published == ()
    assert catalog.get("stress") is None
    assert catalog.get("stress", include_drafts=True).is_draft


def test_modules_are_served_in_course_order(module_folder):
    write_module(module_folder, "02-b.md", guide_example().replace("order: 13", "order: 2"))
    write_module(module_folder, "10-a.md", guide_example().replace("order: 13", "order: 10"))
    assert [m.slug for m in Catalog(module_folder).published] == ["b", "a"]


def test_links_follow_a_slug_set_in_the_linked_modules_front_matter(module_folder):
    target = guide_example().replace("order: 13", "order: 8\nslug: setting-limits")
    write_module(module_folder, "08-boundaries.md", target)
    linking = guide_example().replace("Pick one you can do today.", "[B](08-boundaries.md)")
    write_module(module_folder, "13-stress.md", linking)

    module = Catalog(module_folder).get("stress")
    assert 'href="/modules/setting-limits"' in module.section("one-small-step").parts[0]


def test_unchanged_files_are_not_parsed_again(module_folder, monkeypatch):
    write_module(module_folder, "13-stress.md", guide_example())
    catalog = Catalog(module_folder)
    calls = []
    monkeypatch.setattr(
        catalog_module, "parse_file", lambda *args: calls.append(args) or None
    )

    assert catalog.refresh() is False
    assert calls == []


def test_in_development_an_edit_shows_on_the_next_page_load(module_folder, make_app, signed_in):
    path = write_module(module_folder, "13-stress.md", guide_example())
    client = signed_in(make_app(module_folder, COURSE_RELOAD_CONTENT=True))
    assert "Signs of stress" in client.get("/modules/stress").text

    path.write_text(guide_example().replace("Signs of stress", "Signs of strain"))
    os.utime(path, ns=(1, 1))  # A new stamp even on file systems with coarse times.

    page = client.get("/modules/stress").text
    assert "Signs of strain" in page
    assert "Signs of stress" not in page


def test_without_reload_the_served_content_stays_as_loaded(module_folder, make_app, signed_in):
    path = write_module(module_folder, "13-stress.md", guide_example())
    client = signed_in(make_app(module_folder))
    path.write_text(guide_example().replace("Signs of stress", "Signs of strain"))
    os.utime(path, ns=(1, 1))

    assert "Signs of stress" in client.get("/modules/stress").text


def test_a_published_module_may_not_link_to_a_draft(module_folder):
    write_module(module_folder, "08-boundaries.md",
                 guide_example().replace("order: 13", "order: 8\ndraft: true"))
    path = write_module(module_folder, "13-stress.md", guide_example().replace(
        "Pick one you can do today.", "See [B](08-boundaries.md)."))
    catalog = Catalog(module_folder)

    assert [str(p) for p in catalog.problems] == [
        f'{path}:22: link to "08-boundaries.md", a draft that members can\'t see yet; '
        "publish it or remove the link"
    ]
    assert catalog.get("stress") is None


def test_a_link_to_a_section_must_name_one_that_exists(module_folder):
    write_module(module_folder, "08-boundaries.md", guide_example().replace("order: 13", "order: 8"))
    write_module(module_folder, "13-stress.md", guide_example().replace(
        "Pick one you can do today.",
        "See [A](08-boundaries.md#signs-of-stress) and [B](08-boundaries.md#nowhere)."))
    catalog = Catalog(module_folder)

    assert [p.message for p in catalog.problems] == [
        'link to "08-boundaries.md#nowhere", but that module has no section "nowhere"; '
        "the section ids are: signs-of-stress, one-small-step"
    ]
