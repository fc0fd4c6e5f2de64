"""The quiz of a module: its questions, their options, and the feedback on each."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .document import Document, slugify
from .languages import ENGLISH
from .markup import blocks, plain_text, text_of
from .model import N_, Option, Question, QuestionKind

OPTION_RE = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")
# "Choose all that apply." as a sentence of its own, at the end of the text before the options;
# each language has its own words (languages.py).
INSTRUCTION_RE = ENGLISH.instruction_re

Block = tuple[int, int]


def parse_quiz(
    doc: Document, tokens: list[Token], heading: int, start: int, end: int
) -> tuple[str, list[Question]]:
    """The quiz's introduction as HTML, and its questions: one for each "### " heading."""
    questions, intro_end = [], end
    starts = [
        first for first, _ in blocks(tokens, start, end)
        if tokens[first].type == "heading_open" and tokens[first].tag == "h3"
    ]
    if starts:
        intro_end = starts[0]
    for index, first in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else end
        questions.append(_parse_question(doc, tokens, first, stop))
    if not questions:
        doc.problem(doc.line_of(tokens[heading]), N_(
            'the quiz has no questions; start each one with a "### " heading'
        ))
    return doc.render(tokens[start:intro_end]), questions


def _parse_question(doc: Document, tokens: list[Token], heading: int, end: int) -> Question:
    title, question_id, line = doc.heading_id(tokens, heading, "question")
    found = blocks(tokens, heading + 3, end)
    name = question_id or title
    list_block = _option_list(doc, tokens, found, name, line)
    if list_block is None:
        return Question(question_id, title, "single", "", (), "", line)
    kind, stem_end = _take_instruction(doc, tokens, found, list_block)
    stem_html = doc.render(tokens[heading + 3 : stem_end])
    options = _parse_options(doc, tokens, *list_block, name)
    explanation_html = doc.render(tokens[list_block[1] : end])
    kind = _check_answers(doc, options, kind, name, line)
    return Question(
        question_id, title, kind, stem_html, tuple(options), explanation_html, line
    )


def _option_list(
    doc: Document, tokens: list[Token], found: list[Block], name: str, line: int
) -> Block | None:
    """The list of options: the first task list; a plain list may come before, in the question."""
    lists = [b for b in found if tokens[b[0]].type == "bullet_list_open"]
    option_lists = [b for b in lists if _is_option_list(tokens, b)]
    list_block = next(iter(option_lists or lists), None)
    if list_block is None:
        if any(tokens[b[0]].type == "ordered_list_open" for b in found):
            doc.problem(line, N_(
                'question "%(name)s" has no options; add a list of "- [ ]" and "- [x]" items '
                '(options use "- ", not numbers)',
                name=name,
            ))
        else:
            doc.problem(line, N_(
                'question "%(name)s" has no options; add a list of "- [ ]" and "- [x]" items',
                name=name,
            ))
    for extra in option_lists[1:]:
        doc.problem(doc.line_of(tokens[extra[0]]), N_(
            'question "%(name)s" has options outside its list; start every option with the '
            'same "- " and indent each feedback line under its option',
            name=name,
        ))
    return list_block


def _is_option_list(tokens: list[Token], block: Block) -> bool:
    """Whether a bullet list's first item starts with "[ ]" or "[x]"."""
    first = block[0] + 1
    return (
        first + 2 < block[1]
        and tokens[first + 1].type == "paragraph_open"
        and bool(OPTION_RE.match(tokens[first + 2].content))
    )


def _take_instruction(
    doc: Document, tokens: list[Token], found: list[Block], list_block: Block
) -> tuple[QuestionKind, int]:
    """Remove "Choose all that apply." (or "Choose one.") from the end of the question, since the
    app states it next to the options. The question's kind, and where the question text ends."""
    before = [b for b in found if b[1] <= list_block[0]]
    if not before or tokens[before[-1][0]].type != "paragraph_open":
        return "single", list_block[0]
    inline = tokens[before[-1][0] + 1]
    match = doc.lang.instruction_re.search(inline.content)
    if not match:
        return "single", list_block[0]
    all_word = doc.lang.all_word
    kind: QuestionKind = "multiple" if all_word in match["what"].lower() else "single"
    remaining = inline.content[: match.start()].rstrip()
    if not remaining:
        return kind, before[-1][0]
    doc.set_content(inline, remaining)
    return kind, list_block[0]


def _check_answers(
    doc: Document, options: list[Option], kind: QuestionKind, name: str, line: int
) -> QuestionKind:
    """Report options that can't make a question; the kind, true_false for True and False."""
    texts = {text_of(option.html).strip().lower() for option in options}
    if kind == "single" and len(options) == 2 and texts == {
        word.lower() for word in doc.lang.true_false
    }:
        kind = "true_false"
    correct = sum(option.is_correct for option in options)
    if len(options) == 1:
        doc.problem(line, N_('question "%(name)s" needs at least two options', name=name))
    if options and correct == 0:
        doc.problem(line, N_(
            'question "%(name)s" has no correct option; mark one with [x]', name=name
        ))
    if kind != "multiple" and correct > 1:
        doc.problem(line, N_(
            'question "%(name)s" is single choice but has %(count)s correct options; '
            'mark only one with [x], or add "%(choose_all)s" above the options',
            name=name, count=correct, choose_all=doc.lang.choose_all,
        ))
    return kind


def _parse_options(
    doc: Document, tokens: list[Token], start: int, end: int, name: str
) -> list[Option]:
    options: list[Option] = []
    seen: set[str] = set()
    for first, last in blocks(tokens, start + 1, end - 1):
        option = _parse_option(doc, tokens, first, last, name, seen)
        if option is not None:
            seen.add(option.id)
            options.append(option)
    return options


def _parse_option(
    doc: Document, tokens: list[Token], first: int, last: int, name: str, seen: set[str]
) -> Option | None:
    """One list item as an option, with an id none of the `seen` options has."""
    line = doc.line_of(tokens[first])
    inner = blocks(tokens, first + 1, last - 1)
    if not inner or tokens[inner[0][0]].type != "paragraph_open":
        doc.problem(line, N_('question "%(name)s" has an empty option', name=name))
        return None
    inline = tokens[inner[0][0] + 1]
    marker = OPTION_RE.match(inline.content)
    if not marker:
        text = inline.content.splitlines()[0][:40] if inline.content else ""
        doc.problem(line, N_('option "%(text)s" needs "[ ]" or "[x]" at the start', text=text))
        return None
    doc.set_content(inline, inline.content[marker.end() :])
    pinned = doc.take_pin(inline, line)
    text = plain_text(inline)
    if not text:
        doc.problem(line, N_('question "%(name)s" has an empty option', name=name))
        return None
    ident = pinned or slugify(text, max_length=40) or "option"
    if ident in seen:
        if pinned:
            doc.problem(line, N_(
                'question "%(name)s" has two options with id "%(id)s"', name=name, id=ident
            ))
        ident = _unseen(ident, seen)
    feedback_tokens = _feedback(tokens, inner[1:], last)
    return Option(
        id=ident,
        html=doc.render_inline(inline),
        feedback_html=doc.render(feedback_tokens),
        is_correct=marker.group(1) in "xX",
        line=line,
    )


def _unseen(ident: str, seen: set[str]) -> str:
    """The id with the first number that makes it new: "yes-2", "yes-3"..."""
    return next(f"{ident}-{n}" for n in range(2, len(seen) + 3) if f"{ident}-{n}" not in seen)


def _feedback(tokens: list[Token], found: list[Block], last: int) -> list[Token]:
    """The tokens of an option's feedback: the blocks after its text, or the quote they are."""
    if len(found) == 1 and tokens[found[0][0]].type == "blockquote_open":
        feedback = tokens[found[0][0] + 1 : found[0][1] - 1]
    else:
        feedback = tokens[found[0][0] : last - 1] if found else []
    for token in feedback:
        token.hidden = False  # Paragraphs of a tight list still read as paragraphs.
    return feedback
