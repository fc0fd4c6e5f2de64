"""A plain markdown page served as it is, such as content/resources.md."""

from __future__ import annotations

from pathlib import Path

from .catalog import file_stamp
from .markup import MD, plain_text, sanitize


class Page:
    """A markdown file rendered once, and again only when it changes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._stamp: tuple[int, int] | None = None
        self.title, self.html = "", ""
        self.refresh()

    def refresh(self) -> None:
        """Render the file again if it changed since the last look."""
        try:
            stamp = file_stamp(self.path)
        except OSError:
            self._stamp, self.title, self.html = None, "", ""
            return
        if stamp == self._stamp:
            return
        # A stray byte should not take the help page down: show it as a replacement character.
        tokens = MD.parse(self.path.read_text(encoding="utf-8-sig", errors="replace"), {})
        if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
            self.title, tokens = plain_text(tokens[1]), tokens[3:]
        self.html = sanitize(MD.renderer.render(tokens, MD.options, {}))
        self._stamp = stamp
