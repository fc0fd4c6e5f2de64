"""The markdown dialect of modules, the HTML it may render to, and the text a reader sees in it."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
TAG_RE = re.compile(r"<[^>]+>")
# Where a reader takes one sentence to end: a line break or the end of a block.
BLOCK_END_RE = re.compile(r"<br\s*/?>|</(?:p|li|h\d|td|th|blockquote|dt|dd|summary)>")
# A URL with a scheme (https:, data:, ...) or a scheme-relative one: not one of ours.
OTHER_SITE_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def make_markdown() -> MarkdownIt:
    """The markdown dialect of modules: CommonMark, tables, strikethrough, smart quotes."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    return md.enable(["table", "strikethrough", "replacements", "smartquotes"])


MD = make_markdown()


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    # An image from another site would tell it who reads a course about addiction.
    if tag == "img" and attribute == "src" and OTHER_SITE_RE.match(value):
        return None
    return value


def sanitize(rendered: str) -> str:
    """Keep only safe HTML: authors may use simple tags, never scripts, styles or handlers."""
    return nh3.clean(
        rendered, url_schemes=ALLOWED_URL_SCHEMES, attribute_filter=_local_images_only
    ).strip()


def blocks(tokens: list[Token], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split a token run into its top-level blocks, as (start, end) index pairs."""
    end = len(tokens) if end is None else end
    found, depth, first = [], 0, start
    for index in range(start, end):
        if depth == 0:
            first = index
        depth += tokens[index].nesting
        if depth == 0:
            found.append((first, index + 1))
    return found


def plain_text(inline: Token) -> str:
    """The visible text of an inline token, without markup."""
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    ).strip()


def text_of(rendered_html: str) -> str:
    """The text of HTML: tags dropped, entities decoded."""
    return html.unescape(TAG_RE.sub("", rendered_html))


def prose(rendered_html: str) -> str:
    """Readable sentences from HTML: each block becomes a sentence, as a reader would take it."""
    text = re.sub(r"\s+", " ", rendered_html)  # Source line breaks are not sentence ends.
    text = text_of(BLOCK_END_RE.sub("\n", text))
    lines = (" ".join(raw.split()) for raw in text.splitlines())
    sentences = [line if line[-1] in ".!?:;\"'”’)" else line + "." for line in lines if line]
    return " ".join(sentences)
