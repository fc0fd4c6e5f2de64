"""The body of a module split at its "## " headings, and the sections with their reflection
prompts."""

from __future__ import annotations

import difflib
import re

from markdown_it.token import Token

from .document import Document
from .languages import ENGLISH
from .markup import blocks, prose
from .model import N_, Prompt, Section

# "Reflect:", or "Reflect (My plan: Staying safe):" for a prompt that is part of the plan; each
# language has its own words (languages.py). "(My plan: ...)" anywhere but in a prompt's
# "Reflect (...):" does nothing; say so.
REFLECT_RE = ENGLISH.reflect_re
PLAN_NOTE_RE = ENGLISH.plan_note_re
STRAY_PLAN_RE = ENGLISH.stray_plan_re
PLAN_EXAMPLE = ENGLISH.plan_example


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
        if not is_prompt(tokens, first, doc.lang.reflect_re):
            _check_mistaken_prompt(doc, tokens, first)
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
        doc.problem(line, N_(
            'section "%(title)s" is empty; write its text, or remove the heading', title=title
        ))
    return Section(section_id, title, tuple(parts), line)


def section_html(section: Section) -> str:
    """The whole HTML of a section, prompts included."""
    return "".join(part if isinstance(part, str) else part.html for part in section.parts)


def is_prompt(
    tokens: list[Token], first: int, reflect_re: re.Pattern = REFLECT_RE
) -> bool:
    """Whether the block at `first` is a quote that starts with "Reflect:" (in the language of
    `reflect_re`)."""
    return (
        tokens[first].type == "blockquote_open"
        and first + 2 < len(tokens)
        and tokens[first + 1].type == "paragraph_open"
        and bool(reflect_re.match(tokens[first + 2].content))
    )


def _check_mistaken_prompt(doc: Document, tokens: list[Token], first: int) -> None:
    """A quote that starts like a prompt in the wrong words ("Reflect:" in a Spanish file) would
    show as a plain quote with no box to write in."""
    lang = doc.lang
    mistaken = lang.mistaken_reflect_re
    if mistaken and is_prompt(tokens, first, mistaken):
        doc.problem(doc.line_of(tokens[first]), N_(
            'a reflection prompt in %(language)s starts with "%(reflect)s:", or with '
            "%(example)s for a part of %(my_plan)s",
            language=lang.name, reflect=lang.reflect, example=lang.plan_example,
            my_plan=lang.my_plan,
        ))


def check_stray_prompts(doc: Document, tokens: list[Token]) -> None:
    """A "Reflect:" quote that is not directly in a section would show as a plain quote."""
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open" and is_prompt(tokens, index, doc.lang.reflect_re):
            doc.problem(doc.line_of(token), N_(
                "a reflection prompt must stand on its own in a section, not in the "
                "introduction, the quiz, a list or another quote"
            ))


def check_stray_plan_markers(doc: Document, tokens: list[Token]) -> None:
    """A "(My plan: ...)" marker outside a prompt's "Reflect (...):" would make nothing part of
    the plan. Run after the prompts are read, which takes their markers out of the text."""
    lang = doc.lang
    for token in tokens:
        if token.type != "inline" or lang.reflect_re.match(token.content):
            continue  # A "Reflect:" quote out of place is reported by check_stray_prompts.
        stray = lang.stray_plan_re.search(token.content)
        if stray:
            doc.problem(doc.line_of(token) + token.content.count("\n", 0, stray.start()), N_(
                '"%(my_plan)s" marks a reflection prompt, in the brackets after '
                '"%(reflect)s": write %(example)s',
                my_plan=lang.my_plan, reflect=lang.reflect, example=lang.plan_example,
            ))


def _plan_part(doc: Document, note: str | None, line: int) -> str | None:
    """The part of the plan a prompt's "Reflect (My plan: ...):" names, or None."""
    if note is None:
        return None
    lang = doc.lang
    found = lang.plan_note_re.match(note)
    if found is None:
        doc.problem(line, N_(
            '"%(reflect)s (%(note)s)": to make this prompt part of %(my_plan)s, write '
            '%(example)s; otherwise write "%(reflect)s:" alone',
            reflect=lang.reflect, note=note.strip()[:40], my_plan=lang.my_plan,
            example=lang.plan_example,
        ))
        return None
    part = " ".join(found["part"].split())
    if lang.plan_part(part):
        return lang.plan_part(part)
    by_name = {name.casefold(): name for name in lang.plan_parts}
    names = ", ".join(f'"{name}"' for name in lang.plan_parts)
    if not part:
        doc.problem(line, N_(
            'say which part of the plan after "%(my_plan)s:"; the parts are %(names)s',
            my_plan=lang.my_plan, names=names,
        ))
        return None
    close = difflib.get_close_matches(part.casefold(), list(by_name), n=1, cutoff=0.4)
    if close:
        doc.problem(line, N_(
            'unknown part of the plan "%(part)s"; did you mean "%(close)s"? The parts are '
            "%(names)s",
            part=part[:40], close=by_name[close[0]], names=names,
        ))
    else:
        doc.problem(line, N_(
            'unknown part of the plan "%(part)s"; the parts are %(names)s',
            part=part[:40], names=names,
        ))
    return None


def _parse_prompt(
    doc: Document, tokens: list[Token], first: int, last: int, section_id: str, count: int
) -> Prompt:
    line = doc.line_of(tokens[first])
    inline = tokens[first + 2]
    reflect_re = doc.lang.reflect_re
    marker = reflect_re.match(inline.content)
    plan = _plan_part(doc, marker["note"] if marker else None, line)
    doc.set_content(inline, reflect_re.sub("", inline.content, count=1).lstrip())
    pinned = doc.take_pin(inline, line)
    inner = tokens[first + 1 : last - 1]
    if not inline.content.strip():
        inner = inner[3:]  # The marker stood alone on its line: drop the empty paragraph.
    prompt_html = doc.render(inner)
    text = prose(prompt_html)
    if not text:
        doc.problem(line, N_(
            'reflection prompt has no text; write the prompt after "%(reflect)s:"',
            reflect=doc.lang.reflect,
        ))
    suffix = "" if count == 0 else f"-{count + 1}"
    ident = pinned or f"{section_id}-reflect{suffix}"
    doc.claim_id(ident, line)
    return Prompt(ident, prompt_html, text, line, plan)
