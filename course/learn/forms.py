"""Forms for reading modules and taking quizzes, built from the module's content (as Indico's
make_abstract_form builds a form from its event): a field per quiz question, and a text box and
a choice of readers per reflection prompt. Field names are those the pages have always sent:
q-<question id>, reflection-<prompt id>, visibility-<prompt id>."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache

from babel.numbers import format_decimal
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, ValidationError

from .. import progress
from ..content import Module, Prompt, Question, Section
from ..forms import VISIBILITY_LABELS, MultiCheckboxField, PlainText, without_control_characters
from ..i18n import number_locale
from ..models import Reflection, Visibility
from ..progress import MAX_REFLECTION_LENGTH

SUBMISSION_KEY_LENGTH = 64  # the column's size


def plain_key(value):
    """The key without control characters (no page of ours puts any there, and PostgreSQL
    can't store a NUL), cut to the column's size."""
    if not isinstance(value, str):
        return value
    return without_control_characters(value)[:SUBMISSION_KEY_LENGTH]


class QuizForm(FlaskForm):
    """A module's quiz; `quiz_form` adds a field per question."""

    # A fresh key each time the quiz is shown: sending the same page twice stores one attempt.
    submission_key = HiddenField(filters=[plain_key])
    questions: tuple[Question, ...] = ()

    def answer(self, question: Question) -> Field:
        """The field of a question's answer."""
        return self[f"q-{question.id}"]

    def answers(self) -> dict[str, list[str]]:
        """The option ids chosen, by question id."""
        chosen = {question.id: self.answer(question).data for question in self.questions}
        return {qid: data if isinstance(data, list) else [data] for qid, data in chosen.items()}


def answer_field(question: Question, number: int) -> UnboundField:
    """Radio buttons for a question with one right answer, checkboxes for one with several.
    An option the question doesn't have counts as no answer."""
    # An option's HTML comes from the content engine, which sanitises it as it renders.
    options = [
        SelectChoice(option.id, Markup(option.html))  # nosec B704
        for option in question.options
    ]
    # The label names the question in the error summary; the page shows its own heading.
    label = _("Question %(number)d: %(question)s", number=number, question=question.title)
    if question.kind == "multiple":
        message = _("Choose at least one answer.")
        return MultiCheckboxField(label, choices=options, validators=[DataRequired(message)],
                                  invalid_choice_message=message)
    return RadioField(label, choices=options, invalid_choice_message=_("Choose an answer."))


def quiz_form(module: Module) -> type[QuizForm]:
    """The form of a module's quiz: one required answer per question."""
    fields = {
        f"q-{question.id}": answer_field(question, number)
        for number, question in enumerate(module.questions, start=1)
    }
    return type("ModuleQuizForm", (QuizForm,), {"questions": module.questions, **fields})


def short_enough(_form, field) -> None:
    """A reflection of at most MAX_REFLECTION_LENGTH characters, spaces around it aside. Its
    message comes alone: the text shown is already without control characters."""
    length = len((field.data or "").strip())
    if length > MAX_REFLECTION_LENGTH:
        field.errors[:] = []
        raise ValidationError(_(
            "This is %(length)s characters long; please keep it under %(limit)s.",
            length=format_decimal(length, locale=number_locale()),
            limit=format_decimal(MAX_REFLECTION_LENGTH, locale=number_locale()),
        ))


def offered(_form, field) -> None:
    """A reader the member may choose. "Only me" is always among them, so the page's default
    is taken without looking up the member's family."""
    if field.data != Visibility.PRIVATE and field.data not in {c.value for c in field.choices}:
        raise ValidationError(_("Choose who can see this reflection."))


class ReflectionForm(FlaskForm):
    """A module's step; `reflection_form` adds a text box and a choice of readers per prompt."""

    # The button pressed: "save" keeps the member on the step, Next moves on.
    action = StringField()
    prompts: tuple[Prompt, ...] = ()

    def text_of(self, prompt: Prompt) -> Field:
        """The text box of a prompt."""
        return self[f"reflection-{prompt.id}"]

    def visibility_of(self, prompt: Prompt) -> Field:
        """Who may read the reflection on a prompt."""
        return self[f"visibility-{prompt.id}"]

    @property
    def is_save(self) -> bool:
        """Whether the member pressed Save rather than Next."""
        return self.action.data == "save"

    def changes(
        self, saved: Mapping[str, Reflection]
    ) -> Iterator[tuple[str, str, Visibility]]:
        """(prompt id, text, visibility) of each reflection sent that differs from the one
        saved: sending the same words again writes nothing."""
        for prompt in self.prompts:
            text = self.text_of(prompt).data or ""
            visibility = Visibility(self.visibility_of(prompt).data)
            before = saved.get(prompt.id)
            stored = (before.body, before.visibility) if before else ("", visibility)
            if stored != (progress.clean_reflection(text), visibility):
                yield prompt.id, text, visibility

    @staticmethod
    def saved_data(saved: Mapping[str, Reflection]) -> dict[str, str]:
        """The form's fields as the member's saved reflections fill them."""
        data = {}
        for prompt_id, reflection in saved.items():
            data[f"reflection-{prompt_id}"] = reflection.body
            data[f"visibility-{prompt_id}"] = reflection.visibility.value
        return data


def reflection_form(
    section: Section, choices: Callable[[], Sequence[Visibility]]
) -> type[ReflectionForm]:
    """The form of a module's step: per prompt, a text box that keeps control characters out
    and stays under the length limit, and who may read it among `choices()` (looked up only
    when the page is shown or a member shares beyond "Only me")."""
    readers = cache(lambda: [SelectChoice(v.value, VISIBILITY_LABELS[v]) for v in choices()])
    fields: dict[str, UnboundField] = {}
    for prompt in section.prompts:
        fields[f"reflection-{prompt.id}"] = TextAreaField(
            _l("Your reflection (optional)"), default="",
            validators=[PlainText(multiline=True), short_enough],
        )
        fields[f"visibility-{prompt.id}"] = RadioField(
            _l("Who can read it?"), choices=readers, default=Visibility.PRIVATE.value,
            validate_choice=False, validators=[offered],
        )
    return type("SectionForm", (ReflectionForm,), {"prompts": section.prompts, **fields})
