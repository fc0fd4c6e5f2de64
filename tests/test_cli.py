"""Authors check, list and create modules from the command line."""

import json
import os
from pathlib import Path

import pytest
from helpers import SHIPPED_MODULES, guide_example, write_module


def test_check_passes_the_shipped_modules(runner):
    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    assert "17 module files checked: 17 published, 0 draft, 0 with errors. All good." in (
        result.output
    )


def write_good_and_broken(module_folder):
    """A good module and one with two problems (lines 4 and 29); the broken one's path."""
    write_module(module_folder, "13-stress.md", guide_example())
    broken = guide_example().replace("order: 13", "order: 14\nsumary: x").replace(
        "- [x] Take ten slow breaths", "- [ ] Take ten slow breaths"
    )
    return write_module(module_folder, "14-broken.md", broken)


def test_check_reports_each_problem_with_path_and_line_and_exits_1(runner, module_folder):
    path = write_good_and_broken(module_folder)

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


def test_check_fails_on_a_link_to_a_missing_module_that_still_serves(runner, module_folder):
    path = write_module(module_folder, "13-stress.md", guide_example().replace(
        "Pick one you can do today.", "See [what comes next](14-next.md)."))

    result = runner.invoke(args=["content", "check", str(module_folder)])

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{path}:22: link to "14-next.md", which is not a module in this folder',
        "1 module file checked: 1 published, 0 draft, 1 with errors (1 problem).",
    ]
    listed = runner.invoke(args=["content", "list", str(module_folder)])
    assert listed.output.splitlines()[1].split()[:2] == ["13", "stress"]
    assert "not listed" not in listed.output


def test_check_fails_on_a_link_to_a_draft(runner, module_folder):
    write_module(module_folder, "08-boundaries.md",
                 guide_example().replace("order: 13", "order: 8\ndraft: true"))
    path = write_module(module_folder, "13-stress.md", guide_example().replace(
        "Pick one you can do today.", "See [B](08-boundaries.md)."))

    result = runner.invoke(args=["content", "check", str(module_folder)])

    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f'{path}:22: link to "08-boundaries.md", a draft that members can\'t see yet; '
        "publish it or remove the link"
    )


def test_check_names_both_files_of_a_shared_slug_and_which_keeps_it(runner, module_folder):
    write_module(module_folder, "13-stress.md", guide_example())
    later = write_module(module_folder, "14-again.md", guide_example().replace(
        "order: 13", "order: 14\nslug: stress"))

    result = runner.invoke(args=["content", "check", str(module_folder)])

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (f'{later}:1: slug "stress" is already used by 13-stress.md, which keeps it; '
         "14-again.md is left out until you give it its own slug"),
        "2 module files checked: 1 published, 0 draft, 1 with errors (1 problem).",
    ]
    listed = runner.invoke(args=["content", "list", str(module_folder)])
    assert "1 file has errors and is not listed; run: flask content check" in listed.output


def test_check_reports_a_module_that_turned_invalid_in_the_running_app(
    make_app, module_folder
):
    path = write_module(module_folder, "13-stress.md", guide_example())
    app = make_app(module_folder, COURSE_RELOAD_CONTENT=True)
    client = app.test_client()
    path.write_text(guide_example().replace("minutes: 15", "minutes: [15"))
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))
    assert client.get("/").status_code == 200  # A request picks the change up.

    result = app.test_cli_runner().invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        f"{path}:5: front matter is not valid YAML"
    )
    assert "1 module file checked: 1 published, 0 draft, 1 with errors" in result.output


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
    assert len(rows) == 17
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
    # The check it suggests is of the folder it wrote into.
    assert f'Run "flask content check {module_folder}" after each edit.' in result.output
    check = runner.invoke(args=["content", "check", str(module_folder)])
    assert check.exit_code == 0, check.output
    assert "1 published, 1 draft" in check.output
    listed = json.loads(
        runner.invoke(args=["content", "list", "--json", str(module_folder)]).output
    )
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


# In the author's own language -------------------------------------------------------------------


@pytest.fixture
def spanish_terminal(monkeypatch):
    """A terminal set to Spanish, as an author in Mexico City might have it."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")


def test_check_speaks_the_terminals_language(runner, module_folder, spanish_terminal):
    path = write_good_and_broken(module_folder)

    result = runner.invoke(args=["content", "check", str(module_folder)])

    assert result.exit_code == 1
    # The file, the line and what the author typed stay as they are; the words are Spanish.
    assert result.output.splitlines() == [
        (f'{path}:4: clave desconocida en el encabezado (front matter): "sumary"; '
         '¿quiso decir "summary"?'),
        (f'{path}:29: la pregunta "a-tense-evening" no tiene una opción correcta; '
         "marque una con [x]"),
        ("Se revisaron 2 archivos de módulo: publicados: 1, borradores: 0, con errores: 1 "
         "(2 problemas)."),
    ]


def test_the_shipped_course_checks_clean_in_spanish_with_its_translations(
    runner, spanish_terminal
):
    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        ("Se revisaron 17 archivos de módulo: publicados: 17, borradores: 0, con errores: 0. "
         "Todo bien."),
        "Español: 17 traducciones; al día: 17, atrasadas respecto al inglés: 0, con errores: 0.",
    ]
    listed = runner.invoke(args=["content", "list", "--lang", "es"])
    assert listed.output.splitlines()[0].split()[:4] == ["orden", "slug", "título", "estado"]
    assert "al día" in listed.output.splitlines()[1]


def test_new_says_what_it_wrote_in_spanish(runner, module_folder, spanish_terminal):
    result = runner.invoke(args=["content", "new", "Dinero", "--folder", str(module_folder)])

    assert result.exit_code == 0, result.output
    assert "Es un borrador" in result.output and "flask content check" in result.output


@pytest.mark.parametrize("command", [["content", "check"], ["users", "create"], ["content"]])
def test_help_is_in_the_terminals_language_with_clicks_own_words(command, tmp_path):
    # As an author types it: a new process, its language from the environment.
    env = {key: value for key, value in os.environ.items()
           if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    english = run_flask([*command, "--help"], {**env, "LANG": "C.UTF-8"}, tmp_path)
    spanish = run_flask([*command, "--help"], {**env, "LANG": "es_MX.UTF-8"}, tmp_path)
    also_spanish = run_flask([*command, "--help"], {**env, "LANGUAGE": "es"}, tmp_path)

    assert english.startswith("Usage: flask") and "Show this message and exit." in english
    assert spanish.startswith("Uso: flask") and "Muestra este mensaje y sale." in spanish
    assert "Opciones:" in spanish and "Options:" not in spanish
    assert also_spanish == spanish
    first_line = {("content", "check"): "Revisa", ("users", "create"): "Crea una cuenta",
                  ("content",): "Revisa, lista y crea"}[tuple(command)]
    assert first_line in spanish, spanish


def run_flask(args, env, cwd) -> str:
    import subprocess
    import sys

    flask = Path(sys.executable).parent / "flask"  # The venv's, as `make` installs it.
    done = subprocess.run([str(flask), "--app", "course", *args],
                          env=env, cwd=cwd, capture_output=True, text=True, timeout=60,
                          check=True)
    return done.stdout
