"""Which language a person gets: their own choice, then their group's, then their browser's."""

import re

import pytest
from sqlalchemy import select

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

    from course.templating import date as long_date, day

    with app.test_request_context("/"):
        assert long_date(date(2026, 3, 5)) == "5 March 2026"
        assert day(datetime(2026, 9, 1, 23, 30, tzinfo=UTC), "short") == "1 Sep"
        with force_locale("es"):
            assert long_date(date(2026, 3, 5)) == "5 de marzo de 2026"
            assert long_date(date(2026, 3, 5), "weekday") == "jueves 5 de marzo de 2026"
            assert day(date(2026, 9, 1)) == "1 de septiembre"


# Mail and signing up in a person's language ------------------------------------------------------


def test_a_spanish_speaking_member_gets_their_mail_in_spanish(app, client, make_member, outbox):
    maria = make_member("Maria")
    with app.app_context():
        db.session.get(User, maria.id).locale = "es"
        db.session.commit()

    # Asked for from a page in English: the mail is in her language, not the page's.
    client.post("/forgot-password", data={"email": maria.email},
                headers={"Accept-Language": "en"})

    [mail] = outbox
    assert mail["Subject"].strip() == "Cambie la contraseña de su cuenta del Curso para Familias"
    assert mail.get_content().startswith("Hola, Maria:")
    assert sender_name(mail) == "Curso para Familias"


def test_reminders_are_written_in_each_members_language(app, make_member, runner, outbox,
                                                         monkeypatch):
    from datetime import timedelta

    from sqlalchemy import update

    from course.models import FamilyMembership, utcnow

    monkeypatch.setitem(app.config, "COURSE_BASE_URL", "https://course.example.org")
    rosa = make_member("Rosa", cohort=spanish_group(app))
    sam = make_member("Sam")
    with app.app_context():
        db.session.execute(update(FamilyMembership)
                           .values(joined_at=utcnow() - timedelta(days=30)))
        db.session.commit()

    result = runner.invoke(args=["notify", "send"])

    assert result.exit_code == 0, result.output
    mail = {message["To"]: message for message in outbox}
    # Neither subject says what the course is about, in either language.
    assert mail[rosa.email]["Subject"].strip() == "Novedades de su Curso para Familias"
    assert mail[rosa.email].get_content().startswith("Hola, Rosa:")
    assert mail[sam.email]["Subject"] == "Your Family Course update"
    assert mail[sam.email].get_content().startswith("Hello Sam,")
    # The sender's name is the course's, in each reader's language.
    assert sender_name(mail[rosa.email]) == "Curso para Familias"
    assert sender_name(mail[sam.email]) == "Family Course"


def sender_name(message) -> str:
    return message["From"].addresses[0].display_name


def test_an_organisations_own_sender_name_is_kept_in_every_language(
    app, client, make_member, outbox, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_FROM", "Hope Centre <course@hope.example.org>")
    maria = make_member("Maria")
    with app.app_context():
        db.session.get(User, maria.id).locale = "es"
        db.session.commit()

    client.post("/forgot-password", data={"email": maria.email})

    [mail] = outbox
    assert mail["From"].addresses[0].addr_spec == "course@hope.example.org"
    assert sender_name(mail) == "Hope Centre"


def test_signing_up_in_spanish_keeps_spanish_for_the_account_and_its_mail(app, client, outbox):
    page = client.get("/register", headers={"Accept-Language": "es-MX"})
    assert 'lang="es"' in page.text and "Idioma / Language" in page.text

    response = client.post("/register", headers={"Accept-Language": "en"}, data={
        "language": "es", "display_name": "Lucía", "email": "lucia@example.org",
        "password": "mi hijo vale la pena", "relationship": "parent",
    })

    assert response.status_code == 302
    with app.app_context():
        lucia = db.session.scalar(select(User).where(User.email == "lucia@example.org"))
        assert lucia.locale == "es"
    [mail] = outbox
    assert mail["Subject"].strip() == "Confirme su correo para el Curso para Familias"
    check = client.get("/check-email", headers={"Accept-Language": "en"})
    assert page_language(check) == "es"
    assert "Revise su correo" in check.text


def test_an_invite_to_a_spanish_group_opens_in_spanish(app, client):
    from course import invitations

    cohort = spanish_group(app)
    with app.app_context():
        _invite, token = invitations.create_invite(created_by=None,
                                                   cohort=db.session.merge(cohort))
        db.session.commit()

    page = client.get(f"/join/{token}", headers={"Accept-Language": "en"})

    assert page_language(page) == "es"
    assert re.search(r'<option lang="es" selected value="es">', page.text)
    assert "Unirse a “Grupo de los martes”" in page.text


# Switching language mid-module ---------------------------------------------------------------


def start_here(app, lang="en"):
    from course.content.ext import current_catalog

    with app.app_context():
        return current_catalog().get("start-here", lang=lang)


def test_switching_language_mid_module_keeps_my_place_and_my_words(app, make_member, signed_in):
    english, spanish = start_here(app), start_here(app, "es")
    assert spanish.lang == "es" and spanish.title != english.title
    [prompt] = english.sections[0].prompts
    maria = signed_in(app, make_member("Maria"))
    for section in english.sections[:2]:
        fields = {f"reflection-{prompt.id}": "I keep the numbers on the fridge.",
                  f"visibility-{prompt.id}": "private"} if section is english.sections[0] else {}
        maria.post(f"/modules/start-here/{section.id}", data={"action": "next", **fields})

    switch(maria, "es")
    overview = maria.get("/modules/start-here")

    assert page_language(overview) == "es" and spanish.title in overview.text
    third = f"/modules/start-here/{english.sections[2].id}"
    assert third in overview.text  # "Continue" goes on from where she was, in Spanish.
    first = maria.get(f"/modules/start-here/{english.sections[0].id}")
    assert spanish.sections[0].title in first.text
    assert "I keep the numbers on the fridge." in first.text

    answers = {f"q-{q.id}": sorted(q.correct_ids) for q in spanish.questions}
    result = maria.post("/modules/start-here/quiz", data={**answers, "submission_key": "m-1"})
    assert result.status_code == 302
    assert "100%" in maria.get(result.headers["Location"]).text


def test_a_translations_sources_say_most_of_them_are_in_english(app, make_member, signed_in):
    client = signed_in(app, make_member("Rosa"))
    note = "La mayoría de estas fuentes están en inglés."
    assert "written in English" not in client.get("/modules/start-here").text

    switch(client, "es")

    assert note in client.get("/modules/start-here").text
    assert note in client.get("/modules/start-here/print").text


def test_the_groups_answers_count_together_whatever_the_language(
    app, make_member, make_staff, signed_in
):
    from helpers import make_group

    dana, cohort, ana, luis, may = make_group(app, make_staff, make_member)
    english = start_here(app)
    first = english.questions[0]
    right = {f"q-{q.id}": sorted(q.correct_ids) for q in english.questions}
    for n, (member, lang) in enumerate(((ana, "en"), (may, "es"))):
        client = signed_in(app, member)
        switch(client, lang)
        client.post("/modules/start-here/quiz", data={**right, "submission_key": f"k-{n}"})

    page = signed_in(app, dana).get(f"/facilitate/cohorts/{cohort.id}/questions"
                                    "?module=start-here").text
    row = page[page.index(first.title):][:600]
    assert "of 2" in row


def test_a_module_without_a_translation_says_so_and_shows_in_english(
    make_app, module_folder, make_member, signed_in
):
    from helpers import guide_example, write_module

    write_module(module_folder, "01-stress.md", guide_example())
    app = make_app(module_folder)
    client = signed_in(app, make_member("Rosa"))
    switch(client, "es")

    page = client.get("/modules/stress").text

    assert '<main id="main" class="container" tabindex="-1" lang="en">' in page
    assert "Este módulo todavía no está traducido, así que se muestra en inglés." in page


# The facilitator's side ----------------------------------------------------------------------


def test_a_facilitator_gives_the_group_a_language_and_sees_each_members(
    app, make_member, make_staff, signed_in
):
    from helpers import make_group

    dana, cohort, ana, luis, may = make_group(app, make_staff, make_member)
    as_dana = signed_in(app, dana)
    settings = as_dana.get(f"/facilitate/cohorts/{cohort.id}/edit").text
    assert "The group&#39;s language" in settings or "The group's language" in settings

    saved = as_dana.post(f"/facilitate/cohorts/{cohort.id}/edit", data={
        "name": "Tuesday group", "stuck_after_days": "14", "remind_after_days": "7",
        "default_locale": "es"})
    assert saved.status_code == 302
    as_ana = signed_in(app, ana)
    assert page_language(as_ana.get("/", headers={"Accept-Language": "en"})) == "es"
    switch(signed_in(app, luis), "en")  # Luis prefers English.

    roster = as_dana.get(f"/facilitate/cohorts/{cohort.id}/roster").text
    luis_row = roster[roster.index(">Luis</a>"):].split("</tr>")[0]
    ana_row = roster[roster.index(">Ana</a>"):].split("</tr>")[0]
    assert ">English</span>" in luis_row
    assert "Español (the group’s)" in ana_row

    refused = as_dana.post(f"/facilitate/cohorts/{cohort.id}/edit", data={
        "name": "Tuesday group", "stuck_after_days": "14", "remind_after_days": "7",
        "default_locale": "fr"})
    assert refused.status_code == 422 and "Choose a language from the list." in refused.text


def test_scores_are_written_the_languages_way(app):
    from flask_babel import force_locale

    from course.templating import percent

    with app.test_request_context("/"):
        assert percent(0.75) == "75%"
        assert percent(None) == "—"
        with force_locale("es"):
            assert percent(0.75) == "75%"


def test_a_visitor_sent_to_log_in_is_told_why_in_their_language(client):
    spanish = {"Accept-Language": "es"}
    response = client.get("/plan", headers=spanish)
    assert response.status_code == 302
    login = client.get(response.headers["Location"], headers=spanish)
    assert "Inicie sesión para ver esa página." in login.text


@pytest.mark.parametrize("environment, language", [
    ({}, "en"),
    ({"LANG": "es_MX.UTF-8"}, "es"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "es_ES@euro"}, "es"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANGUAGE": "fr:es", "LANG": "en_US.UTF-8"}, "es"),  # gettext's list: the first we speak
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "es_MX.UTF-8"}, "en"),  # LC_ALL overrides LANG
    ({"LC_MESSAGES": "es_AR.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
])
def test_a_command_speaks_the_language_its_terminal_is_set_to(environment, language,
                                                               monkeypatch):
    from course.i18n import terminal_language

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert terminal_language() == language


@pytest.mark.parametrize("typed", [
    "15 ene 2027", "15 ene. 2027", "vie 15 ene 2027", "15 de enero de 2027", "15/01/2027",
    "15 Jan 2027", "2027-01-15",
])
def test_a_spanish_speaking_facilitator_types_dates_her_way(typed, app, make_member, make_staff,
                                                           signed_in):
    from helpers import make_group

    dana, cohort, *_ = make_group(app, make_staff, make_member)
    client = signed_in(app, dana)
    switch(client, "es")
    url = f"/facilitate/cohorts/{cohort.id}/schedule"

    saved = client.post(url, data={"mode": "dates", "opens-boundaries": typed})

    assert saved.status_code == 302, saved.text
    with app.app_context():
        assert db.session.get(Cohort, cohort.id).schedule[0].opens_on.isoformat() == "2027-01-15"
    assert 'value="15 ene 2027"' in client.get(url).text


@pytest.mark.parametrize("typed", ["16 mar 2027", "mar 16 mar 2027", "martes 16 de marzo de 2027"])
def test_march_is_read_back_as_the_page_writes_it_not_taken_for_tuesday(
    typed, app, make_member, make_staff, signed_in
):
    # "mar" is both marzo (March) and martes (Tuesday) in Spanish.
    from helpers import make_group

    dana, cohort, *_ = make_group(app, make_staff, make_member)
    client = signed_in(app, dana)
    switch(client, "es")
    url = f"/facilitate/cohorts/{cohort.id}/schedule"

    saved = client.post(url, data={"mode": "dates", "opens-boundaries": typed})

    assert saved.status_code == 302, saved.text
    assert 'value="16 mar 2027"' in client.get(url).text


def test_a_date_she_cannot_read_is_refused_with_an_example_in_spanish(
    app, make_member, make_staff, signed_in
):
    from helpers import make_group

    dana, cohort, *_ = make_group(app, make_staff, make_member)
    client = signed_in(app, dana)
    switch(client, "es")
    url = f"/facilitate/cohorts/{cohort.id}/schedule"
    assert "escriba cada fecha como 31 ene 2027" in client.get(url).text.lower()

    refused = client.post(url, data={"mode": "dates", "opens-boundaries": "el martes"})

    assert refused.status_code == 422
    assert "31 ene 2027" in refused.text and "Jan" not in refused.text
    assert 'value="el martes"' in refused.text


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_day_the_page_writes_is_read_back_the_same(app, language):
    from datetime import date

    from flask_babel import force_locale

    from course.templating import date as written, read_day

    with app.test_request_context(), force_locale(language):
        for month in range(1, 13):
            day = date(2027, month, 16)
            for style in ("short", "long", "short_weekday", "weekday"):
                assert read_day(written(day, style)) == day, (written(day, style))
        assert read_day("16 sept 2027") == date(2027, 9, 16)  # As Spain shortens it.
        assert read_day("next tuesday") is None and read_day("31 feb 2027") is None
