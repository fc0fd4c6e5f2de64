"""The course as shipped: seventeen valid modules, each the right size, plain, person-first,
safe and honest about the evidence, sourced, with quizzes that teach and prompts that invite."""

import re
from pathlib import Path

import pytest
from helpers import ROOT, SHIPPED_MODULES

from course.content import Catalog
from course.content.checks import blocks, craft_figure, leaving_alone, section_words

CATALOG = Catalog(SHIPPED_MODULES)
MODULES = CATALOG.published
STIGMATIZING = re.compile(
    r"\b(addicts?|addicted|junkies?|abusers?|abuse[ds]?|alcoholics?|drunks?|druggies?|clean|"
    r"dirty|relapse[ds]?|relapsing|habits?|users?)\b",
    re.IGNORECASE,
)
# Quoted words are discussed, not used: "Words like “addict” can hurt."
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


def by_slug(test):
    return pytest.mark.parametrize("module", MODULES, ids=[m.slug for m in MODULES])(test)


def test_every_module_file_is_valid_and_published():
    assert [str(problem) for problem in CATALOG.problems] == []
    assert len(MODULES) == 17
    assert [m.order for m in MODULES] == list(range(1, 18))


@by_slug
def test_a_module_takes_15_to_25_minutes_in_3_to_6_sections(module):
    assert 15 <= module.minutes <= 25
    assert 3 <= len(module.sections) <= 6
    assert module.objectives


@by_slug
def test_every_section_is_within_the_word_limit(module):
    assert [str(problem) for problem in section_words(module)] == []


@by_slug
def test_nobody_who_may_have_used_is_left_alone_without_a_safety_step(module):
    found = blocks((SHIPPED_MODULES / Path(module.path).name).read_text(encoding="utf-8"))
    assert [str(problem) for problem in leaving_alone(module, found)] == []


@by_slug
def test_crafts_figure_always_keeps_its_qualifier(module):
    found = blocks((SHIPPED_MODULES / Path(module.path).name).read_text(encoding="utf-8"))
    assert [str(problem) for problem in craft_figure(module, found)] == []


@by_slug
def test_the_quiz_has_5_to_8_questions_of_mixed_kinds(module):
    assert 5 <= len(module.questions) <= 8
    kinds = {question.kind for question in module.questions}
    assert kinds == {"single", "multiple", "true_false"}


@by_slug
def test_every_option_has_feedback_and_every_question_an_explanation(module):
    for question in module.questions:
        assert question.explanation_html, question.id
        for option in question.options:
            assert option.feedback_html, f"{question.id}: {option.id}"


@by_slug
def test_two_or_three_reflection_prompts_that_invite(module):
    assert 2 <= len(module.prompts) <= 3
    for prompt in module.prompts:
        assert not re.search(r"\b(must|have to|need to)\b", prompt.text, re.IGNORECASE), prompt.text


@by_slug
def test_prose_reads_at_grade_8_or_below(module):
    assert module.grade <= 8.0


@by_slug
def test_a_sources_section_names_where_facts_come_from(module):
    assert module.sources_html.count("<li>") >= 2


@pytest.mark.parametrize(
    "path", [*sorted(SHIPPED_MODULES.glob("*.md")), ROOT / "content" / "resources.md"],
    ids=lambda path: path.name,
)
def test_no_stigmatizing_words_outside_quotation(path):
    text = QUOTED.sub("", path.read_text(encoding="utf-8"))
    found = [
        f"line {text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for m in STIGMATIZING.finditer(text)
    ]
    assert found == []


def test_the_stigma_check_catches_unquoted_words_and_spares_quoted_ones():
    assert STIGMATIZING.search(QUOTED.sub("", "Your son is an addict."))
    assert not STIGMATIZING.search(QUOTED.sub("", "Words like “addict” and \"clean\" hurt."))


def test_the_first_module_puts_safety_first():
    text = MODULES[0].prose
    for fact in ("911", "988", "1-800-662-4357", "naloxone"):
        assert fact in text


def test_the_resources_page_names_crisis_lines_and_helplines():
    text = (ROOT / "content" / "resources.md").read_text(encoding="utf-8")
    for fact in ("911", "988", "1-800-662-4357", "FindTreatment.gov", "Al-Anon", "Nar-Anon"):
        assert fact in text, fact


# Translations (content/modules/es/): whichever exist must match their English module ----------

TRANSLATED = Catalog(SHIPPED_MODULES, languages=("en", "es"))


def test_every_shipped_translation_has_no_errors_and_is_served():
    translations = [t for lang in TRANSLATED.translation_languages
                    for t in TRANSLATED.translations(lang)]
    assert [str(problem) for t in translations for problem in t.problems] == []
    for translation in translations:
        assert translation.module is not None, translation.path
        assert TRANSLATED.get(translation.module.slug, lang=translation.lang).lang == (
            translation.lang)


def test_a_spanish_resources_page_if_any_names_the_crisis_lines_in_spanish():
    path = ROOT / "content" / "es" / "resources.md"
    if not path.exists():
        pytest.skip("no Spanish resources page yet")
    text = path.read_text(encoding="utf-8")
    for fact in ("911", "988", "1-800-662-4357"):
        assert fact in text, fact
