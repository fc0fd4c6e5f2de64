"""The body of a module split at its "## " headings, and the sections with their reflection
prompts."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .document import Document
from .markup import blocks, prose
from .model import Prompt, Section

REFLECT_RE = re.compile(
    r"^(?:\*\*|__|\*|_)?reflect(?:ion)?(?::(?:\*\*|__|\*|_)?|(?:\*\*|__|\*|_)?:)[ \t]*",
    re.IGNORECASE,
)


def group_sections(tokens: list[Token]) -> list[tuple[int | None, int, int]]:
    """Split the body at level-2 headings: (heading index or None, body start, body end)."""
    groups: list[tuple[int | None, int, int]] = []
    heading, start = None, 0
    for first, last in blocks(tokens):
        if tokens[first].type == "heading_open" and tokens[first].tag == "h2":
            if heading is not None or first > start:
                groups.append((heading, start, first))
            heading, start = first, last
    groups.append((heading, start, len(tokens)))
    return groups


def render_intro(doc: Document, tokens: list[Token], start: int, end: int) -> str:
    """HTML of the text before the first section."""
    found = blocks(tokens, start, end)
    # A leading "# Title" repeats the front matter title for readers on GitHub; skip it.
    if found and tokens[found[0][0]].tag == "h1":
        start = found[0][1]
    return doc.render(tokens[start:end])


def parse_section(
    doc: Document, tokens: list[Token], heading: int, start: int, end: int
) -> Section:
    """A section: its text, with each reflection prompt in its place."""
    title, section_id, line = doc.heading_id(tokens, heading, "section")
    parts: list[str | Prompt] = []
    run_start = start
    for first, last in blocks(tokens, start, end):
        if not is_prompt(tokens, first):
            continue
        if first > run_start:
            parts.append(doc.render(tokens[run_start:first]))
        count = sum(isinstance(part, Prompt) for part in parts)
        parts.append(_parse_prompt(doc, tokens, first, last, section_id, count))
        run_start = last
    if end > run_start:
        parts.append(doc.render(tokens[run_start:end]))
    parts = [part for part in parts if part]
    if not parts:
        doc.problem(line, f'section "{title}" is empty; write its text, or remove the heading')
    return Section(section_id, title, tuple(parts), line)


def section_html(section: Section) -> str:
    """The whole HTML of a section, prompts included."""
    return "".join(part if isinstance(part, str) else part.html for part in section.parts)


def is_prompt(tokens: list[Token], first: int) -> bool:
    """Whether the block at `first` is a quote that starts with "Reflect:"."""
    return (
        tokens[first].type == "blockquote_open"
        and first + 2 < len(tokens)
        and tokens[first + 1].type == "paragraph_open"
        and bool(REFLECT_RE.match(tokens[first + 2].content))
    )


def check_stray_prompts(doc: Document, tokens: list[Token]) -> None:
    """A "Reflect:" quote that is not directly in a section would show as a plain quote."""
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open" and is_prompt(tokens, index):
            doc.problem(
                doc.line_of(token),
                "a reflection prompt must stand on its own in a section, not in the "
                "introduction, the quiz, a list or another quote",
            )


def _parse_prompt(
    doc: Document, tokens: list[Token], first: int, last: int, section_id: str, count: int
) -> Prompt:
    line = doc.line_of(tokens[first])
    inline = tokens[first + 2]
    doc.set_content(inline, REFLECT_RE.sub("", inline.content, count=1).lstrip())
    pinned = doc.take_pin(inline, line)
    inner = tokens[first + 1 : last - 1]
    if not inline.content.strip():
        inner = inner[3:]  # The marker stood alone on its line: drop the empty paragraph.
    prompt_html = doc.render(inner)
    text = prose(prompt_html)
    if not text:
        doc.problem(line, 'reflection prompt has no text; write the prompt after "Reflect:"')
    suffix = "" if count == 0 else f"-{count + 1}"
    ident = pinned or f"{section_id}-reflect{suffix}"
    doc.claim_id(ident, line)
    return Prompt(ident, prompt_html, text, line)
