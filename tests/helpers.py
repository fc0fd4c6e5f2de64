"""Plain helpers for tests: imported by test files and by conftest (never the other way)."""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import event

from config import database_url
from course.extensions import db
from course.testing import scratch_postgres_database

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_MODULES = ROOT / "content" / "modules"
PASSWORD = "correct horse battery"  # Every account the fixtures make (conftest) has it.


def text_of(response) -> str:
    """The page's HTML with its entities read, so "don't" matches "don&#39;t"."""
    return html.unescape(response.text)


def words(response) -> str:
    """The page's text without its tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def link_in(message, path: str) -> str:
    """The path of the link in an email that starts with `path`, e.g. "/confirm/"."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", message.get_content())
    assert match, f"no {path} link in:\n{message.get_content()}"
    return match.group(1)


@contextmanager
def counting_queries(app) -> Iterator[list[int]]:
    """Count the SQL statements the app's engine runs in the block: `count[0]`."""
    count = [0]

    def before(*_args):
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", before)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(condition: bool, reason: str) -> None:
    """Skip a test whose tool is missing on a laptop; fail it under CI, which installs them all."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must install it (see .ci/run)", pytrace=False)
    pytest.skip(reason)


def guide_example() -> str:
    """The whole example module of the authors' guide, so the guide is tested as it stands."""
    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## A whole example.*?````markdown\n(.*?)````", guide, re.DOTALL)
    assert match, "content/README.md lost its whole example"
    return match.group(1)


def write_module(folder: Path, name: str, text: str | bytes) -> Path:
    """Write a module file into a content folder."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def postgres_server_url() -> str | None:
    """A PostgreSQL server the tests may create databases on, if one is configured."""
    for name in ("COURSE_TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql")):
            return database_url(url)
    return None


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's programs (initdb, pg_ctl), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


class PrivateCluster:
    """A PostgreSQL cluster of a test's own, to stop, start and freeze without touching any
    shared server: data in a temporary folder, listening on a free loopback port."""

    def __init__(self, bin_dir: Path, folder: Path, port: int):
        self.bin_dir, self.folder, self.port = bin_dir, folder, port
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *args: str) -> None:
        command = " ".join(shlex.quote(str(arg)) for arg in args)
        # initdb and postgres refuse to run as root.
        argv = ["su", "postgres", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        """Create the cluster's files: trust authentication, no fsync (it is thrown away)."""
        self._run(self.bin_dir / "initdb", "-D", self.folder / "data", "-U", "postgres",
                  "-A", "trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off")
        self._run(self.bin_dir / "pg_ctl", "-D", self.folder / "data", "-l", self.folder / "log",
                  "-w", "-t", "30", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` ends sessions cleanly, `immediate` is a crash."""
        self._run(self.bin_dir / "pg_ctl", "-D", self.folder / "data", "-m", mode, "-w",
                  "-t", "30", "stop")

    def processes(self) -> list[int]:
        """The postmaster and every process it started (backends, writer, checkpointer...)."""
        pid_file = self.folder / "data" / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # The process ended while we looked.
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Freeze every server process (SIGSTOP), as a hung host would, and thaw them after."""
        pids = self.processes()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in pids:
                os.kill(pid, signal.SIGCONT)


@contextmanager
def private_postgres() -> Iterator[PrivateCluster]:
    """A running throwaway PostgreSQL cluster; stopped and deleted afterwards, whatever happens."""
    bin_dir = postgres_bin_dir()
    require(bin_dir is not None, "PostgreSQL programs not found: apt install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="course-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = PrivateCluster(bin_dir, folder, free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if (folder / "data" / "postmaster.pid").exists():
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """An empty database of the kind the suite runs on, dropped afterwards."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")):
        with scratch_postgres_database(database_url(os.environ["DATABASE_URL"])) as uri:
            yield uri
    else:
        yield f"sqlite:///{folder / 'deployed.db'}"


@dataclass
class Form:
    """A form on a page: where it goes, and the fields a browser would send (no button)."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append(Form(attrs.get("action") or "", method))
        elif not self.forms or "name" not in attrs:
            return
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "image", "reset"):
                self.forms[-1].fields.append((attrs["name"], attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append((self._textarea[0], self._textarea[1]))
            self._textarea = None


def forms_on(html: str) -> list[Form]:
    """Every form on a page, with what it would send as it stands."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


# PDFs that Chromium prints (page.pdf()): how many pages, and what they say. ------------------


def pdf_page_count(data: bytes) -> int:
    """The pages of a PDF that Chromium (Skia) wrote: one uncompressed /Type /Page each."""
    return len(re.findall(rb"/Type\s*/Page\b", data))


def squeezed(text: str) -> str:
    """Text as `pdf_text` gives it: no spaces, and ligatures ("ﬁ") as their letters."""
    import unicodedata  # Here, not at the top: this file's top is other helpers' to keep.

    return "".join(unicodedata.normalize("NFKC", text).split())


def _pdf_stream(body: bytes) -> bytes:
    import zlib

    found = re.search(rb"(?s)stream\r?\n(.*?)\r?\nendstream", body)
    if not found:
        return b""
    raw = found[1]
    return zlib.decompress(raw) if b"/FlateDecode" in body[: found.start()] else raw


def _pdf_unicode_maps(objects: dict[int, bytes]) -> dict[int, dict[int, str]]:
    """Each font's glyph codes to the characters they draw (its ToUnicode CMap), by font."""
    maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if not ref:
            continue
        cmap = _pdf_stream(objects[int(ref[1])]).decode("latin-1")
        mapping: dict[int, str] = {}
        for block in re.findall(r"(?s)beginbfchar(.*?)endbfchar", cmap):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
        for block in re.findall(r"(?s)beginbfrange(.*?)endbfrange", cmap):
            for low, high, dst in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                first = bytes.fromhex(dst).decode("utf-16-be")
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    mapping[code] = first[:-1] + chr(ord(first[-1]) + offset)
        maps[number] = mapping
    return maps


def pdf_text(data: bytes) -> str:
    """The text of a PDF Chromium printed, in drawing order, `squeezed`: Skia sets words apart
    by position rather than with spaces, and draws each glyph by its font's own code."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(?s)(\d+) 0 obj(.*?)endobj", data)}
    maps = _pdf_unicode_maps(objects)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for block in re.findall(rb"(?s)/Font\s*<<(.*?)>>", body):
            for name, number in re.findall(rb"/(\w+) (\d+) 0 R", block):
                fonts[name] = maps.get(int(number), {})
    import zlib

    drawn: list[str] = []
    for body in objects.values():
        if b"stream" not in body or b"/ToUnicode" in body:
            continue
        try:
            content = _pdf_stream(body)
        except zlib.error:
            continue  # A font or an image, not a page's content.
        mapping: dict[int, str] = {}
        for token in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>", content):
            if token[1]:
                mapping = fonts.get(token[1], {})
            else:
                codes = token[2].decode()
                drawn.extend(mapping.get(int(codes[i:i + 4], 16), "")
                             for i in range(0, len(codes), 4))
    return squeezed("".join(drawn))


def make_group(app, make_staff, make_member, **settings):
    """Dana's group (with these cohort settings): the Riveras (Ana, Luis) and the Chens (May).
    Returns dana, cohort, ana, luis, may."""
    from course.models import Cohort, CohortFacilitator

    dana = make_staff()
    with app.app_context():
        cohort = Cohort(name="Tuesday group", **settings)
        cohort.facilitators.append(CohortFacilitator(user_id=dana.id, is_owner=True))
        db.session.add(cohort)
        db.session.commit()
        db.session.refresh(cohort)
        db.session.expunge(cohort)
    ana = make_member("Ana", cohort=cohort)
    luis = make_member("Luis", family=ana.membership.family)
    may = make_member("May", cohort=cohort)
    return dana, cohort, ana, luis, may


def write_translation(folder: Path, lang: str, name: str, text: str) -> Path:
    """Write a module's translation into the content folder's `lang` folder (content/modules/es)."""
    (folder / lang).mkdir(exist_ok=True)
    return write_module(folder / lang, name, text)


def right_answers(app, slug) -> dict:
    """The quiz form's fields with every question of a module answered right."""
    from course.content.ext import current_catalog

    with app.app_context():
        module = current_catalog().get(slug)
        return {f"q-{q.id}": sorted(q.correct_ids) for q in module.questions}
