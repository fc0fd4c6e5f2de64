"""A plain markdown page served as it is, such as content/resources.md, and its translations
(content/es/resources.md)."""

from __future__ import annotations

from pathlib import Path

from .catalog import file_stamp
from .markup import MD, plain_text, sanitize


class Page:
    """A markdown file rendered once, and again only when it changes."""

    def __init__(self, path: str | Path, *, lang: str = "en"):
        self.path = Path(path)
        self.lang = lang
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


class LocalizedPage:
    """A page and its translations: content/<lang>/resources.md beside content/resources.md.
    A language whose file is missing or empty gets the English page."""

    def __init__(self, path: str | Path, languages: tuple[str, ...] | list[str] = ("en",)):
        path = Path(path)
        self.english = Page(path)
        self.translated = {
            lang: Page(path.parent / lang / path.name, lang=lang)
            for lang in dict.fromkeys(languages) if lang != "en"
        }

    def refresh(self) -> None:
        self.english.refresh()
        for page in self.translated.values():
            page.refresh()

    def get(self, lang: str) -> Page:
        """The page in `lang`, else in English (`page.lang` says which)."""
        page = self.translated.get(lang)
        return page if page is not None and page.html else self.english
