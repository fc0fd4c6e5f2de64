"""A build step for the wheel: compile the translation catalogs (.po, kept in git) into the
.mo files Flask-Babel reads (not kept in git), so an installed release speaks every language
without a step of its own. `make` compiles them for a checkout (see the Makefile)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):
    """Adds course/translations/<lang>/LC_MESSAGES/messages.mo to the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        self._folder = tempfile.TemporaryDirectory()
        for po in sorted(Path(self.root, "course", "translations").glob("*/LC_MESSAGES/*.po")):
            inside = po.relative_to(self.root).with_suffix(".mo")
            mo = Path(self._folder.name, inside)
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)
            build_data["force_include"][str(mo)] = str(inside)

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        self._folder.cleanup()
