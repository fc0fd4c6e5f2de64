"""Links that leave the site (in emails, invites to copy), built from COURSE_BASE_URL; and the
`next` address a form may send a person back to, kept on this site."""

from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """The full address of a page, on the configured public base URL.

    Never from the request's Host header, which anyone can set. Without COURSE_BASE_URL
    (development only: production requires it) the address the browser used is taken.
    """
    base = current_app.config.get("COURSE_BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None) -> str | None:
    """A `next` address only if it stays on this site: a path, not another host."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
