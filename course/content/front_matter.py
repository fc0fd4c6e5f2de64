"""The front matter of a module file: the YAML block at its top, read with the line of each key
and checked against the table of keys below."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .document import MAX_ID_LENGTH, SLUG_RE, slugify
from .model import N_

DEFAULT_PASS_SCORE = 0.8


@dataclass
class FrontMatter:
    """The front matter block of a file, split from its body."""

    data: dict = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    problems: list[tuple[int, str]] = field(default_factory=list)
    is_unreadable: bool = False
    # Each key's value as written, for values YAML would read as something else (a version like
    # 012345678901 is not a number).
    written: dict[str, str] = field(default_factory=dict)


def read_front_matter(text: str) -> FrontMatter:
    """Split the YAML front matter from the body, keeping line numbers for every key."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return FrontMatter(
            body=text, problems=[(1, N_("front matter must start on the first line with ---"))]
        )
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return FrontMatter(
            body="",
            problems=[
                (1, N_("front matter has no closing ---; add a line with --- after the last key"))
            ],
        )
    front = FrontMatter(body="\n".join(lines[closing + 1 :]), body_line=closing + 2)
    _load(front, "\n".join(lines[1:closing]))
    return front


def _load(front: FrontMatter, source: str) -> None:
    """Read the keys of the YAML source into `front`, or say why they can't be read."""
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.MarkedYAMLError as error:
        front.problems.append(_yaml_problem(error))
        front.is_unreadable = True
        return
    # PyYAML raises more than YAMLError on odd input: any error is the author's to see.
    except (Exception, RecursionError) as error:  # noqa: BLE001
        front.problems.append(
            (2, N_("front matter could not be read: %(error)s", error=type(error).__name__))
        )
        front.is_unreadable = True
        return
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        front.problems.append((2, N_('front matter must be a list of "key: value" lines')))
        return
    for key_node, value_node in node.value:
        _add_key(front, str(key_node.value), 2 + key_node.start_mark.line)
        if isinstance(value_node, yaml.ScalarNode):
            front.written.setdefault(str(key_node.value), str(value_node.value))
    front.data = {str(key): value for key, value in data.items()}


def _yaml_problem(error: yaml.MarkedYAMLError) -> tuple[int, str]:
    mark = error.problem_mark or error.context_mark
    reason = error.problem or error.context or N_("it could not be read")
    return (2 + (mark.line if mark else 0), N_(
        "front matter is not valid YAML: %(reason)s; if a value contains a colon, put it in quotes",
        reason=reason,
    ))


def _add_key(front: FrontMatter, key: str, line: int) -> None:
    if key in front.key_lines:
        also = front.key_lines[key]
        front.problems.append((line, N_(
            'key "%(key)s" appears twice (also on line %(line)s)', key=key, line=also
        )))
    front.key_lines.setdefault(key, line)


# Checks of values: each returns the Module field's value or raises Invalid --------------------

class Invalid(ValueError):
    """A value the module can't use; the message tells the author what to write instead."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message  # As given: str() of the error would lose a Message's template.
        self.line = line  # None: the line of the key.


class Missing(Invalid):
    """A required value that is absent (not reported when the YAML could not be read)."""


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_yes_or_no(value: Any) -> bool:
    return isinstance(value, bool)


def _is_none_or_positive(value: Any) -> bool:
    return value is None or (_is_whole(value) and value > 0)


def _must(test: Callable[[Any], bool], message: str) -> Callable[[Any], Any]:
    """A check that a value passes `test`, with the message for one that doesn't; text is
    stripped."""
    def check(value: Any) -> Any:
        if not test(value):
            raise Invalid(message)
        return value.strip() if isinstance(value, str) else value
    return check


def _title(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Missing(N_('missing title; add "title: ..." to the front matter'))
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise Invalid(N_('"title" must be text'))
    return str(value).strip()


def _slug(value: Any) -> str:
    if value is None or value == "":
        raise Invalid(N_("slug is empty; write one, or remove the line"))
    if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > MAX_ID_LENGTH:
        raise Invalid(N_(
            'slug "%(slug)s" may use only lower-case letters, digits and dashes, '
            'like "boundaries-and-consequences", at most %(length)s long',
            slug=value, length=MAX_ID_LENGTH,
        ))
    return value


def _order(value: Any) -> int:
    if value is None:
        raise Invalid(N_(
            'module has no order; start the file name with a number (like "13-...") '
            'or add "order: 13" to the front matter'
        ), line=1)
    if not _is_whole(value):
        raise Invalid(N_('"order" must be a whole number, like 3'))
    return value


def _objectives(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise Invalid(N_('"objectives" must be a list of lines that start with "- "'))
    return tuple(item.strip() for item in items)


def _pass_score(value: Any) -> float:
    if value is None:
        return DEFAULT_PASS_SCORE
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*%\s*", value):
        value = float(value.strip().rstrip("%"))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise Invalid(N_('"pass_score" must be a percentage from 0 to 100, like 80'))
    if 0 < value <= 1:
        raise Invalid(N_(
            '"pass_score" is a percentage: write %(percent)s, not %(value)s',
            percent=f"{value * 100:g}", value=value,
        ))
    return round(value / 100, 4)


def default_slug(file_name: str) -> str:
    """The slug a file gets when its front matter names none: `08-boundaries.md` -> `boundaries`."""
    stem = Path(file_name).stem
    return slugify(re.sub(r"^\d+[-_ ]*", "", stem) or stem)


def _order_in_name(file_name: str) -> int | None:
    number = re.match(r"^(\d+)", file_name)
    return int(number.group(1)) if number else None


@dataclass(frozen=True)
class Key:
    """A front-matter key: the Module field it fills, its value when absent, and its check."""

    name: str
    field: str
    default: Any  # A function is given the file name.
    check: Callable[[Any], Any]


KEYS = (
    Key("title", "title", None, _title),
    Key("slug", "slug", default_slug, _slug),
    Key("order", "order", _order_in_name, _order),
    Key("minutes", "minutes", None, _must(
        _is_none_or_positive, N_('"minutes" must be a whole number, like 20')
    )),
    Key("summary", "summary", "", _must(
        _is_text, N_('"summary" must be text; put it in quotes')
    )),
    Key("objectives", "objectives", [], _objectives),
    Key("pass_score", "pass_score", None, _pass_score),
    Key("draft", "is_draft", False, _must(_is_yes_or_no, N_('"draft" must be true or false'))),
    Key("always_open", "is_always_open", False, _must(
        _is_yes_or_no, N_('"always_open" must be true or false')
    )),
)
FRONT_MATTER_KEYS = tuple(key.name for key in KEYS)

VERSION_RE = re.compile(r"^[0-9a-f]{12}$")


def _translated_from(value: Any) -> str | None:
    if value is None:
        return None  # Reported by the catalog as "behind the English", with the version to write.
    if not isinstance(value, str) or not VERSION_RE.match(value.strip()):
        raise Invalid(N_(
            '"translated_from" is the English module\'s 12-character version, like '
            '"a6349ac984e2" (flask content list --lang es --json prints it)'
        ))
    return value.strip()


# A translation (content/modules/<lang>/) takes its slug, order, schedule, draft state and pass
# score from its English module; its own are its words, and the English version it follows.
TRANSLATION_KEYS = (
    *(key for key in KEYS if key.name in ("title", "minutes", "summary", "objectives")),
    Key("translated_from", "translated_from", None, _translated_from),
)
TRANSLATION_KEY_NAMES = tuple(key.name for key in TRANSLATION_KEYS)


def check_front_matter(
    front: FrontMatter, file_name: str, *, translation: bool = False
) -> tuple[dict, list[tuple[int, str]]]:
    """Check the keys and values of the front matter: the Module fields, and (line, message)
    for each problem. A field whose value has a problem is left out. A translation's keys are
    its own (TRANSLATION_KEYS); its slug and order are the file name's until the catalog gives
    it its English module's."""
    lines = front.key_lines
    if translation:
        return _check_translation(front, file_name)
    problems = [
        (lines.get(key, 1), _unknown(key)) for key in front.data if key not in FRONT_MATTER_KEYS
    ]
    meta: dict = {}
    for key in KEYS:
        default = key.default(file_name) if callable(key.default) else key.default
        try:
            meta[key.field] = key.check(front.data.get(key.name, default))
        except Invalid as error:
            # Unreadable YAML is reported already; the missing key may be in what couldn't be read.
            if not (isinstance(error, Missing) and front.is_unreadable):
                problems.append((error.line or lines.get(key.name, 1), error.message))
    return meta, problems


def _check_translation(front: FrontMatter, file_name: str) -> tuple[dict, list[tuple[int, str]]]:
    lines = front.key_lines
    problems = [
        (lines.get(key, 1), (
            N_('"%(key)s" comes from the English module; remove it from the translation', key=key)
            if key in FRONT_MATTER_KEYS else _unknown(key, TRANSLATION_KEY_NAMES)
        ))
        for key in front.data if key not in TRANSLATION_KEY_NAMES
    ]
    meta: dict = {"slug": default_slug(file_name), "order": _order_in_name(file_name) or 0}
    for key in TRANSLATION_KEYS:
        value = front.data.get(key.name, key.default)
        if key.name == "translated_from" and value is not None:
            value = front.written.get(key.name, value)
        try:
            meta[key.field] = key.check(value)
        except Invalid as error:
            if not (isinstance(error, Missing) and front.is_unreadable):
                problems.append((error.line or lines.get(key.name, 1), error.message))
    return meta, problems


def _unknown(key: str, names: tuple[str, ...] = FRONT_MATTER_KEYS) -> str:
    close = difflib.get_close_matches(key, names, n=1)
    if close:
        return N_('unknown front-matter key "%(key)s"; did you mean "%(close)s"?',
                  key=key, close=close[0])
    return N_('unknown front-matter key "%(key)s"; the keys are: %(keys)s',
              key=key, keys=", ".join(names))
