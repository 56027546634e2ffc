"""The offline gazetteer: an SQLite index of folded names built once into the cache dir, and
the user gazetteers added on top of it (``add_gazetteer``, ``list_gazetteers``,
``remove_gazetteer``; imported on first use, so ``import geo`` stays fast)."""

from geo import compiled as _compiled
from geo.paths import cache_dir

_compiled.subpackage_path(__path__, "gazetteer")  # (see geo.compiled)

from geo.gazetteer.index import Index, Record, get_index, index_path  # noqa: E402

__all__ = ["GazetteerError", "GazetteerInfo", "Index", "Record", "add_gazetteer",
           "add_gazetteer_bytes", "cache_dir",
           "get_index", "index_path", "list_gazetteers", "remove_gazetteer"]

_LAZY = {"GazetteerError": "geo.gazetteer.formats", "GazetteerInfo": "geo.gazetteer.registry",
         "add_gazetteer": "geo.gazetteer.user",
         "add_gazetteer_bytes": "geo.gazetteer.user", "list_gazetteers": "geo.gazetteer.user",
         "remove_gazetteer": "geo.gazetteer.user"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geo.gazetteer' has no attribute {name!r}")
