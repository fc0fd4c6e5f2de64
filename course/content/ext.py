"""The catalog's place in the Flask app."""

from __future__ import annotations

from flask import Flask, current_app

from .catalog import Catalog
from .model import Problem
from .page import Page


def init_content(app: Flask) -> None:
    """Load every module at start; log what is wrong; in development, reload changed files.

    Each problem is logged once, with what it means for members. Problems are logged when the
    app first serves, not while it is built, so that `flask content check` prints each problem
    once, as its own output.
    """
    catalog = Catalog(app.config["COURSE_CONTENT_DIR"])
    resources = Page(app.config["COURSE_RESOURCES_FILE"])
    app.extensions["course_catalog"] = catalog
    app.extensions["course_resources"] = resources
    logged: set[Problem] = set()

    @app.before_request
    def keep_content_current() -> None:
        if app.config["COURSE_RELOAD_CONTENT"]:
            catalog.refresh()
            resources.refresh()
        for entry in catalog.snapshot.entries:
            for problem in entry.problems:
                if problem not in logged:
                    logged.add(problem)
                    app.logger.warning("content: %s (%s)", problem, entry.consequence)


def current_catalog() -> Catalog:
    """The catalog of the app handling this request or command."""
    return current_app.extensions["course_catalog"]


def current_resources() -> Page:
    """The resources page of the current app."""
    return current_app.extensions["course_resources"]
