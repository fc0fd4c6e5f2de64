"""The catalog: every module of the content folder, parsed once and looked up by slug."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from .checks import check_module
from .front_matter import default_slug, read_front_matter
from .model import Module, ParseResult, Problem
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
class Snapshot:
    """One consistent state of the content folder. Never changed once built."""

    entries: tuple[FileEntry, ...]  # One a file, in file-name order.
    modules: MappingProxyType  # slug -> Module, every served module, drafts included
    problems: tuple[Problem, ...]

    @property
    def published(self) -> tuple[Module, ...]:
        """Served, non-draft modules in course order."""
        return tuple(m for m in self.modules.values() if not m.is_draft)


EMPTY = Snapshot((), MappingProxyType({}), ())


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
                problems.setdefault(path, []).append(Problem(
                    path, 1,
                    f'slug "{slug}" is already used by {Path(keeper).name}, which keeps it; '
                    f"{Path(path).name} is left out until you give it its own slug",
                ))
    return problems


class Catalog:
    """Loads a folder of modules; in reload mode, re-reads files whose stamp changed.

    A fault in one file stays in that file: while the app runs, a file that turns invalid keeps
    its last good version serving, a newcomer can't take a slug from the module serving it, and
    a link to a module members can't open shows as plain text.
    """

    def __init__(self, folder: str | Path, *, module_url: str = "/modules/{slug}"):
        self.folder = Path(folder)
        self.module_url = module_url
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

    def get(self, slug: str, *, include_drafts: bool = False) -> Module | None:
        """The served module with this slug, or None; drafts only when asked for."""
        module = self.snapshot.modules.get(slug)
        if module is None or (module.is_draft and not include_drafts):
            return None
        return module

    # Loading ---------------------------------------------------------------------------------

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("*.md") if p.is_file())

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
        for path in self.files():
            try:
                stamps[path] = file_stamp(path)
            except OSError:
                continue  # Removed since the folder was listed: it is gone.
        return stamps

    def _build(self, stamps: dict[Path, tuple[int, int]]) -> Snapshot:
        self._stamps = stamps
        declared = {path.name: _declared_slug(path) for path in stamps}
        used: dict[tuple, ParseResult] = {}
        results = {path: self._parse_once(path, declared, used) for path in stamps}
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
        self._cache = used
        return _snapshot(entries)

    def _parse_once(
        self, path: Path, module_files: Mapping[str, str | None], used: dict[tuple, ParseResult]
    ) -> ParseResult:
        """The file parsed with these links, from the last build's results when its stamp and
        links are unchanged; what this build uses is noted in `used`."""
        key = (path, self._stamps[path], tuple(sorted(module_files.items())))
        if key not in used:
            used[key] = self._cache.get(key) or self._parse(path, module_files)
        return used[key]

    def _parse(self, path: Path, module_files: Mapping[str, str | None]) -> ParseResult:
        try:
            result = parse_file(path, module_files, self.module_url)
        except Exception:  # A parser bug must not take the site down; the author is told.
            log.exception("parsing %s failed", path)
            shown = display_path(path)
            message = "this file could not be parsed (a bug in Family Course; please report it)"
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
            found = [Problem(
                result.path, 1,
                "the content checks failed on this file (a bug in Family Course; please report it)",
            )]
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
                yield Problem(
                    result.path, link.line,
                    f'link to "{link.file_name}", a module members can\'t open because of its '
                    "own problems; fix that file",
                )
            elif target.is_draft and not module.is_draft:
                yield Problem(
                    result.path, link.line,
                    f'link to "{link.file_name}", a draft that members can\'t see yet; '
                    "publish it or remove the link",
                )
            elif link.anchor and target.section(link.anchor) is None:
                yield Problem(
                    result.path, link.line,
                    f'link to "{link.file_name}#{link.anchor}", but that module has no section '
                    f'"{link.anchor}"; the section ids are: '
                    + ", ".join(section.id for section in target.sections),
                )

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
