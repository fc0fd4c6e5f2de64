"""The catalog's place in the Flask app."""

from __future__ import annotations

from flask import Flask, current_app

from .catalog import Catalog
from .page import Page


def init_content(app: Flask) -> None:
    """Load every module at start; log what is wrong; in development, reload changed files."""
    catalog = Catalog(app.config["COURSE_CONTENT_DIR"])
    app.extensions["course_catalog"] = catalog
    app.extensions["course_resources"] = Page(app.config["COURSE_RESOURCES_FILE"])
    for problem in catalog.problems:
        app.logger.warning("content: %s", problem)

    if app.config.get("COURSE_RELOAD_CONTENT"):

        @app.before_request
        def reload_changed_content() -> None:
            if catalog.refresh():
                for problem in catalog.problems:
                    app.logger.warning("content: %s", problem)
            app.extensions["course_resources"].refresh()


def current_catalog() -> Catalog:
    """The catalog of the app handling this request or command."""
    return current_app.extensions["course_catalog"]


def current_resources() -> Page:
    """The resources page of the current app."""
    return current_app.extensions["course_resources"]
