"""The translation catalogs: every word the site shows is translated, the same way.

The messages are extracted from the code and templates as `pybabel extract` would (babel.cfg),
then held to each language's catalog in course/translations/.
"""

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from course.i18n import DEFAULT, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("catalogs") / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "--quiet", "extract", "--mapping-file", str(ROOT / "babel.cfg"),
        "--keyword", "_l", "--keyword", "N_", "--keyword", "_h",
        "--output-file", str(pot), "--no-location", str(ROOT),
    ])
    with pot.open("rb") as file:
        return read_po(file)


def catalog(language: str):
    with (ROOT / "course" / "translations" / language / "LC_MESSAGES" / "messages.po").open(
        "rb"
    ) as file:
        return read_po(file, locale=language)


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


TRANSLATED = [code for code in LANGUAGES if code != DEFAULT]


def test_the_site_marks_its_words_for_translation(extracted):
    # A guard against marking being lost wholesale (a broken babel.cfg, a renamed function).
    assert len(extracted) > 300
    ids = {message.id if isinstance(message.id, str) else message.id[0]
           for message in extracted if message.id}
    assert "Get help now" in ids and "My plan" in ids


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_string_is_translated(extracted, language):
    translations = catalog(language)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        found = translations.get(message.id)
        strings = found.string if found is not None else None
        done = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if found is None or not done or found.fuzzy:
            missing.append(message.id)
    assert missing == [], f"{len(missing)} messages lack a {language} translation"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for message in catalog(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (
            message.string,)
        wanted = set().union(*(placeholders(text) for text in ids))
        for text in strings:
            # A singular form may leave the number out ("un miembro"); no form may add one
            # the code doesn't pass, or drop a name.
            have = placeholders(text)
            if have - wanted or (wanted - have) - {"num", "count"}:
                wrong.append((ids[0], text))
    assert wrong == []
