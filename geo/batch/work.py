"""What a worker does with one partition: read it, geoparse each document, and return the
part's rows (GeoParquet or JSON Lines bytes) with its statistics — one Dask task, so a
partition's documents never leave the process that read them.

The client writes the returned bytes (atomically) into the parts folder, so workers need read
access to the inputs but no write access anywhere: on a cluster only the inputs must be on a
shared file system.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
import time
from collections import Counter
from typing import Any

from geo.batch.inputs import Doc, Partition, Problem, read_partition

__all__ = ["COLUMNS", "parse_partition", "run_partition", "index_name", "warm_up"]

#: Columns of the output, one row per mention (``geometry`` is the point in GeoParquet;
#: JSON Lines has ``lat`` and ``lon`` instead).
COLUMNS = ("doc_id", "start", "end", "text", "qualifier", "name", "kind", "country",
           "confidence", "source")
#: Problems kept per part (the count is always exact).
MAX_PROBLEMS = 200


def index_name() -> str:
    """What this process geoparses with: the gazetteer index's file name (it names the code
    and data version) and the user gazetteers added on top (``name@added``)."""
    from geo.gazetteer import get_index

    name = get_index().path.name
    try:
        from geo.gazetteer import list_gazetteers

        users = [f"{g.name}@{g.added}" for g in list_gazetteers()]
    except Exception:  # noqa: BLE001 - an unreadable registry is the geoparser's to report
        users = []
    return name + ("+" + ",".join(users) if users else "")


#: This process's CPU time when :func:`warm_up` finished (None before).
_CPU_READY: float | None = None


def warm_up(writer: bool = False) -> str:
    """Open the gazetteer index in this process (building it into the cache if missing), and
    with ``writer`` import geopandas, so the first partition pays for neither. Returns
    :func:`index_name`."""
    global _CPU_READY
    name = index_name()
    if writer:
        import geopandas  # noqa: F401
    _CPU_READY = time.process_time()
    return name


def parse_partition(items: list[Doc | Problem], part: Partition, *, fmt: str,
                    demonyms: bool) -> tuple[bytes, dict[str, Any]]:
    """Geoparse the documents of one partition.

    Parameters
    ----------
    items : list of Doc or Problem
        What :func:`geo.batch.inputs.read_partition` returned, in input order.
    part : Partition
        The partition (its index and size go into the statistics).
    fmt : {"parquet", "jsonl"}
        Format of the returned bytes.
    demonyms : bool
        Passed to :func:`geo.geoparse`.

    Returns
    -------
    (bytes, dict)
        The part's rows, and its statistics: ``part, docs, chars, bytes, mentions,
        countries {cc: n}, places {source: [name, country, n]}, problems [...],
        problem_count, skipped, bbox, index, worker (host:pid), rss_mb, cpu_s`` (the worker
        process's peak memory, and its CPU time since :func:`warm_up`, all threads).
    """
    from geo import geoparse

    rows: dict[str, list] = {c: [] for c in COLUMNS}
    lats: list[float] = []
    lons: list[float] = []
    problems: list[dict[str, Any]] = []
    nproblems = skipped = docs = chars = 0
    countries: Counter[str] = Counter()
    places: dict[str, list] = {}

    def report(p: Problem) -> None:
        nonlocal nproblems, skipped
        nproblems += 1
        skipped += not p.kept
        if len(problems) < MAX_PROBLEMS:
            problems.append({"where": p.where, "doc_id": p.doc_id, "message": p.message,
                             "kept": p.kept})

    for item in items:
        if isinstance(item, Problem):
            report(item)
            continue
        try:  # one bad document must not stop the batch; online lookups are never made here
            mentions = geoparse(item.text, demonyms=demonyms, online=False)
        except Exception as exc:  # noqa: BLE001 - reported by id, then skipped
            report(Problem(item.where, item.doc_id,
                           f"geoparse failed ({type(exc).__name__}: {exc}); document skipped"))
            continue
        docs += 1
        chars += len(item.text)
        for m in mentions:
            for col, value in zip(COLUMNS, (item.doc_id, m.start, m.end, m.text, m.qualifier,
                                            m.name, m.kind, m.country, m.confidence,
                                            m.source), strict=True):
                rows[col].append(value)
            lats.append(m.lat)
            lons.append(m.lon)
            countries[m.country] += 1
            hit = places.get(m.source)
            if hit is None:
                places[m.source] = [m.name, m.country, 1]
            else:
                hit[2] += 1
    bbox = ([min(lons), min(lats), max(lons), max(lats)] if lats else None)
    payload = _parquet(rows, lats, lons) if fmt == "parquet" else _jsonl(rows, lats, lons)
    stats = {"part": part.index, "docs": docs, "chars": chars, "bytes": part.nbytes,
             "mentions": len(lats), "countries": dict(countries), "places": places,
             "problems": problems, "problem_count": nproblems, "skipped": skipped,
             "bbox": bbox, "index": index_name(),
             "worker": f"{socket.gethostname()}:{os.getpid()}", "rss_mb": _peak_rss_mb(),
             "cpu_s": round(time.process_time() - (_CPU_READY or 0.0), 3)}
    return payload, stats


def _peak_rss_mb() -> float | None:
    """This process's peak resident memory so far, in MB (None where unknown)."""
    try:
        import resource
    except ImportError:  # not Unix
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def run_partition(part: Partition, *, text_field: str, id_field: str, fmt: str,
                  demonyms: bool) -> tuple[bytes, dict[str, Any]]:
    """Read and parse one partition: the whole task, as one call.

    The statistics of :func:`parse_partition` gain ``started`` and ``finished`` (this host's
    clock, seconds since the epoch) and ``task_cpu_s`` (CPU time of this thread only): with
    ``cpu_s`` they tell the batch how busy each worker was and what Dask's own threads cost.
    """
    started, cpu0 = time.time(), time.thread_time()
    payload, stats = parse_partition(read_partition(part, text_field, id_field), part, fmt=fmt,
                                     demonyms=demonyms)
    stats.update(started=started, finished=time.time(),
                 task_cpu_s=round(time.thread_time() - cpu0, 4))
    return payload, stats


def _parquet(rows: dict[str, list], lats: list[float], lons: list[float]) -> bytes:
    """GeoParquet bytes through geopandas (imported here: only batch workers pay for it)."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame({
        c: pd.array(rows[c], dtype="int64" if c in ("start", "end") else
                    "float64" if c == "confidence" else "string")
        for c in COLUMNS})
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")
    buf = io.BytesIO()
    gdf.to_parquet(buf, index=False)
    return buf.getvalue()


def _jsonl(rows: dict[str, list], lats: list[float], lons: list[float]) -> bytes:
    out = io.StringIO()
    for i in range(len(lats)):
        rec = {c: rows[c][i] for c in COLUMNS}
        rec["lat"], rec["lon"] = lats[i], lons[i]
        out.write(json.dumps(rec, ensure_ascii=False, allow_nan=False) + "\n")
    return out.getvalue().encode("utf-8")
