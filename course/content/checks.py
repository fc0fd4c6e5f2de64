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

from .languages import LANGUAGES, SOURCE
from .model import N_, Message, Module, Problem
from .parser import MD, read_front_matter

# 1. Size: a section is one or two phone screens.
MAX_SECTION_WORDS = 300
MAX_SECTION_WORDS_BY_LANG = {
    "en": MAX_SECTION_WORDS,
    # Spanish runs longer than English (about 10 to 15% more words for the same text), so the
    # same phone screens hold more of its words.
    "es": 340,
}

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

# The same checks in Spanish (content/modules/es/). A Spanish file is checked with these lists
# only, so that an English word inside a Spanish one ("pill" in "pillar") never fires.
LEAVING_ES = (
    "salir", "salga", "irse", "váyase", "se vaya", "irme", "me voy",
    "alejarse", "alejarme", "aléjese", "apartarse", "apártese", "retirarse", "retírese",
    "dar un paso atrás", "dé un paso atrás", "dejarlo solo", "dejarla sola", "dejarle solo",
    "quedarse solo", "quedarse sola", "se quede solo", "se quede sola",
    "por esta noche", "que se le pase", "dormir la mona", "duerma la mona",
    "pedir* … que se vaya", "pída* … que se vaya", "pedir* … que se mude", "pída* … que se mude",
    "irse a dormir", "váyase a dormir", "acostarse", "dejar* … afuera", "dejar* … fuera",
    "cerrar* … con llave",
)
OPIOID_USE_ES = (
    "opioide*", "opiáceo*", "fentanilo", "heroína", "oxicodona", "analgésico*", "pastilla*",
    "píldora*", "drogad*", "colocad*", "consumiendo", "consumió", "ha consumido",
    "haya consumido", "cabecea*", "sobredosis",
)
SAFETY_STEP_ES = (
    "naloxona", "narcan", "911", "nunca deje", "no deje", "nunca lo deje", "nunca la deje",
    "no lo deje", "no la deje", "revise cómo está", "revisar cómo está", "vaya a ver",
    "ir a ver", "pase a ver", "ver cómo está", "vigile", "vigilar", "no … solo", "no … sola",
    "nunca … solo", "nunca … sola", "alguien con él", "alguien con ella", "alguien se quede",
    "quédese con", "quedarse con", "se quede con", "respira*", "respiración",
    "posición de recuperación", "posición lateral de seguridad", "pasos de seguridad",
)
CRAFT_FIGURE_ES = (
    "dos de cada tres", "2 de cada 3", "dos tercios", "64%", "64 %", "64 por ciento", "67%",
    "67 %", "67 por ciento", "74%", "74 %", "74 por ciento",
)
DELIVERED_BY_ES = (
    "terapeuta*", "consejer*", "clínic*", "sesiones", "guiado por", "guiada por", "guiados por",
)
SELF_HELP_DID_LESS_ES = (
    "por su cuenta", "por sí mism*", "autoguiad*", "autodirigid*", "de un libro", "con un libro",
    "menos bien", "no tan bien", "peores resultados", "resultados más bajos",
)


@dataclass(frozen=True)
class Phrases:
    """What the safety and honesty checks look for in one language."""

    leaving: re.Pattern
    opioid_use: re.Pattern
    safety_step: re.Pattern
    craft_figure: re.Pattern
    delivered_by: re.Pattern
    self_help: re.Pattern


PHRASES = {
    "en": Phrases(
        LEAVING_RE, OPIOID_USE_RE, SAFETY_STEP_RE, CRAFT_FIGURE_RE, DELIVERED_BY_RE, SELF_HELP_RE
    ),
    "es": Phrases(*map(_phrases, (
        LEAVING_ES, OPIOID_USE_ES, SAFETY_STEP_ES, CRAFT_FIGURE_ES, DELIVERED_BY_ES,
        SELF_HELP_DID_LESS_ES,
    ))),
}


BLOCK_END_RE = re.compile(r"<br\s*/?>|</?(?:p|li|h\d|td|th|blockquote|dt|dd|summary)\b[^>]*>")


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or table cell as members read it, with the line it starts on."""

    line: int
    text: str  # Line breaks of the source are kept, so a match can be found on its line.

    def line_at(self, index: int) -> int:
        return self.line + self.text.count("\n", 0, index)


def blocks(text: str, lang: str = SOURCE) -> list[Block]:
    """The paragraphs of a module file's body in reading order, headings and sources left out."""
    sources_re = LANGUAGES[lang].sources_re
    front = read_front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    tokens = MD.parse(front.body, {})
    found, in_sources = [], False
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.map:
            continue
        opening = tokens[index - 1]
        if opening.type == "heading_open":
            if opening.tag == "h2":
                in_sources = bool(sources_re.match(token.content))
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
    """Each section holds at most MAX_SECTION_WORDS words (in English; MAX_SECTION_WORDS_BY_LANG
    for its language), its heading and prompts left out."""
    limit = MAX_SECTION_WORDS_BY_LANG.get(module.lang, MAX_SECTION_WORDS)
    for section in module.sections:
        shown = " ".join(part for part in section.parts if isinstance(part, str))
        shown = BLOCK_END_RE.sub("\n", shown)  # "</p><p>" parts words; "</em>" doesn't.
        text = html.unescape(re.sub(r"<[^>]+>", "", shown))
        words = [word for word in text.split() if re.search(r"\w", word)]  # Not "-" or "•".
        if len(words) > limit:
            yield Problem(module.path, section.line, N_(
                'section "%(title)s" has %(count)s words; keep a section to '
                "%(limit)s or fewer (reflection prompts don't count): cut it, or split "
                'it in two with a new "## " heading',
                title=section.title, count=len(words), limit=limit,
            ))


def leaving_alone(module: Module, found: list[Block]) -> Iterator[Problem]:
    """Leaving, or asking to leave, someone who may have used names a safety step nearby."""
    phrases = PHRASES.get(module.lang, PHRASES[SOURCE])
    for index, block in enumerate(found):
        leaving = phrases.leaving.search(block.text)
        if not leaving or not phrases.opioid_use.search(block.text):
            continue
        if not phrases.safety_step.search(nearby(found, index)):
            yield Problem(module.path, block.line_at(leaving.start()), N_(
                '"%(phrase)s" near drug use with no safety step: in the same paragraph '
                "or the next, say what keeps the person safe if they may have used opioids "
                "(have naloxone, check on them, call 911, never leave them alone)",
                phrase=leaving.group(0),
            ))


def craft_figure(module: Module, found: list[Block]) -> Iterator[Problem]:
    """CRAFT's figure names, in its paragraph or the next, who taught it and how self-help did."""
    phrases = PHRASES.get(module.lang, PHRASES[SOURCE])
    for index, block in enumerate(found):
        around = nearby(found, index)
        says_who = bool(phrases.delivered_by.search(around))
        says_self_help = bool(phrases.self_help.search(around))
        if says_who and says_self_help:
            continue
        for figure in phrases.craft_figure.finditer(block.text):
            yield Problem(
                module.path, block.line_at(figure.start()),
                _without_qualifier(figure.group(0), says_who, says_self_help),
            )


def _without_qualifier(figure: str, says_who: bool, says_self_help: bool) -> Message:
    """What to add near CRAFT's figure: how it was delivered, how self-help did, or both."""
    if says_self_help:
        return N_(
            '"%(figure)s" without its qualifier: in the same paragraph or the next, say how '
            'CRAFT was delivered (like "a therapist over about twelve sessions")',
            figure=figure,
        )
    if says_who:
        return N_(
            '"%(figure)s" without its qualifier: in the same paragraph or the next, say how '
            'families on their own did (like "self-directed versions did less well")',
            figure=figure,
        )
    return N_(
        '"%(figure)s" without its qualifier: in the same paragraph or the next, say how CRAFT '
        'was delivered (like "a therapist over about twelve sessions") and how families on '
        'their own did (like "self-directed versions did less well")',
        figure=figure,
    )


def check_module(module: Module, text: str) -> list[Problem]:
    """Every check, on a module parsed without errors from this text."""
    found = blocks(text, module.lang)
    return [
        *section_words(module), *leaving_alone(module, found), *craft_figure(module, found)
    ]
