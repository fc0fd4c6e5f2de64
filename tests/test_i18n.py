"""Which language a person gets: their own choice, then their group's, then their browser's."""

import re

from course.extensions import db
from course.models import Cohort, User


def page_language(response) -> str:
    return re.search(r'<html lang="([a-z]+)">', response.text).group(1)


def switch(client, language: str, back_to: str = "/"):
    page = client.get(back_to)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    data = {"language": language, "next": back_to}
    if token:
        data["csrf_token"] = token.group(1)
    return client.post("/language", data=data)


def spanish_group(app) -> Cohort:
    with app.app_context():
        cohort = Cohort(name="Grupo de los martes", default_locale="es")
        db.session.add(cohort)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
        return cohort


def test_a_visitor_gets_the_language_their_browser_asks_for(client):
    assert page_language(client.get("/login")) == "en"
    spanish = client.get("/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert page_language(spanish) == "es"
    # A language the site doesn't speak: English.
    assert page_language(client.get("/login", headers={"Accept-Language": "de"})) == "en"


def test_a_visitor_switches_language_on_the_page_and_comes_back_to_it(client):
    response = switch(client, "es", back_to="/login?next=/family")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/family"
    # Kept for the visit, whatever the browser says.
    again = client.get("/login", headers={"Accept-Language": "en"})
    assert page_language(again) == "es"
    assert 'lang="en"' in again.text and ">English</button>" in again.text


def test_a_members_choice_is_kept_on_their_account_for_every_device(app, make_member, signed_in):
    maria = make_member("Maria")
    switch(signed_in(app, maria), "es")

    with app.app_context():
        assert db.session.get(User, maria.id).locale == "es"
    other_device = signed_in(app, maria)
    assert page_language(other_device.get("/", headers={"Accept-Language": "en"})) == "es"


def test_a_groups_default_language_applies_until_a_member_chooses(app, make_member, signed_in):
    cohort = spanish_group(app)
    rosa = signed_in(app, make_member("Rosa", cohort=cohort))
    assert page_language(rosa.get("/", headers={"Accept-Language": "en"})) == "es"

    switch(rosa, "en")
    assert page_language(rosa.get("/", headers={"Accept-Language": "es"})) == "en"


def test_a_language_the_site_lacks_or_a_link_elsewhere_is_refused(client):
    assert switch(client, "klingon").status_code == 400
    response = switch(client, "es", back_to="//evil.example/")
    assert response.headers["Location"] == "/"


def test_dates_are_written_in_the_pages_language(app):
    from datetime import UTC, date, datetime

    from flask_babel import force_locale

    from course.templating import date as long_date
    from course.templating import day

    with app.test_request_context("/"):
        assert long_date(date(2026, 3, 5)) == "5 March 2026"
        assert day(datetime(2026, 9, 1, 23, 30, tzinfo=UTC), "short") == "1 Sep"
        with force_locale("es"):
            assert long_date(date(2026, 3, 5)) == "5 de marzo de 2026"
            assert long_date(date(2026, 3, 5), "weekday") == "jueves 5 de marzo de 2026"
            assert day(date(2026, 9, 1)) == "1 de septiembre"
