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


def test_a_link_to_a_draft_is_an_error_and_shows_as_plain_text_while_the_module_serves(
    module_folder,
):
    write_module(module_folder, "08-boundaries.md",
                 guide_example().replace("order: 13", "order: 8\ndraft: true"))
    path = write_module(module_folder, "13-stress.md", guide_example().replace(
        "Pick one you can do today.", "See [the boundaries module](08-boundaries.md)."))
    catalog = Catalog(module_folder)

    assert [str(p) for p in catalog.problems] == [
        (f'{path}:22: link to "08-boundaries.md", a draft that members can\'t see yet; '
         "publish it or remove the link")
    ]
    html = catalog.get("stress").section("one-small-step").parts[0]
    assert "See the boundaries module." in html
    assert "/modules/boundaries" not in html


def test_a_draft_may_link_to_a_draft(module_folder):
    write_module(module_folder, "08-boundaries.md",
                 guide_example().replace("order: 13", "order: 8\ndraft: true"))
    write_module(module_folder, "13-stress.md", guide_example().replace(
        "order: 13", "order: 13\ndraft: true").replace(
        "Pick one you can do today.", "See [B](08-boundaries.md)."))
    catalog = Catalog(module_folder)

    assert catalog.problems == ()
    html = catalog.get("stress", include_drafts=True).section("one-small-step").parts[0]
    assert '<a href="/modules/boundaries"' in html


def test_a_link_to_a_section_must_name_one_that_exists(module_folder):
    write_module(module_folder, "08-boundaries.md",
                 guide_example().replace("order: 13", "order: 8"))
    write_module(module_folder, "13-stress.md", guide_example().replace(
        "Pick one you can do today.",
        "See [A](08-boundaries.md#signs-of-stress) and [B](08-boundaries.md#nowhere)."))
    catalog = Catalog(module_folder)

    assert [p.message for p in catalog.problems] == [
        ('link to "08-boundaries.md#nowhere", but that module has no section "nowhere"; '
         "the section ids are: signs-of-stress, one-small-step")
    ]
    html = catalog.get("stress").section("one-small-step").parts[0]
    assert 'href="/modules/boundaries#signs-of-stress"' in html
    assert 'href="/modules/boundaries#nowhere"' in html  # The page exists: the link still helps.


# Content faults stay local ---------------------------------------------------------------------


def changed(path, text):
    """Save a new version of a module file, with a new stamp even on coarse file systems."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def linking_pair(module_folder):
    """Module 1 links to module 2, as the shipped start-here module does."""
    first = write_module(module_folder, "01-start.md", guide_example().replace(
        "order: 13", "order: 1").replace(
        "Pick one you can do today.", "Read [what comes next](02-next.md) after this."))
    second = write_module(module_folder, "02-next.md", guide_example().replace(
        "order: 13", "order: 2").replace("Noticing your own stress", "What comes next"))
    return first, second


def test_deleting_a_module_leaves_the_modules_that_link_to_it_serving(module_folder):
    first, second = linking_pair(module_folder)
    catalog = Catalog(module_folder)
    assert [m.slug for m in catalog.published] == ["start", "next"]

    second.unlink()
    catalog.refresh()

    assert [m.slug for m in catalog.published] == ["start"]
    html = catalog.get("start").section("one-small-step").parts[0]
    assert "Read what comes next after this." in html
    assert "<a" not in html
    assert [str(p) for p in catalog.problems] == [
        f'{first}:22: link to "02-next.md", which is not a module in this folder'
    ]


def test_at_start_a_link_to_a_missing_module_shows_as_plain_text(module_folder):
    first, second = linking_pair(module_folder)
    second.unlink()

    catalog = Catalog(module_folder)

    assert "Read what comes next after this." in (
        catalog.get("start").section("one-small-step").parts[0]
    )
    assert [p.message for p in catalog.problems] == [
        'link to "02-next.md", which is not a module in this folder'
    ]


def test_a_link_to_a_module_left_out_for_its_own_errors_shows_as_text_until_it_is_fixed(
    module_folder,
):
    first, second = linking_pair(module_folder)
    changed(second, second.read_text().replace("## Quiz", "## Test"))
    catalog = Catalog(module_folder)

    assert [m.slug for m in catalog.published] == ["start"]
    assert "<a" not in catalog.get("start").section("one-small-step").parts[0]
    assert (
        f'{first}:22: link to "02-next.md", a module members can\'t open because of its own '
        "problems; fix that file"
    ) in [str(p) for p in catalog.problems]

    changed(second, second.read_text().replace("## Test", "## Quiz"))
    catalog.refresh()

    assert catalog.problems == ()
    assert '<a href="/modules/next"' in catalog.get("start").section("one-small-step").parts[0]


def test_a_new_file_cannot_take_the_slug_of_a_module_already_serving(module_folder):
    original = write_module(module_folder, "13-stress.md", guide_example())
    catalog = Catalog(module_folder)

    # The newcomer's name sorts first: the running catalog still keeps the original.
    newcomer = write_module(module_folder, "05-copy.md", guide_example().replace(
        "order: 13", "order: 5\nslug: stress").replace("Noticing your own stress", "A copy"))
    catalog.refresh()

    assert catalog.get("stress").title == "Noticing your own stress"
    assert catalog.get("stress").path == str(original)
    assert [str(p) for p in catalog.problems] == [
        (f'{newcomer}:1: slug "stress" is already used by 13-stress.md, which keeps it; '
         "05-copy.md is left out until you give it its own slug")
    ]


def test_at_start_a_shared_slug_goes_to_the_file_whose_name_sorts_first(module_folder):
    write_module(module_folder, "13-stress.md", guide_example())
    later = write_module(module_folder, "14-stress.md", guide_example().replace(
        "order: 13", "order: 14").replace("Noticing your own stress", "Second"))
    catalog = Catalog(module_folder)

    assert [m.title for m in catalog.published] == ["Noticing your own stress"]
    assert [str(p) for p in catalog.problems] == [
        (f'{later}:1: slug "stress" is already used by 13-stress.md, which keeps it; '
         "14-stress.md is left out until you give it its own slug")
    ]


def test_a_file_that_turns_invalid_keeps_its_last_good_version_until_it_is_fixed(module_folder):
    path = write_module(module_folder, "13-stress.md", guide_example())
    catalog = Catalog(module_folder)

    changed(path, guide_example().replace("minutes: 15", "minutes: [15").replace(
        "Signs of stress", "Signs of strain"))
    catalog.refresh()

    module = catalog.get("stress")
    assert module is not None and module.section("signs-of-stress").title == "Signs of stress"
    assert catalog.problems[0].message.startswith("front matter is not valid YAML")
    entry = catalog.snapshot.entries[0]
    assert entry.is_last_good and entry.module is module

    changed(path, guide_example().replace("Signs of stress", "Signs of strain"))
    catalog.refresh()

    assert catalog.problems == ()
    assert catalog.get("stress").section("signs-of-strain").title == "Signs of strain"


def test_a_module_that_turns_invalid_keeps_the_slug_from_a_newcomer(module_folder):
    path = write_module(module_folder, "13-stress.md", guide_example())
    catalog = Catalog(module_folder)
    changed(path, guide_example().replace("## Quiz", "## Test"))
    write_module(module_folder, "05-copy.md", guide_example().replace(
        "order: 13", "order: 5\nslug: stress").replace("Noticing your own stress", "A copy"))
    catalog.refresh()

    assert catalog.get("stress").title == "Noticing your own stress"
    assert any("05-copy.md is left out" in p.message for p in catalog.problems)


def test_a_module_that_takes_a_used_slug_keeps_serving_its_last_good_version(module_folder):
    write_module(module_folder, "08-boundaries.md", guide_example().replace(
        "order: 13", "order: 8").replace("Noticing your own stress", "Boundaries"))
    stress = write_module(module_folder, "13-stress.md", guide_example())
    catalog = Catalog(module_folder)

    changed(stress, guide_example().replace("order: 13", "order: 13\nslug: boundaries"))
    catalog.refresh()

    assert catalog.get("boundaries").title == "Boundaries"
    assert catalog.get("stress").title == "Noticing your own stress"
    assert catalog.snapshot.entries[1].is_last_good


def test_a_broken_file_is_logged_once_while_members_keep_its_last_good_version(
    module_folder, make_app, signed_in, caplog
):
    path = write_module(module_folder, "13-stress.md", guide_example())
    client = signed_in(make_app(module_folder, COURSE_RELOAD_CONTENT=True))
    changed(path, guide_example().replace("minutes: 15", "minutes: [15"))

    with caplog.at_level(logging.WARNING):
        pages = [client.get("/modules/stress") for _ in range(3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert caplog.text.count("front matter is not valid YAML") == 1
    assert "members get its last good version until it is fixed" in caplog.text


def test_a_member_mid_module_can_press_next_while_the_file_turns_invalid(
    module_folder, make_app, signed_in
):
    from course.extensions import db
    from course.models import Reflection

    path = write_module(module_folder, "13-stress.md", guide_example())
    app = make_app(module_folder, COURSE_RELOAD_CONTENT=True)
    client = signed_in(app)
    step = client.get("/modules/stress/one-small-step")
    assert step.status_code == 200

    # While the member types, an author saves the module with a YAML mistake.
    changed(path, guide_example().replace("minutes: 15", "minutes: [15"))
    typed = "A walk after dinner helped me once."
    response = client.post("/modules/stress/one-small-step", data={
        "action": "next",
        "reflection-one-small-step-reflect": typed,
        "visibility-one-small-step-reflect": "private",
    })

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/modules/stress/quiz")
    assert client.get("/modules/stress/quiz").status_code == 200
    with app.app_context():
        assert [r.body for r in db.session.query(Reflection)] == [typed]
