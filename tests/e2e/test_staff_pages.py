"""The author's Content page and the admin's Users and Audit log pages work for a keyboard and
a screen reader, on a phone and a laptop."""

import pytest

from course import audit
from course.extensions import db
from course.models import AuditKind, Role, User

from .axe import DESKTOP, PHONE, assert_accessible
from .test_reading import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_content_and_users_pages_pass_axe_and_fit_the_screen(
    site, page, session_app, make_staff, viewport
):
    page.set_viewport_size(viewport)
    ada = make_staff("Ada", Role.ADMIN)
    with session_app.app_context():
        audit.record(db.session.get(User, ada.id), AuditKind.AUDIT_CSV)
        db.session.commit()
    log_in(page, ada, landing="Users")
    for path in ("/author", "/author/guide", "/admin/users", "/admin/audit", "/modules/boundaries"):
        page.goto(path)
        assert_accessible(page)


@pytest.mark.parametrize("language", ["English", "Español"])
def test_the_content_pages_tables_fit_a_laptop_screen_in_either_language(
    site, page, make_staff, language
):
    page.set_viewport_size(DESKTOP)
    log_in(page, make_staff("Ida", Role.AUTHOR), landing="Content")
    if language == "Español":
        page.get_by_role("button", name="Español").click()
    page.goto("/author")

    # Every column, the last (the reading grade) too, without scrolling sideways.
    widths = page.evaluate("[...document.querySelectorAll('.table-scroll')]"
                           ".map(e => e.scrollWidth - e.clientWidth)")
    assert widths and all(extra <= 0 for extra in widths), widths
