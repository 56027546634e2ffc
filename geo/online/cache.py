"""A small on-disk JSON cache for online geocoder replies.

One JSON object per provider in the cache directory (``CORDON_CACHE`` or
``~/.cache/cordon``), rewritten atomically (temporary file, then rename) so a
crash never leaves half a file. A broken or unwritable cache is logged and
ignored: the cache saves requests, it is never a reason to fail.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from geo.paths import cache_dir

__all__ = ["JsonCache", "cache_dir"]

log = logging.getLogger(__name__)


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class JsonCache:
    """Key → JSON value store persisted to one file.

    Parameters
    ----------
    path : Path
        The JSON file. Created on the first :meth:`put`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._warned = False

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self._data = raw if isinstance(raw, dict) else {}
            except FileNotFoundError:
                self._data = {}
            except (OSError, ValueError) as exc:
                log.warning("online cache %s unreadable (%s); starting empty", self.path, exc)
                self._data = {}
        return self._data

    def get(self, key: str) -> Any | None:
        """The stored value for ``key`` or None."""
        with self._lock:
            entry = self._load().get(key)
        return entry.get("value") if isinstance(entry, dict) else None

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return isinstance(self._load().get(key), dict)

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` and rewrite the file atomically (failures are logged)."""
        with self._lock:
            data = self._load()
            data[key] = {"value": value, "time": int(time.time())}
            try:
                write_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True))
            except OSError as exc:
                if not self._warned:
                    log.warning("online cache %s not writable (%s); not persisted", self.path, exc)
                    self._warned = True
