"""The offline gazetteer: an SQLite index of folded names built once into the cache dir."""

from geo.gazetteer.index import Index, Record, cache_dir, get_index, index_path

__all__ = ["Index", "Record", "cache_dir", "get_index", "index_path"]
