"""Error pages a person can read, with the way back, even when the database is down."""

import re
from contextlib import suppress
from dataclasses import dataclass

from flask import Flask, current_app, g, make_response, render_template, request, session
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import inspect
from sqlalchemy.exc import (
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
    TimeoutError as PoolTimeoutError,
)

from .extensions import db, login_manager

MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("You can't open this page"), _l("Your account does not have access to it.")),
    404: (_l("We can't find that page"), _l("It may have moved, or the link may be mistyped.")),
    405: (_l("That didn't work"), _l("Please go back and try again.")),
    413: (_l("That was too much to send at once"),
          _l("Nothing was saved. Please go back, shorten what you wrote, and send it again.")),
    429: (_l("Too many tries"), _l("For your safety, please wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Please try again in a moment. Nothing you wrote has been lost if you saved it.")),
    503: (_l("Sorry, the course isn't working right now"),
          _l("We saved nothing from this step; please try again in a minute.")),
}

# Database errors that mean "not reachable now" (down, stuck past a timeout, read-only, out of
# connections) rather than a bug: "try again in a minute", as a 503 with Retry-After.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 60

# Forms worth sending again after a failure: the person's own words and answers. The error
# page gives their fields back in a form; free text (a reflection, an encouragement) in a box
# they can copy from. Never forms with passwords, emails or tokens.
RESENDABLE = {"learn.section", "learn.quiz", "family.encourage"}
FREE_TEXT = re.compile(r"^reflection-|(^|-)body$")


@dataclass(frozen=True)
class Remembered:
    """What base.html reads of a logged-in person, from memory: it never queries."""

    role: str | None = None
    locale: str | None = None
    membership: bool = False
    is_authenticated: bool = True
    is_anonymous: bool = False


def remembered_user():
    """A stand-in for current_user, taken from what this request already loaded."""
    user = g.get("_login_user")  # Where Flask-Login keeps the request's user once loaded.
    if user is None:
        # The database failed before the user was loaded: the session still says who it is.
        if session.get("_user_id"):
            return Remembered()
        return login_manager.anonymous_user()
    state = inspect(user, raiseerr=False)
    if state is None:
        return user  # The anonymous user: nothing in it comes from the database.
    loaded = state.dict  # Only what is loaded: reading it never queries.
    return Remembered(
        role=loaded.get("role"), locale=loaded.get("locale"),
        membership=loaded.get("membership") is not None,
    )


def kept_fields() -> dict | None:
    """What a failed form sent, to give back on the error page, if it is worth sending again."""
    if request.method != "POST" or request.endpoint not in RESENDABLE:
        return None
    texts: list[tuple[str, str]] = []
    others: list[tuple[str, str]] = []
    for name, value in request.form.items(multi=True):
        if name == "csrf_token":
            continue  # The page brings a fresh one.
        (texts if FREE_TEXT.search(name) else others).append((name, value))
    return {"texts": texts, "others": others}


def again_url() -> str:
    """Where "try again" goes: this same page, if it is one of ours."""
    if request.url_rule is None:
        return "/"
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def failure_page(code: int):
    """A 5xx page that needs nothing from the database: roll back, then render from memory."""
    g._login_user = remembered_user()  # Before the rollback, which expires what was loaded.
    # The connection may be gone; the session is discarded at the end of the request.
    with suppress(SQLAlchemyError):
        db.session.rollback()
    title, detail = MESSAGES[code]
    response = make_response(render_template(
        "errors/error.html", code=code, title=title, detail=detail, kept=kept_fields(),
        again=again_url(),
    ), code)
    if code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"  # It may hold what the person wrote.
    return response


def describe(error: SQLAlchemyError) -> str:
    """The driver's error, its kind and first line: never the SQL or its values."""
    cause = getattr(error, "orig", None) or error
    first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {first_line}"


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout."""

    def render(code: int, title: str, detail: str):
        return render_template("errors/error.html", code=code, title=title, detail=detail), code

    for code, (title, detail) in MESSAGES.items():
        if code < 500:
            app.register_error_handler(
                code,
                lambda _error, code=code, title=title, detail=detail: render(code, title, detail),
            )

    @app.errorhandler(500)
    def server_error(error):
        # Also reached when an error page itself failed, e.g. a 404's layout on a database
        # that is down: the cause decides which page to show.
        if isinstance(getattr(error, "original_exception", None), UNAVAILABLE):
            return database_unavailable(error.original_exception)
        return failure_page(500)

    def database_unavailable(error):
        current_app.logger.warning(
            "Database unavailable (%s %s): %s", request.method, request.endpoint, describe(error)
        )
        return failure_page(503)

    for kind in UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render(
            400, _("This form has expired"),
            _("For your safety, forms expire after a while. Please go back, reload the page and "
              "send it again."),
        )
