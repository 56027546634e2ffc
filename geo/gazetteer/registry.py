"""The list of user gazetteers: ``registry.json`` in the gazetteers directory.

The directory is ``$CORDON_GAZETTEERS``, else ``gazetteers/`` in the cache directory (beside
the shipped index). Each added gazetteer is one SQLite file there with the shipped index's
tables; the registry names them. The registry is rewritten whole to a temporary file and
renamed, under a lock, so readers see the old list or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

REGISTRY = "registry.json"
_WARNED: set[str] = set()


@dataclass(frozen=True, slots=True)
class GazetteerInfo:
    """One user gazetteer as the registry lists it.

    Attributes
    ----------
    name : str
        Its name (the ``<name>`` of ``user:<name>:<id>`` sources).
    format : str
        ``geonames``, ``ocha`` or ``plain``.
    places : int
        Places indexed.
    skipped : int
        Lines read but not indexed (GeoNames water, undersea and vegetation features, and
        countries).
    file : str
        The name of the file it was added from.
    added : str
        When (UTC, ISO 8601).
    db : str
        Its SQLite file in the gazetteers directory.
    slot : int
        A number never reused, which keeps its record ids apart from every other's.
    """

    name: str
    format: str
    places: int
    skipped: int
    file: str
    added: str
    db: str
    slot: int


def gazetteers_dir() -> Path:
    """Where user gazetteers live: ``$CORDON_GAZETTEERS`` or ``<cache>/gazetteers``."""
    env = os.environ.get
    how = (env("CORDON_GAZETTEERS"), env("CORDON_CACHE"), env("HOME"))
    folder = _DIRS.get(how)
    if folder is None:
        if how[0]:
            folder = Path(how[0]).expanduser()
        else:
            from geo.paths import cache_dir

            folder = cache_dir() / "gazetteers"
        _DIRS[how] = folder
    return folder


# the folder for each setting of the variables it depends on: every lookup asks for it, and
# building the path (home directory, expansion) cost more than the lookup itself
_DIRS: dict[tuple[str | None, str | None, str | None], Path] = {}


def signature(folder: Path | None = None) -> tuple | None:
    """Changes whenever the registry is rewritten (None when there is none): one ``stat``."""
    folder = folder or gazetteers_dir()
    try:
        st = os.stat(os.path.join(folder, REGISTRY))
    except OSError:
        return None
    return (str(folder), st.st_ino, st.st_mtime_ns, st.st_size)


def read(folder: Path | None = None) -> tuple[list[GazetteerInfo], int]:
    """(the gazetteers, the next free slot). A damaged registry reads as empty, with a
    warning on stderr once."""
    folder = folder or gazetteers_dir()
    path = folder / REGISTRY
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        items = [GazetteerInfo(**{k: e[k] for k in GazetteerInfo.__slots__})
                 for e in doc["gazetteers"]]
        return items, int(doc.get("next_slot", 1))
    except FileNotFoundError:
        return [], 1
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if str(path) not in _WARNED:
            _WARNED.add(str(path))
            print(f"geo: ignoring the damaged list of user gazetteers {path} ({exc})",
                  file=sys.stderr)
        return [], 1


def write(folder: Path, items: list[GazetteerInfo], next_slot: int) -> None:
    """Replace the registry (temporary file, then rename)."""
    doc = {"version": 1, "next_slot": next_slot, "gazetteers": [asdict(i) for i in items]}
    fd, tmp = tempfile.mkstemp(prefix=".registry.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the list itself is no secret
        os.replace(tmp, folder / REGISTRY)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the registry's lock (two adds at once must not lose one another's entry)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as fh:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except ImportError:  # not POSIX: no lock, the rename still keeps the file whole
            pass
        yield
