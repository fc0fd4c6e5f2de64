"""Authors check, list and create modules from the command line."""

import json

from helpers import SHIPPED_MODULES, guide_example, write_module


def test_check_passes_the_shipped_modules(runner):
    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    assert "12 module files checked: 12 published, 0 draft, 0 with errors. All good." in (
        result.output
    )


def test_check_reports_each_problem_with_path_and_line_and_exits_1(runner, module_folder):
    write_module(module_folder, "13-stress.md", guide_example())
    broken = guide_example().replace("order: 13", "order: 14\nsumary: x").replace(
        "- [x] Take ten slow breaths", "- [ ] Take ten slow breaths"
    )
    path = write_module(module_folder, "14-broken.md", broken)

    result = runner.invoke(args=["content", "check", str(module_folder)])

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f'{path}:4: unknown front-matter key "sumary"; did you mean "summary"?'
    assert lines[1] == (
        f'{path}:29: question "a-tense-evening" has no correct option; mark one with [x]'
    )
    assert lines[2] == (
        "2 module files checked: 1 published, 0 draft, 1 with errors (2 problems)."
    )


def test_check_fails_on_a_folder_with_no_modules(runner, module_folder):
    result = runner.invoke(args=["content", "check", str(module_folder)])
    assert result.exit_code == 1
    assert "No module files (*.md) found" in result.output


def test_list_shows_every_module_with_its_counts_and_grade(runner):
    result = runner.invoke(args=["content", "list"])

    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.split() == [
        "order", "slug", "title", "min", "sect", "quiz", "refl", "words", "grade",
    ]
    assert len(rows) == 12
    assert rows[0].split()[:2] == ["1", "start-here"]


def test_list_json_gives_numbers_for_authors_tools(runner):
    result = runner.invoke(args=["content", "list", "--json"])

    modules = json.loads(result.output)
    assert len(modules) == len(list(SHIPPED_MODULES.glob("*.md")))
    first = modules[0]
    assert set(first) == {
        "slug", "title", "order", "minutes", "draft", "sections", "questions", "prompts",
        "words", "grade",
    }
    for key in ("order", "minutes", "sections", "questions", "prompts", "words"):
        assert isinstance(first[key], int), key
    assert first["draft"] is False


def test_new_writes_a_draft_that_check_accepts(runner, module_folder):
    write_module(module_folder, "13-stress.md", guide_example())

    result = runner.invoke(
        args=["content", "new", "Money: when to say no", "--folder", str(module_folder)]
    )

    assert result.exit_code == 0, result.output
    path = module_folder / "14-money-when-to-say-no.md"
    assert path.exists()
    check = runner.invoke(args=["content", "check", str(module_folder)])
    assert check.exit_code == 0, check.output
    assert "1 published, 1 draft" in check.output
    listed = json.loads(runner.invoke(args=["content", "list", "--json", str(module_folder)]).output)
    assert {"slug": "money-when-to-say-no", "title": "Money: when to say no", "order": 14} \
        .items() <= listed[1].items()


def test_new_numbers_after_every_file_even_broken_ones_and_keeps_them(runner, module_folder):
    write_module(module_folder, "01-money.md", "keep me")
    write_module(module_folder, "07-later.md", "keep me too")

    result = runner.invoke(args=["content", "new", "Money", "--folder", str(module_folder)])

    assert result.exit_code == 0, result.output
    assert (module_folder / "08-money.md").exists()
    assert (module_folder / "01-money.md").read_text() == "keep me"


def test_new_needs_a_title_with_words(runner, module_folder):
    result = runner.invoke(args=["content", "new", "!!!", "--folder", str(module_folder)])
    assert result.exit_code == 2
    assert "Give the module a title" in result.output
    assert list(module_folder.iterdir()) == []
