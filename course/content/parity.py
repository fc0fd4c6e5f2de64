"""Parity: a translation has the same sections, questions, options and prompts as its English
module, with the same ids, in the same order, the same right options and the same parts of the
plan, so progress, answers and reflections carry over when a member switches language.

Each difference is a Problem at the translation's file:line. A missing item is reported where it
belongs: at the next item the translation does have, else at the one before, else at its parent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .languages import LANGUAGES, Language
from .model import N_, Message, Module, Problem


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
    question: str = "",
) -> Iterator[Problem]:
    """Missing, extra and out-of-order ids of one list. `what` names an item: "section",
    "question", "reflection prompt" or "option"; `question` is the options' question id."""
    ids = [item.id for item in translated]
    known = ", ".join(english)
    for item in translated:
        if item.id not in english:
            yield Problem(path, item.line, _not_in_english(what, item.id, known, question))
    for index, ident in enumerate(english):
        if ident in ids:
            continue
        line = _where_missing(english[:index], translated, parent_line)
        yield Problem(path, line, _missing(what, ident, question))
    common = [i for i in ids if i in english]
    if common != [i for i in english if i in ids]:
        first = next(
            index for index, (a, b) in enumerate(
                zip(common, [i for i in english if i in ids], strict=True)) if a != b
        )
        line = next(item.line for item in translated if item.id == common[first])
        yield Problem(path, line, _out_of_order(what, common[first], known, question))


# What _compare says: a whole sentence for each kind of item, so translators never get pieces.
def _not_in_english(what: str, ident: str, known: str, question: str) -> Message:
    """An item the English module doesn't have; `known` lists the English ids."""
    if what == "section":
        return N_(
            'section "%(id)s" is not in the English module; pin the id of the English section '
            "it translates (%(ids)s), or remove it",
            id=ident, ids=known,
        )
    if what == "question":
        return N_(
            'question "%(id)s" is not in the English module; pin the id of the English '
            "question it translates (%(ids)s), or remove it",
            id=ident, ids=known,
        )
    if what == "reflection prompt":
        return N_(
            'reflection prompt "%(id)s" is not in the English module; pin the id of the '
            "English reflection prompt it translates (%(ids)s), or remove it",
            id=ident, ids=known,
        )
    return N_(
        'question "%(question)s" has option "%(id)s", which is not in the English module; pin '
        "the id of the English option it translates (%(ids)s), or remove it",
        question=question, id=ident, ids=known,
    )


def _missing(what: str, ident: str, question: str) -> Message:
    """An item of the English module the translation doesn't have."""
    if what == "section":
        return N_(
            'missing section "%(id)s" of the English module; translate it, with "{#%(id)s}" '
            "at the end of its heading",
            id=ident,
        )
    if what == "question":
        return N_(
            'missing question "%(id)s" of the English module; translate it, with "{#%(id)s}" '
            "at the end of its heading",
            id=ident,
        )
    if what == "reflection prompt":
        return N_(
            'missing reflection prompt "%(id)s" of the English module; translate it, with '
            '"{#%(id)s}" at the end of its first line',
            id=ident,
        )
    return N_(
        'question "%(question)s" is missing option "%(id)s" of the English module; translate '
        'it, with "{#%(id)s}" at the end of its first line',
        question=question, id=ident,
    )


def _out_of_order(what: str, ident: str, known: str, question: str) -> Message:
    """The first item out of the English order; `known` lists the English ids in order."""
    if what == "section":
        return N_(
            'section "%(id)s" is out of order; the English order is: %(ids)s', id=ident, ids=known
        )
    if what == "question":
        return N_(
            'question "%(id)s" is out of order; the English order is: %(ids)s',
            id=ident, ids=known,
        )
    if what == "reflection prompt":
        return N_(
            'reflection prompt "%(id)s" is out of order; the English order is: %(ids)s',
            id=ident, ids=known,
        )
    return N_(
        'question "%(question)s" has option "%(id)s" out of order; the English order is: '
        "%(ids)s",
        question=question, id=ident, ids=known,
    )


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
    problems += _compare(path, [s.id for s in english.sections], sections, 1, what="section")
    first_line = translation.sections[0].line if translation.sections else 1
    problems += _prompts(english, translation, path, lang, first_line)
    questions = [_Item(q.id, q.line) for q in translation.questions]
    quiz_line = translation.questions[0].line if translation.questions else first_line
    problems += _compare(
        path, [q.id for q in english.questions], questions, quiz_line, what="question"
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
        path, [p.id for p in english.prompts], prompts, first_line, what="reflection prompt"
    )
    for prompt in translation.prompts:
        source = english.prompt(prompt.id)
        if source is None:
            continue
        home = english.section_with_prompt(prompt.id)
        here = translation.section_with_prompt(prompt.id)
        if home and here and home.id != here.id and translation.section(home.id):
            yield Problem(path, prompt.line, N_(
                'reflection prompt "%(id)s" is in section "%(section)s" in English; move it there',
                id=prompt.id, section=home.id,
            ))
        if source.plan != prompt.plan:
            if source.plan:
                label = f"{lang.reflect} ({lang.my_plan}: {lang.local_part(source.plan)})"
                said = N_(
                    'reflection prompt "%(id)s" is part of My plan "%(part)s" in English: write '
                    '"> **%(label)s:** ..."',
                    id=prompt.id, part=source.plan, label=label,
                )
            else:
                said = N_(
                    'reflection prompt "%(id)s" is not part of My plan in English: write '
                    '"> **%(label)s:** ..."',
                    id=prompt.id, label=lang.reflect,
                )
            yield Problem(path, prompt.line, said)


def _options(source, question, path: str, lang: Language) -> Iterator[Problem]:
    options = [_Item(o.id, o.line) for o in question.options]
    yield from _compare(
        path, [o.id for o in source.options], options, question.line,
        what="option", question=question.id,
    )
    if source.kind != question.kind:
        yield Problem(path, question.line, _kind(source.kind, question.id, lang))
    for option in question.options:
        was = next((o for o in source.options if o.id == option.id), None)
        if was is None or was.is_correct == option.is_correct:
            continue
        if was.is_correct:
            said = N_(
                'option "%(id)s" of question "%(question)s" is right in English: mark it [x], '
                "as there",
                id=option.id, question=question.id,
            )
        else:
            said = N_(
                'option "%(id)s" of question "%(question)s" is wrong in English: mark it [ ], '
                "as there",
                id=option.id, question=question.id,
            )
        yield Problem(path, option.line, said)


def _kind(kind: str, question: str, lang: Language) -> Message:
    """What a question of another kind than its English one should be."""
    if kind == "multiple":
        return N_(
            'question "%(id)s" has several right options in English: end its question with '
            '"%(choose_all)s"',
            id=question, choose_all=lang.choose_all,
        )
    if kind == "true_false":
        return N_(
            'question "%(id)s" is true or false in English; its options are "%(true)s" and '
            '"%(false)s"',
            id=question, true=lang.true_false[0], false=lang.true_false[1],
        )
    return N_(
        'question "%(id)s" is single choice in English: its question does not end with '
        '"%(choose_all)s"',
        id=question, choose_all=lang.choose_all,
    )


def stale(english: Module, translation: Module, path: str, line: int) -> Problem | None:
    """A warning when the English file changed since the translation was brought in step."""
    if translation.translated_from == english.version:
        return None
    if translation.translated_from is None:
        return Problem(path, 1, N_(
            'say which English version this translates: add "translated_from: '
            '%(version)s" to the front matter once it is in step',
            version=english.version,
        ))
    return Problem(path, line, N_(
        "the English module changed since this translation (translated_from: "
        "%(old)s, but the English version is now %(version)s); "
        'bring the translation in step, then write "translated_from: %(version)s"',
        old=translation.translated_from, version=english.version,
    ))
