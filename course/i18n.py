"""Which language a page is in, and the words and dates for it (Flask-Babel).

A person's own choice wins (their account's `locale`, or before they have an account the one
they picked on the page, kept in the session); then their group's default language; then what
their browser asks for (Accept-Language); then English. Modules follow the same choice, falling
back to English where a module has no translation yet (course/content).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale, gettext, ngettext
from flask_login import current_user

from .content import Catalog, Module
from .content.ext import current_catalog, current_resources
from .content.languages import LANGUAGES as CONTENT_LANGUAGES
from .content.model import Message
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


def terminal_language() -> str:
    """The language of a command run in a terminal (`flask content check`...): the one its
    environment asks for, read as gettext reads it (the first of LANGUAGE, LC_ALL, LC_MESSAGES
    and LANG that is set, LANGUAGE being a list like "es:en"), else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            for item in value.split(":"):  # "es_MX.UTF-8" or "es"; "C" and "POSIX" are English
                code = supported(item.split(".")[0].split("@")[0].split("_")[0].lower())
                if code:
                    return code
            return DEFAULT
    return DEFAULT


TRANSLATIONS = Path(__file__).resolve().parent / "translations"


@lru_cache(maxsize=len(LANGUAGES))
def _terminal_translations(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [language])


def terminal_text(text: str) -> LazyProxy:
    """A command's or option's --help text, said in the terminal's language when click shows
    it (before any app is loaded, so without Flask-Babel). Marked for `pybabel extract`."""
    return LazyProxy(lambda: _terminal_translations(terminal_language()).gettext(text),
                     enable_cache=False)


def say(text: str) -> str:
    """A content problem's message (a `Message`, course/content/model.py) in the language of
    the page or terminal; any other text as it is."""
    if not isinstance(text, Message):
        return text
    if not text.values:
        return gettext(text.template)
    return gettext(text.template, **{key: say(value) if isinstance(value, Message) else value
                                     for key, value in text.values.items()})


def select_locale() -> str:
    """The language of this request's page (see the module's docstring); in a terminal
    command, the terminal's."""
    if not has_request_context():
        return terminal_language()
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


def translation_summary(catalog: Catalog, lang: str) -> str:
    """One line on a language's translations, for authors, in the reader's language:
    "Spanish: 17 translations, 16 in step, 1 behind the English, 0 with errors." """
    counts = catalog.translation_counts(lang)
    line = ngettext(
        "%(language)s: %(num)d translation, %(in_step)d in step, %(behind)d behind the "
        "English, %(errors)d with errors.",
        "%(language)s: %(num)d translations, %(in_step)d in step, %(behind)d behind the "
        "English, %(errors)d with errors.",
        counts["translations"], language=say(CONTENT_LANGUAGES[lang].name),
        in_step=counts["in_step"], behind=counts["behind_the_english"],
        errors=counts["with_errors"],
    )
    missing = len(catalog.untranslated(lang))
    if missing:
        line += " " + ngettext("%(num)d module has none yet.", "%(num)d modules have none yet.",
                               missing)
    return line
