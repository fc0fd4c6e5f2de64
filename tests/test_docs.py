"""The documents hold true: every link in them leads to a file of the repository (never outside
it) and to a heading that is there; every module, path and function ARCHITECTURE.md names
exists; and the import rule it states, views -> services -> models, holds in the code."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import ROOT

DOCUMENTS = ["README.md", "ARCHITECTURE.md", "CONTRIBUTING.md", "content/README.md"]
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
COURSE = ROOT / "course"

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?", re.MULTILINE)
HTML_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def prose(text: str) -> str:
    """The text of a markdown document without its code: fenced blocks and code spans go, so an
    example of a link is not taken for a link."""
    lines, fence = [], None
    for line in text.splitlines():
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
        elif fence is not None and opened and opened.group(1)[0] == fence[0] \
                and len(opened.group(1)) >= len(fence) and not line.strip(" `~"):
            fence = None
        elif fence is None:
            lines.append(line)
            continue
        lines.append("")
    return CODE_SPAN.sub(" ", "\n".join(lines))


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: its words, lower-case, joined by dashes."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors_of(path: Path) -> set[str]:
    """Every heading's anchor in a markdown file (a repeated heading gets -1, -2...)."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in prose(path.read_text(encoding="utf-8")).splitlines():
        match = HEADING.match(line)
        if match:
            anchor = github_anchor(match.group(1))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            anchors.add(anchor if count == 0 else f"{anchor}-{count}")
    return anchors


def links_of(path: Path) -> list[str]:
    text = prose(path.read_text(encoding="utf-8"))
    return [
        target
        for pattern in (INLINE_LINK, REFERENCE, HTML_LINK)
        for target in pattern.findall(text)
    ]


def link_problem(document: Path, target: str) -> str | None:
    """What is wrong with one link of a document, or None when it leads somewhere real."""
    if SCHEME.match(target):
        scheme = target.split(":", 1)[0].lower()
        return None if scheme in ("http", "https", "mailto") else "not a web link"
    path_part, _, anchor = target.partition("#")
    if path_part.startswith("/"):
        return "an absolute path: link relative to the document"
    destination = (document.parent / unquote(path_part)).resolve() if path_part else document
    if not destination.is_relative_to(ROOT):
        return "outside the repository, which a clone does not have"
    if not destination.exists():
        return "no such file in the repository"
    if anchor and destination.suffix == ".md" and anchor not in anchors_of(destination):
        return f"no heading #{anchor} in {destination.relative_to(ROOT)}"
    return None


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_link_leads_to_a_file_of_the_repository(name):
    document = ROOT / name
    problems = [
        f"{name}: ({target}): {problem}"
        for target in links_of(document)
        if (problem := link_problem(document, target))
    ]
    assert problems == []


def test_the_developer_documents_are_linked_from_the_readme():
    links = {target.partition("#")[0] for target in links_of(ROOT / "README.md")}
    assert {"ARCHITECTURE.md", "CONTRIBUTING.md", "content/README.md"} <= links


def test_a_link_outside_the_repository_or_to_a_missing_file_is_caught(tmp_path):
    readme = ROOT / "README.md"
    assert link_problem(readme, "../shared/STYLE.md") is not None
    assert link_problem(readme, "NO-SUCH-FILE.md") is not None
    assert link_problem(readme, "CONTRIBUTING.md#no-such-heading") is not None
    assert link_problem(readme, "/etc/passwd") is not None
    assert link_problem(readme, "CONTRIBUTING.md#write-a-migration") is None
    assert links_of(_write(tmp_path, "`[code](../x.md)`\n\n```\n[code](../y.md)\n```\n")) == []


def _write(folder: Path, text: str) -> Path:
    path = folder / "doc.md"
    path.write_text(text, encoding="utf-8")
    return path


# What ARCHITECTURE.md names. ----------------------------------------------------------------


def architecture() -> str:
    return ARCHITECTURE.read_text(encoding="utf-8")


def test_every_file_architecture_names_exists():
    text = architecture()
    paths = set(re.findall(r"(?<![\w/.<])((?:course|tests|bench)/[\w/]+\.py)\b", text))
    assert paths, "ARCHITECTURE.md names no course/*.py module"
    assert sorted(p for p in paths if not (ROOT / p).is_file()) == []
    # Modules named without their folder ("signup.py uses invitations.py") exist somewhere.
    names = set(re.findall(r"(?<![\w/.<-])(\w+\.py)\b", text))
    known = {path.name for path in ROOT.glob("*.py")} | {path.name for path in COURSE.rglob("*.py")}
    assert sorted(names - known) == []


FILE_SUFFIXES = {"py", "md", "html", "txt", "toml", "json", "csv", "ini", "css"}


def _module_of(dotted: list[str]) -> tuple[object, list[str]] | None:
    """The longest start of a dotted name that is a module of the app, and the rest."""
    for cut in range(len(dotted), 0, -1):
        relative = Path(*dotted[:cut])
        if (COURSE / relative).with_suffix(".py").is_file() or (COURSE / relative).is_dir():
            return importlib.import_module("course." + ".".join(dotted[:cut])), dotted[cut:]
    return None


def test_every_function_architecture_names_exists():
    spans = [match.group(2) for match in CODE_SPAN.finditer(architecture())]
    missing = []
    # `progress.submit_quiz`, `reports.with_cells(board, rows)`: attributes of app modules.
    for span in spans:
        for name in re.findall(r"(?<![\w./])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)", span):
            if name.rpartition(".")[2] in FILE_SUFFIXES:
                continue  # A file's name, checked above.
            found = _module_of(name.split("."))
            if found is None:
                continue
            thing, rest = found
            for part in rest:
                thing = getattr(thing, part, None)
            if thing is None:
                missing.append(name)
    # `quiz_form(module)`, `_finish_step(row, module, score)`: defined in course/ or config.py.
    defined = {
        node.name
        for path in [*COURSE.rglob("*.py"), ROOT / "config.py"]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    for span in spans:
        missing.extend(
            name for name in re.findall(r"(?<![\w.])([A-Za-z_]\w*)\(", span)
            if name not in defined
        )
    assert missing == []



def test_the_statement_counts_architecture_gives_are_those_the_tests_assert():
    """The table of a member's steps in "The path of a quiz answer" against the assertion of
    tests/test_queries.py: a change to either needs the other."""
    tree = ast.parse((ROOT / "tests" / "test_queries.py").read_text(encoding="utf-8"))
    asserted = next(
        ast.literal_eval(node.comparators[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name)
        and node.left.id == "statements" and isinstance(node.comparators[0], ast.Dict)
    )
    table = architecture().split("## The path of a quiz answer", 1)[1]
    documented = [int(n) for n in re.findall(r"^\| [^|]+ \| (\d+)\b", table, re.MULTILINE)]
    assert documented == list(asserted.values()), (
        f"ARCHITECTURE.md counts {documented}; tests/test_queries.py asserts {asserted}"
    )

# The import rule: views -> services -> models, the content engine and helpers on the ground. --

LAYERS = ("ground", "models", "services", "views", "app")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


APP_MODULES = {
    module_name(path): path for path in COURSE.rglob("*.py") if "_shipped" not in path.parts
}
BLUEPRINTS = {path.parent.name for path in COURSE.glob("*/views.py")}
VIEW_HELPERS = {
    "course.health", "course.errors", "course.forms", "course.access", "course.templating",
}


def imports_of(name: str) -> set[str]:
    """The app's modules that one module imports, at its top or inside a function."""
    path = APP_MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in APP_MODULES
                          else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module in APP_MODULES and module != name}


def layer(name: str) -> str:
    parts = name.split(".")
    if name in ("course", "course.cli"):
        return "app"
    if name in VIEW_HELPERS or (len(parts) > 1 and parts[1] in BLUEPRINTS):
        return "views"
    if len(parts) > 1 and parts[1] == "models":
        return "models"
    if (len(parts) > 1 and parts[1] == "content") or name == "course.extensions" \
            or not imports_of(name):
        return "ground"
    return "services"


def test_no_import_runs_upward():
    upward = [
        f"{name} ({layer(name)}) imports {imported} ({layer(imported)})"
        for name in sorted(APP_MODULES)
        for imported in sorted(imports_of(name))
        if LAYERS.index(layer(imported)) > LAYERS.index(layer(name))
    ]
    assert upward == []


def test_the_content_engine_imports_nothing_else_of_the_app():
    engine = [name for name in APP_MODULES if name.startswith("course.content")]
    outside = {
        f"{name} imports {imported}"
        for name in engine
        for imported in imports_of(name)
        if not imported.startswith("course.content")
    }
    assert outside == set()


def test_the_layers_are_what_architecture_says():
    assert layer("course.learn.views") == "views"
    assert layer("course.progress") == "services"
    assert layer("course.sharing") == "services"
    assert layer("course.models.learning") == "models"
    assert layer("course.content.parser") == "ground"
    assert "course.progress" in imports_of("course.learn.views")
