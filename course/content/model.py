"""What a parsed module is made of. Every object is immutable: the catalog shares them
between requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

QuestionKind = Literal["single", "multiple", "true_false"]

# The parts of a member's plan (the "My plan" page), in the order the page shows them. A
# reflection prompt joins one with "Reflect (My plan: Staying safe):" (content/README.md).
PLAN_PARTS = (
    "Staying safe",
    "Who I can call",
    "The boundary I will keep",
    "How I will reward not using",
    "Caring for myself",
)


class Message(str):
    """An author's problem message, in English, that keeps its template and values so that a
    page or a terminal can say it in the reader's language (course/i18n.py, `say`). It is a
    plain string everywhere else. Write one with `N_`, which `pybabel extract` looks for."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Message:
        text = template % {key: str(value) for key, value in values.items()} if values else template
        message = super().__new__(cls, text)
        message.template = template
        message.values = values
        return message


def N_(template: str, **values: object) -> Message:
    """Mark a problem message for translation: `N_('question "%(name)s" has no options',
    name=name)`. Values that are themselves words to translate are Messages too."""
    return Message(template, **values)


@dataclass(frozen=True, order=True)
class Problem:
    """One authoring error, located at a line of a file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Prompt:
    """A reflection prompt; members answer it in a text box below it. A prompt that is part of
    the member's plan names its part (one of PLAN_PARTS)."""

    id: str
    html: str
    text: str
    line: int
    plan: str | None = None


@dataclass(frozen=True)
class Section:
    """One step of a module: rendered HTML with reflection prompts in their places."""

    id: str
    title: str
    parts: tuple[str | Prompt, ...]
    line: int

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        """The section's reflection prompts, in order."""
        return tuple(part for part in self.parts if isinstance(part, Prompt))


@dataclass(frozen=True)
class Option:
    """One choice of a quiz question, with the feedback shown to those who chose it."""

    id: str
    html: str
    feedback_html: str
    is_correct: bool
    line: int


@dataclass(frozen=True)
class Question:
    """A quiz question: a stem, options, and an explanation shown after answering."""

    id: str
    title: str
    kind: QuestionKind
    stem_html: str
    options: tuple[Option, ...]
    explanation_html: str
    line: int

    @property
    def correct_ids(self) -> frozenset[str]:
        """Ids of the options a member must choose, and only those."""
        return frozenset(option.id for option in self.options if option.is_correct)

    def is_answered_right(self, chosen: frozenset[str] | set[str]) -> bool:
        """Whether a member who chose these option ids got the question right."""
        return frozenset(chosen) == self.correct_ids


@dataclass(frozen=True)
class Module:
    """A published or draft module, ready to serve."""

    slug: str
    title: str
    order: int
    path: str
    version: str
    minutes: int | None = None
    summary: str = ""
    objectives: tuple[str, ...] = ()
    pass_score: float = 0.8
    is_draft: bool = False
    is_always_open: bool = False  # No group's schedule holds it back (safety comes first).
    intro_html: str = ""
    sections: tuple[Section, ...] = ()
    quiz_intro_html: str = ""
    questions: tuple[Question, ...] = ()
    sources_html: str = ""
    words: int = 0
    prose: str = field(default="", repr=False)
    lang: str = "en"  # The language of its text; a translation has the English module's slug.
    # A translation's "translated_from": the English module's version it was brought in step with.
    translated_from: str | None = None

    @cached_property
    def grade(self) -> float:
        """Flesch-Kincaid grade of the module's prose (sources excluded)."""
        # Imported here: textstat loads a pronunciation dictionary that only authoring tools need.
        import textstat

        return round(textstat.flesch_kincaid_grade(self.prose), 1) if self.prose else 0.0

    @cached_property
    def readability(self) -> dict[str, float]:
        """The readability scores of the module's prose for its language: "grade" (Flesch-Kincaid)
        for English; "fernandez_huerta" and "szigriszt_pazos" for Spanish."""
        from .languages import LANGUAGES  # Here: languages.py imports this module.

        return LANGUAGES[self.lang].readability(self.prose)

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        """Every reflection prompt of the module, in reading order."""
        return tuple(prompt for section in self.sections for prompt in section.prompts)

    @property
    def plan_prompts(self) -> tuple[Prompt, ...]:
        """The prompts that are part of the member's plan, in reading order."""
        return tuple(prompt for prompt in self.prompts if prompt.plan)

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def prompt(self, prompt_id: str) -> Prompt | None:
        """The reflection prompt with this id, or None."""
        return next((p for p in self.prompts if p.id == prompt_id), None)

    def section_with_prompt(self, prompt_id: str) -> Section | None:
        """The section a reflection prompt stands in, or None."""
        return next((s for s in self.sections if any(p.id == prompt_id for p in s.prompts)), None)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True, order=True)
class Link:
    """A link from a module to another module's file, checked once every module is loaded."""

    file_name: str
    slug: str
    anchor: str
    line: int


@dataclass(frozen=True)
class ParseResult:
    """What parsing one file gave: every problem found, and a module unless one of them is more
    than a broken link (a link members can't follow shows as plain text instead)."""

    path: str
    module: Module | None
    problems: tuple[Problem, ...] = ()
    links: tuple[Link, ...] = ()
