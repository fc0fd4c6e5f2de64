"""The keywords of the module format in each language a module may be written in.

English is the source: content/modules/*.md. A translation sits in content/modules/<code>/ under
its English file's name and uses its language's keywords ("## Cuestionario", "Para
reflexionar:"...), each listed here exactly as authors write them (content/README.md,
"Translations"). Readability scores for each language are measured here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import N_, PLAN_PARTS

SOURCE = "en"  # The language every module is first written in; translations follow it.

_EMPHASIS = r"(?:\*\*|__|\*|_)"


def _reflect_re(word: str) -> re.Pattern:
    """"Reflect:" or "Reflect (My plan: ...):" with `word` for "Reflect", any emphasis."""
    return re.compile(
        rf"^{_EMPHASIS}?{word}(?:[ \t]*\((?P<note>[^()\n]*)\))?"
        rf"(?::{_EMPHASIS}?|{_EMPHASIS}?:)[ \t]*",
        re.IGNORECASE,
    )


def _instruction_re(verbs: str, what: str) -> re.Pattern:
    """"Choose all that apply." as a sentence of its own, at the end of the text before the
    options."""
    return re.compile(
        r"(?:^|(?<=[.?!:)])\s+)[*_]*\(?(?P<what>(?:" + verbs + r")\s+(?:" + what + r"))"
        r"[.!:]?\)?[*_]*\s*$",
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class Language:
    """A language's keywords of the module format, and how its readability is measured."""

    code: str
    name: str  # In English, for authors' tools: "Spanish" (a Message, to say in their language).
    quiz: str  # The quiz heading, as in "## Quiz".
    sources: str  # The sources heading.
    quiz_re: re.Pattern
    sources_re: re.Pattern
    reflect: str  # The prompt's label, as in "**Reflect:**".
    reflect_re: re.Pattern
    my_plan: str  # "My plan", as in "Reflect (My plan: Staying safe):".
    plan_note_re: re.Pattern
    stray_plan_re: re.Pattern
    plan_parts: tuple[str, ...]  # PLAN_PARTS in this language, in the same order.
    choose_all: str  # The sentence that makes a question "several correct".
    instruction_re: re.Pattern
    all_word: str  # The word of `instruction_re`'s match that means "all".
    true_false: tuple[str, str]
    # Labels a file in this language may use by mistake, with the keyword to write instead.
    mistaken_reflect_re: re.Pattern | None = None
    scores: tuple[str, ...] = ("grade",)
    textstat_lang: str = "en_US"

    @property
    def plan_example(self) -> str:
        return f'"> **{self.reflect} ({self.my_plan}: {self.plan_parts[0]}):** ..."'

    def plan_part(self, name: str) -> str | None:
        """The PLAN_PARTS name of a part as written in this language (any case), or None."""
        by_name = {local.casefold(): part for local, part in zip(
            self.plan_parts, PLAN_PARTS, strict=True)}
        return by_name.get(name.casefold())

    def local_part(self, part: str) -> str:
        """A PLAN_PARTS name as written in this language."""
        return self.plan_parts[PLAN_PARTS.index(part)]

    def readability(self, text: str) -> dict[str, float]:
        """The readability scores of a text in this language, rounded to one decimal."""
        # Imported here: textstat loads a pronunciation dictionary that only authoring tools
        # need. A textstat object of our own: set_lang on the shared one is global state.
        from textstat.textstat import textstatistics  # type: ignore[import-untyped]

        meter = textstatistics()
        meter.set_lang(self.textstat_lang)
        return {
            score: round(float(getattr(meter, SCORE_FUNCTIONS[score])(text)), 1) if text else 0.0
            for score in self.scores
        }


# The readability scores: name -> textstat's function.
SCORE_FUNCTIONS = {
    "grade": "flesch_kincaid_grade",  # A US school grade: aim for 8 or below.
    "fernandez_huerta": "fernandez_huerta",  # Spanish reading ease, 0-100: aim for 70 or more.
    "szigriszt_pazos": "szigriszt_pazos",  # Spanish clarity, 0-100: aim for 60 or more.
}


ENGLISH = Language(
    code="en",
    name=N_("English"),
    quiz="Quiz",
    sources="Sources",
    quiz_re=re.compile(r"^quiz\b", re.IGNORECASE),
    sources_re=re.compile(r"^(?:sources|references)\b", re.IGNORECASE),
    reflect="Reflect",
    reflect_re=_reflect_re(r"reflect(?:ion)?"),
    my_plan="My plan",
    plan_note_re=re.compile(r"^\s*(?:my\s+)?plan\s*:(?P<part>.*)$", re.IGNORECASE),
    stray_plan_re=re.compile(r"\(\s*(?:my\s+)?plan\s*:", re.IGNORECASE),
    plan_parts=PLAN_PARTS,
    choose_all="Choose all that apply.",
    instruction_re=_instruction_re("choose|select|pick|tick|check", "all that apply|one"),
    all_word="all",
    true_false=("True", "False"),
)

SPANISH = Language(
    code="es",
    name=N_("Spanish"),
    quiz="Cuestionario",
    sources="Fuentes",
    quiz_re=re.compile(r"^cuestionario\b", re.IGNORECASE),
    sources_re=re.compile(r"^(?:fuentes|referencias)\b", re.IGNORECASE),
    reflect="Para reflexionar",
    reflect_re=_reflect_re(r"para[ \t]+reflexionar"),
    my_plan="Mi plan",
    plan_note_re=re.compile(r"^\s*(?:mi\s+)?plan\s*:(?P<part>.*)$", re.IGNORECASE),
    stray_plan_re=re.compile(r"\(\s*(?:mi\s+|my\s+)?plan\s*:", re.IGNORECASE),
    plan_parts=(
        "Mantenerme a salvo",
        "A quién puedo llamar",
        "El límite que voy a mantener",
        "Cómo voy a premiar que no consuma",
        "Cuidarme",
    ),
    choose_all="Elija todas las que correspondan.",
    # A line break may fall inside the sentence ("Elija todas\nlas que correspondan.").
    instruction_re=_instruction_re(
        "elija|escoja|seleccione|marque", r"todas\s+las\s+que\s+correspondan|una"
    ),
    all_word="todas",
    true_false=("Verdadero", "Falso"),
    # "**Reflect:**" left from the English, or another Spanish word for it.
    mistaken_reflect_re=re.compile(
        rf"^{_EMPHASIS}?(?:reflect(?:ion)?|reflexi\w*)\b[^:\n]{{0,60}}:", re.IGNORECASE
    ),
    scores=("fernandez_huerta", "szigriszt_pazos"),
    textstat_lang="es",
)

LANGUAGES = {language.code: language for language in (ENGLISH, SPANISH)}
