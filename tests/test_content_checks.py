"""The content checks: a section too long to read on a phone, someone left alone after they may
have used opioids, and CRAFT's figure without its qualifier are each reported at file:line, and
the module keeps serving meanwhile."""

import html
import re

import pytest
from helpers import ROOT, guide_example, write_module

from course.content import Catalog, parse_text
from course.content.checks import (
    LEAVING_RE,
    MAX_SECTION_WORDS,
    OPIOID_USE_RE,
    SAFETY_STEP_RE,
    check_module,
)
from course.models import Role

PATH = "content/modules/13-stress.md"


def check(text):
    result = parse_text(text, PATH)
    assert result.problems == (), result.problems
    return [str(problem) for problem in check_module(result.module, text)]


def with_paragraph(paragraph):
    """The guide's example with the text of "One small step" (its prompt aside) replaced."""
    old = "Small things help: a walk, a call with a friend, ten slow breaths. Pick one you can do "
    old += "today."
    assert old in guide_example()
    return guide_example().replace(old, paragraph)


def line_of(text, needle):
    return text[: text.index(needle)].count("\n") + 1


def test_the_guides_example_passes_every_check():
    assert check(guide_example()) == []


# 1. Size ---------------------------------------------------------------------------------------

def test_a_section_over_the_word_limit_is_reported_at_its_heading():
    text = with_paragraph("word " * MAX_SECTION_WORDS + "end.")

    assert check(text) == [
        (f'{PATH}:{line_of(text, "## One small step")}: section "One small step" has '
         f"{MAX_SECTION_WORDS + 1} words; keep a section to {MAX_SECTION_WORDS} or fewer "
         "(reflection prompts don't count): cut it, or split it in two with a new \"## \" heading")
    ]


def test_a_section_at_the_limit_passes_and_its_prompts_and_markup_dont_count():
    # Words as members see them: "**end**" is one word, and a dash is none.
    at_limit = with_paragraph("word " * (MAX_SECTION_WORDS - 2) + "**end** - *now*.")
    long_prompt = at_limit.replace("If you like, write", "If you like, " + "write " * 200)

    assert check(at_limit) == []
    assert check(long_prompt) == []


# 2. Safety -------------------------------------------------------------------------------------

def test_leaving_someone_who_may_have_used_without_a_safety_step_is_reported_on_its_line():
    text = with_paragraph(
        "If your son comes home and you think he has used pills, you don't have to argue.\n"
        "You can ask him to leave for the night, or go to bed early yourself."
    )

    assert check(text) == [
        (f"{PATH}:{line_of(text, 'You can ask him')}: \"ask him to leave\" near drug use with no "
         "safety step: in the same paragraph or the next, say what keeps the person safe if they "
         "may have used opioids (have naloxone, check on them, call 911, never leave them alone)")
    ]


@pytest.mark.parametrize("safe", [
    "Keep naloxone near you, and check on him every few minutes.",
    "If he may have used opioids, he must not be left alone: stay close, or call 911.",
])
def test_a_safety_step_in_the_same_paragraph_or_the_next_passes(safe):
    leaving = "When she is high, you can step away and go to another room."

    assert check(with_paragraph(f"{leaving} {safe}")) == []
    assert check(with_paragraph(f"{leaving}\n\n{safe}")) == []
    assert check(with_paragraph(f"{leaving}\n\nWhat to do:\n\n- {safe}")) == []
    assert check(with_paragraph(f"{leaving}\n\nBreathe.\n\n{safe}")) != []  # Too far away.


def test_leaving_without_any_drug_use_is_no_concern():
    assert check(with_paragraph("When a talk gets heated, leave the room and breathe.")) == []


def test_the_phrase_lists_match_whole_words_as_written():
    assert LEAVING_RE.search("ask your older son to leave")
    assert LEAVING_RE.search("ask, if you can, whether they plan to leave")[0] == "leave"
    assert not LEAVING_RE.search("the leaves fell; she left the keys")
    assert OPIOID_USE_RE.search("Opioids and painkillers")
    assert not OPIOID_USE_RE.search("a highway, a user manual")
    assert SAFETY_STEP_RE.search("don’t leave him by himself")  # Smart quotes are quotes.
    assert SAFETY_STEP_RE.search("she is never left alone")


# 3. Honesty ------------------------------------------------------------------------------------

def test_crafts_figure_without_its_qualifier_is_reported_on_its_line():
    text = with_paragraph(
        "CRAFT helps many families.\nWith CRAFT, about two in three loved ones started treatment."
    )

    assert check(text) == [
        (f"{PATH}:{line_of(text, 'With CRAFT')}: \"two in three\" without its qualifier: in the "
         "same paragraph or the next, say how CRAFT was delivered (like \"a therapist over about "
         "twelve sessions\") and how families on their own did (like \"self-directed versions did "
         "less well\")")
    ]


def test_half_a_qualifier_is_named_as_missing():
    problems = check(with_paragraph(
        "When a therapist taught families CRAFT, 64% of loved ones started treatment."
    ))

    assert len(problems) == 1
    assert '"64%" without its qualifier' in problems[0]
    assert "how families on their own did" in problems[0]
    assert "how CRAFT was delivered" not in problems[0]


@pytest.mark.parametrize("qualified", [
    ("In trials where a therapist taught families CRAFT over about twelve sessions, about two in "
     "three loved ones started treatment. Families who learned it on their own did less well."),
    ("About 2 out of 3 loved ones started treatment.\n\nThat was with therapist-led sessions; "
     "self-directed versions did less well."),
])
def test_crafts_figure_with_its_qualifier_passes(qualified):
    assert check(with_paragraph(qualified)) == []


def test_sources_may_quote_figures_freely():
    text = guide_example().replace(
        '"Stress effects on the body" (apa.org).', "Two-thirds of families in one trial."
    )
    assert "Two-thirds" in text
    assert check(text) == []


# The wiring: reported by the catalog, `flask content check` and the Content page ---------------

BAD = with_paragraph("About two in three families say it helps. Pick one you can do today.")


def test_a_module_that_fails_a_check_keeps_serving(module_folder):
    path = write_module(module_folder, "13-stress.md", BAD)

    catalog = Catalog(module_folder)

    assert [(p.path, p.line) for p in catalog.problems] == [(str(path), line_of(BAD, "About two"))]
    assert catalog.get("stress") is not None
    assert catalog.snapshot.entries[0].module is not None


def test_content_check_reports_a_check_at_file_line_and_exits_1(runner, module_folder):
    path = write_module(module_folder, "13-stress.md", BAD)

    result = runner.invoke(args=["content", "check", str(module_folder)])

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f'{path}:{line_of(BAD, "About two")}: "two in three" without')
    assert lines[1] == "1 module file checked: 1 published, 0 draft, 1 with errors (1 problem)."


def test_the_content_page_shows_a_checks_problem_and_the_module_still_published(
    module_folder, make_app, make_staff, signed_in
):
    write_module(module_folder, "13-stress.md", BAD)
    app = make_app(module_folder)
    author = signed_in(app, make_staff("Ida", Role.AUTHOR))

    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", author.get("/author").text)).split())

    assert "13-stress.md 1 problem Still published" in page
    assert f'Line {line_of(BAD, "About two")}: "two in three" without its qualifier' in page
    assert author.get("/modules/stress").status_code == 200


def test_the_guide_documents_each_check():
    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    for fact in (f"{MAX_SECTION_WORDS} words", "course/content/checks.py", "without its qualifier",
                 "near drug use with no safety step"):
        assert fact in guide, fact


def test_content_check_reports_a_plan_marker_with_an_unknown_part(runner, module_folder):
    text = guide_example().replace(
        "> **Reflect:** If you like,", "> **Reflect (My plan: Caring for me):** If you like,"
    )
    path = write_module(module_folder, "13-stress.md", text)

    result = runner.invoke(args=["content", "check", str(module_folder)])

    assert result.exit_code == 1
    assert result.output.startswith(
        f'{path}:{line_of(text, "> **Reflect")}: unknown part of the plan "Caring for me"; '
        'did you mean "Caring for myself"?'
    )


def test_the_guide_documents_the_parts_of_the_plan():
    from course.content import PLAN_PARTS

    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    assert "> **Reflect (My plan: Staying safe):**" in guide
    for part in PLAN_PARTS:
        assert f"| `{part}` |" in guide, part
