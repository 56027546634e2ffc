"""Where the geoparser's files are: the project's data folder (read-only) and the cache
directory (the gazetteer index, the compiled modules, user gazetteers, online look-ups).

Modules that ``geo.compiled`` compiles find the data folder here, not from their own
``__file__``, which is then in the cache directory."""

from __future__ import annotations

import os
from pathlib import Path

#: The project's ``data/`` folder.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def cache_dir() -> Path:
    """The cache directory: ``$CORDON_CACHE`` if set, else ``~/.cache/cordon``."""
    env = os.environ.get("CORDON_CACHE", "").strip()
    return Path(env).expanduser() if env else Path.home() / ".cache" / "cordon"
