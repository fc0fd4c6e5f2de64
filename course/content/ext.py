"""The catalog's place in the Flask app."""

from __future__ import annotations

from flask import Flask, current_app

from .catalog import Catalog
from .languages import SOURCE
from .model import Problem
from .page import LocalizedPage, Page


def init_content(app: Flask) -> None:
    """Load every module and translation at start; log what is wrong; in development, reload
    changed files.

    Each problem is logged once, with what it means for members. Problems are logged when the
    app first serves, not while it is built, so that `flask content check` prints each problem
    once, as its own output.
    """
    languages = tuple(app.config.get("COURSE_LANGUAGES", (SOURCE,)))
    catalog = Catalog(app.config["COURSE_CONTENT_DIR"], languages=languages)
    resources = LocalizedPage(app.config["COURSE_RESOURCES_FILE"], languages)
    app.extensions["course_catalog"] = catalog
    app.extensions["course_resources"] = resources
    logged: set[Problem] = set()

    @app.before_request
    def keep_content_current() -> None:
        if app.config["COURSE_RELOAD_CONTENT"]:
            catalog.refresh()
            resources.refresh()
        snapshot = catalog.snapshot
        found = [(entry.problems, entry.consequence) for entry in snapshot.entries] + [
            (translation.problems, translation.consequence)
            for translations in snapshot.translations.values() for translation in translations
        ]
        for problems, consequence in found:
            for problem in problems:
                if problem not in logged:
                    logged.add(problem)
                    app.logger.warning("content: %s (%s)", problem, consequence)


def current_catalog() -> Catalog:
    """The catalog of the app handling this request or command."""
    return current_app.extensions["course_catalog"]


def current_resources(lang: str = SOURCE) -> Page:
    """The resources page of the current app in `lang`, else in English (`page.lang` says)."""
    return current_app.extensions["course_resources"].get(lang)
