"""The catalog: every module of the content folder, parsed once and looked up by slug."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .checks import check_module
from .front_matter import default_slug, read_front_matter
from .languages import LANGUAGES, SOURCE
from .model import N_, Module, ParseResult, Problem
from .parity import compare, stale
from .parser import MAX_BYTES, display_path, parse_file

log = logging.getLogger(__name__)


def file_stamp(path: Path) -> tuple[int, int]:
    """What tells a changed file apart: its modification time and size."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _declared_slug(path: Path) -> str:
    """The slug a file asks for, read cheaply, so links between modules can be resolved."""
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_BYTES:
            raise ValueError
        slug = read_front_matter(raw.decode("utf-8-sig")).data.get("slug")
    except (OSError, ValueError):  # Unreadable files are reported when parsed.
        slug = None
    return slug if isinstance(slug, str) and slug else default_slug(path.name)


@dataclass(frozen=True)
class FileEntry:
    """One module file as the catalog sees it: what members get from it, and what is wrong."""

    path: str
    module: Module | None  # What is served from this file; None when it is left out.
    problems: tuple[Problem, ...] = ()
    is_last_good: bool = False  # The file has errors; members get its last good version.

    @property
    def consequence(self) -> str:
        """What the file's problems mean for members, in a few words for the log."""
        if self.module is None:
            return "the module is left out"
        if self.is_last_good:
            return "members get its last good version until it is fixed"
        return "the module is still served; any link members can't follow shows as plain text"


@dataclass(frozen=True)
class Translation:
    """One translation file (content/modules/<lang>/<English file name>) as the catalog sees it.

    It is served, in place of its English module, only when it has no error of format or parity
    (`module` is then the translation, with its English module's slug, order, schedule, draft
    state and pass score); otherwise members get the English. An English file newer than the
    translation is a warning: the translation is still served.
    """

    lang: str
    path: str
    module: Module | None  # What is served from this file; None when members get the English.
    problems: tuple[Problem, ...] = ()  # Errors, in line order.
    warnings: tuple[Problem, ...] = ()  # The English changed since: "behind the English".
    slug: str | None = None  # The English module's, when members can open it.
    parsed: Module | None = None  # The translation as read, served or not (for its counts).

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    @property
    def state(self) -> str:
        """"in step", "behind the English" or "errors"."""
        if self.problems:
            return "errors"
        return "behind the English" if self.warnings else "in step"

    @property
    def consequence(self) -> str:
        """What the file's problems mean for members, in a few words for the log."""
        if self.module is None:
            return "members get the English module until it is fixed"
        return "the translation is still served"


@dataclass(frozen=True)
class Snapshot:
    """One consistent state of the content folder. Never changed once built."""

    entries: tuple[FileEntry, ...]  # One a file, in file-name order.
    modules: MappingProxyType  # slug -> Module, every served module, drafts included
    problems: tuple[Problem, ...]
    # lang -> its Translation entries, in file-name order (English is not listed).
    translations: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # lang -> slug -> the translation served in place of the English module.
    localized: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def published(self) -> tuple[Module, ...]:
        """Served, non-draft modules in course order."""
        return tuple(m for m in self.modules.values() if not m.is_draft)


EMPTY = Snapshot((), MappingProxyType({}), ())


def _by_line(problems) -> tuple[Problem, ...]:
    """Problems without repeats, in line order; those of one line in the order found."""
    return tuple(sorted(dict.fromkeys(problems), key=lambda problem: problem.line))


def _key_line(path: Path, key: str) -> int:
    """The line of a front-matter key in a file, or 1."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, ValueError):
        return 1
    return read_front_matter(text.replace("\r\n", "\n")).key_lines.get(key, 1)


def _snapshot(entries: list[FileEntry]) -> Snapshot:
    """The snapshot of these entries: served modules in course order, and every problem."""
    modules = sorted(
        (entry.module for entry in entries if entry.module), key=lambda m: (m.order, m.slug)
    )
    return Snapshot(
        tuple(entries),
        MappingProxyType({module.slug: module for module in modules}),
        tuple(sorted(problem for entry in entries for problem in entry.problems)),
    )


def _offers(
    results: list[ParseResult], before: dict[str, Module]
) -> dict[str, tuple[Module, bool]]:
    """What each file would serve, by path: the module it parsed to, else the last good
    version it served before (marked True)."""
    offers: dict[str, tuple[Module, bool]] = {}
    for result in results:
        if result.module is not None:
            offers[result.path] = (result.module, False)
        elif result.path in before:
            offers[result.path] = (before[result.path], True)
    return offers


def _slug_clashes(
    offers: dict[str, tuple[Module, bool]], holder: dict[str, str]
) -> dict[str, list[Problem]]:
    """The files refused a slug another file keeps, by path, each with the problem to report.
    A slug stays with the file holding it (`holder`, by slug), else goes to the first file."""
    by_slug: dict[str, list[str]] = {}
    for path, (module, _) in offers.items():
        by_slug.setdefault(module.slug, []).append(path)
    problems: dict[str, list[Problem]] = {}
    for slug, paths in by_slug.items():
        keeper = holder[slug] if holder.get(slug) in paths else paths[0]
        for path in paths:
            if path != keeper:
                problems.setdefault(path, []).append(Problem(path, 1, N_(
                    'slug "%(slug)s" is already used by %(keeper)s, which keeps it; '
                    "%(file)s is left out until you give it its own slug",
                    slug=slug, keeper=Path(keeper).name, file=Path(path).name,
                )))
    return problems


class Catalog:
    """Loads a folder of modules, and the translations in each of `languages` from its
    sub-folder (content/modules/es/); in reload mode, re-reads files whose stamp changed.

    A fault in one file stays in that file: while the app runs, a file that turns invalid keeps
    its last good version serving, a newcomer can't take a slug from the module serving it, and
    a link to a module members can't open shows as plain text.
    """

    def __init__(
        self, folder: str | Path, *, module_url: str = "/modules/{slug}",
        languages: tuple[str, ...] | list[str] = (SOURCE,),
    ):
        self.folder = Path(folder)
        self.module_url = module_url
        unknown = [lang for lang in languages if lang not in LANGUAGES]
        if unknown:
            log.warning("no module keywords for %s; their translations are not read", unknown)
        # The languages translations are read for, each from its folder (content/modules/es).
        self.translation_languages = tuple(
            lang for lang in dict.fromkeys(languages) if lang in LANGUAGES and lang != SOURCE
        )
        self._stamps: dict[Path, tuple[int, int]] = {}
        self._cache: dict[tuple, ParseResult] = {}
        self._lock = threading.Lock()
        self.snapshot = EMPTY
        self.snapshot = self._build(self._current_stamps())

    # Lookups used by views -------------------------------------------------------------------

    @property
    def published(self) -> tuple[Module, ...]:
        return self.snapshot.published

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.snapshot.problems

    def get(
        self, slug: str, *, include_drafts: bool = False, lang: str = SOURCE
    ) -> Module | None:
        """The served module with this slug, or None; drafts only when asked for. In another
        language, its translation when one is served, else the English module: a caller tells
        a fallback by `module.lang != lang`."""
        module = self.snapshot.modules.get(slug)
        if module is None or (module.is_draft and not include_drafts):
            return None
        return self.snapshot.localized.get(lang, {}).get(slug, module)

    def localized(self, lang: str) -> tuple[Module, ...]:
        """The published modules in course order, each in `lang` where a translation is served,
        else in English (`module.lang` says which)."""
        served = self.snapshot.localized.get(lang, {})
        return tuple(served.get(module.slug, module) for module in self.published)

    def translations(self, lang: str) -> tuple[Translation, ...]:
        """Every translation file of a language with its state, in file-name order."""
        return self.snapshot.translations.get(lang, ())

    def translation_of(self, entry: FileEntry, lang: str) -> Translation | None:
        """The translation of an English module file, or None when there is none yet."""
        name = Path(entry.path).name
        return next((t for t in self.translations(lang) if t.file_name == name), None)

    def translation_folder(self, lang: str) -> Path:
        return self.folder / lang

    def untranslated(self, lang: str) -> tuple[FileEntry, ...]:
        """The English module files served with no translation file in `lang` yet."""
        names = {t.file_name for t in self.translations(lang)}
        return tuple(
            entry for entry in self.snapshot.entries
            if entry.module is not None and Path(entry.path).name not in names
        )

    def translation_counts(self, lang: str) -> dict[str, int]:
        """How many translation files a language has, and how many are in each state."""
        states = [translation.state for translation in self.translations(lang)]
        return {"translations": len(states), "in_step": states.count("in step"),
                "behind_the_english": states.count("behind the English"),
                "with_errors": states.count("errors")}

    # Loading ---------------------------------------------------------------------------------

    def files(self) -> list[Path]:
        """The English module files."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("*.md") if p.is_file())

    def translation_files(self, lang: str) -> list[Path]:
        """The translation files of a language."""
        folder = self.translation_folder(lang)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.md") if p.is_file())

    def refresh(self) -> bool:
        """Rebuild when a file was added, removed or changed; say whether anything changed."""
        with self._lock:  # Two requests at once must not build from the same old state.
            stamps = self._current_stamps()
            if stamps == self._stamps:
                return False
            self.snapshot = self._build(stamps)
            return True

    def _current_stamps(self) -> dict[Path, tuple[int, int]]:
        stamps = {}
        translated = [path for lang in self.translation_languages
                      for path in self.translation_files(lang)]
        for path in self.files() + translated:
            try:
                stamps[path] = file_stamp(path)
            except OSError:
                continue  # Removed since the folder was listed: it is gone.
        return stamps

    def _build(self, stamps: dict[Path, tuple[int, int]]) -> Snapshot:
        self._stamps = stamps
        english = [path for path in stamps if path.parent == self.folder]
        declared = {path.name: _declared_slug(path) for path in english}
        used: dict[tuple, ParseResult] = {}
        results = {path: self._parse_once(path, declared, used) for path in english}
        offers, problems = self._choose(list(results.values()))
        served = {Path(module.path).name: module for module, _ in offers.values()}
        entries = []
        for path, result in results.items():
            found = list(problems.get(result.path, ()))
            module, is_last_good = offers.get(result.path, (None, False))
            if module is not None and not is_last_good:
                found += self._check_links(result, module, served)
                linkable = self._linkable(result, module, served, declared)
                if linkable != declared:
                    # Parsed again so that links members can't follow show as their text alone.
                    module = self._parse_once(path, linkable, used).module or module
            entries.append(FileEntry(
                result.path, module, tuple(sorted(set(result.problems) | set(found))), is_last_good
            ))
        snapshot = _snapshot(entries)
        translations, localized = {}, {}
        for lang in self.translation_languages:
            paths = sorted(p for p in stamps if p.parent == self.translation_folder(lang))
            if not paths and not self.translation_folder(lang).is_dir():
                continue
            found_translations = [
                self._translation(path, lang, served, declared, used) for path in paths
            ]
            translations[lang] = tuple(found_translations)
            localized[lang] = MappingProxyType({
                t.slug: t.module for t in found_translations if t.module and t.slug
            })
        self._cache = used
        return replace(
            snapshot, translations=MappingProxyType(translations),
            localized=MappingProxyType(localized),
        )

    def _translation(
        self, path: Path, lang: str, served: dict[str, Module], declared: dict[str, str],
        used: dict[tuple, ParseResult],
    ) -> Translation:
        """A translation file checked against the English module members get from the file of
        the same name: served when it has no error of its own or of parity."""
        result = self._parse_once(path, declared, used, lang)
        shown = result.path
        english = served.get(path.name)
        if path.name not in declared:
            return Translation(lang, shown, None, (Problem(shown, 1, N_(
                'there is no English module "%(file)s" to translate; a translation has the '
                "file name of its English module",
                file=path.name,
            )),))
        if english is None:
            return Translation(lang, shown, None, (Problem(shown, 1, N_(
                'the English module "%(file)s" is left out for its own errors, so its '
                "translation is too; fix that file",
                file=path.name,
            )),))
        module = result.module
        if module is None:
            return Translation(lang, shown, None, _by_line(result.problems), slug=english.slug)
        module = replace(
            module, slug=english.slug, order=english.order, pass_score=english.pass_score,
            is_draft=english.is_draft, is_always_open=english.is_always_open,
        )
        errors = compare(english, module, shown)
        links = list(self._check_links(result, module, served))
        linkable = self._linkable(result, module, served, declared)
        if linkable != declared:
            relinked = self._parse_once(path, linkable, used, lang).module
            if relinked is not None:
                module = replace(
                    relinked, slug=english.slug, order=english.order,
                    pass_score=english.pass_score, is_draft=english.is_draft,
                    is_always_open=english.is_always_open,
                )
        warning = stale(english, module, shown, _key_line(path, "translated_from"))
        problems = _by_line((*result.problems, *errors, *links))
        # Like an English module's, what the content checks and link checks find is the
        # author's to fix but keeps the translation serving; format and parity errors don't.
        served_module = None if errors else module
        return Translation(
            lang, shown, served_module, problems, (warning,) if warning else (), english.slug,
            module,
        )

    def _parse_once(
        self, path: Path, module_files: Mapping[str, str | None], used: dict[tuple, ParseResult],
        lang: str = SOURCE,
    ) -> ParseResult:
        """The file parsed with these links, from the last build's results when its stamp and
        links are unchanged; what this build uses is noted in `used`."""
        key = (path, self._stamps[path], tuple(sorted(module_files.items())), lang)
        if key not in used:
            used[key] = self._cache.get(key) or self._parse(path, module_files, lang)
        return used[key]

    def _parse(
        self, path: Path, module_files: Mapping[str, str | None], lang: str = SOURCE
    ) -> ParseResult:
        try:
            if lang == SOURCE:
                result = parse_file(path, module_files, self.module_url)
            else:
                result = parse_file(path, module_files, self.module_url, lang=lang)
        except Exception:  # A parser bug must not take the site down; the author is told.
            log.exception("parsing %s failed", path)
            shown = display_path(path)
            message = N_(
                "this file could not be parsed (a bug in Family Course; please report it)"
            )
            return ParseResult(shown, None, (Problem(shown, 1, message),))
        return self._check(path, result)

    @staticmethod
    def _check(path: Path, result: ParseResult) -> ParseResult:
        """Add what the content checks find (size, safety, honesty) to a module that parsed. Like
        a broken link, such a problem is the author's to fix but never keeps the module away."""
        if result.module is None:
            return result
        try:
            found = check_module(result.module, path.read_bytes().decode("utf-8-sig"))
        except OSError:
            return result  # Gone since it was parsed: the next refresh tells.
        except Exception:  # A bug in a check must not hide a module that parsed.
            log.exception("checking %s failed", path)
            found = [Problem(result.path, 1, N_(
                "the content checks failed on this file (a bug in Family Course; please report it)"
            ))]
        return replace(result, problems=tuple(sorted(set(result.problems) | set(found))))

    def _choose(
        self, results: list[ParseResult]
    ) -> tuple[dict[str, tuple[Module, bool]], dict[str, list[Problem]]]:
        """The module each file serves, as (module, is it a last good version), by path.

        A file with errors keeps serving what it served before. A slug goes to the file already
        serving it, else to the file whose name sorts first; any other file asking for it is
        refused, and keeps its last good version if it has one.
        """
        before = {entry.path: entry.module for entry in self.snapshot.entries if entry.module}
        offers = _offers(results, before)
        problems = _slug_clashes(offers, {module.slug: path for path, module in before.items()})
        for path in problems:
            del offers[path]
            last_good = before.get(path)
            if last_good is not None and last_good.slug not in {m.slug for m, _ in offers.values()}:
                offers[path] = (last_good, True)
        return offers, problems

    @staticmethod
    def _check_links(result: ParseResult, module: Module, served: dict[str, Module]):
        """Links members could follow must lead to a module they can open and a real section."""
        for link in result.links:
            target = served.get(link.file_name)
            if target is None:
                yield Problem(result.path, link.line, N_(
                    'link to "%(file)s", a module members can\'t open because of its '
                    "own problems; fix that file",
                    file=link.file_name,
                ))
            elif target.is_draft and not module.is_draft:
                yield Problem(result.path, link.line, N_(
                    'link to "%(file)s", a draft that members can\'t see yet; '
                    "publish it or remove the link",
                    file=link.file_name,
                ))
            elif link.anchor and target.section(link.anchor) is None:
                yield Problem(result.path, link.line, N_(
                    'link to "%(file)s#%(anchor)s", but that module has no section '
                    '"%(anchor)s"; the section ids are: %(ids)s',
                    file=link.file_name, anchor=link.anchor,
                    ids=", ".join(section.id for section in target.sections),
                ))

    @staticmethod
    def _linkable(
        result: ParseResult, module: Module, served: dict[str, Module], declared: dict[str, str]
    ) -> dict[str, str | None]:
        """The folder's file names mapped to the slug a link from this module should lead to,
        or to None where members could not follow it."""
        linkable: dict[str, str | None] = dict(declared)
        for link in result.links:
            target = served.get(link.file_name)
            if target is None or (target.is_draft and not module.is_draft):
                linkable[link.file_name] = None
            else:
                linkable[link.file_name] = target.slug
        return linkable
