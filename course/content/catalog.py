"""The catalog: every module of the content folder, parsed once and looked up by slug."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .model import Module, ParseResult, Problem
from .parser import MAX_BYTES, default_slug, display_path, parse_file, read_front_matter

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
class Snapshot:
    """One consistent state of the content folder. Never changed once built."""

    results: tuple[ParseResult, ...]
    modules: MappingProxyType  # slug -> Module, every valid module, drafts included
    problems: tuple[Problem, ...]

    @property
    def published(self) -> tuple[Module, ...]:
        """Valid, non-draft modules in course order."""
        return tuple(m for m in self.modules.values() if not m.is_draft)


class Catalog:
    """Loads a folder of modules; in reload mode, re-reads files whose stamp changed."""

    def __init__(self, folder: str | Path, *, module_url: str = "/modules/{slug}"):
        self.folder = Path(folder)
        self.module_url = module_url
        self._stamps: dict[Path, tuple[int, int]] = {}
        self._cache: dict[Path, tuple[tuple[int, int], tuple, ParseResult]] = {}
        self.snapshot = self._build()

    # Lookups used by views -------------------------------------------------------------------

    @property
    def published(self) -> tuple[Module, ...]:
        return self.snapshot.published

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.snapshot.problems

    def get(self, slug: str, *, include_drafts: bool = False) -> Module | None:
        """The valid module with this slug, or None; drafts only when asked for."""
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
        try:
            stamps = {path: file_stamp(path) for path in self.files()}
        except OSError:
            stamps = {}
        if stamps == self._stamps:
            return False
        self.snapshot = self._build()
        return True

    def _build(self) -> Snapshot:
        files = self.files()
        self._stamps = {path: file_stamp(path) for path in files}
        slugs = {path.name: _declared_slug(path) for path in files}
        slug_key = tuple(sorted(slugs.items()))
        results = []
        for path in files:
            cached = self._cache.get(path)
            if cached and cached[0] == self._stamps[path] and cached[1] == slug_key:
                results.append(cached[2])
                continue
            result = self._parse(path, slugs)
            self._cache[path] = (self._stamps[path], slug_key, result)
            results.append(result)
        for path in set(self._cache) - set(files):
            del self._cache[path]
        return self._assemble(results)

    def _parse(self, path: Path, slugs: dict[str, str]) -> ParseResult:
        try:
            return parse_file(path, slugs, self.module_url)
        except Exception:  # A parser bug must not take the site down; the author is told.
            log.exception("parsing %s failed", path)
            shown = display_path(path)
            message = "this file could not be parsed (a bug in Family Course; please report it)"
            return ParseResult(shown, None, (Problem(shown, 1, message),))

    @staticmethod
    def _check_links(result: ParseResult, module: Module, modules: dict[str, Module]):
        """Links members could follow must lead to a published module and an existing section."""
        for link in result.links:
            target = modules.get(link.slug)
            if target is None:
                continue  # The target file's own problems are reported.
            if target.is_draft and not module.is_draft:
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

    def _assemble(self, results: list[ParseResult]) -> Snapshot:
        """Check across files (duplicate slugs) and keep the modules that have no problems."""
        problems = [problem for result in results for problem in result.problems]
        by_slug: dict[str, list[ParseResult]] = {}
        for result in results:
            if result.module:
                by_slug.setdefault(result.module.slug, []).append(result)
        modules = {}
        for slug, holders in by_slug.items():
            if len(holders) == 1:
                modules[slug] = holders[0].module
                continue
            for holder in holders:
                others = ", ".join(Path(h.path).name for h in holders if h is not holder)
                problems.append(Problem(
                    holder.path, 1,
                    f'slug "{slug}" is also used by {others}; give each module its own slug',
                ))
        for result in results:
            module = result.module
            if module is None or modules.get(module.slug) is not module:
                continue
            found = list(self._check_links(result, module, modules))
            if found:
                problems.extend(found)
                del modules[module.slug]
        ordered = dict(sorted(modules.items(), key=lambda item: (item[1].order, item[0])))
        return Snapshot(tuple(results), MappingProxyType(ordered), tuple(sorted(problems)))
