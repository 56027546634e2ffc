"""Run a planned batch on a Dask client: skip finished parts, submit the rest (one task per
partition, largest first), keep each part as it arrives, show progress, then assemble OUT and
summarise."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from geo.batch.inputs import Partition, Source
from geo.batch.output import Parts, assemble, summarize, timing
from geo.batch.work import run_partition, warm_up

__all__ = ["Progress", "fingerprint", "run_batch", "BatchFailed"]

#: Layout version of the parts folder (a change makes old parts stale). 2: the last
#: partitions of a corpus are smaller (``geo.batch.inputs.plan``), so boundaries moved.
PARTS_VERSION = 2


class BatchFailed(Exception):
    """Some partitions could not be computed; the finished ones are kept for a rerun."""


class Progress:
    """One status line on stderr: parts and documents done, characters per second, time left.

    On a terminal the line is redrawn in place (at most 5 times a second); otherwise a line is
    printed every ``every`` seconds, so logs stay short.
    """

    def __init__(self, parts: int, nbytes: int, stream: TextIO, enabled: bool,
                 every: float = 10.0) -> None:
        self.parts, self.nbytes, self.stream, self.enabled = parts, nbytes, stream, enabled
        self.tty = enabled and stream.isatty()
        self.every = 0.2 if self.tty else every
        self.done_parts = self.docs = self.chars = self.run_bytes = self.bytes_done = 0
        self.t0 = time.monotonic()
        self._last = 0.0

    def skip(self, stats: dict[str, Any]) -> None:
        """Count a partition finished by an earlier run."""
        self.done_parts += 1
        self.docs += stats["docs"]
        self.bytes_done += stats["bytes"]

    def start(self) -> None:
        self.t0 = time.monotonic()

    def update(self, stats: dict[str, Any], force: bool = False) -> None:
        """Count a partition finished now."""
        self.done_parts += 1
        self.docs += stats["docs"]
        self.chars += stats["chars"]
        self.run_bytes += stats["bytes"]
        self.bytes_done += stats["bytes"]
        now = time.monotonic()
        if self.enabled and (force or now - self._last >= self.every
                             or self.done_parts == self.parts):
            self._last = now
            self.stream.write(("\r" if self.tty else "") + self.line(now) + ("" if self.tty
                                                                             else "\n"))
            self.stream.flush()

    def line(self, now: float) -> str:
        spent = max(now - self.t0, 1e-9)
        rate = self.chars / spent
        left = max(0, self.nbytes - self.bytes_done)
        eta = left / (self.run_bytes / spent) if self.run_bytes else float("nan")
        return (f"geo batch: {self.done_parts}/{self.parts} parts, {self.docs:,} documents, "
                f"{_rate(rate)} chars/s, {_clock(eta)} left   ")

    def close(self) -> None:
        if self.tty and self.done_parts:
            self.stream.write("\n")
            self.stream.flush()


def _rate(per_s: float) -> str:
    return f"{per_s / 1e6:.2f} M" if per_s >= 1e6 else f"{per_s / 1e3:.1f} k"


def _clock(seconds: float) -> str:
    if seconds != seconds:  # nan: no rate yet
        return "?"
    s = int(round(seconds))
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def fingerprint(sources: Sequence[Source], parts: Sequence[Partition], options: dict[str, Any],
                index: str) -> dict[str, Any]:
    """What the parts are made from: a rerun may reuse them only when this is unchanged."""
    return {"version": PARTS_VERSION, "index": index, "parts": len(parts), "options": options,
            "inputs": [{"path": s.path, "kind": s.kind, "size": s.size, "mtime_ns": s.mtime_ns}
                       for s in sources]}


def run_batch(client, sources: Sequence[Source], parts: Sequence[Partition], out: Path, *,
              fmt: str, text_field: str, id_field: str, partition_bytes: int, demonyms: bool,
              stderr: TextIO = sys.stderr, progress: bool = True,
              no_worker_s: float = 60.0) -> dict[str, Any]:
    """Geoparse every partition on ``client``'s cluster and write OUT.

    Returns the summary (see :func:`geo.batch.output.summarize`) with ``elapsed_s``,
    ``chars_per_s`` (this run), ``resumed_parts``, ``workers`` and ``timing`` (this run's
    partitions: see :func:`geo.batch.output.timing`) added. Raises
    :class:`BatchFailed` when partitions failed (the others are kept for a rerun), or when
    the cluster has had no worker for ``no_worker_s`` seconds (Dask would wait for ever).
    """
    here = warm_up()  # the client's index: built here first, so local workers find it ready
    # Each worker opens its index now, once (the process keeps it for every later task).
    try:
        theirs = set(client.run(warm_up, fmt == "parquet").values())
    except Exception as exc:  # noqa: BLE001 - typically: the workers cannot import geo
        raise BatchFailed(f"the workers cannot open the geoparser ({type(exc).__name__}: "
                          f"{exc}); install the same Cordon on them, or put it on their "
                          "PYTHONPATH") from None
    if theirs - {here}:
        print(f"geo batch: warning: workers use gazetteer index {', '.join(sorted(theirs))}, "
              f"this machine {here}: if their Cordon code or data differ, so may the results",
              file=stderr)
    options = {"text_field": text_field, "id_field": id_field, "format": fmt,
               "partition_bytes": partition_bytes, "demonyms": demonyms}
    store = Parts(out, fmt)
    kept = store.open(fingerprint(sources, parts, options, here))
    stats: dict[int, dict[str, Any]] = {}
    if kept:
        for p in parts:
            s = store.finished(p.index)
            if s is not None:
                stats[p.index] = s
    total = sum(p.nbytes for p in parts)
    bar = Progress(len(parts), total, stderr, progress)
    for s in stats.values():
        bar.skip(s)
    if stats:
        print(f"geo batch: resuming: {len(stats)} of {len(parts)} parts already done",
              file=stderr)
    todo = [p for p in parts if p.index not in stats]
    failed: list[str] = []
    bar.start()
    # CPU of this process, all threads: with a local cluster, the client, scheduler and nannies
    t0, cpu0 = time.monotonic(), time.process_time()
    shown = 0
    try:
        if todo:
            # Largest first: the small partitions (the corpus's tapered end, short files) come
            # last and fill the gaps, so no worker idles long while another ends a big one.
            # Dask runs higher priorities first; a run's own key prefix keeps its tasks apart
            # from another batch's on a shared cluster.
            order = sorted(todo, key=lambda p: -p.nbytes)
            run = f"geo-batch-{uuid.uuid4().hex[:12]}"
            futures = [client.submit(run_partition, p, text_field=text_field, id_field=id_field,
                                     fmt=fmt, demonyms=demonyms, key=f"{run}-{p.index}",
                                     priority=len(order) - rank)
                       for rank, p in enumerate(order)]
            where = {f.key: p for f, p in zip(futures, order, strict=True)}
            for fut in _arrivals(client, futures, no_worker_s):
                part = where[fut.key]
                try:
                    payload, s = fut.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker, a bug: keep the rest
                    failed.append(f"part {part.index} ({part.source.label}): "
                                  f"{type(exc).__name__}: {exc}")
                    continue
                finally:
                    fut.release()
                store.save(part.index, payload, s)
                stats[part.index] = s
                shown = _show_problems(s, shown, stderr)
                bar.update(s)
    finally:
        bar.close()
    elapsed, client_cpu = time.monotonic() - t0, time.process_time() - cpu0
    if failed:
        for line in failed[:20]:
            print(f"geo batch: error: {line}", file=stderr)
        raise BatchFailed(f"{len(failed)} of {len(parts)} parts failed; the others are kept "
                          f"in {store.dir} — run the same command again to retry")
    ordered = [stats[p.index] for p in parts]
    assemble(store, len(parts), ordered)
    store.clear()
    summary = summarize(ordered)
    run_chars = sum(stats[p.index]["chars"] for p in todo)
    summary.update({"output": str(out), "format": fmt, "elapsed_s": round(elapsed, 3),
                    "chars_per_s": round(run_chars / elapsed) if elapsed > 0 else None,
                    "resumed_parts": len(parts) - len(todo),
                    "workers": len(client.scheduler_info().get("workers", {})),
                    "timing": timing([stats[p.index] for p in todo], client_cpu)})
    return summary


def _arrivals(client, futures: list, no_worker_s: float):
    """The futures as they finish; raises :class:`BatchFailed` when the cluster stays without
    workers (their tasks would wait for ever) for ``no_worker_s`` seconds."""
    from distributed import as_completed

    arrivals = as_completed(futures)
    alone_since = None
    checked = time.monotonic()
    while not arrivals.is_empty():
        if arrivals.has_ready():
            yield from arrivals.next_batch(block=False)
            alone_since = None
            continue
        time.sleep(0.05)
        now = time.monotonic()
        if now - checked < 2.0:
            continue
        checked = now
        if client.scheduler_info(n_workers=1).get("workers"):
            alone_since = None
        elif alone_since is None:
            alone_since = now
        elif now - alone_since > no_worker_s:
            raise BatchFailed(f"the cluster has had no worker for {no_worker_s:g} s; finished "
                              "parts are kept — run the same command again to go on")


#: Problem lines printed on the terminal; the rest are counted (all are in --summary).
SHOW_PROBLEMS = 20


def _show_problems(stats: dict[str, Any], shown: int, stderr: TextIO) -> int:
    for p in stats["problems"]:
        if shown >= SHOW_PROBLEMS:
            break
        who = f" (document {p['doc_id']})" if p["doc_id"] and p["doc_id"] not in p["where"] \
            else ""
        level = "warning" if p["kept"] else "skipped"
        print(f"geo batch: {level}: {p['where']}{who}: {p['message']}", file=stderr)
        shown += 1
    return shown
