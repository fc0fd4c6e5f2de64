"""Logins end when they should: at logout, on a password change or reset, on deactivation and
from "Log out everywhere", and every copy of their cookies stops working with them."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, link_in

from course.extensions import db
from course.models import LoginSession, User

NEW = "a brand new phrase to remember"


def device(app, user, remember=False):
    """A browser logged in as the user."""
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def opens_my_course(client) -> bool:
    return client.get("/").status_code == 200 and "My course" in client.get("/").text


def copy_cookies(source, names=("session", "remember_token")):
    """Another browser holding copies of the given cookies (as a thief would)."""
    thief = source.application.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def only_remember_cookie(source):
    """A browser restarted: the session cookie is gone, "Keep me logged in" remains."""
    return copy_cookies(source, names=("remember_token",))


def test_changing_my_password_logs_out_my_other_devices_but_not_this_one(app, make_member):
    sam = make_member()
    laptop = device(app, sam, remember=True)
    phone = device(app, sam)
    restarted_laptop = only_remember_cookie(laptop)
    assert opens_my_course(restarted_laptop)

    response = phone.post("/account/password",
                          data={"current_password": PASSWORD, "password": NEW})
    assert response.status_code == 302

    assert opens_my_course(phone)
    assert not opens_my_course(laptop)
    assert not opens_my_course(only_remember_cookie(laptop))


def test_a_reset_password_logs_out_every_device(app, make_member, outbox):
    sam = make_member()
    laptop = device(app, sam, remember=True)
    helper = app.test_client()
    helper.post("/forgot-password", data={"email": sam.email})
    assert helper.post(link_in(outbox[-1], "/reset-password/"),
                       data={"password": NEW}).status_code == 302

    assert opens_my_course(helper)
    assert not opens_my_course(laptop)
    assert not opens_my_course(only_remember_cookie(laptop))


def test_a_session_cookie_copied_before_logout_does_not_work_after_it(app, make_member):
    sam = make_member()
    shared_computer = device(app, sam, remember=True)
    copied = copy_cookies(shared_computer)
    assert opens_my_course(copied)

    shared_computer.post("/logout")

    assert not opens_my_course(shared_computer)
    assert not opens_my_course(copied)


def test_log_out_everywhere_ends_every_login_this_one_too(app, make_member):
    sam = make_member()
    kitchen = device(app, sam, remember=True)
    phone = device(app, sam)

    response = phone.post("/account/logout-everywhere")
    assert response.status_code == 302

    assert not opens_my_course(phone)
    assert not opens_my_course(kitchen)
    assert not opens_my_course(only_remember_cookie(kitchen))
    assert opens_my_course(device(app, sam))  # The password still works.


def test_the_account_page_offers_log_out_everywhere(app, make_member):
    page = device(app, make_member()).get("/account").text
    assert "Log out everywhere" in page


def test_deactivating_an_account_ends_its_logins(app, make_member, runner):
    sam = make_member()
    laptop = device(app, sam, remember=True)
    assert runner.invoke(args=["users", "deactivate", sam.email]).exit_code == 0
    with app.app_context():
        assert db.session.query(LoginSession).filter_by(user_id=sam.id).count() == 0
    assert not opens_my_course(laptop)


def test_each_login_has_its_own_remember_token_lasting_a_month(app, make_member):
    sam = make_member()
    first = device(app, sam, remember=True)
    second = device(app, sam, remember=True)
    assert first.get_cookie("remember_token").value != second.get_cookie("remember_token").value
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 30
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("forged", ["1", "1.", ".abc", "x.y", "1.not-a-real-key"])
def test_a_made_up_login_id_opens_nothing(app, make_member, forged):
    sam = make_member()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = forged.replace("1", str(sam.id), 1)
        session["_fresh"] = True
    assert not opens_my_course(client)
    with app.app_context():
        assert db.session.get(User, sam.id) is not None
