"""Authors see every module file with what to fix, and preview drafts as members will see
them; admins manage accounts from the browser."""

import os

from helpers import PASSWORD, guide_example, words, write_module
from sqlalchemy import select

from course.extensions import db
from course.models import QuizAttempt, Role


def test_an_author_sees_published_draft_and_broken_files_with_their_problems(
    module_folder, make_app, make_staff, signed_in
):
    write_module(module_folder, "13-stress.md", guide_example())
    write_module(module_folder, "14-later.md", guide_example().replace(
        "order: 13", "order: 14\ndraft: true").replace("Noticing your own stress", "Work ahead"))
    broken = write_module(module_folder, "15-broken.md", guide_example().replace(
        "order: 13", "order: 15").replace("summary:", "sumary:"))
    app = make_app(module_folder)
    page = words(signed_in(app, make_staff("Ida", Role.AUTHOR)).get("/author"))

    assert "13. Noticing your own stress 13-stress.md Published 2 3 1" in page
    assert "14. Work ahead 14-later.md Draft" in page
    # Each file's problems sit in its own row, by line, with no path on the server.
    assert ("15-broken.md 1 problem Left out: members don't see it until it is fixed. "
            'Line 5: unknown front-matter key "sumary"; did you mean "summary"?') in page
    assert str(broken.parent) not in page and str(broken) not in page


def test_the_content_page_links_to_the_authors_guide_shown_in_the_app(
    module_folder, make_app, make_staff, make_member, signed_in
):
    write_module(module_folder, "13-stress.md", guide_example())
    app = make_app(module_folder)
    author = signed_in(app, make_staff("Ida", Role.AUTHOR))

    content = author.get("/author")
    assert 'href="/author/guide"' in content.text
    assert "content/README.md" not in words(content)

    guide = author.get("/author/guide")
    assert guide.status_code == 200
    assert "Checking your work" in words(guide)
    # The guide's contents list links to its own headings.
    assert 'href="#checking-your-work"' in guide.text
    assert 'id="checking-your-work"' in guide.text
    assert "<script" not in guide.text.split("<main", 1)[-1].split("</main>", 1)[0]
    assert signed_in(app, make_member()).get("/author/guide").status_code == 404


def test_an_author_previews_a_draft_exactly_as_members_will_see_it(
    module_folder, make_app, make_staff, make_member, signed_in
):
    write_module(module_folder, "14-later.md", guide_example().replace(
        "order: 13", "order: 14\ndraft: true"))
    app = make_app(module_folder)
    author = signed_in(app, make_staff("Ida", Role.AUTHOR))

    preview = words(author.get("/modules/later/signs-of-stress"))
    assert "Draft preview." in preview
    assert "Stress shows up in the body" in preview
    assert author.get("/modules/later/quiz").status_code == 200
    assert signed_in(app, make_member()).get("/modules/later").status_code == 404


def test_an_author_takes_a_drafts_quiz_in_preview_and_it_counts_for_no_group(
    module_folder, make_app, make_staff, signed_in
):
    write_module(module_folder, "13-stress.md", guide_example())
    write_module(module_folder, "14-later.md", guide_example().replace(
        "order: 13", "order: 14\ndraft: true").replace("Noticing your own stress", "Work ahead"))
    app = make_app(module_folder)
    ida = make_staff("Ida", Role.AUTHOR)
    author = signed_in(app, ida)

    sent = author.post("/modules/later/quiz", data={
        "submission_key": "preview-1", "q-a-tense-evening": "take-ten-slow-breaths-before-you-do",
        "q-stress-is-a-weakness": "true", "q-ways-to-ease-stress": ["a-short-walk"],
    })
    assert sent.status_code == 302
    result = author.get(sent.headers["Location"])

    assert result.status_code == 200
    page = words(result)
    assert "Draft preview." in page
    assert "You got 1 of 3 right (33%)" in page
    with app.app_context():
        stored = db.session.scalars(select(QuizAttempt)).one()
        assert (stored.user_id, stored.module_slug, stored.cohort_id) == (ida.id, "later", None)


def test_a_published_modules_result_offers_the_next_module(
    module_folder, make_app, make_staff, signed_in
):
    write_module(module_folder, "13-stress.md", guide_example())
    write_module(module_folder, "14-later.md", guide_example().replace(
        "order: 13", "order: 14").replace("Noticing your own stress", "Work ahead"))
    member = signed_in(make_app(module_folder))

    sent = member.post("/modules/stress/quiz", data={
        "submission_key": "k1", "q-a-tense-evening": "take-ten-slow-breaths-before-you-do",
        "q-stress-is-a-weakness": "false", "q-ways-to-ease-stress": ["a-short-walk"],
    })

    assert "Next module: Work ahead" in words(member.get(sent.headers["Location"]))


def test_the_content_page_says_what_members_get_from_a_file_with_problems(
    module_folder, make_app, make_staff, signed_in
):
    write_module(module_folder, "12-linking.md", guide_example().replace(
        "order: 13", "order: 12\nslug: linking").replace(
        "Pick one you can do today.", "See [gone](09-gone.md)."))
    turning = write_module(module_folder, "13-stress.md", guide_example())
    write_module(module_folder, "14-copy.md", guide_example().replace(
        "order: 13", "order: 14\nslug: stress"))
    write_module(module_folder, "15-safety.md", guide_example().replace(
        "order: 13", "order: 15\nslug: safety\nalways_open: true"))
    app = make_app(module_folder, COURSE_RELOAD_CONTENT=True)
    author = signed_in(app, make_staff("Ida", Role.AUTHOR))
    turning.write_text(guide_example().replace("minutes: 15", "minutes: [15"))
    os.utime(turning, ns=(1, 1))

    page = words(author.get("/author"))

    assert ("12-linking.md 1 problem Still published; a link members can't follow shows as "
            "plain text.") in page
    assert "13-stress.md 1 problem Members get its last good version until it is fixed." in page
    assert "14-copy.md 1 problem Left out: members don't see it until it is fixed." in page
    assert "15-safety.md Published Always open" in page
    assert 'link to "09-gone.md", which is not a module in this folder' in page
    assert 'slug "stress" is already used by 13-stress.md, which keeps it' in page


def test_in_development_an_authors_edit_shows_on_reload(
    module_folder, make_app, make_staff, signed_in
):
    path = write_module(module_folder, "13-stress.md", guide_example())
    author = signed_in(make_app(module_folder, COURSE_RELOAD_CONTENT=True),
                       make_staff("Ida", Role.AUTHOR))
    assert "Published" in words(author.get("/author"))

    path.write_text(guide_example().replace("- [x] Take ten", "- [ ] Take ten"))
    import os
    os.utime(path, ns=(1, 1))

    assert 'question "a-tense-evening" has no correct option' in words(author.get("/author"))


def test_members_and_facilitators_cannot_open_the_content_or_users_pages(
    app, make_staff, make_member, signed_in
):
    for user in (make_member(), make_staff("Fay", Role.FACILITATOR)):
        client = signed_in(app, user)
        assert client.get("/author").status_code == 404
        assert client.get("/admin/users").status_code == 404
        assert client.post("/admin/users", data={}).status_code == 404
    assert signed_in(app, make_staff("Ida", Role.AUTHOR)).get("/admin/users").status_code == 404


def test_an_admin_makes_a_facilitator_account_that_can_log_in(
    app, make_staff, signed_in, client
):
    admin = signed_in(app, make_staff("Ada", Role.ADMIN))

    bad = admin.post("/admin/users", data={"display_name": "Dana", "email": "not an email",
                                           "role": "facilitator", "password": "short"})
    assert bad.status_code == 422
    assert "Enter an email address like name@example.com." in words(bad)
    assert 'value="Dana"' in bad.text

    made = admin.post("/admin/users", data={"display_name": "Dana", "email": "Dana@Centre.org",
                                            "role": "facilitator", "password": PASSWORD})
    assert made.status_code == 302
    again = admin.post("/admin/users", data={"display_name": "D", "email": "dana@centre.org",
                                             "role": "author", "password": PASSWORD})
    assert "An account already uses dana@centre.org." in words(again)
    assert client.post("/login", data={"email": "dana@centre.org",
                                       "password": PASSWORD}).status_code == 302
    assert client.get("/facilitate").status_code == 200


def test_an_admin_changes_roles_and_deactivates_accounts(
    app, make_staff, make_member, signed_in
):
    ada = make_staff("Ada", Role.ADMIN)
    fay = make_staff("Fay", Role.FACILITATOR)
    admin = signed_in(app, ada)

    admin.post(f"/admin/users/{fay.id}/role", data={f"u{fay.id}-role": "author"})
    refused = admin.post(f"/admin/users/{fay.id}/role", data={f"u{fay.id}-role": "member"},
                         follow_redirects=True)
    assert "has no family, so can't be a member" in words(refused)
    fay_client = signed_in(app, fay)
    assert fay_client.get("/author").status_code == 200

    admin.post(f"/admin/users/{fay.id}/active")
    assert fay_client.get("/author").status_code == 302  # Logged out: sent to log in.
    assert "You can't deactivate your own account." in words(
        admin.post(f"/admin/users/{ada.id}/active", follow_redirects=True)
    )
