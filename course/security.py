"""HTTP headers that keep pages from loading or leaking anything to other sites."""

from flask import Flask, Response, request, session
from werkzeug.exceptions import SecurityError

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

YEAR = 365 * 24 * 3600


def register_security_headers(app: Flask) -> None:
    """Send the same protective headers with every response."""

    @app.errorhandler(SecurityError)
    def unknown_host(_error):
        # Refused before any URL could be built for it, so no page of the site can render.
        return Response("This site is not served under that name.\n", 400, mimetype="text/plain")

    @app.before_request
    def name_the_route() -> None:
        # For the access log (course/serving.py): the route's pattern, never the path itself,
        # which may hold a token or an id.
        rule = request.url_rule
        if request.endpoint == "static":
            route = request.path
        else:
            route = rule.rule if rule is not None else "(no such page)"
        request.environ["course.route"] = route

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # Other sites never learn which course page someone came from. This site does: over
        # HTTPS, Flask-WTF checks that a form was sent from one of its own pages.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.is_secure and app.config["ENV_NAME"] == "production":
            response.headers.setdefault("Strict-Transport-Security", f"max-age={YEAR}")
        # A logged-in person's pages are theirs alone: no browser or proxy may keep a copy.
        if request.endpoint != "static" and session.get("_user_id"):
            response.headers["Cache-Control"] = "no-store"
        return response
