"""Turn one module file into a Module, or into a list of problems for its author.

The format is described for authors in content/README.md. Parsing never stops at the first
problem and never raises on bad input: every problem becomes a Problem(path, line, message).
Each part of a file has its reader (front_matter, sections, quiz); this module puts them together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from .document import Document
from .front_matter import check_front_matter, read_front_matter
from .languages import ENGLISH, LANGUAGES, SOURCE
from .markup import MD, plain_text, prose
from .model import N_, Module, ParseResult, Problem, Question, Section
from .quiz import parse_quiz
from .sections import (
    check_stray_plan_markers,
    check_stray_prompts,
    group_sections,
    parse_section,
    render_intro,
    section_html,
)

MAX_BYTES = 1_000_000
# English headings; each language has its own (languages.py).
QUIZ_TITLE_RE = ENGLISH.quiz_re
SOURCES_TITLE_RE = ENGLISH.sources_re


def display_path(path: Path) -> str:
    """The path as an author would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_file(
    path: Path,
    module_files: Mapping[str, str | None] | None = None,
    module_url: str = "/modules/{slug}",
    *,
    lang: str = SOURCE,
) -> ParseResult:
    """Read and parse one module file; size and encoding problems are reported, not raised.
    A file in another language than English is a translation (see parse_text)."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return ParseResult(shown, None, (Problem(
            shown, 1, N_("file could not be read: %(error)s", error=error)
        ),))
    if len(raw) > MAX_BYTES:
        return ParseResult(
            shown, None,
            (Problem(shown, 1, N_("file is larger than 1 MB; split it into smaller modules")),),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = N_(
            "file is not UTF-8 text (bad byte at position %(position)s); save it as UTF-8",
            position=error.start,
        )
        return ParseResult(shown, None, (Problem(shown, line, message),))
    return parse_text(
        text, shown, file_name=path.name, module_files=module_files,
        version=hashlib.sha256(raw).hexdigest()[:12], module_url=module_url, lang=lang,
    )


def parse_text(
    text: str,
    path: str = "module.md",
    *,
    file_name: str | None = None,
    module_files: Mapping[str, str | None] | None = None,
    version: str | None = None,
    module_url: str = "/modules/{slug}",
    lang: str = SOURCE,
) -> ParseResult:
    """Parse a module's text. `module_files` maps file names of the folder to their slugs.

    A file mapped to None is in the folder but members can't open it (a draft, or a module with
    errors): links to it show as their text alone, and the catalog tells the author why.

    A `lang` other than English reads the file with that language's keywords as a translation:
    its slug and order are the file name's until the catalog gives it its English module's.
    """
    # Line breaks as markdown-it counts them, so line numbers agree; a BOM is not text.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    version = version or hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]
    front = read_front_matter(text)
    doc = Document(
        path=path, body_line=front.body_line, module_files=module_files or {},
        module_url=module_url, lang=LANGUAGES[lang],
    )
    meta, meta_problems = check_front_matter(
        front, file_name or Path(path).name, translation=lang != SOURCE
    )
    for line, message in front.problems + meta_problems:
        doc.problem(line, message)

    tokens = MD.parse(front.body, doc.env)
    for token in tokens:
        if token.type == "inline":
            doc.rewrite_links(token)
    body = _read_body(doc, tokens)

    links = tuple(sorted(doc.links))
    if doc.problems:
        return ParseResult(path, None, tuple(sorted(set(doc.problems + doc.link_problems))), links)
    module = _module({**meta, "lang": lang}, body, path, version)
    return ParseResult(path, module, tuple(sorted(set(doc.link_problems))), links)


@dataclass
class _Body:
    """The parts of a module's body, as they are read."""

    intro_html: str = ""
    sections: list[Section] = field(default_factory=list)
    quiz: tuple[int, int, int] | None = None  # The quiz heading's index, its body's start, end.
    quiz_intro_html: str = ""
    questions: list[Question] = field(default_factory=list)
    sources_html: str | None = None


def _read_body(doc: Document, tokens: list[Token]) -> _Body:
    """The introduction, the sections, the quiz and the sources, in the order a module has them."""
    body = _Body()
    for heading, start, end in group_sections(tokens):
        if heading is None:
            body.intro_html = render_intro(doc, tokens, start, end)
        else:
            _read_part(doc, body, tokens, heading, start, end)
    check_stray_prompts(doc, tokens)
    check_stray_plan_markers(doc, tokens)
    if not body.sections:
        doc.problem(doc.body_line, N_('module has no sections; start one with a "## " heading'))
    if body.quiz is None:
        doc.problem(doc.body_line, N_(
            'module has no quiz; add a "## %(quiz)s" section with questions', quiz=doc.lang.quiz
        ))
    else:
        body.quiz_intro_html, body.questions = parse_quiz(doc, tokens, *body.quiz)
    return body


def _read_part(
    doc: Document, body: _Body, tokens: list[Token], heading: int, start: int, end: int
) -> None:
    """A part that starts with a "## " heading: the quiz, the sources, or a section."""
    title = plain_text(tokens[heading + 1])
    line = doc.line_of(tokens[heading])
    lang = doc.lang
    quiz, sources = lang.quiz, lang.sources
    if lang.quiz_re.match(title):
        if body.quiz is not None:
            doc.problem(line, N_(
                'a module has one "## %(quiz)s"; put every question under it', quiz=quiz
            ))
        elif body.sources_html is not None:
            doc.problem(line, N_(
                '"## %(quiz)s" comes before "## %(sources)s"', quiz=quiz, sources=sources
            ))
        body.quiz = body.quiz or (heading, start, end)
    elif lang.sources_re.match(title):
        if body.sources_html is not None:
            doc.problem(line, N_(
                'a module has one "## %(sources)s"; list every source under it', sources=sources
            ))
        body.sources_html = doc.render(tokens[start:end])
    else:
        if lang is not ENGLISH and (QUIZ_TITLE_RE.match(title) or SOURCES_TITLE_RE.match(title)):
            english = "Quiz" if QUIZ_TITLE_RE.match(title) else "Sources"
            keyword = quiz if english == "Quiz" else sources
            doc.problem(line, N_(
                '"## %(english)s" is written "## %(keyword)s" in a %(language)s file',
                english=english, keyword=keyword, language=lang.name,
            ))
        elif body.quiz is not None or body.sources_html is not None:
            # The quiz ends the module; a step after it would show its answers' context.
            doc.problem(line, N_(
                'section "%(title)s" comes after the quiz; move it above "## %(quiz)s"',
                title=title, quiz=quiz,
            ))
        body.sections.append(parse_section(doc, tokens, heading, start, end))



def _module(meta: dict, body: _Body, path: str, version: str) -> Module:
    """The module, once its text has no problems."""
    text = _prose_of(body)
    return Module(
        **meta,
        path=path,
        version=version,
        intro_html=body.intro_html,
        sections=tuple(body.sections),
        quiz_intro_html=body.quiz_intro_html,
        questions=tuple(body.questions),
        sources_html=body.sources_html or "",
        words=len(text.split()),
        prose=text,
    )


def _prose_of(body: _Body) -> str:
    """What a member reads, as sentences: headings, text, prompts and quiz; not the sources."""
    return " ".join(
        [prose(body.intro_html)]
        + [prose(f"<p>{s.title}</p>") + " " + prose(section_html(s)) for s in body.sections]
        + [prose(body.quiz_intro_html)]
        + [
            prose(q.stem_html + "".join(
                f"<p>{o.html}</p>{o.feedback_html}" for o in q.options
            ) + q.explanation_html)
            for q in body.questions
        ]
    ).strip()
