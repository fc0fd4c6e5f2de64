"""Someone signs up, confirms their email and logs in; families and groups invite people; a
forgotten password is reset; and nobody learns from the forms whether an address has an account."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from helpers import PASSWORD, SHIPPED_MODULES, link_in, text_of, words
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from course import accounts, invitations
from course.extensions import db
from course.models import Cohort, Family, User, utcnow

NEW_PASSWORD = "a new sentence I will remember"


def sign_up(**changes) -> dict:
    """What Rosa types into the sign-up form, with any changes."""
    form = {
        "display_name": "Rosa",
        "email": "rosa@example.org",
        "password": "my loved one is worth it",
        "relationship": "parent",
        "loved_one_nickname": "Danny",
        "family_name": "The Garcias",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def error_beside(page: str, field: str) -> str | None:
    """The error text shown next to a field, if any."""
    match = re.search(rf'<small id="{field}-error" class="field-error">([^<]*)</small>', page)
    return html.unescape(match.group(1)) if match else None


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input" or "name" not in attrs:
            return
        if attrs.get("type") == "radio" and "checked" not in attrs:
            return
        self.values[attrs["name"]] = attrs.get("value") or ""


def typed_values(response) -> dict[str, str]:
    """What the form's inputs hold as the page comes back: the text typed, the radio chosen."""
    parser = _Inputs()
    parser.feed(response.text)
    return parser.values


def accounts_using(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(User).where(func.lower(User.email) == email.lower())
        )


def log_in(client, email: str, password: str = PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def shows_my_course(client) -> bool:
    return "<h1>My course</h1>" in client.get("/").text


def invite_link(app, *, family_id=None, cohort_id=None, **kwargs) -> str:
    """Make an invite into a family or a group, and return its /join/ path."""
    with app.app_context():
        _invite, token = invitations.create_invite(
            created_by=None,
            family=db.session.get(Family, family_id) if family_id else None,
            cohort=db.session.get(Cohort, cohort_id) if cohort_id else None,
            **kwargs,
        )
        db.session.commit()
    return f"/join/{token}"


def make_cohort(app, name: str) -> int:
    with app.app_context():
        cohort = Cohort(name=name)
        db.session.add(cohort)
        db.session.commit()
        return cohort.id


def change_invite(app, link: str, change) -> None:
    with app.app_context():
        invite = invitations.find_invite(link.removeprefix("/join/"))
        change(invite)
        db.session.commit()


def join_and_confirm(client, link: str, outbox, **changes):
    """Fill in an invite's form, then open the emailed link; returns the page it leads to."""
    outbox.clear()
    response = client.post(link, data=sign_up(**changes))
    assert response.status_code == 302, response.text
    assert response.headers["Location"] == "/check-email"
    [message] = outbox
    return client.get(link_in(message, "/confirm/"), follow_redirects=True)


# Signing up ------------------------------------------------------------------------------------


def test_signing_up_emails_a_link_that_confirms_the_address_and_opens_my_course(client, outbox):
    response = client.post("/register", data=sign_up())
    assert response.status_code == 302
    assert response.headers["Location"] == "/check-email"
    assert "We've sent an email to rosa@example.org" in words(client.get("/check-email"))

    [message] = outbox
    assert message["To"] == "rosa@example.org"
    assert "Confirm your email" in message["Subject"]

    page = client.get(link_in(message, "/confirm/"), follow_redirects=True)
    assert "Welcome, Rosa. Your email is confirmed." in text_of(page)
    assert "<h1>My course</h1>" in page.text
    assert "Hello, Rosa." in text_of(page)


def test_a_member_who_has_not_confirmed_cannot_log_in_and_is_sent_a_new_link(client, outbox):
    client.post("/register", data=sign_up())
    outbox.clear()

    response = log_in(client, "rosa@example.org", "my loved one is worth it")

    assert "Your email address isn't confirmed yet. We've sent you a new link" in text_of(response)
    assert not shows_my_course(client)
    [message] = outbox
    assert message["To"] == "rosa@example.org"
    client.get(link_in(message, "/confirm/"))
    assert shows_my_course(client)


@pytest.mark.parametrize("spoil", [
    pytest.param(lambda token, user: "not-a-token", id="nonsense"),
    pytest.param(lambda token, user: token[: len(token) // 2], id="copied-only-in-part"),
    pytest.param(
        lambda token, user: URLSafeTimedSerializer("someone-elses-key", salt="confirm-email")
        .dumps({"id": user.id, "email": user.email}),
        id="forged",
    ),
])
def test_a_spoiled_confirmation_link_says_it_cannot_be_used(client, outbox, app, spoil):
    client.post("/register", data=sign_up())
    token = link_in(outbox[0], "/confirm/").removeprefix("/confirm/")
    with app.app_context():
        user = accounts.find_user_by_email("rosa@example.org")

    response = client.get(f"/confirm/{spoil(token, user)}")

    assert response.status_code == 404
    assert "This link can't be used" in text_of(response)
    assert not shows_my_course(client)


@pytest.mark.parametrize("email", ["sam@example.org", "SAM@Example.ORG"])
def test_signing_up_with_an_address_that_has_an_account_looks_the_same_and_emails_its_owner(
    client, app, outbox, make_member, email
):
    make_member(name="Sam", email="sam@example.org")
    new = client.post("/register", data=sign_up(email="nobody.yet@example.org"))
    outbox.clear()

    again = client.post("/register", data=sign_up(email=email, display_name="Intruder"))

    assert (again.status_code, again.headers.get("Location"), again.text) == (
        new.status_code, new.headers.get("Location"), new.text
    )
    assert accounts_using(app, "sam@example.org") == 1
    [message] = outbox
    assert message["To"].lower() == "sam@example.org"
    assert "You already have an account, so nothing was changed." in message.get_content()
    assert "/confirm/" not in message.get_content()
    # Sam's account is Sam's as before: their password works, the one typed at sign-up doesn't.
    assert log_in(app.test_client(), email, "my loved one is worth it").status_code == 401
    sams = app.test_client()
    assert log_in(sams, email).status_code == 302
    assert "Hello, Sam." in text_of(sams.get("/"))


@pytest.mark.parametrize("field, typed, message", [
    ("password", {"password": "tiny pw"}, "That password is too short."),
    ("display_name", {"display_name": ""}, "Tell us what to call you."),
    ("email", {"email": "rosa-at-example"}, "Enter an email address like name@example.com."),
    ("relationship", {"relationship": None}, "Choose the closest one."),
])
def test_a_sign_up_form_with_a_mistake_comes_back_with_the_error_beside_it_and_my_answers_kept(
    client, app, outbox, field, typed, message
):
    form = sign_up(**typed)
    response = client.post("/register", data=form)

    assert response.status_code == 422
    assert "<h1>Create an account</h1>" in response.text
    assert error_beside(response.text, field) == message
    kept = typed_values(response)
    for name in ("display_name", "email", "relationship", "loved_one_nickname", "family_name"):
        assert kept.get(name) == form.get(name), name
    assert kept["password"] == ""
    assert form["password"] not in response.text
    assert outbox == []
    assert accounts_using(app, form.get("email", "")) == 0


def test_a_long_pasted_password_works_for_signing_up_and_logging_in(client, app, outbox):
    long_password = "Pasted from my password manager! " * 6 + "x" * 2
    assert len(long_password) == 200

    response = client.post("/register", data=sign_up(password=long_password))
    assert response.status_code == 302
    client.get(link_in(outbox[0], "/confirm/"))
    client.post("/logout")

    assert log_in(client, "rosa@example.org", long_password).status_code == 302
    assert shows_my_course(client)


# Logging in and out --------------------------------------------------------------------------


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, make_member):
    sam = make_member(name="Sam")

    wrong_password = log_in(client, sam.email, "not my password at all")
    unknown_email = log_in(client, "nobody@example.org", "not my password at all")

    message = "That email and password don't match an account. Check them and try again."
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert error_beside(wrong_password.text, "password") == message
    assert error_beside(unknown_email.text, "password") == message
    assert not shows_my_course(client)


def test_an_email_logs_in_whatever_its_letter_case(client, make_member):
    make_member(name="Sam", email="sam@example.org")

    assert log_in(client, "Sam@Example.ORG").status_code == 302
    assert "Hello, Sam." in text_of(client.get("/"))


def test_keep_me_logged_in_sets_a_remember_cookie_and_only_then(app, make_member):
    sam = make_member()
    remembered = app.test_client().post(
        "/login", data={"email": sam.email, "password": PASSWORD, "remember": "y"}
    )
    not_remembered = log_in(app.test_client(), sam.email)

    assert remembered.status_code == not_remembered.status_code == 302
    assert any(c.startswith("remember_token=") for c in remembered.headers.getlist("Set-Cookie"))
    assert not any("remember_token=" in c for c in not_remembered.headers.getlist("Set-Cookie"))


def test_logging_out_takes_a_button_not_a_link_and_ends_the_session(client, login, make_member):
    login(make_member(name="Sam"))

    assert client.get("/logout").status_code == 405
    assert shows_my_course(client)

    response = client.post("/logout", follow_redirects=True)
    assert "You are logged out." in text_of(response)
    assert not shows_my_course(client)
    family = client.get("/family")
    assert family.status_code == 302
    assert family.headers["Location"].startswith("/login")


def test_after_logging_in_i_go_back_to_the_page_i_asked_for(client, make_member):
    sam = make_member()

    response = log_in(client, sam.email, query_string={"next": "/family"})

    assert response.headers["Location"] == "/family"


@pytest.mark.parametrize("target", [
    "https://evil.example/x", "//evil.example", "/\\evil.example", "javascript:alert(1)",
])
def test_a_next_address_on_another_site_leads_to_my_course_instead(client, make_member, target):
    sam = make_member()

    response = log_in(client, sam.email, query_string={"next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# Too many tries ------------------------------------------------------------------------------


def login_limit(app, name="LOGIN_LIMIT") -> int:
    """How many login tries a limit allows (LOGIN_LIMIT: per account from one address)."""
    return int(app.config[name].split()[0])


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_after_too_many_wrong_passwords_from_one_place_it_waits_even_with_the_right_one(
    app, client, make_member
):
    sam = make_member()
    for _ in range(login_limit(app)):
        assert log_in(client, sam.email, "guessing wrong").status_code == 401

    response = log_in(client, sam.email)

    assert response.status_code == 429
    assert "Too many tries" in text_of(response)
    assert "please wait a few minutes and try again" in text_of(response)
    assert not shows_my_course(client)


def test_a_strangers_guessing_does_not_lock_the_owner_out_from_elsewhere(
    app, client, make_member
):
    sam = make_member()
    for _ in range(login_limit(app) + 3):
        log_in(client, sam.email, "guessing wrong")

    # Sam, logging in from home, is not held up by someone else's guessing.
    assert log_in(app.test_client(), sam.email, **from_address("203.0.113.7")).status_code == 302


def test_guessing_from_many_places_holds_the_account_until_the_owner_resets_the_password(
    app, make_member, outbox
):
    sam = make_member()
    for n in range(login_limit(app, "LOGIN_ACCOUNT_LIMIT")):
        guesser = app.test_client()
        assert log_in(guesser, sam.email, "guessing wrong",
                      **from_address(f"198.51.100.{n + 1}")).status_code == 401

    owner = app.test_client()
    assert log_in(owner, sam.email, **from_address("203.0.113.7")).status_code == 429
    # The way out while held: a reset link, which proves the owner.
    assert owner.post("/forgot-password", data={"email": sam.email}).status_code == 200
    link = link_in(outbox[-1], "/reset-password/")
    assert owner.post(link, data={"password": "a brand new phrase"}).status_code == 302
    owner.post("/logout")
    assert log_in(owner, sam.email, "a brand new phrase",
                  **from_address("203.0.113.7")).status_code == 302


@pytest.mark.parametrize(("hops", "held"), [(1, False), (0, True)])
def test_behind_a_trusted_proxy_limits_count_each_visitor_and_otherwise_ignore_the_header(
    make_app, make_member, hops, held
):
    from helpers import SHIPPED_MODULES

    proxied = make_app(SHIPPED_MODULES, COURSE_PROXY_HOPS=hops)
    sam = make_member()
    stranger = {"headers": {"X-Forwarded-For": "198.51.100.9"}}
    for _ in range(login_limit(proxied)):
        log_in(proxied.test_client(), sam.email, "guessing wrong", **stranger)

    # Sam comes through the same proxy (the same REMOTE_ADDR) from another address.
    owner = {"headers": {"X-Forwarded-For": "203.0.113.7"}}
    status = log_in(proxied.test_client(), sam.email, **owner).status_code
    assert status == (429 if held else 302)


def test_one_address_guessing_at_many_accounts_is_stopped_for_every_account(
    app, client, make_member
):
    sam = make_member()
    for n in range(login_limit(app, "LOGIN_ADDRESS_LIMIT")):
        assert log_in(client, f"guess{n}@example.org", "guessing wrong").status_code == 401

    assert log_in(client, sam.email).status_code == 429
    # Sam, logging in from home, is not held up by someone else's guessing.
    assert log_in(app.test_client(), sam.email, **from_address("203.0.113.7")).status_code == 302


def test_logging_in_successfully_many_times_never_locks_anyone_out(app, client, make_member):
    sam = make_member()
    for _ in range(login_limit(app) + 2):
        assert log_in(client, sam.email).status_code == 302
        client.post("/logout")

    assert log_in(client, sam.email, "one slip of the finger").status_code == 401
    assert log_in(client, sam.email).status_code == 302


# Resetting a forgotten password ----------------------------------------------------------------


def test_asking_for_a_reset_link_looks_the_same_whether_or_not_the_address_has_an_account(
    client, outbox, make_member
):
    make_member(email="sam@example.org")

    known = client.post("/forgot-password", data={"email": "sam@example.org"})
    assert len(outbox) == 1
    unknown = client.post("/forgot-password", data={"email": "nobody@example.org"})

    assert len(outbox) == 1
    assert outbox[0]["To"] == "sam@example.org"
    assert known.status_code == unknown.status_code == 200
    assert "If an account uses" in text_of(known)
    assert known.text.replace("sam@example.org", "ADDRESS") == (
        unknown.text.replace("nobody@example.org", "ADDRESS")
    )


def test_a_reset_link_sets_a_new_password_once_and_logs_me_in(app, client, outbox, make_member):
    sam = make_member(name="Sam", email="sam@example.org")
    client.post("/forgot-password", data={"email": "sam@example.org"})
    link = link_in(outbox[0], "/reset-password/")

    too_short = client.post(link, data={"password": "short"})
    assert too_short.status_code == 200
    assert error_beside(too_short.text, "password") == "That password is too short."

    saved = client.post(link, data={"password": NEW_PASSWORD}, follow_redirects=True)
    assert "Your new password is saved." in text_of(saved)
    assert "Hello, Sam." in text_of(saved)

    used_again = app.test_client().get(link)
    assert used_again.status_code == 404
    assert "This link can't be used" in text_of(used_again)
    assert log_in(app.test_client(), sam.email, PASSWORD).status_code == 401
    assert log_in(app.test_client(), sam.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_stops_working_after_an_hour(client, outbox, make_member, monkeypatch):
    sam = make_member(email="sam@example.org")
    client.post("/forgot-password", data={"email": "sam@example.org"})
    link = link_in(outbox[0], "/reset-password/")
    now = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now(self) + 61 * 60)

    opened = client.get(link)
    posted = client.post(link, data={"password": NEW_PASSWORD})

    assert opened.status_code == posted.status_code == 404
    assert "This link can't be used" in text_of(opened)
    monkeypatch.undo()
    assert log_in(client, sam.email, PASSWORD).status_code == 302


# Changing a password -------------------------------------------------------------------------


def test_changing_my_password_needs_my_current_one(app, make_member, signed_in):
    sam = make_member()
    client = signed_in(app, sam)

    wrong = client.post("/account/password", data={
        "current_password": "not my password", "password": NEW_PASSWORD,
    })
    assert wrong.status_code == 200
    assert error_beside(wrong.text, "current_password") == "That is not your current password."
    assert log_in(app.test_client(), sam.email, PASSWORD).status_code == 302

    changed = client.post("/account/password", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD,
    }, follow_redirects=True)
    assert "Your password is changed." in text_of(changed)
    assert log_in(app.test_client(), sam.email, PASSWORD).status_code == 401
    assert log_in(app.test_client(), sam.email, NEW_PASSWORD).status_code == 302


# Invites ---------------------------------------------------------------------------------------


def test_joining_through_a_family_invite_puts_me_in_that_family(
    app, client, outbox, make_member, signed_in
):
    sam = make_member(name="Sam")
    link = invite_link(app, family_id=sam.membership.family.id)
    assert f"<h1>Join {sam.membership.family.name}</h1>" in text_of(client.get(link))

    join_and_confirm(client, link, outbox)

    family = text_of(client.get("/family"))
    assert f"<h1>{sam.membership.family.name}</h1>" in family
    assert "<h3>Rosa (you)</h3>" in family
    assert "<h3>Sam</h3>" in family
    assert "<h3>Rosa</h3>" in text_of(signed_in(app, sam).get("/family"))


def test_each_family_joining_a_group_invite_gets_a_family_of_its_own_in_that_group(
    app, outbox
):
    link = invite_link(app, cohort_id=make_cohort(app, "Tuesday evening group"))

    rosa, lee = app.test_client(), app.test_client()
    assert "<h1>Join Tuesday evening group</h1>" in text_of(rosa.get(link))
    join_and_confirm(rosa, link, outbox)
    join_and_confirm(lee, link, outbox, display_name="Lee", email="lee@example.org",
                     family_name="")

    rosas_family = text_of(rosa.get("/family"))
    assert "<h1>The Garcias</h1>" in rosas_family
    assert "In the group “Tuesday evening group”" in rosas_family
    assert "Lee" not in rosas_family
    lees_family = text_of(lee.get("/family"))
    assert "<h1>Lee's family</h1>" in lees_family
    assert "In the group “Tuesday evening group”" in lees_family
    assert "Rosa" not in lees_family


def expire(invite):
    invite.expires_at = utcnow() - timedelta(minutes=1)


@pytest.mark.parametrize("spoil", [
    pytest.param(expire, id="expired"),
    pytest.param(invitations.revoke_invite, id="withdrawn"),
])
def test_an_expired_or_withdrawn_invite_cannot_be_used(app, client, outbox, make_member, spoil):
    sam = make_member()
    link = invite_link(app, family_id=sam.membership.family.id)
    change_invite(app, link, spoil)

    opened = client.get(link)
    posted = client.post(link, data=sign_up())

    for response in (opened, posted):
        assert response.status_code == 404
        assert "This invite can't be used" in text_of(response)
    assert outbox == []
    assert accounts_using(app, "rosa@example.org") == 0


def test_a_one_use_invite_is_used_up_by_the_first_person(app, outbox, make_member):
    sam = make_member()
    link = invite_link(app, family_id=sam.membership.family.id, max_uses=1)
    join_and_confirm(app.test_client(), link, outbox)
    outbox.clear()

    second = app.test_client()
    opened = second.get(link)
    posted = second.post(link, data=sign_up(display_name="Lee", email="lee@example.org"))

    for response in (opened, posted):
        assert response.status_code == 404
        assert "This invite can't be used" in text_of(response)
    assert outbox == []
    assert accounts_using(app, "lee@example.org") == 0


def test_a_logged_in_member_opening_an_invite_is_told_they_already_have_an_account(
    app, make_member, signed_in
):
    sam = make_member()
    link = invite_link(app, family_id=make_member().membership.family.id)
    client = signed_in(app, sam)

    opened = client.get(link)
    posted = client.post(link, data=sign_up())

    for response in (opened, posted):
        assert "You already have an account" in text_of(response)
        assert "You're already logged in" in text_of(response)
    assert accounts_using(app, "rosa@example.org") == 0


# A site where joining is by invite -------------------------------------------------------------


def test_when_joining_is_by_invite_the_sign_up_page_says_so_and_invites_still_work(
    app, make_app, make_member
):
    closed = make_app(SHIPPED_MODULES, COURSE_OPEN_REGISTRATION=False)
    outbox = closed.extensions.setdefault("outbox", [])
    client = closed.test_client()

    for response in (client.get("/register"), client.post("/register", data=sign_up())):
        assert response.status_code == 403
        assert "Joining is by invite" in text_of(response)
    assert accounts_using(closed, "rosa@example.org") == 0
    assert 'href="/register"' not in client.get("/login").text

    sam = make_member(name="Sam")
    link = invite_link(closed, family_id=sam.membership.family.id)
    page = join_and_confirm(client, link, outbox)
    assert "Hello, Rosa." in text_of(page)


# Forms from other sites ------------------------------------------------------------------------


def csrf_token_on(page) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert match, "no csrf_token on the page"
    return match.group(1)


def test_a_form_posted_without_its_token_is_refused_as_expired(app, make_app, make_member):
    guarded = make_app(SHIPPED_MODULES, WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    sam = make_member()

    refused = log_in(client, sam.email)
    assert refused.status_code == 400
    assert "This form has expired" in text_of(refused)

    token = csrf_token_on(client.get("/login"))
    logged_in = client.post("/login", data={
        "email": sam.email, "password": PASSWORD, "csrf_token": token,
    })
    assert logged_in.status_code == 302

    # Another site can't log me out by posting to /logout.
    logout = client.post("/logout")
    assert logout.status_code == 400
    assert "This form has expired" in text_of(logout)
    assert shows_my_course(client)


# Where logging in leads ----------------------------------------------------------------------


@pytest.mark.parametrize("role, page", [
    ("facilitator", "/facilitate"), ("author", "/author"), ("admin", "/admin/users"),
])
def test_staff_land_on_their_own_main_page_after_logging_in(client, make_staff, role, page):
    from course.models import Role

    dana = make_staff(role=Role(role))

    response = log_in(client, dana.email)

    assert response.status_code == 302
    assert response.headers["Location"] == page
    assert client.get(page).status_code == 200
    # Already logged in, the login page leads there too.
    assert client.get("/login").headers["Location"] == page


def test_staff_still_go_back_to_a_page_they_asked_for_but_never_to_another_site(
    client, app, make_staff
):
    dana = make_staff()

    asked = log_in(client, dana.email, query_string={"next": "/account"})
    assert asked.headers["Location"] == "/account"
    client.post("/logout")
    elsewhere = log_in(app.test_client(), dana.email, query_string={"next": "//evil.example"})
    assert elsewhere.headers["Location"] == "/facilitate"


def test_a_member_still_lands_on_my_course(client, make_member):
    sam = make_member()

    assert log_in(client, sam.email).headers["Location"] == "/"


def test_a_password_reset_leads_staff_to_their_main_page(client, outbox, make_staff):
    dana = make_staff()
    client.post("/forgot-password", data={"email": dana.email})

    saved = client.post(link_in(outbox[0], "/reset-password/"), data={"password": NEW_PASSWORD})

    assert saved.headers["Location"] == "/facilitate"


# The check-your-email page -------------------------------------------------------------------


def resend(client):
    return client.post("/check-email/resend")


def test_the_check_email_page_shows_the_address_and_can_send_the_email_again(client, outbox):
    client.post("/register", data=sign_up())

    page = client.get("/check-email")
    assert "We've sent an email to <strong>rosa@example.org</strong>" in text_of(page)
    assert '<form method="post" action="/check-email/resend"' in page.text
    assert "Send it again" in page.text

    outbox.clear()
    again = resend(client)
    assert again.status_code == 302
    assert again.headers["Location"] == "/check-email"
    shown = client.get("/check-email")
    assert "We've sent it again to rosa@example.org." in text_of(shown)
    [message] = outbox
    assert message["To"] == "rosa@example.org"
    client.get(link_in(message, "/confirm/"))
    assert shows_my_course(client)


def test_sending_again_for_an_address_with_an_account_looks_the_same_and_mails_its_owner(
    app, outbox, make_member
):
    make_member(name="Sam", email="sam@example.org")
    pages = {}
    for email in ("sam@example.org", "nobody.yet@example.org"):
        client = app.test_client()
        client.post("/register", data=sign_up(email=email))
        outbox.clear()
        again = resend(client)
        page = client.get("/check-email").text.replace(email, "ADDRESS")
        pages[email] = (again.status_code, again.headers.get("Location"),
                        re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", page))
        [message] = outbox
        assert message["To"] == email
        # Sam is told they have an account, as at sign-up; the new address gets its link.
        assert ("/confirm/" in message.get_content()) == (email != "sam@example.org")
    assert pages["sam@example.org"] == pages["nobody.yet@example.org"]


def test_sending_again_counts_with_sign_ups_toward_the_mail_limit(app, client, outbox):
    limit = int(app.config["MAIL_REQUEST_LIMIT"].split()[0])
    client.post("/register", data=sign_up())
    for _ in range(limit - 1):
        assert resend(client).status_code == 302

    held = resend(client)

    assert held.status_code == 429
    assert "<h1>Check your email</h1>" in held.text
    assert "You've asked for several emails" in text_of(held)
    assert len(outbox) == limit


def test_without_a_sign_up_the_check_email_page_names_no_address_and_sends_nothing(
    client, outbox
):
    page = client.get("/check-email")
    assert "We've sent you an email" in text_of(page)
    assert "/check-email/resend" not in page.text

    nothing = resend(client)
    assert nothing.status_code == 302
    assert outbox == []


def test_an_unconfirmed_member_logging_in_can_send_the_link_again(client, outbox):
    client.post("/register", data=sign_up())
    outbox.clear()

    response = log_in(client, "rosa@example.org", "my loved one is worth it")

    assert "<strong>rosa@example.org</strong>" in text_of(response)
    assert "/check-email/resend" in response.text
    assert resend(client).status_code == 302
    assert [m["To"] for m in outbox] == ["rosa@example.org"] * 2


def test_once_confirmed_the_address_is_no_longer_kept_for_the_page(client, outbox):
    client.post("/register", data=sign_up())
    client.get(link_in(outbox[0], "/confirm/"))
    client.post("/logout")

    assert "rosa@example.org" not in client.get("/check-email").text


# Passwords: shown on request, explained once ---------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/register", "/forgot-password"])
def test_password_pages_load_the_show_password_script_from_this_site_and_no_inline_script(
    client, path
):
    page = client.get(path)

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.DOTALL)
    assert all(body.strip() == "" and " src=" in attributes for attributes, body in scripts)
    toggles = re.findall(
        r'<script src="(/static/password\.[0-9a-f]{12}\.js)" data-label="[^"]+" defer>', page.text
    )
    if 'type="password"' not in page.text:
        assert toggles == []
        return
    [src] = toggles
    with client.get(src) as script:
        assert script.status_code == 200
        assert "aria-pressed" in script.text
    # The page's policy lets this site's own scripts run, and no others.
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src" not in policy and "unsafe-inline" not in policy


def test_a_too_short_password_is_explained_once_beside_the_field(client):
    response = client.post("/register", data=sign_up(password="too short"))

    hint = re.search(r'<small id="password-hint" class="hint">([^<]*)</small>', response.text)
    error = error_beside(response.text, "password")
    assert hint and error
    assert "10 characters" in hint.group(1)
    assert "10 characters" not in error
    assert "sentence" not in error
    assert text_of(response).count("A short sentence") == 1


# Choosing which emails I get -------------------------------------------------------------------

EMAIL_CHOICES = ("wants_reminders", "wants_module_notes", "wants_family_notes", "wants_digest")


def checkboxes(page: str) -> dict[str, bool]:
    """The email choices on the account page: name -> checked."""
    return {
        name: bool(re.search(rf'<input[^>]*checked[^>]*name="{name}"|<input[^>]*name="{name}"'
                             rf'[^>]*checked', page))
        for name in EMAIL_CHOICES if f'name="{name}"' in page
    }


def email_wishes(app, user) -> dict[str, bool]:
    with app.app_context():
        found = db.session.get(User, user.id)
        return {name: getattr(found, name) for name in EMAIL_CHOICES}


def test_a_member_chooses_which_emails_they_get_on_my_account(app, make_member, signed_in):
    ana = make_member("Ana")
    client = signed_in(app, ana)

    page = client.get("/account")
    assert "Emails we send you" in words(page)
    assert checkboxes(page.text) == {
        "wants_reminders": True, "wants_module_notes": True, "wants_family_notes": True,
    }  # no weekly summary: Ana runs no group

    saved = client.post("/account", data={
        "display_name": "Ana", "relationship": "parent", "wants_family_notes": "y",
        "wants_digest": "y",
    }, follow_redirects=True)

    assert "Your changes are saved." in words(saved)
    assert checkboxes(saved.text) == {
        "wants_reminders": False, "wants_module_notes": False, "wants_family_notes": True,
    }
    assert email_wishes(app, ana) == {
        "wants_reminders": False, "wants_module_notes": False, "wants_family_notes": True,
        "wants_digest": True,  # not on her page, so not changed
    }


def test_a_facilitator_can_turn_off_their_weekly_summary(app, make_staff, signed_in):
    dana = make_staff()
    client = signed_in(app, dana)

    page = client.get("/account")
    assert checkboxes(page.text) == {"wants_digest": True}
    assert "A weekly summary of each group I run" in words(page)

    client.post("/account", data={"display_name": "Dana"})

    assert email_wishes(app, dana)["wants_digest"] is False


def test_a_mistake_on_my_account_keeps_my_email_choices_and_says_what_to_fix(
    app, make_member, signed_in
):
    ana = make_member("Ana")
    client = signed_in(app, ana)

    page = client.post("/account", data={"display_name": "", "relationship": "parent",
                                         "wants_reminders": "y"})

    assert page.status_code == 422
    assert 'class="error-summary"' in page.text
    assert error_beside(page.text, "display_name") == "Tell us what to call you."
    assert checkboxes(page.text)["wants_reminders"] is True
    assert checkboxes(page.text)["wants_family_notes"] is False
    assert email_wishes(app, ana)["wants_family_notes"] is True


# Language ----------------------------------------------------------------------------------------


def chosen_language(page) -> str | None:
    """The language the page's language list has chosen."""
    for option in re.findall(r"<option [^>]*>", page.text):
        if " selected" in option:
            return re.search(r'value="([^"]+)"', option).group(1)
    return None


def test_a_member_chooses_their_language_on_my_account(app, make_member, signed_in):
    ana = make_member("Ana")
    client = signed_in(app, ana)

    page = client.get("/account", headers={"Accept-Language": "en"})
    assert "Language" in words(page)
    assert chosen_language(page) == "en"
    # Each language is named in itself, and marked as such for screen readers.
    assert re.search(r'<option lang="es"[^>]*>Español</option>', page.text)

    saved = client.post("/account", data={
        "display_name": "Ana", "relationship": "parent", "language": "es",
    }, follow_redirects=True)

    assert '<html lang="es">' in saved.text
    assert chosen_language(saved) == "es"
    with app.app_context():
        assert db.session.get(User, ana.id).locale == "es"


def test_saving_my_account_without_changing_language_keeps_following_my_group(
    app, make_member, signed_in
):
    ana = make_member("Ana")
    client = signed_in(app, ana)

    client.post("/account", data={"display_name": "Ana", "relationship": "parent",
                                  "language": "en"})

    with app.app_context():
        assert db.session.get(User, ana.id).locale is None


def test_a_language_the_site_lacks_is_refused_on_my_account(app, make_member, signed_in):
    ana = make_member("Ana")
    client = signed_in(app, ana)

    page = client.post("/account", data={"display_name": "Ana", "relationship": "parent",
                                         "language": "klingon"})

    assert page.status_code == 422
    with app.app_context():
        assert db.session.get(User, ana.id).locale is None
