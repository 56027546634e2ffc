"""The parts folder (what makes a batch resumable), the final assembly and the summary.

``OUT.parts/`` beside OUT holds ``plan.json`` (what the parts were made from: inputs with their
size and time, options, gazetteer index) and, per finished partition, ``part-NNNNNN.<fmt>``
then ``part-NNNNNN.json`` (its statistics). Each file is written to a temporary name and
renamed, and the statistics come last, so a partition is finished exactly when its ``.json``
exists: a run killed at any moment leaves only finished parts and temporary files, which the
next run ignores. When the plan differs (other inputs, options or gazetteer), the old parts
are removed and the batch starts afresh.

Assembly streams the parts into OUT one row group at a time (memory: one part), then OUT is
renamed into place and the parts folder removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["Parts", "atomic_write", "assemble", "summarize", "timing"]

_PART = re.compile(r"^(?:part-\d{6}\.(?:json|parquet|jsonl)|plan\.json|\..*\.tmp)$")


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary stream to a temporary file beside ``path``, renamed over it on success."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, "wb") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, then rename)."""
    with atomic_file(path) as fh:
        fh.write(data)


class Parts:
    """The parts folder of one output."""

    def __init__(self, out: Path, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.dir = out.with_name(out.name + ".parts")

    def data(self, i: int) -> Path:
        return self.dir / f"part-{i:06d}.{self.fmt}"

    def stats_path(self, i: int) -> Path:
        return self.dir / f"part-{i:06d}.json"

    def open(self, fingerprint: dict[str, Any]) -> bool:
        """Make the folder ready for this plan; True when earlier parts were kept."""
        plan_file = self.dir / "plan.json"
        if self.dir.is_dir():
            try:
                old = json.loads(plan_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = None
            if old == fingerprint:
                return True
            self.clear()
        self.dir.mkdir(exist_ok=True)
        atomic_write(plan_file, json.dumps(fingerprint, indent=1, sort_keys=True).encode())
        return False

    def clear(self) -> None:
        """Remove our files from the folder (and the folder when nothing else is in it)."""
        if not self.dir.is_dir():
            return
        for p in self.dir.iterdir():
            if _PART.match(p.name) and p.is_file():
                p.unlink()
        with contextlib.suppress(OSError):
            self.dir.rmdir()

    def finished(self, i: int) -> dict[str, Any] | None:
        """The statistics of partition ``i`` when it was finished before, else None."""
        try:
            stats = json.loads(self.stats_path(i).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stats, dict) or stats.get("part") != i or not self.data(i).exists():
            return None
        return stats

    def save(self, i: int, payload: bytes, stats: dict[str, Any]) -> None:
        """Keep one finished partition: its rows, then its statistics (the "done" mark)."""
        atomic_write(self.data(i), payload)
        atomic_write(self.stats_path(i), json.dumps(stats, ensure_ascii=False).encode())


def assemble(parts: Parts, count: int, stats: Iterable[dict[str, Any]]) -> None:
    """Join parts ``0 … count-1`` into OUT (atomically), in partition order."""
    if parts.fmt == "jsonl":
        with atomic_file(parts.out) as out:
            for i in range(count):
                with open(parts.data(i), "rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
        return
    import pyarrow.parquet as pq

    # The geo metadata of the whole file: the parts' bounding boxes joined.
    boxes = [s["bbox"] for s in stats if s.get("bbox")]
    first = pq.ParquetFile(parts.data(0))
    schema = first.schema_arrow
    meta = dict(schema.metadata or {})
    geo = json.loads(meta[b"geo"])
    col = geo["columns"][geo["primary_column"]]
    if boxes:
        col["bbox"] = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                       max(b[2] for b in boxes), max(b[3] for b in boxes)]
        col["geometry_types"] = ["Point"]
    else:
        col.pop("bbox", None)
        col["geometry_types"] = []
    meta[b"geo"] = json.dumps(geo).encode()
    schema = schema.with_metadata(meta)
    with atomic_file(parts.out) as out:
        writer = pq.ParquetWriter(out, schema, compression="snappy")
        try:
            for i in range(count):
                pf = pq.ParquetFile(parts.data(i))
                for g in range(pf.num_row_groups):
                    table = pf.read_row_group(g)
                    if table.num_rows:
                        writer.write_table(table.cast(schema))
        finally:
            writer.close()


def summarize(stats: Iterable[dict[str, Any]], top: int = 10) -> dict[str, Any]:
    """The batch summary: counts, top countries and places, and the problems."""
    docs = chars = mentions = nproblems = skipped = nparts = 0
    countries: Counter[str] = Counter()
    places: Counter[str] = Counter()
    names: dict[str, tuple[str, str]] = {}
    problems: list[dict[str, Any]] = []
    indexes: set[str] = set()
    rss: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for s in stats:
        nparts += 1
        docs += s["docs"]
        chars += s["chars"]
        mentions += s["mentions"]
        nproblems += s["problem_count"]
        skipped += s["skipped"]
        countries.update(s["countries"])
        for source, (name, cc, n) in s["places"].items():
            places[source] += n
            names.setdefault(source, (name, cc))
        if len(problems) < 1000:
            problems.extend(s["problems"][:1000 - len(problems)])
        indexes.add(s["index"])
        if s.get("rss_mb") is not None:
            key = str(s.get("worker"))
            rss[key] = max(rss.get(key, 0.0), s["rss_mb"])
            cpu[key] = max(cpu.get(key, 0.0), s.get("cpu_s") or 0.0)
    return {
        "documents": docs, "characters": chars, "mentions": mentions, "parts": nparts,
        "top_countries": [{"country": cc, "mentions": n} for cc, n in countries.most_common(top)],
        "top_places": [{"name": names[src][0], "country": names[src][1], "source": src,
                        "mentions": n} for src, n in places.most_common(top)],
        "skipped": skipped, "problem_count": nproblems, "problems": problems,
        "gazetteer_index": sorted(indexes),
        "worker_peak_rss_mb": rss, "worker_cpu_s": cpu,
    }


def timing(stats: Iterable[dict[str, Any]], client_cpu_s: float) -> dict[str, Any]:
    """Where a run's time went, from the statistics of the partitions it computed.

    Parameters
    ----------
    stats : iterable of dict
        Statistics of this run's partitions (with ``started``, ``finished``, ``task_cpu_s``,
        ``cpu_s`` and ``worker``, as :func:`geo.batch.work.run_partition` gives them).
    client_cpu_s : float
        CPU seconds the client process spent during the run.

    Returns
    -------
    dict
        ``client_cpu_s``; ``span_s``, from the first partition started to the last finished;
        ``tail_s``, from the moment the first worker finished its last partition to the end
        (a long tail means one worker ended a large partition while the others had none);
        and per worker (``host:pid``): ``parts``, ``busy_s`` (time inside its tasks),
        ``idle_s`` (the rest of the span: waiting for work, or done), ``task_cpu_s`` (CPU of
        its task thread) and ``process_cpu_s`` (CPU of the whole process since it opened the
        index: the difference is Dask's own threads). Times are the workers' clocks, so on
        several hosts they are as good as the hosts' clock agreement.
    """
    timed = [s for s in stats if "started" in s]
    out: dict[str, Any] = {"client_cpu_s": round(client_cpu_s, 3)}
    if not timed:
        return out
    first = min(s["started"] for s in timed)
    last = max(s["finished"] for s in timed)
    workers: dict[str, dict[str, Any]] = {}
    ends: dict[str, float] = {}
    for s in timed:
        w = workers.setdefault(str(s["worker"]), {"parts": 0, "busy_s": 0.0, "task_cpu_s": 0.0,
                                                   "process_cpu_s": 0.0})
        w["parts"] += 1
        w["busy_s"] += s["finished"] - s["started"]
        w["task_cpu_s"] += s["task_cpu_s"]
        w["process_cpu_s"] = max(w["process_cpu_s"], s["cpu_s"])
        ends[str(s["worker"])] = max(ends.get(str(s["worker"]), first), s["finished"])
    for w in workers.values():
        w["idle_s"] = last - first - w["busy_s"]
        for k in ("busy_s", "idle_s", "task_cpu_s"):
            w[k] = round(w[k], 3)
    out.update(span_s=round(last - first, 3), tail_s=round(last - min(ends.values()), 3),
               workers=workers)
    return out
