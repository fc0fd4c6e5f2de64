"""The author's Content page and the admin's Users page work for a keyboard and a screen
reader, on a phone and a laptop."""

import pytest

from course.models import Role

from .axe import DESKTOP, PHONE, assert_accessible
from .test_reading import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_content_and_users_pages_pass_axe_and_fit_the_screen(site, page, make_staff, viewport):
    page.set_viewport_size(viewport)
    log_in(page, make_staff("Ada", Role.ADMIN))
    for path in ("/author", "/admin/users", "/modules/boundaries"):
        page.goto(path)
        assert_accessible(page)
