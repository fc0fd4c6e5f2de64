"""Checks of what a valid module says, beyond its format: the rules of "How to write for
families" (content/README.md) that a program can see. Each check returns Problems with file:line.

The phrase lists below are what the checks look for, case-insensitively and as whole words.
In a phrase, `*` ends a word any way ("opioid*" is also "opioids") and `…` stands for up to four
words ("ask … to leave" is also "ask your son to leave").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .model import Module, Problem
from .parser import MD, SOURCES_TITLE_RE, read_front_matter

# 1. Size: a section is one or two phone screens.
MAX_SECTION_WORDS = 300

# 2. Safety: nobody who may have used opioids is left alone without a safety step. Any drug use
# counts ("high", "using"): pills and powders bought on the street may hold fentanyl.
LEAVING = (
    "leave", "leaving", "left alone", "left on their own", "left by themselves", "step away",
    "stepping away", "step back", "stepping back", "walk away", "walk out", "go out",
    "going out", "for the night", "stay out", "sleep it off", "sleeping it off", "ask … to leave",
    "ask … to move out", "go to bed", "lock … out",
)
OPIOID_USE = (
    "opioid*", "fentanyl", "heroin", "oxycodone", "painkiller*", "pill*", "high", "using",
    "used", "nodding off", "overdose*",
)
SAFETY_STEP = (
    "naloxone", "narcan", "911", "never leave", "don't leave", "do not leave", "check on",
    "check in on", "checking on", "checks on", "look in on", "looking in on", "not … alone",
    "never … alone", "someone with them",
    "someone with him", "someone with her", "someone stays", "stay with", "stays with",
    "breathing", "recovery position",
)

# 3. Honesty: CRAFT's figure always says how CRAFT was delivered, and how self-help compared.
CRAFT_FIGURE = (
    "two in three", "2 in 3", "two out of three", "2 out of 3", "two thirds", "two-thirds",
    "64%", "64 percent", "67%", "67 percent", "74%", "74 percent",
)
DELIVERED_BY = ("therapist*", "therapist-led", "counselor*", "clinician*", "sessions")
SELF_HELP_DID_LESS = (
    "self-directed", "self-guided", "on their own", "on your own", "by themselves",
    "from a book", "less well",
)


def _phrases(phrases: tuple[str, ...]) -> re.Pattern:
    """One pattern for a list of phrases written as above."""
    def one(phrase: str) -> str:
        words = []
        for word in phrase.split():
            if word == "…":
                words.append(r"(?:[\w'’-]+\s+){0,4}?")  # Words only: a comma ends the phrase.
                continue
            pattern = re.escape(word.rstrip("*")).replace("'", "['’]")  # "don’t" is "don't".
            words.append(pattern + (r"[\w'’-]*" if word.endswith("*") else "") + r"\s+")
        return r"(?<![\w-])" + "".join(words)[: -len(r"\s+")] + r"(?![\w-])"
    return re.compile("|".join(one(phrase) for phrase in phrases), re.IGNORECASE)


LEAVING_RE, OPIOID_USE_RE, SAFETY_STEP_RE = map(_phrases, (LEAVING, OPIOID_USE, SAFETY_STEP))
CRAFT_FIGURE_RE, DELIVERED_BY_RE, SELF_HELP_RE = map(
    _phrases, (CRAFT_FIGURE, DELIVERED_BY, SELF_HELP_DID_LESS)
)


BLOCK_END_RE = re.compile(r"<br\s*/?>|</?(?:p|li|h\d|td|th|blockquote|dt|dd|summary)\b[^>]*>")


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or table cell as members read it, with the line it starts on."""

    line: int
    text: str  # Line breaks of the source are kept, so a match can be found on its line.

    def line_at(self, index: int) -> int:
        return self.line + self.text.count("\n", 0, index)


def blocks(text: str) -> list[Block]:
    """The paragraphs of a module file's body in reading order, headings and sources left out."""
    front = read_front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    tokens = MD.parse(front.body, {})
    found, in_sources = [], False
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.map:
            continue
        opening = tokens[index - 1]
        if opening.type == "heading_open":
            if opening.tag == "h2":
                in_sources = bool(SOURCES_TITLE_RE.match(token.content))
            continue
        if in_sources:
            continue
        parts = []
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
        found.append(Block(front.body_line + token.map[0], "".join(parts)))
    return found


def nearby(found: list[Block], index: int) -> str:
    """A block's text and the next one's; a block that ends with a colon brings the next too,
    as the list it opens continues its sentence."""
    texts = [found[index].text]
    for block in found[index + 1 :]:
        texts.append(block.text)
        if not block.text.rstrip().endswith(":"):
            break
    return "\n".join(texts)


def section_words(module: Module) -> Iterator[Problem]:
    """Each section holds at most MAX_SECTION_WORDS words, its heading and prompts left out."""
    for section in module.sections:
        shown = " ".join(part for part in section.parts if isinstance(part, str))
        shown = BLOCK_END_RE.sub("\n", shown)  # "</p><p>" parts words; "</em>" doesn't.
        text = html.unescape(re.sub(r"<[^>]+>", "", shown))
        words = [word for word in text.split() if re.search(r"\w", word)]  # Not "-" or "•".
        if len(words) > MAX_SECTION_WORDS:
            yield Problem(
                module.path, section.line,
                f'section "{section.title}" has {len(words)} words; keep a section to '
                f"{MAX_SECTION_WORDS} or fewer (reflection prompts don't count): cut it, or split "
                'it in two with a new "## " heading',
            )


def leaving_alone(module: Module, found: list[Block]) -> Iterator[Problem]:
    """Leaving, or asking to leave, someone who may have used names a safety step nearby."""
    for index, block in enumerate(found):
        leaving = LEAVING_RE.search(block.text)
        if not leaving or not OPIOID_USE_RE.search(block.text):
            continue
        if not SAFETY_STEP_RE.search(nearby(found, index)):
            yield Problem(
                module.path, block.line_at(leaving.start()),
                f'"{leaving.group(0)}" near drug use with no safety step: in the same paragraph '
                "or the next, say what keeps the person safe if they may have used opioids "
                "(have naloxone, check on them, call 911, never leave them alone)",
            )


def craft_figure(module: Module, found: list[Block]) -> Iterator[Problem]:
    """CRAFT's figure names, in its paragraph or the next, who taught it and how self-help did."""
    for index, block in enumerate(found):
        around = nearby(found, index)
        missing = [
            what for what, pattern in (
                ('how CRAFT was delivered (like "a therapist over about twelve sessions")',
                 DELIVERED_BY_RE),
                ('how families on their own did (like "self-directed versions did less well")',
                 SELF_HELP_RE),
            ) if not pattern.search(around)
        ]
        for figure in CRAFT_FIGURE_RE.finditer(block.text) if missing else ():
            yield Problem(
                module.path, block.line_at(figure.start()),
                f'"{figure.group(0)}" without its qualifier: in the same paragraph or the next, '
                f"say {' and '.join(missing)}",
            )


def check_module(module: Module, text: str) -> list[Problem]:
    """Every check, on a module parsed without errors from this text."""
    found = blocks(text)
    return [
        *section_words(module), *leaving_alone(module, found), *craft_figure(module, found)
    ]
