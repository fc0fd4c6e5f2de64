"""Turn one module file into a Module, or into a list of problems for its author.

The format is described for authors in content/README.md. Parsing never stops at the first
problem and never raises on bad input: every problem becomes a Problem(path, line, message).
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nh3
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import (
    Link, Module, Option, ParseResult, Problem, Prompt, Question, QuestionKind, Section,
)

MAX_BYTES = 1_000_000
DEFAULT_PASS_SCORE = 0.8
FRONT_MATTER_KEYS = (
    "title", "slug", "order", "minutes", "summary", "objectives", "pass_score", "draft",
    "always_open",
)
QUIZ_TITLE_RE = re.compile(r"^quiz\b", re.I)
SOURCES_TITLE_RE = re.compile(r"^(?:sources|references)\b", re.I)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 60  # Ids are stored in columns of 80 characters, with room for a suffix.
PIN_RE = re.compile(r"[ \t]*\{#([^}\n]*)\}[ \t]*$")
REFLECT_RE = re.compile(
    r"^(?:\*\*|__|\*|_)?reflect(?:ion)?(?::(?:\*\*|__|\*|_)?|(?:\*\*|__|\*|_)?:)[ \t]*", re.I
)
OPTION_RE = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")
# "Choose all that apply." as a sentence of its own, at the end of the text before the options.
INSTRUCTION_RE = re.compile(
    r"(?:^|(?<=[.?!:)])\s+)[*_]*\(?(?P<what>(?:choose|select|pick|tick|check) "
    r"(?:all that apply|one))[.!:]?\)?[*_]*\s*$",
    re.I,
)
MODULE_LINK_RE = re.compile(r"^(?:\./)?(?P<file>[^/?#:]+\.md)(?P<anchor>#\S*)?$")
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def make_markdown() -> MarkdownIt:
    """The markdown dialect of modules: CommonMark, tables, strikethrough, smart quotes."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    return md.enable(["table", "strikethrough", "replacements", "smartquotes"])


MD = make_markdown()


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    # An image from another site would tell it who reads a course about addiction.
    if tag == "img" and attribute == "src" and re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", value, re.I):
        return None
    return value


def sanitize(rendered: str) -> str:
    """Keep only safe HTML: authors may use simple tags, never scripts, styles or handlers."""
    return nh3.clean(
        rendered, url_schemes=ALLOWED_URL_SCHEMES, attribute_filter=_local_images_only
    ).strip()


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


def default_slug(file_name: str) -> str:
    """The slug a file gets when its front matter names none: `08-boundaries.md` -> `boundaries`."""
    stem = Path(file_name).stem
    return slugify(re.sub(r"^\d+[-_ ]*", "", stem) or stem)


def display_path(path: Path) -> str:
    """The path as an author would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class FrontMatter:
    """The front matter block of a file, split from its body."""

    data: dict = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    problems: list[tuple[int, str]] = field(default_factory=list)
    is_unreadable: bool = False


def read_front_matter(text: str) -> FrontMatter:
    """Split the YAML front matter from the body, keeping line numbers for every key."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(
            body=text, problems=[(1, "front matter must start on the first line with ---")]
        )
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return FrontMatter(
            body="",
            problems=[(1, "front matter has no closing ---; add a line with --- after the last key")],
        )
    result = FrontMatter(body="\n".join(lines[closing + 1 :]), body_line=closing + 2)
    source = "\n".join(lines[1:closing])
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = 2 + (mark.line if mark else 0)
        reason = error.problem or error.context or "it could not be read"
        result.problems.append(
            (line, f"front matter is not valid YAML: {reason}; "
                   "if a value contains a colon, put it in quotes")
        )
        result.is_unreadable = True
        return result
    except (Exception, RecursionError) as error:  # PyYAML raises more than YAMLError on odd input
        result.problems.append((2, f"front matter could not be read: {type(error).__name__}"))
        result.is_unreadable = True
        return result
    if data is None:
        return result
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        result.problems.append((2, 'front matter must be a list of "key: value" lines'))
        return result
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = 2 + key_node.start_mark.line
        if key in result.key_lines:
            result.problems.append(
                (line, f'key "{key}" appears twice (also on line {result.key_lines[key]})')
            )
        result.key_lines.setdefault(key, line)
    result.data = {str(key): value for key, value in data.items()}
    return result


def parse_file(
    path: Path, module_files: Mapping[str, str] | None = None, module_url: str = "/modules/{slug}"
) -> ParseResult:
    """Read and parse one module file; size and encoding problems are reported, not raised."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return ParseResult(shown, None, (Problem(shown, 1, f"file could not be read: {error}"),))
    if len(raw) > MAX_BYTES:
        return ParseResult(
            shown, None,
            (Problem(shown, 1, "file is larger than 1 MB; split it into smaller modules"),),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = (
            f"file is not UTF-8 text (bad byte at position {error.start}); save it as UTF-8"
        )
        return ParseResult(shown, None, (Problem(shown, line, message),))
    return parse_text(
        text, shown, file_name=path.name, module_files=module_files,
        version=hashlib.sha256(raw).hexdigest()[:12], module_url=module_url,
    )


def parse_text(
    text: str,
    path: str = "module.md",
    *,
    file_name: str | None = None,
    module_files: Mapping[str, str] | None = None,
    version: str | None = None,
    module_url: str = "/modules/{slug}",
) -> ParseResult:
    """Parse a module's text. `module_files` maps file names of the folder to their slugs.

    A file mapped to None is in the folder but members can't open it (a draft, or a module with
    errors): links to it show as their text alone, and the catalog tells the author why.
    """
    # Line breaks as markdown-it counts them, so line numbers agree; a BOM is not text.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    parser = _ModuleParser(
        text=text,
        path=path,
        file_name=file_name or Path(path).name,
        module_files=module_files or {},
        version=version or hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12],
        module_url=module_url,
    )
    return parser.parse()


def _blocks(tokens: list[Token], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split a token run into its top-level blocks, as (start, end) index pairs."""
    end = len(tokens) if end is None else end
    blocks, depth, first = [], 0, start
    for index in range(start, end):
        if depth == 0:
            first = index
        depth += tokens[index].nesting
        if depth == 0:
            blocks.append((first, index + 1))
    return blocks


def plain_text(inline: Token) -> str:
    """The visible text of an inline token, without markup."""
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    ).strip()


def _prose(rendered_html: str) -> str:
    """Readable sentences from HTML: each block becomes a sentence, as a reader would take it."""
    text = re.sub(r"\s+", " ", rendered_html)  # Source line breaks are not sentence ends.
    text = re.sub(r"<br\s*/?>|</(?:p|li|h\d|td|th|blockquote|dt|dd|summary)>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    sentences = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            sentences.append(line if line[-1] in ".!?:;\"'”’)" else line + ".")
    return " ".join(sentences)


class _ModuleParser:
    """One parse of one file; collects problems as it goes."""

    def __init__(self, *, text, path, file_name, module_files, version, module_url):
        self.text = text
        self.path = path
        self.file_name = file_name
        self.module_files = module_files
        self.version = version
        self.module_url = module_url
        self.problems: list[Problem] = []
        # Broken links are the author's to fix, but they don't keep the module from members.
        self.link_problems: list[Problem] = []
        self.ids: dict[str, int] = {}
        self.env: dict = {}
        self.body_line = 1
        self.links: set[Link] = set()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line_of(self, token: Token) -> int:
        return self.body_line + (token.map[0] if token.map else 0)

    def claim_id(self, ident: str, line: int) -> None:
        """Record an id; two things with one id in a module is an error."""
        if ident in self.ids:
            self.problem(
                line,
                f'duplicate id "{ident}" (also used on line {self.ids[ident]}); '
                "pin a different id with {#another-id}",
            )
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
            self.problem(
                line, f'id "{ident[:80]}" may use only lower-case letters, digits and dashes, '
                f"at most {MAX_ID_LENGTH} long",
            )
            return None
        return ident

    def set_content(self, inline: Token, content: str) -> None:
        """Replace an inline token's text, parsing it again with the document's references."""
        inline.content = content
        inline.children = MD.parseInline(content, self.env)[0].children if content else []
        self.rewrite_links(inline)

    def render(self, tokens: list[Token]) -> str:
        return sanitize(MD.renderer.render(tokens, MD.options, self.env))

    def render_inline(self, inline: Token) -> str:
        return sanitize(MD.renderer.renderInline(inline.children or [], MD.options, self.env))

    # The steps of a parse ------------------------------------------------------------------

    def parse(self) -> ParseResult:
        front = read_front_matter(self.text)
        for line, message in front.problems:
            self.problem(line, message)
        self.body_line = front.body_line
        meta = self.check_front_matter(front)

        tokens = MD.parse(front.body, self.env)
        for token in tokens:
            if token.type == "inline":
                self.rewrite_links(token)
        groups = self.group_sections(tokens)

        intro_html, sections, quiz, sources_html = "", [], None, None
        for heading, start, end in groups:
            if heading is None:
                intro_html = self.render_intro(tokens, start, end)
                continue
            title = plain_text(tokens[heading + 1])
            line = self.line_of(tokens[heading])
            if QUIZ_TITLE_RE.match(title):
                if quiz is not None:
                    self.problem(line, 'a module has one "## Quiz"; put every question under it')
                elif sources_html is not None:
                    self.problem(line, '"## Quiz" comes before "## Sources"')
                quiz = quiz or (heading, start, end)
            elif SOURCES_TITLE_RE.match(title):
                if sources_html is not None:
                    self.problem(line, 'a module has one "## Sources"; list every source under it')
                sources_html = self.render(tokens[start:end])
            else:
                if quiz is not None or sources_html is not None:
                    # The quiz ends the module; a step after it would show its answers' context.
                    self.problem(line, f'section "{title}" comes after the quiz; move it above "## Quiz"')
                sections.append(self.parse_section(tokens, heading, start, end))
        self.check_stray_prompts(tokens)

        if not sections:
            self.problem(self.body_line, 'module has no sections; start one with a "## " heading')
        quiz_intro_html, questions = "", []
        if quiz is None:
            self.problem(
                self.body_line, 'module has no quiz; add a "## Quiz" section with questions'
            )
        else:
            quiz_intro_html, questions = self.parse_quiz(tokens, *quiz)

        if self.problems:
            problems = tuple(sorted(set(self.problems + self.link_problems)))
            return ParseResult(self.path, None, problems, tuple(sorted(self.links)))
        prose = " ".join(
            [_prose(intro_html)]
            + [_prose(f"<p>{s.title}</p>") + " " + _prose(self.section_html(s)) for s in sections]
            + [_prose(quiz_intro_html)]
            + [
                _prose(q.stem_html + "".join(
                    f"<p>{o.html}</p>{o.feedback_html}" for o in q.options
                ) + q.explanation_html)
                for q in questions
            ]
        ).strip()
        module = Module(
            **meta,
            path=self.path,
            version=self.version,
            intro_html=intro_html,
            sections=tuple(sections),
            quiz_intro_html=quiz_intro_html,
            questions=tuple(questions),
            sources_html=sources_html or "",
            words=len(prose.split()),
            prose=prose,
        )
        return ParseResult(
            self.path, module, tuple(sorted(set(self.link_problems))), tuple(sorted(self.links))
        )

    @staticmethod
    def section_html(section: Section) -> str:
        return "".join(part if isinstance(part, str) else part.html for part in section.parts)

    def check_front_matter(self, front: FrontMatter) -> dict:
        """Validate the front matter keys and values; return Module fields."""
        data, lines = front.data, front.key_lines
        for key in data:
            if key not in FRONT_MATTER_KEYS:
                close = difflib.get_close_matches(key, FRONT_MATTER_KEYS, n=1)
                hint = f'; did you mean "{close[0]}"?' if close else (
                    f"; the keys are: {', '.join(FRONT_MATTER_KEYS)}"
                )
                self.problem(lines.get(key, 1), f'unknown front-matter key "{key}"{hint}')

        def line(key: str) -> int:
            return lines.get(key, 1)

        meta: dict = {}
        title = data.get("title")
        if title is None or (isinstance(title, str) and not title.strip()):
            if not front.is_unreadable:
                self.problem(line("title"), 'missing title; add "title: ..." to the front matter')
            meta["title"] = ""
        elif not isinstance(title, (str, int, float)) or isinstance(title, bool):
            self.problem(line("title"), '"title" must be text')
            meta["title"] = ""
        else:
            meta["title"] = str(title).strip()

        slug = data.get("slug", default_slug(self.file_name))
        if slug is None or slug == "":
            self.problem(line("slug"), "slug is empty; write one, or remove the line")
        elif not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > MAX_ID_LENGTH:
            self.problem(
                line("slug"),
                f'slug "{slug}" may use only lower-case letters, digits and dashes, '
                f'like "boundaries-and-consequences", at most {MAX_ID_LENGTH} long',
            )
        meta["slug"] = str(slug)

        number = re.match(r"^(\d+)", self.file_name)
        order = data.get("order", int(number.group(1)) if number else None)
        if order is None:
            self.problem(
                1, 'module has no order; start the file name with a number (like "13-...") '
                'or add "order: 13" to the front matter',
            )
        elif not isinstance(order, int) or isinstance(order, bool):
            self.problem(line("order"), '"order" must be a whole number, like 3')
        meta["order"] = order if isinstance(order, int) else 0

        minutes = data.get("minutes")
        if minutes is not None and (
            not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0
        ):
            self.problem(line("minutes"), '"minutes" must be a whole number, like 20')
            minutes = None
        meta["minutes"] = minutes

        summary = data.get("summary", "")
        if not isinstance(summary, str):
            self.problem(line("summary"), '"summary" must be text; put it in quotes')
            summary = ""
        meta["summary"] = summary.strip()

        objectives = data.get("objectives", [])
        if isinstance(objectives, str):
            objectives = [objectives]
        if not isinstance(objectives, list) or not all(
            isinstance(item, str) and item.strip() for item in objectives
        ):
            self.problem(
                line("objectives"), '"objectives" must be a list of lines that start with "- "'
            )
            objectives = []
        meta["objectives"] = tuple(item.strip() for item in objectives)

        meta["pass_score"] = self.check_pass_score(data.get("pass_score"), line("pass_score"))

        draft = data.get("draft", False)
        if not isinstance(draft, bool):
            self.problem(line("draft"), '"draft" must be true or false')
            draft = False
        meta["is_draft"] = draft

        always_open = data.get("always_open", False)
        if not isinstance(always_open, bool):
            self.problem(line("always_open"), '"always_open" must be true or false')
            always_open = False
        meta["is_always_open"] = always_open
        return meta

    def check_pass_score(self, value, line: int) -> float:
        if value is None:
            return DEFAULT_PASS_SCORE
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*%\s*", value):
            value = float(value.strip().rstrip("%"))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            self.problem(line, '"pass_score" must be a percentage from 0 to 100, like 80')
            return DEFAULT_PASS_SCORE
        if 0 < value <= 1:
            self.problem(line, f'"pass_score" is a percentage: write {value * 100:g}, not {value}')
            return DEFAULT_PASS_SCORE
        return round(value / 100, 4)

    def rewrite_links(self, inline: Token) -> None:
        """Point links to module files at their pages; a link members can't follow keeps only
        its text, and a link to a file that doesn't exist is reported."""
        line = self.line_of(inline)
        kept: list[Token] = []
        unlinking = False
        for child in inline.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            if child.type == "link_close" and unlinking:
                unlinking = False  # Links don't nest, so this closes the link being dropped.
                continue
            match = (
                MODULE_LINK_RE.match(str(child.attrGet("href") or ""))
                if child.type == "link_open" else None
            )
            if match is None:
                kept.append(child)
                continue
            slug = self.module_files.get(match["file"])
            if match["file"] not in self.module_files:
                self.link_problems.append(Problem(
                    self.path, line,
                    f'link to "{match["file"]}", which is not a module in this folder',
                ))
            if slug is None:
                unlinking = True
                continue
            anchor = (match["anchor"] or "").removeprefix("#")
            self.links.add(Link(match["file"], slug, anchor, line))
            child.attrSet("href", self.module_url.format(slug=slug) + (f"#{anchor}" if anchor else ""))
            kept.append(child)
        if inline.children is not None:
            inline.children = kept

    def group_sections(self, tokens: list[Token]) -> list[tuple[int | None, int, int]]:
        """Split the body at level-2 headings: (heading index or None, body start, body end)."""
        groups: list[tuple[int | None, int, int]] = []
        heading, start = None, 0
        for first, last in _blocks(tokens):
            if tokens[first].type == "heading_open" and tokens[first].tag == "h2":
                if heading is not None or first > start:
                    groups.append((heading, start, first))
                heading, start = first, last
        groups.append((heading, start, len(tokens)))
        return groups

    def render_intro(self, tokens: list[Token], start: int, end: int) -> str:
        blocks = _blocks(tokens, start, end)
        # A leading "# Title" repeats the front matter title for readers on GitHub; skip it.
        if blocks and tokens[blocks[0][0]].tag == "h1":
            start = blocks[0][1]
        return self.render(tokens[start:end])

    def heading_id(self, tokens: list[Token], heading: int, kind: str) -> tuple[str, str, int]:
        """Title, id and line of a heading; the id is pinned or derived from the title."""
        inline, line = tokens[heading + 1], self.line_of(tokens[heading])
        pinned = self.take_pin(inline, line)
        title = plain_text(inline)
        ident = pinned or slugify(title)
        if not title:
            self.problem(line, f"{kind} heading is empty; give it a few words")
        elif not ident:
            self.problem(line, f'{kind} "{title}" needs an id; pin one with {{#an-id}}')
        if ident:
            self.claim_id(ident, line)
        return title, ident, line

    def parse_section(self, tokens: list[Token], heading: int, start: int, end: int) -> Section:
        title, section_id, line = self.heading_id(tokens, heading, "section")
        parts: list[str | Prompt] = []
        run_start = start
        for first, last in _blocks(tokens, start, end):
            if not self.is_prompt(tokens, first):
                continue
            if first > run_start:
                parts.append(self.render(tokens[run_start:first]))
            count = sum(isinstance(part, Prompt) for part in parts)
            parts.append(self.parse_prompt(tokens, first, last, section_id, count))
            run_start = last
        if end > run_start:
            parts.append(self.render(tokens[run_start:end]))
        parts = [part for part in parts if part]
        if not parts:
            self.problem(line, f'section "{title}" is empty; write its text, or remove the heading')
        return Section(section_id, title, tuple(parts), line)

    def check_stray_prompts(self, tokens: list[Token]) -> None:
        """A "Reflect:" quote that is not directly in a section would show as a plain quote."""
        for index, token in enumerate(tokens):
            if token.type == "blockquote_open" and self.is_prompt(tokens, index):
                self.problem(
                    self.line_of(token),
                    "a reflection prompt must stand on its own in a section, not in the "
                    "introduction, the quiz, a list or another quote",
                )

    @staticmethod
    def is_prompt(tokens: list[Token], first: int) -> bool:
        return (
            tokens[first].type == "blockquote_open"
            and first + 2 < len(tokens)
            and tokens[first + 1].type == "paragraph_open"
            and bool(REFLECT_RE.match(tokens[first + 2].content))
        )

    def parse_prompt(
        self, tokens: list[Token], first: int, last: int, section_id: str, count: int
    ) -> Prompt:
        line = self.line_of(tokens[first])
        inline = tokens[first + 2]
        self.set_content(inline, REFLECT_RE.sub("", inline.content, count=1).lstrip())
        pinned = self.take_pin(inline, line)
        inner = tokens[first + 1 : last - 1]
        if not inline.content.strip():
            inner = inner[3:]  # The marker stood alone on its line: drop the empty paragraph.
        prompt_html = self.render(inner)
        text = _prose(prompt_html)
        if not text:
            self.problem(line, 'reflection prompt has no text; write the prompt after "Reflect:"')
        suffix = "" if count == 0 else f"-{count + 1}"
        ident = pinned or f"{section_id}-reflect{suffix}"
        self.claim_id(ident, line)
        return Prompt(ident, prompt_html, text, line)

    def parse_quiz(
        self, tokens: list[Token], heading: int, start: int, end: int
    ) -> tuple[str, list[Question]]:
        questions, intro_end = [], end
        starts = [
            first for first, _ in _blocks(tokens, start, end)
            if tokens[first].type == "heading_open" and tokens[first].tag == "h3"
        ]
        if starts:
            intro_end = starts[0]
        for index, first in enumerate(starts):
            stop = starts[index + 1] if index + 1 < len(starts) else end
            questions.append(self.parse_question(tokens, first, stop))
        if not questions:
            self.problem(
                self.line_of(tokens[heading]),
                'the quiz has no questions; start each one with a "### " heading',
            )
        return self.render(tokens[start:intro_end]), questions

    def parse_question(self, tokens: list[Token], heading: int, end: int) -> Question:
        title, question_id, line = self.heading_id(tokens, heading, "question")
        blocks = _blocks(tokens, heading + 3, end)
        name = question_id or title
        lists = [b for b in blocks if tokens[b[0]].type == "bullet_list_open"]
        option_lists = [b for b in lists if self.is_option_list(tokens, b)]
        # The options are the first task list; a plain list may come before, in the question.
        list_block = (option_lists or lists or [None])[0]
        if list_block is None:
            numbered = any(tokens[b[0]].type == "ordered_list_open" for b in blocks)
            hint = ' (options use "- ", not numbers)' if numbered else ""
            self.problem(
                line,
                f'question "{name}" has no options; add a list of "- [ ]" and "- [x]" items{hint}',
            )
            return Question(question_id, title, "single", "", (), "", line)
        for extra in option_lists[1:]:
            self.problem(
                self.line_of(tokens[extra[0]]),
                f'question "{name}" has options outside its list; start every option with the '
                'same "- " and indent each feedback line under its option',
            )

        kind: QuestionKind = "single"
        stem_tokens = tokens[heading + 3 : list_block[0]]
        before = [b for b in blocks if b[1] <= list_block[0]]
        if before and tokens[before[-1][0]].type == "paragraph_open":
            inline = tokens[before[-1][0] + 1]
            match = INSTRUCTION_RE.search(inline.content)
            if match:
                # The app states the instruction itself, next to the options.
                if "all" in match["what"].lower():
                    kind = "multiple"
                remaining = inline.content[: match.start()].rstrip()
                if remaining:
                    self.set_content(inline, remaining)
                else:
                    stem_tokens = tokens[heading + 3 : before[-1][0]]
        stem_html = self.render(stem_tokens)

        options = self.parse_options(tokens, *list_block, name)
        explanation_html = self.render(tokens[list_block[1] : end])

        texts = {re.sub(r"<[^>]+>", "", o.html).strip().lower() for o in options}
        if kind == "single" and len(options) == 2 and texts == {"true", "false"}:
            kind = "true_false"
        correct = sum(option.is_correct for option in options)
        if len(options) == 1:
            self.problem(line, f'question "{name}" needs at least two options')
        if options and correct == 0:
            self.problem(line, f'question "{name}" has no correct option; mark one with [x]')
        if kind != "multiple" and correct > 1:
            self.problem(
                line,
                f'question "{name}" is single choice but has {correct} correct options; '
                'mark only one with [x], or add "Choose all that apply." above the options',
            )
        return Question(
            question_id, title, kind, stem_html, tuple(options), explanation_html, line
        )

    @staticmethod
    def is_option_list(tokens: list[Token], block: tuple[int, int]) -> bool:
        """Whether a bullet list's first item starts with "[ ]" or "[x]"."""
        first = block[0] + 1
        return (
            first + 2 < block[1]
            and tokens[first + 1].type == "paragraph_open"
            and bool(OPTION_RE.match(tokens[first + 2].content))
        )

    def parse_options(self, tokens: list[Token], start: int, end: int, name: str) -> list[Option]:
        options: list[Option] = []
        seen: set[str] = set()
        for first, last in _blocks(tokens, start + 1, end - 1):
            line = self.line_of(tokens[first])
            inner = _blocks(tokens, first + 1, last - 1)
            if not inner or tokens[inner[0][0]].type != "paragraph_open":
                self.problem(line, f'question "{name}" has an empty option')
                continue
            inline = tokens[inner[0][0] + 1]
            marker = OPTION_RE.match(inline.content)
            if not marker:
                text = inline.content.splitlines()[0][:40] if inline.content else ""
                self.problem(line, f'option "{text}" needs "[ ]" or "[x]" at the start')
                continue
            self.set_content(inline, inline.content[marker.end() :])
            pinned = self.take_pin(inline, line)
            text = plain_text(inline)
            if not text:
                self.problem(line, f'question "{name}" has an empty option')
                continue
            ident = pinned or slugify(text, max_length=40) or "option"
            if ident in seen:
                if pinned:
                    self.problem(line, f'question "{name}" has two options with id "{ident}"')
                ident = next(f"{ident}-{n}" for n in range(2, len(seen) + 3) if f"{ident}-{n}" not in seen)
            seen.add(ident)
            feedback = inner[1:]
            if len(feedback) == 1 and tokens[feedback[0][0]].type == "blockquote_open":
                feedback_tokens = tokens[feedback[0][0] + 1 : feedback[0][1] - 1]
            else:
                feedback_tokens = tokens[feedback[0][0] : last - 1] if feedback else []
            for token in feedback_tokens:
                token.hidden = False  # Paragraphs of a tight list still read as paragraphs.
            options.append(Option(
                id=ident,
                html=self.render_inline(inline),
                feedback_html=self.render(feedback_tokens),
                is_correct=marker.group(1) in "xX",
                line=line,
            ))
        return options
