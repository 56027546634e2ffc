"""Failures of the store said in one plain line, with the old state intact: a write that
runs out of room, a store left mid-write that this user may not roll back (layers/store.py,
layers/cli_exchange.py).

Running out of room is real, not mocked: the writer runs in a subprocess whose file-size limit
(RLIMIT_FSIZE, as ``ulimit -f`` sets it) is below what the write needs, with SIGXFSZ ignored,
so the write fails with EFBIG at the limit, the way it fails with ENOSPC on a full disk.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from layers.store import Store
from tests.test_store import WRITER_REPORTS, gdal_view, points

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
JARGON = ("sqlite3_", "SELECT", "CREATE", "gpkg_", "GeoPackage?", "Traceback", "It might help")


def limited(limit: int):
    """A preexec_fn: files may not grow past ``limit`` bytes, and passing it is an error
    (EFBIG), not death by SIGXFSZ."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    return apply


ADD = textwrap.dedent("""
    import sys
    from layers import store as st
    from layers.store import Store, StoreError
    from tests.test_store import points
    copy = st._copy_layer
    def announced(con, name):  # say when the layer is staged and the store transaction began
        print("in transaction", flush=True)
        copy(con, name)
    st._copy_layer = announced
    try:
        Store(sys.argv[1]).add_layer("more", points(int(sys.argv[2])), source="big")
    except StoreError as exc:
        print(exc)
    else:
        print("written")
""")


def add_with_limit(path: Path, features: int, limit: int) -> list[str]:
    out = subprocess.run([sys.executable, "-c", ADD, str(path), str(features)], env=ENV,
                         capture_output=True, text=True, timeout=300,
                         preexec_fn=limited(limit))
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def assert_full_message(line: str, path: Path, after: str) -> None:
    assert line.startswith(f"cannot write store '{path}': the disk or folder is full (")
    assert "file-size limit" in line and line.endswith(after)
    assert not any(word in line for word in JARGON)


def assert_old_state(path: Path, ids: list[str], sources: list[str]) -> None:
    store = Store(path)
    assert store.layers() == ["sites"]
    assert list(store.read("sites")["id"]) == ids
    assert list(store.history()["source"]) == sources
    assert gdal_view(path) == {"sites": (len(ids),) * 3, "_history": (len(sources),) * 3}
    with contextlib.closing(sqlite3.connect(path)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    left = [p.name for p in path.parent.iterdir() if p.name != f".{path.name}.lock"]
    assert left == [path.name]  # no staged copy, no journal, no probe file


def test_no_room_to_stage_the_layer_says_the_disk_is_full(tmp_path):
    path = tmp_path / "s.gpkg"
    Store(path).add_layer("sites", points(3), source="first")
    before = path.read_bytes()
    # The store is ~100 KB; the new layer's GeoPackage would be ~5 MB.
    lines = add_with_limit(path, 20000, len(before) + 64 * 1024)
    assert len(lines) == 1, lines  # failed before the store transaction began
    assert_full_message(lines[0], path, "; the store is unchanged")
    assert path.read_bytes() == before
    assert_old_state(path, ["sites-1", "sites-2", "sites-3"], ["first"])


def test_no_room_in_the_store_transaction_leaves_the_old_state(tmp_path):
    path = tmp_path / "s.gpkg"
    Store(path).add_layer("sites", points(20000), source="first")
    before = path.read_bytes()
    # The staged layer (~5 MB, like the store) fits under the limit; the store grown by it
    # does not, so the write fails inside the transaction and is rolled back.
    lines = add_with_limit(path, 20000, int(len(before) * 1.5))
    assert lines[0] == "in transaction" and len(lines) == 2, lines
    assert_full_message(lines[1], path, "; the store is unchanged")
    assert path.read_bytes() == before
    assert_old_state(path, [f"sites-{i}" for i in range(1, 20001)], ["first"])
    Store(path).add_layer("sites", points(1), source="after")  # and it still takes writes
    assert len(Store(path).read("sites")) == 20001


def test_no_room_for_a_new_store_creates_none(tmp_path):
    path = tmp_path / "s.gpkg"
    lines = add_with_limit(path, 20000, 256 * 1024)
    assert_full_message(lines[-1], path, "; no store was created")
    assert [p.name for p in tmp_path.iterdir()] == [".s.gpkg.lock"]


def test_cli_import_with_no_room_is_one_line_exit_2(tmp_path):
    path = tmp_path / "s.gpkg"
    Store(path).add_layer("sites", points(3), source="first")
    before = path.read_bytes()
    # 100,000 points as CSV are 1.5 MB, so reading them fits under 3 MB; as a GeoPackage
    # (rows and spatial index) they take over 5 MB, so the store cannot take them.
    source = tmp_path / "big.csv"
    source.write_text("lat,lon\n" + "".join(f"36.2,{37 + i * 1e-6:.6f}\n"
                                             for i in range(100_000)))
    out = subprocess.run(
        [sys.executable, "-m", "layers", "import", str(source), "--into", "more", "--store",
         str(path)], env=ENV, capture_output=True, text=True, timeout=300, cwd=ROOT,
        preexec_fn=limited(3 * 2**20))
    assert out.returncode == 2, out.stderr
    (line,) = out.stderr.splitlines()
    assert line.startswith(f"error: cannot write store '{path}': the disk or folder is full")
    assert line.endswith("the store is unchanged")
    assert not any(word in line for word in JARGON)
    assert path.read_bytes() == before
    assert Store(path).layers() == ["sites"]


def test_export_with_no_room_is_one_line_exit_2(tmp_path):
    path = tmp_path / "s.gpkg"
    Store(path).add_layer("sites", points(5000), source="first")  # ~1.3 MB as GeoPackage
    for fmt in ("gpkg", "geojson", "csv"):
        target = tmp_path / f"out.{fmt}"
        out = subprocess.run(
            [sys.executable, "-m", "layers", "export", "--user-layers", "sites", "--store",
             str(path), "--format", fmt, "-o", str(target)], env=ENV, capture_output=True,
            text=True, timeout=300, cwd=ROOT, preexec_fn=limited(256 * 1024))
        assert out.returncode == 2, out.stderr
        (line,) = out.stderr.splitlines()
        assert line.startswith(f"error: cannot write '{target}': the disk or folder is full")
        assert line.endswith("nothing was written")
        assert not any(word in line for word in JARGON)
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s.gpkg.lock", "s.gpkg"]


# -- a store left mid-write that this user may not roll back -----------------------------------
@pytest.fixture
def shared_dir(tmp_path) -> Iterator[Path]:
    """A folder the test may make read-only, made writable again afterwards for cleanup."""
    folder = tmp_path / "shared"
    folder.mkdir()
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        for p in folder.iterdir():
            with contextlib.suppress(OSError):
                p.chmod(0o644)


# SQLite's journal header. With synchronous=FULL it is written only when the store file
# itself is about to change; before that the journal is not hot and nothing needs rolling back.
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def killed_mid_transaction(path: Path) -> None:
    """Leave ``path`` with a hot journal: a writer killed inside its store transaction after
    it began changing the store file."""
    journal = Path(f"{path}-journal")
    proc = subprocess.Popen([sys.executable, "-c", WRITER_REPORTS, str(path), "200000"],
                            stdout=subprocess.PIPE, env=ENV)
    assert proc.stdout.readline().strip() == b"in transaction"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError), journal.open("rb") as fh:
            if fh.read(8) == JOURNAL_MAGIC:
                break
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert journal.read_bytes()[:8] == JOURNAL_MAGIC  # hot: the store file was changed


# Runs the rest of its command line bound by file permissions. Root ignores them through
# three capabilities; dropped from the bounding set, they are gone after the exec, so a file
# owned by root with mode 0444 is read-only for it too (switching to another user instead
# would need the interpreter installed where that user can reach it).
UNPRIVILEGED = textwrap.dedent("""
    import ctypes, os, sys
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                sys.exit(77)
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
""")


def unprivileged(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-c", UNPRIVILEGED, *args], env=ENV,
                         capture_output=True, text=True, timeout=120, **kwargs)
    if out.returncode == 77:
        pytest.skip("running as root without the right to give up root's file access")
    return out


READ = textwrap.dedent("""
    import sys
    from layers.store import Store, StoreError
    for call in (lambda s: s.layers(), lambda s: s.read("sites"), lambda s: s.history(),
                 lambda s: s.delete_layer("sites", source="x")):
        try:
            call(Store(sys.argv[1]))
            print("read")
        except StoreError as exc:
            print(exc)
""")


@pytest.mark.parametrize("blocked", ["file", "folder"])
def test_hot_journal_without_write_access_is_one_plain_line(shared_dir, blocked):
    path = shared_dir / "s.gpkg"
    Store(path).add_layer("sites", points(5), source="first")
    killed_mid_transaction(path)
    journal = Path(f"{path}-journal")
    if blocked == "file":  # the store (and its journal) read-only
        path.chmod(0o444)
        journal.chmod(0o444)
    else:  # both files writable, but the journal cannot be deleted from the folder
        path.chmod(0o666)
        journal.chmod(0o666)
        shared_dir.chmod(0o555)
    out = unprivileged(["-c", READ, str(path)])
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert line.startswith(f"store '{path}' has an unfinished write")
        assert "needs write access to" in line and "to roll back" in line
        assert not any(word in line for word in JARGON)
        assert "readonly database" not in line
    named = f"the file '{path}'" if blocked == "file" else f"its folder '{shared_dir}'"
    assert named in lines[0]
    cli = unprivileged(["-m", "layers", "export", "--user-layers", "sites", "--store",
                        str(path), "--format", "csv", "-o", "-"], cwd=ROOT)
    assert cli.returncode == 2 and cli.stdout == ""
    (line,) = cli.stderr.splitlines()
    assert line == f"error: {lines[0]}"
    # Given write access back, the first reader rolls the cut-off write back: the old state.
    shared_dir.chmod(0o755)
    path.chmod(0o644)
    journal.chmod(0o644)
    store = Store(path)
    assert store.layers() == ["sites"]
    assert list(store.read("sites")["id"]) == [f"sites-{i}" for i in range(1, 6)]
    assert list(store.history()["source"]) == ["first"]
    assert not journal.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
