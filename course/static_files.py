"""Static files under fingerprinted names, so browsers may keep them for a year.

`url_for("static", filename="course.css")` gives `/static/course.<hash>.css`, the hash taken
from the file's content: a new release changes the name, and nobody gets a stale stylesheet.
A name with another hash gets today's file, revalidated each time, never a 404.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, send_from_directory

YEAR = 365 * 24 * 3600
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[^./]+)$")


class Fingerprints:
    """The content hash of each static file, remembered by its modification stamp. Unless
    `watch` (development), a name once made is kept: a release's files don't change, and a
    page then makes its links without touching the disk."""

    def __init__(self, folder: Path, watch: bool = False):
        self.folder = folder
        self.watch = watch
        self._known: dict[str, tuple[int, str]] = {}
        self._names: dict[str, str] = {}

    def digest(self, filename: str) -> str | None:
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder.resolve()) or not path.is_file():
            return None
        stamp = path.stat().st_mtime_ns
        known = self._known.get(filename)
        if known is None or known[0] != stamp:
            known = (stamp, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            self._known[filename] = known
        return known[1]

    def name(self, filename: str) -> str:
        """The fingerprinted name of a file (the plain name if it does not exist)."""
        if not self.watch and filename in self._names:
            return self._names[filename]
        digest = self.digest(filename)
        if digest is None:
            return filename
        stem, dot, suffix = filename.rpartition(".")
        name = f"{stem}.{digest}.{suffix}" if dot else f"{filename}.{digest}"
        self._names[filename] = name
        return name


def init_static(app: Flask) -> None:
    """Serve static files with fingerprinted names and a year-long, immutable cache."""
    folder = Path(app.static_folder or "")
    fingerprints = Fingerprints(folder, watch=app.debug)

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprints.name(values["filename"])

    def static(filename: str):
        match = FINGERPRINTED.match(filename)
        if match:
            plain = match["stem"] + match["suffix"]
            if fingerprints.digest(plain) == match["digest"]:
                response = send_from_directory(folder, plain, max_age=YEAR)
                response.cache_control.immutable = True
                response.cache_control.public = True
                return response
            # Another release's name: a page open since before an update, or served by a node
            # not yet updated. Today's file, revalidated, keeps that page styled; a 404 would
            # leave it bare. (A file that doesn't exist at all is a 404 below.)
            filename = plain
        # An unfingerprinted name still works, revalidated on each use.
        response = send_from_directory(folder, filename, max_age=0)
        response.cache_control.no_cache = True
        return response

    app.view_functions["static"] = static
