"""Which language a page is in, and the words and dates for it (Flask-Babel).

A person's own choice wins (their account's `locale`, or before they have an account the one
they picked on the page, kept in the session); then their group's default language; then what
their browser asks for (Accept-Language); then English. Modules follow the same choice, falling
back to English where a module has no translation yet (course/content).
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

from .content import Module
from .content.ext import current_catalog, current_resources
from .content.page import Page

# The languages the site speaks, each named in itself (how a person finds their own).
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
# Where a visitor's choice is kept until they have an account.
SESSION_KEY = "locale"

babel = Babel()


def supported(code: str | None) -> str | None:
    """The code if the site speaks that language, else None."""
    return code if code in LANGUAGES else None


def select_locale() -> str:
    """The language of this request's page (see the module's docstring)."""
    if not has_request_context():
        return DEFAULT
    user = current_user if current_user.is_authenticated else None
    chosen = supported(getattr(user, "locale", None)) or supported(session.get(SESSION_KEY))
    if chosen:
        return chosen
    group = g.get("group_locale")  # A page about joining a group (an invite) sets it.
    if group is None:
        # Loaded with the login (course/sessions.py); an error page's stand-in has none.
        family = getattr(getattr(user, "membership", None), "family", None)
        group = getattr(getattr(family, "cohort", None), "default_locale", None)
    return (supported(group) or request.accept_languages.best_match(LANGUAGES)
            or DEFAULT)


def current_language() -> str:
    """The language code of the page being made: "en" or "es"."""
    return str(get_locale() or DEFAULT).split("_")[0]


# Spanish as written in the United States and Latin America ("86%", "100,000"), where the
# course's Spanish-speaking families live, rather than Spain's ("86 %", "100.000").
NUMBER_LOCALES = {"es": "es_US"}


def number_locale() -> str:
    """The Babel locale for numbers and dates in the page's language."""
    language = current_language()
    return NUMBER_LOCALES.get(language, language)


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector; templates get `current_language()` and the
    list of languages."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(current_language=current_language, LANGUAGES=LANGUAGES)


def locale_of(user) -> str:
    """The language to write to a person in when no page asks (their mail): their own choice,
    else their group's default, else English. Reads the membership, family and group: load
    them first where many people are written to (course/notify.py)."""
    chosen = supported(getattr(user, "locale", None))
    if chosen:
        return chosen
    family = getattr(getattr(user, "membership", None), "family", None)
    return supported(getattr(getattr(family, "cohort", None), "default_locale", None)) or DEFAULT


def localized_modules() -> tuple[Module, ...]:
    """The published modules in course order, in the page's language where a translation is
    served, else in English (`module.lang` says which)."""
    return current_catalog().localized(current_language())


def localized_module(slug: str, include_drafts: bool = False) -> Module | None:
    """One served module in the page's language, or in English while it has no translation."""
    return current_catalog().get(slug, include_drafts=include_drafts, lang=current_language())


def localized_resources() -> Page:
    """The help and resources page in the page's language, else in English."""
    return current_resources(current_language())
