"""One module file being parsed: the problems found so far, the ids it gives out, the links it
makes, and rendering with the file's own link references."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import cast

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from .languages import ENGLISH, Language
from .markup import MD, plain_text, sanitize
from .model import N_, Link, Problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 60  # Ids are stored in columns of 80 characters, with room for a suffix.
PIN_RE = re.compile(r"[ \t]*\{#([^}\n]*)\}[ \t]*$")
MODULE_LINK_RE = re.compile(r"^(?:\./)?(?P<file>[^/?#:]+\.md)(?P<anchor>#\S*)?$")


def slugify(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII words joined by dashes, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


class Document:
    """The state of one parse, shared by the readers of its parts."""

    def __init__(
        self, *, path: str, body_line: int, module_files: Mapping[str, str | None],
        module_url: str, lang: Language = ENGLISH,
    ):
        self.path = path
        self.lang = lang  # The language of the file, with the keywords it uses.
        self.body_line = body_line  # The file's line of the first line of the body.
        self.module_files = module_files
        self.module_url = module_url
        self.problems: list[Problem] = []
        # Broken links are the author's to fix, but they don't keep the module from members.
        self.link_problems: list[Problem] = []
        self.ids: dict[str, int] = {}
        self.env: dict = {}
        self.links: set[Link] = set()

    def problem(self, line: int, message: str) -> None:
        """Report a problem at a line of the file."""
        self.problems.append(Problem(self.path, line, message))

    def line_of(self, token: Token) -> int:
        """The file's line where a token starts."""
        return self.body_line + (token.map[0] if token.map else 0)

    def render(self, tokens: list[Token]) -> str:
        """Safe HTML of a run of block tokens."""
        return sanitize(MD.renderer.render(tokens, MD.options, self.env))

    def render_inline(self, inline: Token) -> str:
        """Safe HTML of an inline token."""
        # MD's renderer is markdown-it's RendererHTML, typed only as the protocol that a
        # swapped-in renderer must follow, which has no renderInline.
        renderer = cast(RendererHTML, MD.renderer)
        return sanitize(renderer.renderInline(inline.children or [], MD.options, self.env))

    def set_content(self, inline: Token, content: str) -> None:
        """Replace an inline token's text, parsing it again with the document's references."""
        inline.content = content
        inline.children = MD.parseInline(content, self.env)[0].children if content else []
        self.rewrite_links(inline)

    # Ids -----------------------------------------------------------------------------------

    def claim_id(self, ident: str, line: int) -> None:
        """Record an id; two things with one id in a module is an error."""
        if ident in self.ids:
            self.problem(line, N_(
                'duplicate id "%(id)s" (also used on line %(line)s); '
                "pin a different id with {#another-id}",
                id=ident, line=self.ids[ident],
            ))
        else:
            self.ids[ident] = line

    def take_pin(self, inline: Token, line: int) -> str | None:
        """Remove an `{#id}` pin from the end of the first line of an inline token."""
        first, newline, rest = inline.content.partition("\n")
        match = PIN_RE.search(first)
        if not match:
            return None
        ident = match.group(1).strip()
        self.set_content(inline, first[: match.start()] + newline + rest)
        if not SLUG_RE.match(ident) or len(ident) > MAX_ID_LENGTH:
            self.problem(line, N_(
                'id "%(id)s" may use only lower-case letters, digits and dashes, '
                "at most %(length)s long",
                id=ident[:80], length=MAX_ID_LENGTH,
            ))
            return None
        return ident

    def heading_id(self, tokens: list[Token], heading: int, kind: str) -> tuple[str, str, int]:
        """Title, id and line of a heading; the id is pinned or derived from the title. `kind`
        is "section" or "question"."""
        inline, line = tokens[heading + 1], self.line_of(tokens[heading])
        pinned = self.take_pin(inline, line)
        title = plain_text(inline)
        ident = pinned or slugify(title)
        if not title:
            self.problem(line, (
                N_("section heading is empty; give it a few words") if kind == "section"
                else N_("question heading is empty; give it a few words")
            ))
        elif not ident:
            self.problem(line, (
                N_('section "%(title)s" needs an id; pin one with {#an-id}', title=title)
                if kind == "section"
                else N_('question "%(title)s" needs an id; pin one with {#an-id}', title=title)
            ))
        if ident:
            self.claim_id(ident, line)
        return title, ident, line

    # Links between modules -----------------------------------------------------------------

    def rewrite_links(self, inline: Token) -> None:
        """Point links to module files at their pages; a link members can't follow keeps only
        its text."""
        line = self.line_of(inline)
        kept: list[Token] = []
        unlinking = False
        for child in inline.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            if child.type == "link_close" and unlinking:
                unlinking = False  # Links don't nest, so this closes the link being dropped.
                continue
            if child.type == "link_open" and not self._follow(child, line):
                unlinking = True
                continue
            kept.append(child)
        if inline.children is not None:
            inline.children = kept

    def _follow(self, link: Token, line: int) -> bool:
        """Point a link to a module file at the module's page, and report a link to a file that
        doesn't exist. False for a link members can't follow."""
        match = MODULE_LINK_RE.match(str(link.attrGet("href") or ""))
        if match is None:
            return True
        file_name = match["file"]
        if file_name not in self.module_files:
            self.link_problems.append(Problem(self.path, line, N_(
                'link to "%(file)s", which is not a module in this folder', file=file_name
            )))
        slug = self.module_files.get(file_name)
        if slug is None:
            return False
        anchor = (match["anchor"] or "").removeprefix("#")
        self.links.add(Link(file_name, slug, anchor, line))
        link.attrSet("href", self.module_url.format(slug=slug) + (f"#{anchor}" if anchor else ""))
        return True
