"""Parity: a translation has the same sections, questions, options and prompts as its English
module, with the same ids, in the same order, the same right options and the same parts of the
plan, so progress, answers and reflections carry over when a member switches language.

Each difference is a Problem at the translation's file:line. A missing item is reported where it
belongs: at the next item the translation does have, else at the one before, else at its parent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .languages import LANGUAGES, Language
from .model import Module, Problem


@dataclass(frozen=True)
class _Item:
    id: str
    line: int


def _compare(
    path: str,
    english: Sequence[str],
    translated: Sequence[_Item],
    parent_line: int,
    *,
    what: str,
    pin_where: str,
    of: str = "",
) -> Iterator[Problem]:
    """Missing, extra and out-of-order ids of one list. `what` names an item ("section", or
    "has option" for options); `of` names their question ('question "x" '), for options."""
    ids = [item.id for item in translated]
    known = ", ".join(english)
    for item in translated:
        if item.id not in english:
            yield Problem(
                path, item.line,
                f'{of}{what} "{item.id}"{", which" if of else ""} is not in the English module; '
                f"pin the id of the English {what.removeprefix('has ')} it translates ({known}), "
                "or remove it",
            )
    for index, ident in enumerate(english):
        if ident in ids:
            continue
        line = _where_missing(english[:index], translated, parent_line)
        missing = what.removeprefix("has ")
        yield Problem(
            path, line,
            f'{of}{"is " if of else ""}missing {missing} "{ident}" of the English module; '
            f'translate it, with "{{#{ident}}}" at the end of its {pin_where}',
        )
    common = [i for i in ids if i in english]
    if common != [i for i in english if i in ids]:
        first = next(
            index for index, (a, b) in enumerate(
                zip(common, [i for i in english if i in ids], strict=True)) if a != b
        )
        line = next(item.line for item in translated if item.id == common[first])
        name = what.removeprefix("has ")
        subject = f'{of}has {name} "{common[first]}"' if of else f'{name} "{common[first]}" is'
        yield Problem(path, line, f"{subject} out of order; the English order is: {known}")


def _where_missing(before: Sequence[str], translated: Sequence[_Item], parent_line: int) -> int:
    """The line where an item belongs: the translation's item just after the last item before it
    that the translation has (the first item when none), else that item, else the parent."""
    ids = [item.id for item in translated]
    previous = next((ident for ident in reversed(before) if ident in ids), None)
    at = ids.index(previous) + 1 if previous is not None else 0
    if at < len(translated):
        return translated[at].line
    return translated[at - 1].line if at else parent_line


def compare(english: Module, translation: Module, path: str) -> list[Problem]:
    """Every difference between a translation and its English module that would lose or change
    what members did, at the translation's file:line."""
    lang = LANGUAGES[translation.lang]
    problems: list[Problem] = []
    sections = [_Item(s.id, s.line) for s in translation.sections]
    problems += _compare(
        path, [s.id for s in english.sections], sections, 1, what="section", pin_where="heading"
    )
    first_line = translation.sections[0].line if translation.sections else 1
    problems += _prompts(english, translation, path, lang, first_line)
    questions = [_Item(q.id, q.line) for q in translation.questions]
    quiz_line = translation.questions[0].line if translation.questions else first_line
    problems += _compare(
        path, [q.id for q in english.questions], questions, quiz_line,
        what="question", pin_where="heading",
    )
    for question in translation.questions:
        source = english.question(question.id)
        if source is not None:
            problems += _options(source, question, path, lang)
    return problems


def _prompts(
    english: Module, translation: Module, path: str, lang: Language, first_line: int
) -> Iterator[Problem]:
    prompts = [_Item(p.id, p.line) for p in translation.prompts]
    yield from _compare(
        path, [p.id for p in english.prompts], prompts, first_line,
        what="reflection prompt", pin_where="first line",
    )
    for prompt in translation.prompts:
        source = english.prompt(prompt.id)
        if source is None:
            continue
        home = english.section_with_prompt(prompt.id)
        here = translation.section_with_prompt(prompt.id)
        if home and here and home.id != here.id and translation.section(home.id):
            yield Problem(
                path, prompt.line,
                f'reflection prompt "{prompt.id}" is in section "{home.id}" in English; '
                "move it there",
            )
        if source.plan != prompt.plan:
            if source.plan:
                label = f"{lang.reflect} ({lang.my_plan}: {lang.local_part(source.plan)})"
                said = f'is part of My plan "{source.plan}" in English'
            else:
                label, said = lang.reflect, "is not part of My plan in English"
            yield Problem(
                path, prompt.line,
                f'reflection prompt "{prompt.id}" {said}: write "> **{label}:** ..."',
            )


def _options(source, question, path: str, lang: Language) -> Iterator[Problem]:
    options = [_Item(o.id, o.line) for o in question.options]
    yield from _compare(
        path, [o.id for o in source.options], options, question.line,
        what="has option", pin_where="first line", of=f'question "{question.id}" ',
    )
    if source.kind != question.kind:
        yield Problem(path, question.line, f'question "{question.id}" {_kind(source.kind, lang)}')
    for option in question.options:
        was = next((o for o in source.options if o.id == option.id), None)
        if was is not None and was.is_correct != option.is_correct:
            right, mark = ("right", "[x]") if was.is_correct else ("wrong", "[ ]")
            yield Problem(
                path, option.line,
                f'option "{option.id}" of question "{question.id}" is {right} in English: mark '
                f"it {mark}, as there",
            )


KIND_WORDS: dict[str, Callable[[Language], str]] = {
    "multiple": lambda lang: (
        f'has several right options in English: end its question with "{lang.choose_all}"'
    ),
    "true_false": lambda lang: (
        f'is true or false in English; its options are "{lang.true_false[0]}" and '
        f'"{lang.true_false[1]}"'
    ),
    "single": lambda lang: (
        f'is single choice in English: its question does not end with "{lang.choose_all}"'
    ),
}


def _kind(kind: str, lang: Language) -> str:
    return KIND_WORDS[kind](lang)


def stale(english: Module, translation: Module, path: str, line: int) -> Problem | None:
    """A warning when the English file changed since the translation was brought in step."""
    if translation.translated_from == english.version:
        return None
    if translation.translated_from is None:
        return Problem(
            path, 1,
            f'say which English version this translates: add "translated_from: '
            f'{english.version}" to the front matter once it is in step',
        )
    return Problem(
        path, line,
        f"the English module changed since this translation (translated_from: "
        f"{translation.translated_from}, but the English version is now {english.version}); "
        f'bring the translation in step, then write "translated_from: {english.version}"',
    )
