"""``python -m geo batch INPUT… -o OUT``: geoparse a corpus on Dask into GeoParquet or JSONL.

Exit status: 0 every document parsed; 2 bad input or usage (nothing done), or some lines or
documents skipped (reported; OUT is still written); 1 internal error or failed partitions
(finished parts kept for a rerun); 130 interrupted (rerun the same command to resume).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from geo.oneline import internal_error

__all__ = ["main", "build_parser"]

FORMATS = ("parquet", "jsonl")
#: Default partition size: a few MB of text keeps a worker's memory small and the
#: progress line and resumption fine-grained, while task overhead stays negligible.
PARTITION_MB = 4.0
#: Default seconds to wait for a scheduler to answer, and for its first worker to join.
CONNECT_S = 30.0
#: Dask settings for the cluster a batch starts itself (an existing cluster keeps its own).
#: By default every worker samples its task thread's stack 100 times a second for the
#: dashboard's profile, every server checks its event loop 50 times a second, the nannies and
#: workers read the workers' memory 10 times a second and the system monitors read the OS
#: twice a second. With the client, scheduler and nannies sharing the workers' cores, that
#: took (idle, CPU time) about 4 % of one core in the client process and 3 % in each worker;
#: with these settings under 1 % and 0.4 %. A batch shows no dashboard, a blocked event loop
#: is still noticed within half a second, and a partition's memory grows in seconds, not ms.
LOCAL_DASK = {"distributed.worker.profile.enabled": False,
              "distributed.admin.tick.interval": "500ms",
              "distributed.worker.memory.monitor-interval": "500ms",
              "distributed.admin.system-monitor.interval": "2s"}


class UsageError(Exception):
    """A problem with the command line or an input; one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m geo batch",
        description="Geoparse many documents on Dask: JSON Lines, CSV, Parquet or folders of "
                    ".txt in, one row per place mention out (GeoParquet, or JSON Lines).",
        epilog="Resumable: finished partitions are kept in OUT.parts/ until OUT is written; "
               "rerun the same command after a failure or Ctrl-C. Exit status: 0 ok, 2 bad "
               "input or skipped lines/documents, 1 internal error, 130 interrupted.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help=".jsonl/.ndjson, .csv, .parquet files, .txt files or folders of .txt")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: jsonl for a .jsonl/.ndjson OUT, else parquet)")
    p.add_argument("--text-field", default="text", help="field/column with the text (text)")
    p.add_argument("--id-field", default="id",
                   help="field/column with the document id (id; else FILE:LINE or FILE:row N)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N",
                       help="local worker processes (default: the number of CPUs)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="use an existing Dask cluster through its scheduler")
    p.add_argument("--connect-timeout", type=float, default=CONNECT_S, metavar="S",
                   help=f"with --scheduler: seconds to wait for the scheduler and a first "
                        f"worker (default {CONNECT_S:g}); a cluster left with no worker "
                        "for the longer of this and 60 s stops the run")
    p.add_argument("--partition-mb", type=float, default=PARTITION_MB, metavar="MB",
                   help=f"input per partition, in MB (default {PARTITION_MB:g})")
    p.add_argument("--demonyms", action="store_true", help="also map demonyms (Syrian → Syria)")
    p.add_argument("--summary", metavar="FILE.json", help="write the summary as JSON")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True,
                   help="progress line on stderr (default on)")
    return p


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    return "jsonl" if Path(args.output).suffix.lower() in (".jsonl", ".ndjson") else "parquet"


def _check_output(out: Path, *more: str | None) -> None:
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{out}: cannot write (no such folder {parent})")
    if out.is_dir():
        raise UsageError(f"{out}: cannot write (is a folder)")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{out}: cannot write (permission denied)")
    for extra in more:
        if extra and not (Path(extra).parent if str(Path(extra).parent) else Path(".")).is_dir():
            raise UsageError(f"{extra}: cannot write (no such folder)")


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _connect(args: argparse.Namespace):
    """A Dask client: on an existing scheduler, or on a new LocalCluster (and the cluster)."""
    from distributed import Client, LocalCluster

    wait = max(0.1, args.connect_timeout)
    if args.scheduler:
        try:
            client = Client(args.scheduler, timeout=f"{wait}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"{args.scheduler}: cannot reach the Dask scheduler ({exc})") \
                from None
        try:
            client.wait_for_workers(1, timeout=wait)
        except TimeoutError:
            client.close()
            raise UsageError(f"{args.scheduler}: no worker joined the scheduler within "
                             f"{wait:g} s") from None
        return client, None
    n = args.workers if args.workers is not None else _cpus()
    if n < 1:
        raise UsageError(f"--workers {n}: need at least 1")
    # One single-threaded process per worker: geoparse is pure Python, so threads would only
    # share one GIL. The scheduler's HTTP endpoint takes any free port: batches may run side
    # by side.
    import dask

    with dask.config.set(LOCAL_DASK):  # the nannies hand these settings to their workers
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        return Client(cluster), cluster


def _print_summary(s: dict[str, Any], stderr: TextIO) -> None:
    print(f"geo batch: {s['documents']:,} documents ({s['characters'] / 1e6:.2f} M chars), "
          f"{s['mentions']:,} mentions, {s['parts']} parts, {s['elapsed_s']:.1f} s "
          f"on {s['workers']} workers → {s['output']}", file=stderr)
    if s["top_countries"]:
        print("  top countries: " + ", ".join(f"{c['country'] or '—'} {c['mentions']:,}"
                                              for c in s["top_countries"][:8]), file=stderr)
    if s["top_places"]:
        print("  top places: " + ", ".join(f"{p['name']} ({p['country'] or '—'}) "
                                           f"{p['mentions']:,}" for p in s["top_places"][:8]),
              file=stderr)
    if s["problem_count"]:
        print(f"  {s['skipped']:,} lines or documents skipped, "
              f"{s['problem_count'] - s['skipped']:,} warnings"
              + ("" if s["problem_count"] <= 20 else " (all listed in --summary)"),
              file=stderr)


def run(args: argparse.Namespace, stderr: TextIO) -> int:
    """Do the work for parsed ``args``."""
    from geo.batch.inputs import InputError, open_inputs, plan
    from geo.batch.output import atomic_write
    from geo.batch.run import run_batch

    out = Path(args.output)
    _check_output(out, args.summary)
    if not args.partition_mb > 0:
        raise UsageError(f"--partition-mb {args.partition_mb}: must be more than 0")
    try:
        sources = open_inputs(args.inputs, args.text_field)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    if any(Path(s.path) == out.resolve() for s in sources):
        raise UsageError(f"{args.output}: is also an input")
    partition_bytes = max(1, int(args.partition_mb * 1e6))
    parts = plan(sources, partition_bytes)
    client, cluster = _connect(args)
    try:
        summary = run_batch(client, sources, parts, out, fmt=_format(args),
                            text_field=args.text_field, id_field=args.id_field,
                            partition_bytes=partition_bytes, demonyms=args.demonyms,
                            stderr=stderr, progress=args.progress,
                            no_worker_s=max(60.0, args.connect_timeout))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if args.summary:
        atomic_write(Path(args.summary),
                     json.dumps(summary, ensure_ascii=False, indent=1).encode("utf-8"))
    _print_summary(summary, stderr)
    return 2 if summary["skipped"] else 0


def main(argv: Sequence[str] | None = None, *, stderr: TextIO | None = None) -> int:
    """Entry point of ``python -m geo batch``; returns the exit status (never raises for bad
    input)."""
    stderr = stderr if stderr is not None else sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from geo.batch.run import BatchFailed

    try:
        return run(args, stderr)
    except UsageError as exc:
        print(f"geo batch: error: {exc}", file=stderr)
        return 2
    except BatchFailed as exc:
        print(f"geo batch: error: {exc}", file=stderr)
        return 1
    except KeyboardInterrupt:
        print(f"geo batch: interrupted; finished parts are kept in {args.output}.parts — run "
              "the same command again to resume", file=stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback; CORDON_DEBUG re-raises
        return internal_error("geo batch", exc, stderr)
