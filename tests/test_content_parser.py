"""An author writes a module file; the parser turns it into steps, a quiz and prompts, or tells
the author exactly what to fix and where."""

import pytest
from helpers import guide_example, write_module
from hypothesis import HealthCheck, given, settings, strategies as st

from course.content import Catalog, parse_file, parse_text

LINKS = {"08-boundaries.md": "boundaries", "13-stress.md": "noticing-stress"}


def parse(text, path="content/modules/13-stress.md"):
    return parse_text(text, path, module_files=LINKS)


def messages(result):
    return [str(problem) for problem in result.problems]


def test_the_guides_whole_example_is_a_valid_module():
    result = parse(guide_example())

    assert result.problems == ()
    module = result.module
    assert module.title == "Noticing your own stress"
    assert module.order == 13
    assert module.minutes == 15
    assert module.pass_score == 0.8
    assert module.objectives == (
        "Name three signs of stress in your body or mood",
        "Choose one small thing to try this week",
    )
    assert [s.title for s in module.sections] == ["Signs of stress", "One small step"]
    assert "Caring for someone you love" in module.intro_html
    assert "American Psychological Association" in module.sources_html


def test_slug_comes_from_the_file_name_unless_the_front_matter_sets_one():
    assert parse(guide_example()).module.slug == "stress"
    pinned = guide_example().replace("order: 13", "order: 13\nslug: noticing-stress")
    assert parse(pinned).module.slug == "noticing-stress"


def test_order_comes_from_the_file_name_when_the_front_matter_has_none():
    text = guide_example().replace("order: 13\n", "")
    assert parse(text, "content/modules/07-stress.md").module.order == 7


def test_questions_of_each_kind_with_feedback_and_explanations():
    module = parse(guide_example()).module
    evening, weakness, ease = module.questions

    assert (evening.id, evening.kind) == ("a-tense-evening", "single")
    assert "hard phone call" in evening.stem_html
    assert [o.is_correct for o in evening.options] == [True, False, False]
    assert "Slow breathing calms" in evening.options[0].feedback_html
    assert "<strong>Why:</strong>" in evening.explanation_html

    assert weakness.kind == "true_false"
    assert [o.id for o in weakness.options] == ["true", "false"]
    assert weakness.correct_ids == {"false"}

    assert ease.kind == "multiple"
    assert "Choose all that apply" not in ease.stem_html  # The page states it by the options.
    assert ease.correct_ids == {"a-short-walk", "talking-with-a-friend"}
    assert ease.is_answered_right({"a-short-walk", "talking-with-a-friend"})
    assert not ease.is_answered_right({"a-short-walk"})
    assert not ease.is_answered_right({"a-short-walk", "talking-with-a-friend", "skipping-meals"})


def test_the_instruction_may_end_the_question_sentence():
    text = guide_example().replace(
        "Which of these can ease stress?\n\nChoose all that apply.",
        "Which of these can ease stress? (Choose all that apply.)",
    )
    question = parse(text).module.question("ways-to-ease-stress")
    assert question.kind == "multiple"
    assert question.stem_html == "<p>Which of these can ease stress?</p>"


def test_reflection_prompts_sit_inside_their_section_with_ids_from_the_section():
    module = parse(guide_example()).module
    step = module.section("one-small-step")

    assert [type(part).__name__ for part in step.parts] == ["str", "Prompt"]
    prompt = step.prompts[0]
    assert prompt.id == "one-small-step-reflect"
    assert prompt.text.startswith("If you like, write down one small thing")
    assert "Reflect:" not in prompt.html
    assert module.prompts == (prompt,)


def test_a_second_prompt_in_a_section_gets_its_own_id():
    text = guide_example().replace(
        "## Quiz", "> **Reflect:** You might also write about a person who helps.\n\n## Quiz"
    )
    ids = [p.id for p in parse(text).module.prompts]
    assert ids == ["one-small-step-reflect", "one-small-step-reflect-2"]


def test_ids_survive_unrelated_edits_and_pins_survive_renames():
    original = parse(guide_example()).module
    edited = guide_example().replace(
        "## Signs of stress\n\nStress shows up",
        "## A new first step\n\nSome new text.\n\n## Signs of stress\n\nStress often shows up",
    ).replace("- [x] A short walk", "- [x] A short walk\n  > Moving helps.\n- [ ] Extra option")
    renamed = edited.replace("## One small step", "## Small steps that help {#one-small-step}")
    module = parse(renamed).module

    assert module.section("signs-of-stress") is not None
    assert module.section("one-small-step").title == "Small steps that help"
    assert [p.id for p in module.prompts] == [p.id for p in original.prompts]
    assert [q.id for q in module.questions] == [q.id for q in original.questions]


def test_options_and_prompts_can_pin_ids():
    text = guide_example().replace(
        "- [ ] Ignore it; it will pass by itself.", "- [ ] Ignore it. {#ignore}"
    ).replace("> **Reflect:** If you like,", "> **Reflect:** If you like, {#small-thing}\n>")
    module = parse(text).module
    assert "ignore" in {o.id for o in module.question("a-tense-evening").options}
    assert module.prompts[0].id == "small-thing"


def test_links_to_module_files_become_links_to_module_pages():
    text = guide_example().replace(
        "Pick one you can do today.",
        "Pick one. See [boundaries](08-boundaries.md#stating-one) and [APA](https://apa.org).",
    )
    html = parse(text).module.section("one-small-step").parts[0]
    assert 'href="/modules/boundaries#stating-one"' in html
    assert 'href="https://apa.org"' in html


def test_raw_html_is_sanitized():
    text = guide_example().replace(
        "Pick one you can do today.",
        'Pick <abbr title="one">1</abbr>. <script>alert(1)</script>'
        '<img src=x onerror="alert(2)"> [x](javascript:alert(3)) <!-- author note -->',
    )
    html = parse(text).module.section("one-small-step").parts[0]
    assert '<abbr title="one">1</abbr>' in html
    for unsafe in ("<script", "onerror", "href=\"javascript", "author note"):
        assert unsafe not in html


def test_a_leading_title_heading_is_not_repeated_in_the_introduction():
    text = guide_example().replace("---\n\nCaring", "---\n\n# Noticing your own stress\n\nCaring")
    assert "<h1>" not in parse(text).module.intro_html


BROKEN = [
    pytest.param(
        lambda t: t.replace("minutes: 15", "minutes: [15"),
        r"content/modules/13-stress.md:5: front matter is not valid YAML", id="malformed-yaml",
    ),
    pytest.param(
        lambda t: t.replace("title: Noticing your own stress\n", ""),
        'content/modules/13-stress.md:1: missing title; add "title: ..." to the front matter',
        id="missing-title",
    ),
    pytest.param(
        lambda t: t.replace("summary:", "sumary:"),
        'content/modules/13-stress.md:5: unknown front-matter key "sumary"; '
        'did you mean "summary"?',
        id="unknown-key",
    ),
    pytest.param(
        lambda t: t.replace("## One small step", "## Signs of stress"),
        'content/modules/13-stress.md:20: duplicate id "signs-of-stress" (also used on line 13)',
        id="duplicate-id",
    ),
    pytest.param(
        lambda t: t.replace("- [x] Take ten slow breaths", "- [ ] Take ten slow breaths"),
        'content/modules/13-stress.md:28: question "a-tense-evening" has no correct option; '
        "mark one with [x]",
        id="no-correct-option",
    ),
    pytest.param(
        lambda t: t.replace("- [ ] Call your loved one back at once to sort it out.", "- [ ]"),
        'content/modules/13-stress.md:34: question "a-tense-evening" has an empty option',
        id="empty-option",
    ),
    pytest.param(
        lambda t: t.replace("- [ ] Call your loved one", "- [x] Call your loved one"),
        'content/modules/13-stress.md:28: question "a-tense-evening" is single choice but has 2 '
        "correct options",
        id="single-choice-two-correct",
    ),
    pytest.param(
        lambda t: t.replace(
            "> **Reflect:** If you like, write down one small thing that helped you in a hard "
            "week before.", "> **Reflect:**"
        ),
        "content/modules/13-stress.md:24: reflection prompt has no text",
        id="empty-prompt",
    ),
    pytest.param(
        lambda t: t.replace("order: 13", "order: 13\nalways_open: yes please"),
        'content/modules/13-stress.md:4: "always_open" must be true or false',
        id="always-open-not-a-boolean",
    ),
    pytest.param(
        lambda t: t.replace("- [ ] Ignore it; it will pass by itself.", "- Ignore it."),
        'content/modules/13-stress.md:36: option "Ignore it." needs "[ ]" or "[x]" at the start',
        id="option-without-marker",
    ),
    pytest.param(
        lambda t: t[: t.index("## Quiz")],
        'content/modules/13-stress.md:10: module has no quiz; add a "## Quiz" section',
        id="no-quiz",
    ),
    pytest.param(
        lambda t: t.replace("minutes: 15", "minutes: a quarter hour"),
        'content/modules/13-stress.md:4: "minutes" must be a whole number',
        id="wrong-type",
    ),
]


@pytest.mark.parametrize(("break_it", "expected"), BROKEN)
def test_each_authoring_error_names_its_file_and_line(break_it, expected):
    result = parse(break_it(guide_example()))

    assert result.module is None, "a module with errors must not be published"
    assert any(message.startswith(expected) for message in messages(result)), messages(result)


@pytest.mark.parametrize(("replacement", "line"), [
    ("See [this](09-nothing.md).", 22),
    ("A\nB [this](09-nothing.md).", 23),
    ("See [this][ref].\n\n[ref]: ./09-nothing.md#a-section", 22),
])
def test_a_link_to_a_missing_module_is_an_error_but_keeps_only_its_text(replacement, line):
    result = parse(guide_example().replace("Pick one you can do today.", replacement))

    assert messages(result) == [
        (f'content/modules/13-stress.md:{line}: link to "09-nothing.md", which is not a module in '
         "this folder")
    ]
    html = result.module.section("one-small-step").parts[0]
    assert "this." in html
    assert "<a" not in html and "nothing" not in html


def test_a_link_to_a_module_members_cant_open_keeps_only_its_text():
    text = guide_example().replace(
        "Pick one you can do today.", "See *[the **boundaries** module](08-boundaries.md)*."
    )
    result = parse_text(text, module_files={**LINKS, "08-boundaries.md": None})

    assert result.problems == ()  # The catalog says why; see test_catalog.py.
    html = result.module.section("one-small-step").parts[0]
    assert "See <em>the <strong>boundaries</strong> module</em>." in html


def test_always_open_marks_a_module_no_schedule_holds_back():
    assert parse(guide_example()).module.is_always_open is False
    module = parse(guide_example().replace("order: 13", "order: 13\nalways_open: true")).module
    assert module.is_always_open is True


def test_every_error_is_reported_not_only_the_first():
    text = (
        guide_example()
        .replace("summary:", "sumary:")
        .replace("- [x] Take ten slow breaths", "- [ ] Take ten slow breaths")
        .replace("Pick one you can do today.", "See [this](09-nothing.md).")
    )
    found = messages(parse(text))
    assert len(found) == 3
    assert [m.split(":")[1] for m in found] == ["5", "22", "28"]


def test_a_file_that_is_not_utf8_is_reported(module_folder):
    path = write_module(module_folder, "13-stress.md", b"---\ntitle: Caf\xe9\n---\n")
    result = parse_file(path)
    assert result.module is None
    assert messages(result) == [
        f"{path}:2: file is not UTF-8 text (bad byte at position 14); save it as UTF-8"
    ]


def test_a_file_over_one_megabyte_is_reported(module_folder):
    path = write_module(module_folder, "13-stress.md", guide_example() + "x" * 1_000_001)
    assert messages(parse_file(path)) == [
        f"{path}:1: file is larger than 1 MB; split it into smaller modules"
    ]


def test_of_two_files_with_one_slug_the_second_is_refused_naming_both(module_folder):
    write_module(module_folder, "13-stress.md", guide_example())
    write_module(module_folder, "14-stress.md", guide_example().replace("order: 13", "order: 14"))
    catalog = Catalog(module_folder)

    assert [m.path.rsplit("/", 1)[-1] for m in catalog.published] == ["13-stress.md"]
    assert [p.message for p in catalog.problems] == [
        ('slug "stress" is already used by 13-stress.md, which keeps it; 14-stress.md is left '
         "out until you give it its own slug"),
    ]


def assert_module_unless_errors(result):
    """A module comes out exactly when every problem, if any, is a broken link."""
    only_links = all(" which is not a module in this folder" in p.message for p in result.problems)
    assert (result.module is not None) == only_links


MARKDOWNISH = st.sampled_from([
    "---", "title: A", "order: 2", "slug: Bad Slug", "objectives: [a", "pass_score: 180",
    "draft: maybe", "## Quiz", "## Sources", "## A step {#pin}", "### Q {#Bad Id}", "### ",
    "- [x] yes", "- [ ] no", "- [X]", "- plain", "  > feedback", "> **Reflect:**",
    "> **Reflect:** Write {#p}", "Choose all that apply.", "(select one)", "[l](x.md#a)",
    "<script>x</script>", "```", "    code", "| a | b |", "|---|---|", "", "\t", "1. item",
    "***", "* [x] star", "[ref]: 08-boundaries.md", "[ref]", "\u0000", "\ufeff", "é\u200b",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWNISH, max_size=40).map("\n".join))
def test_the_parser_never_raises_on_markdown_like_text(text):
    result = parse(text)
    assert_module_unless_errors(result)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_the_parser_never_raises_on_arbitrary_text(text):
    result = parse(text)
    assert_module_unless_errors(result)
    assert all(problem.line >= 1 for problem in result.problems)


MORE_BROKEN = [
    pytest.param(
        lambda t: t + "\n## Quiz\n\n### Another\n\nPick.\n\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        'content/modules/13-stress.md:71: a module has one "## Quiz"', id="second-quiz",
    ),
    pytest.param(
        lambda t: t + "\n## After the quiz\n\nMore reading.\n",
        'content/modules/13-stress.md:71: section "After the quiz" comes after the quiz',
        id="section-after-quiz",
    ),
    pytest.param(
        lambda t: t.replace(
            "  > Acting while your body is on alert often leads to words you regret.",
            "> Acting while your body is on alert often leads to words you regret.",
        ),
        'content/modules/13-stress.md:36: question "a-tense-evening" has options outside its list',
        id="unindented-feedback-splits-the-options",
    ),
    pytest.param(
        lambda t: t.replace("pass_score", "x").replace(
            "minutes: 15", "minutes: 15\npass_score: 0.8"),
        'content/modules/13-stress.md:5: "pass_score" is a percentage: write 80, not 0.8',
        id="pass-score-as-fraction",
    ),
    pytest.param(
        lambda t: t.replace("---\n\nCaring", "---\n\n> **Reflect:** In the intro?\n\nCaring"),
        "content/modules/13-stress.md:11: a reflection prompt must stand on its own in a section",
        id="prompt-in-the-introduction",
    ),
    pytest.param(
        lambda t: t.replace("## One small step", "## One small step {#" + "x" * 61 + "}"),
        'content/modules/13-stress.md:20: id "' + "x" * 61 + '" may use only lower-case',
        id="id-too-long",
    ),
    pytest.param(
        lambda t: t.replace("## One small step", "## Empty\n\n## One small step"),
        'content/modules/13-stress.md:20: section "Empty" is empty', id="empty-section",
    ),
    pytest.param(
        lambda t: t.replace("order: 13", "order: 13\nslug: " + "[" * 600 + "]" * 600),
        "content/modules/13-stress.md:2: front matter could not be read", id="deep-yaml",
    ),
    pytest.param(
        lambda t: t.replace("- [x] A short walk", "1. [x] A short walk").replace(
            "- [x] Talking", "2. [x] Talking").replace("- [ ] Skipping", "3. [ ] Skipping"),
        'content/modules/13-stress.md:52: question "ways-to-ease-stress" has no options; add a '
        'list of "- [ ]" and "- [x]" items (options use "- ", not numbers)',
        id="numbered-options",
    ),
]


@pytest.mark.parametrize(("break_it", "expected"), MORE_BROKEN)
def test_mistakes_that_would_show_answers_or_lose_text_are_errors(break_it, expected):
    result = parse(break_it(guide_example()))
    assert result.module is None
    assert any(message.startswith(expected) for message in messages(result)), messages(result)


def test_a_quiz_heading_may_say_more_than_quiz():
    text = guide_example().replace("## Quiz", "## Quiz: check what you learned")
    assert len(parse(text).module.questions) == 3


def test_a_plain_list_in_the_question_comes_before_the_options():
    text = guide_example().replace(
        "After a hard phone call, your jaw is tight and your heart is racing. "
        "What could help first?",
        "After a hard phone call you notice:\n\n- a tight jaw\n- a racing heart\n\n"
        "What could help?",
    )
    question = parse(text).module.question("a-tense-evening")
    assert "<li>a tight jaw</li>" in question.stem_html
    assert len(question.options) == 3


def test_only_a_sentence_of_its_own_is_taken_as_the_instruction():
    text = guide_example().replace(
        "What could help first?", "She tells you to just pick one"
    )
    question = parse(text).module.question("a-tense-evening")
    assert question.kind == "single"
    assert "She tells you to just pick one" in question.stem_html


def test_options_with_the_same_words_get_different_ids():
    text = guide_example().replace(
        "- [ ] Call your loved one back at once to sort it out.", "- [ ] Yes 2"
    ).replace("- [ ] Ignore it; it will pass by itself.", "- [ ] Yes\n  > n\n- [ ] Yes")
    ids = [o.id for o in parse(text).module.question("a-tense-evening").options]
    assert len(ids) == len(set(ids)) == 4


def test_links_in_prompts_and_options_point_at_module_pages():
    text = guide_example().replace(
        "> **Reflect:** If you like,", "> **Reflect:** See [b](08-boundaries.md). If you like,"
    ).replace("- [ ] Ignore it; it will pass by itself.", "- [ ] Read [b](08-boundaries.md).")
    module = parse(text).module
    assert 'href="/modules/boundaries"' in module.prompts[0].html
    assert 'href="/modules/boundaries"' in module.question("a-tense-evening").options[2].html


def test_images_from_other_sites_are_removed():
    text = guide_example().replace(
        "Pick one you can do today.",
        '![a](https://tracker.example/p.gif) <img src="//t.example/x.gif" alt="t"> '
        "![b](/static/b.png)",
    )
    html = parse(text).module.section("one-small-step").parts[0]
    assert "tracker.example" not in html and "t.example" not in html
    assert 'src="/static/b.png"' in html


def test_windows_line_endings_and_a_bom_read_as_usual():
    result = parse("\ufeff" + guide_example().replace("\n", "\r\n"))
    assert result.problems == ()
    broken = parse(guide_example().replace("summary:", "sumary:").replace("\n", "\r\n"))
    assert messages(broken)[0].startswith("content/modules/13-stress.md:5: unknown")


# Prompts for "My plan" -----------------------------------------------------------------------

SMALL_THING = "> **Reflect:** If you like,"


def test_a_prompt_joins_a_part_of_the_plan_and_keeps_its_id():
    plain = parse(guide_example()).module
    marked = parse(guide_example().replace(
        SMALL_THING, "> **Reflect (My plan: Caring for myself):** If you like,"
    )).module

    prompt = marked.prompts[0]
    assert (prompt.id, prompt.plan) == (plain.prompts[0].id, "Caring for myself")
    assert prompt.text == plain.prompts[0].text
    assert "My plan" not in prompt.html
    assert marked.plan_prompts == (prompt,)
    assert plain.prompts[0].plan is None and plain.plan_prompts == ()


@pytest.mark.parametrize("marker", [
    "**Reflect (my plan: caring for  myself):**", "**Reflect (Plan: Caring for myself)**:",
    "Reflect (My plan: CARING FOR MYSELF):",
])
def test_the_plan_marker_forgives_capitals_spaces_and_a_missing_my(marker):
    text = guide_example().replace(SMALL_THING, f"> {marker} If you like,")
    assert parse(text).module.prompts[0].plan == "Caring for myself"


PLAN_MISTAKES = [
    pytest.param(
        "> **Reflect (My plan: Safety):** If you like,",
        'content/modules/13-stress.md:24: unknown part of the plan "Safety"; did you mean '
        '"Staying safe"? The parts are "Staying safe", "Who I can call", "The boundary I will '
        'keep", "How I will reward not using", "Caring for myself"',
        id="unknown-part",
    ),
    pytest.param(
        "> **Reflect (My plan: Hope):** If you like,",
        'content/modules/13-stress.md:24: unknown part of the plan "Hope"; the parts are '
        '"Staying safe", ',
        id="unknown-part-nothing-close",
    ),
    pytest.param(
        "> **Reflect (My plan:):** If you like,",
        'content/modules/13-stress.md:24: say which part of the plan after "My plan:"',
        id="no-part",
    ),
    pytest.param(
        "> **Reflect (optional):** If you like,",
        'content/modules/13-stress.md:24: "Reflect (optional)": to make this prompt part of My '
        'plan, write "> **Reflect (My plan: Staying safe):** ..."',
        id="not-a-plan-marker",
    ),
    pytest.param(
        "> **Reflect:** (My plan: Staying safe) If you like,",
        'content/modules/13-stress.md:24: "My plan" marks a reflection prompt, in the brackets '
        'after "Reflect"',
        id="marker-after-the-label",
    ),
    pytest.param(
        "> A quote. (My plan: Staying safe) If you like,",
        'content/modules/13-stress.md:24: "My plan" marks a reflection prompt',
        id="marker-on-a-plain-quote",
    ),
]


@pytest.mark.parametrize(("marker", "expected"), PLAN_MISTAKES)
def test_a_plan_marker_that_does_nothing_is_an_error_at_its_line(marker, expected):
    result = parse(guide_example().replace(SMALL_THING, marker))

    assert result.module is None
    assert any(message.startswith(expected) for message in messages(result)), messages(result)


def test_a_plan_marker_outside_a_section_is_reported_once():
    text = guide_example().replace(
        "**Why:** Stress is a signal", "> **Reflect (My plan: Staying safe):** Here?\n\n**Why:** x"
    )

    found = messages(parse(text))

    assert len(found) == 1, found
    assert "a reflection prompt must stand on its own in a section" in found[0]
