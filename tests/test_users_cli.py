"""An admin manages accounts from the command line: create, list, change a role, deactivate."""

import re

import pytest
from sqlalchemy import select

from course.extensions import db
from course.models import Role, User

NEW_PASSWORD = "a long enough password"


def create(runner, *extra, email="dana@example.org", name="Dana", role="facilitator",
           password=NEW_PASSWORD):
    """Run `users create`, giving the password on standard input."""
    return runner.invoke(
        args=["users", "create", "--email", email, "--name", name, "--role", role,
              "--password-stdin", *extra],
        input=f"{password}\n",
    )


def columns(line: str) -> list[str]:
    """The cells of a row of a printed table."""
    return re.split(r"\s{2,}", line.strip())


def account(app, email) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.membership is not None:
            _ = user.membership.family  # Load it before the session closes.
        return user


def test_an_admin_creates_a_facilitator_who_can_log_in_at_once(app, runner, client):
    result = create(runner, email="  Dana@Example.org ")

    assert result.exit_code == 0, result.output
    assert "Created facilitator dana@example.org" in result.output
    assert NEW_PASSWORD not in result.output
    dana = account(app, "dana@example.org")
    assert dana.role is Role.FACILITATOR
    assert dana.display_name == "Dana"
    assert dana.email_confirmed_at is not None
    assert dana.membership is None
    login = client.post("/login", data={"email": "dana@example.org", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_the_password_is_asked_for_twice_and_never_shown(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "ada@example.org", "--name", "Ada", "--role", "admin"],
        input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1
    assert "Repeat for confirmation" in result.output
    assert NEW_PASSWORD not in result.output
    assert account(app, "ada@example.org").role is Role.ADMIN


def test_two_different_passwords_are_asked_for_again(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "ada@example.org", "--name", "Ada", "--role", "admin"],
        input=f"{NEW_PASSWORD}\nsomething else\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert account(app, "ada@example.org").check_password(NEW_PASSWORD)


def test_a_member_made_from_the_command_line_gets_a_family_of_their_own(app, runner, client):
    result = create(runner, email="ruth@example.org", name="Ruth", role="member")

    assert result.exit_code == 0, result.output
    assert 'in a new family, "Ruth\'s family"' in result.output
    ruth = account(app, "ruth@example.org")
    assert ruth.role is Role.MEMBER
    assert ruth.membership.family.cohort_id is None
    client.post("/login", data={"email": "ruth@example.org", "password": NEW_PASSWORD})
    assert "My course" in client.get("/").text


def test_a_short_password_is_refused(app, runner):
    result = create(runner, password="too short")

    assert result.exit_code == 1
    assert "Passwords need at least 10 characters" in result.output
    assert "too short" not in result.output
    assert account(app, "dana@example.org") is None


def test_no_password_on_standard_input_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "dana@example.org", "--name", "Dana",
              "--role", "facilitator", "--password-stdin"],
        input="",
    )

    assert result.exit_code == 1
    assert "Passwords need at least 10 characters" in result.output
    assert account(app, "dana@example.org") is None


def test_an_email_already_used_in_any_case_is_refused(app, runner, make_member):
    make_member(email="sam@example.org")

    result = create(runner, email="SAM@Example.org")

    assert result.exit_code == 1
    assert "An account already uses sam@example.org" in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--email", "not an address", "is not an email address"),
    ("--name", "   ", "Give a name of 1 to 80 characters"),
])
def test_a_bad_email_or_name_is_refused_before_the_password_is_asked(runner, option, value,
                                                                     message):
    args = {"--email": "dana@example.org", "--name": "Dana", option: value}
    result = runner.invoke(
        args=["users", "create", *(x for pair in args.items() for x in pair), "--role", "admin"],
    )

    assert result.exit_code == 1
    assert message in result.output
    assert "Password" not in result.output


def test_an_unknown_role_is_a_usage_error(runner):
    result = create(runner, role="owner")
    assert result.exit_code == 2
    assert "'member', 'facilitator', 'author', 'admin'" in result.output


def test_the_list_shows_every_account_without_passwords(app, runner, make_member):
    make_member(name="Sam", email="sam@example.org")
    create(runner)

    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert columns(header) == ["email", "name", "role", "active", "created"]
    assert [columns(row)[:4] for row in rows] == [
        ["sam@example.org", "Sam", "member", "yes"],
        ["dana@example.org", "Dana", "facilitator", "yes"],
    ]
    assert "scrypt" not in result.output


def test_the_list_says_when_there_are_no_accounts(runner):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    assert "No accounts yet" in result.output


def test_an_admin_makes_a_member_a_facilitator_and_back(app, runner, make_member):
    make_member(email="sam@example.org")

    promoted = runner.invoke(args=["users", "set-role", "SAM@example.org", "facilitator"])
    assert promoted.exit_code == 0, promoted.output
    assert "sam@example.org is now facilitator" in promoted.output
    assert account(app, "sam@example.org").role is Role.FACILITATOR

    again = runner.invoke(args=["users", "set-role", "sam@example.org", "facilitator"])
    assert "already facilitator" in again.output

    back = runner.invoke(args=["users", "set-role", "sam@example.org", "member"])
    assert back.exit_code == 0
    assert account(app, "sam@example.org").role is Role.MEMBER


def test_an_account_without_a_family_cannot_become_a_member(app, runner):
    create(runner)

    result = runner.invoke(args=["users", "set-role", "dana@example.org", "member"])

    assert result.exit_code == 1
    assert "has no family" in result.output
    assert account(app, "dana@example.org").role is Role.FACILITATOR


def test_a_deactivated_account_can_no_longer_log_in(app, runner, client, make_member, login):
    sam = make_member(email="sam@example.org")
    assert login(sam).status_code == 302

    result = runner.invoke(args=["users", "deactivate", "sam@example.org"])

    assert result.exit_code == 0, result.output
    assert "can no longer log in" in result.output
    assert account(app, "sam@example.org").is_active is False
    assert client.get("/family").status_code == 302  # The open session ends too.
    assert login(sam).status_code == 401
    listed = runner.invoke(args=["users", "list"]).output
    assert columns(listed.splitlines()[1])[3] == "no"
    again = runner.invoke(args=["users", "deactivate", "sam@example.org"])
    assert again.exit_code == 0
    assert "already deactivated" in again.output


@pytest.mark.parametrize("args", [
    ["users", "set-role", "nobody@example.org", "admin"],
    ["users", "deactivate", "nobody@example.org"],
])
def test_an_unknown_email_is_a_clear_error(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "No account uses nobody@example.org" in result.output


def test_each_command_explains_itself(runner):
    for command in ("create", "list", "set-role", "deactivate"):
        result = runner.invoke(args=["users", command, "--help"])
        assert result.exit_code == 0
    assert "asks for the password twice" in runner.invoke(
        args=["users", "create", "--help"]).output.lower()
