"""Time ``python -m geo batch`` on a generated corpus: 1 worker vs 2, against plain geoparse.

Usage::

    .venv/bin/python benchmarks/geo_batch_bench.py [--mb 200] [--workers 1 2]
        [--partition-mb 4] [--baseline-mb 20] [--no-ceiling] [--dir DIR] [--keep]

The corpus (JSON Lines, ``--mb`` MB) is made of articles of 4–24 sentences drawn at random from
the GeoVirus reports (``../shared/eval/geovirus.jsonl``, when there) and our development set
(``benchmarks/data/cordon-news-dev.jsonl``), in a new order each time, with every digit redrawn
— so no two articles are the same text, though sentences recur (as wire copy does).

Figures printed:

- *single process*: ``geo.geoparse`` called article by article in this process (index open,
  one warm-up article) over the first ``--baseline-mb`` MB of the corpus: characters per
  second of wall-clock time;
- the same per CPU second (``time.process_time``), which a loaded machine disturbs less;
- *plain processes* (the hardware's ceiling, no Dask): the same ``--baseline-mb`` MB geoparsed
  by 1 process, then split in contiguous halves (thirds, …) between N ``multiprocessing``
  processes started together (each opens the index first): characters per second, the
  speed-up N processes reach on this machine at all, and their CPU seconds against 1 process
  (more than 100 % means the cores slow each other down: shared caches, memory, the host);
- for each ``--workers N``: the whole CLI in a fresh process (wall, including cluster start
  and assembly), the processing rate the batch reports (characters per second from the first
  task to the last part kept), that rate per worker as a share of the single-process rate,
  the speed-up over the first worker count, and the peak resident memory of each worker
  process (from the batch summary) and of the CLI process (client + scheduler); and the
  characters per CPU second of the workers (their CPU time after start-up — the index open
  and geopandas imported — so: reading, Dask's own work, parsing, making the parts) against
  the single-process figure;
- for each run, where the CPU seconds went, process by process (sampled with ``psutil``, which
  comes with ``distributed``, every 0.2 s over the whole command): the CLI process (client,
  scheduler and nannies), each worker, anything else (multiprocessing's resource tracker);
  the workers split into their task thread and Dask's own threads (from the batch summary's
  ``timing``); all processes' characters per CPU second against the single process;
- and for each run, the batch's ``timing``: the span from the first partition started to
  the last finished, the *tail* (from the first worker's last partition to the end: the
  others had nothing left to do) and each worker's idle seconds within the span.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT.parent / "shared" / "eval" / "geovirus.jsonl",
           ROOT / "benchmarks" / "data" / "cordon-news-dev.jsonl"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def sentences() -> list[str]:
    """Every sentence of the available news texts."""
    out: list[str] = []
    for path in SOURCES:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text") or ""
            out += [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]
    return out


def make_corpus(path: Path, mb: float, seed: int = 1) -> tuple[int, int]:
    """Write about ``mb`` MB of articles as JSON Lines; (articles, bytes)."""
    rnd = random.Random(seed)
    pool = sentences()
    digits = re.compile(r"\d")
    target = int(mb * 1e6)
    size = n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            body = " ".join(rnd.sample(pool, rnd.randint(4, 24)))
            body = digits.sub(lambda _: str(rnd.randrange(10)), body)
            line = json.dumps({"id": f"art-{n:08d}", "text": body}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            n += 1
    return n, size


def first_texts(path: Path, mb: float) -> list[str]:
    """The texts of the articles in the first ``mb`` MB of the corpus."""
    texts, size = [], 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            size += len(line)
            if size >= mb * 1e6:
                break
    return texts


def baseline(path: Path, mb: float) -> tuple[float, float, int]:
    """Single-process geoparse over the first ``mb`` MB: (chars/s, chars per CPU s, chars)."""
    from geo import geoparse

    texts = first_texts(path, mb)
    geoparse(texts[0])  # open the index
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        geoparse(t, online=False)
    spent, cpu = time.perf_counter() - t0, time.process_time() - c0
    chars = sum(map(len, texts))
    return chars / spent, chars / cpu, chars


def _plain_worker(texts: list[str], start, done) -> None:
    """One plain process: open the index, wait for the others, geoparse, report."""
    from geo import geoparse

    geoparse(texts[0], online=False)
    start.wait()
    t0, c0 = time.monotonic(), time.process_time()  # CLOCK_MONOTONIC: one clock per machine
    for t in texts:
        geoparse(t, online=False)
    done.put((t0, time.monotonic(), time.process_time() - c0))


def plain_processes(texts: list[str], n: int) -> tuple[float, float]:
    """``texts`` split in ``n`` contiguous shares, one fresh process each, started together:
    (wall seconds from the first start to the last end, CPU seconds of all)."""
    ctx = multiprocessing.get_context("spawn")  # fresh processes, as Dask's nannies start
    start, done = ctx.Barrier(n + 1), ctx.Queue()
    step = -(-len(texts) // n)
    procs = [ctx.Process(target=_plain_worker, args=(texts[i * step:(i + 1) * step], start, done))
             for i in range(n)]
    for p in procs:
        p.start()
    start.wait()
    got = [done.get() for _ in procs]
    for p in procs:
        p.join()
    return max(e for _, e, _ in got) - min(s for s, _, _ in got), sum(c for _, _, c in got)


class ProcessCPU:
    """CPU seconds of a process and all its descendants, sampled every ``every`` seconds
    (a process's last sample stands for it once it has gone)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        import psutil  # a dependency of distributed

        self.root = psutil.Process(pid)
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(every,), daemon=True)
        self._thread.start()

    def _poll(self, every: float) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for q in procs:
                try:
                    t = q.cpu_times()
                except psutil.Error:
                    continue
                self.cpu[q.pid] = t.user + t.system
            self._stop.wait(every)

    def stop(self) -> dict[int, float]:
        self._stop.set()
        self._thread.join()
        return self.cpu


def run_batch(corpus: Path, workers: int, partition_mb: float, out_dir: Path) -> dict:
    out = out_dir / f"out-{workers}.parquet"
    summary = out_dir / f"summary-{workers}.json"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "geo", "batch", str(corpus), "-o", str(out),
                             "--workers", str(workers), "--partition-mb", str(partition_mb),
                             "--summary", str(summary), "--no-progress"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = ProcessCPU(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    cpu = sampler.stop()
    if proc.returncode != 0:
        sys.exit(f"geo batch failed ({proc.returncode}): {err.decode()[-2000:]}")
    s = json.loads(summary.read_text(encoding="utf-8"))
    s["wall_s"] = wall
    # the CLI process (client and scheduler) is the largest child this script waited for
    # unless a worker was larger; workers report their own peak in the summary
    s["cli_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    s["out_mb"] = out.stat().st_size / 1e6
    worker_pids = {int(w.rsplit(":", 1)[1]) for w in s["worker_peak_rss_mb"]}
    s["cpu_by_process"] = {
        "cli": cpu.get(proc.pid, 0.0),
        "workers": {pid: c for pid, c in cpu.items() if pid in worker_pids},
        "other": sum(c for pid, c in cpu.items() if pid != proc.pid and pid not in worker_pids)}
    out.unlink(missing_ok=True)
    return s


def explain(s: dict, base_cpu: float) -> None:
    """Print where a run's CPU and time went (see the module's docstring)."""
    by = s["cpu_by_process"]
    total = by["cli"] + sum(by["workers"].values()) + by["other"]
    mb = s["characters"] / 1e6
    t = s.get("timing", {})
    parts = t.get("workers", {})
    task = sum(w["task_cpu_s"] for w in parts.values())
    proc = sum(w["process_cpu_s"] for w in parts.values())
    print(f"        CPU s, whole command (psutil): CLI (client, scheduler, nannies) "
          f"{by['cli']:.1f}, workers {' + '.join(f'{c:.1f}' for c in by['workers'].values())}, "
          f"other {by['other']:.1f}; total {total:.1f} = {total / mb:.3f} s per M chars, "
          f"{s['characters'] / total / base_cpu:.0%} of single process per CPU second")
    if parts:
        idle = " / ".join(f"{w['idle_s']:.1f}" for w in parts.values())
        print(f"        during the batch: client {t['client_cpu_s']:.1f} s; workers' task "
              f"threads {task:.1f} s, Dask's threads in the workers {proc - task:.1f} s "
              f"({(proc - task) / max(proc, 1e-9):.1%} of their CPU); span {t['span_s']:.1f} s, "
              f"tail {t['tail_s']:.1f} s, idle per worker "
              f"{idle} s, parts per worker "
              f"{' / '.join(str(w['parts']) for w in parts.values())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=200.0, help="corpus size in MB (200)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--partition-mb", type=float, default=4.0)
    ap.add_argument("--baseline-mb", type=float, default=20.0,
                    help="MB of the corpus for the single-process figure (20)")
    ap.add_argument("--no-ceiling", action="store_true",
                    help="skip the plain-process (no Dask) ceiling")
    ap.add_argument("--dir", type=Path, help="where to write the corpus (a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus")
    args = ap.parse_args()

    work = args.dir or Path(tempfile.mkdtemp(prefix="geo-batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    t0 = time.perf_counter()
    n, size = make_corpus(corpus, args.mb)
    print(f"corpus: {n:,} articles, {size / 1e6:.1f} MB, mean article {size / n:,.0f} bytes "
          f"({time.perf_counter() - t0:.1f} s to write) at {corpus}")
    base, base_cpu, chars = baseline(corpus, min(args.baseline_mb, args.mb))
    print(f"single process geoparse: {base / 1e6:.3f} M chars/s, {base_cpu / 1e6:.3f} M chars "
          f"per CPU second (over {chars / 1e6:.1f} M chars)")
    if not args.no_ceiling:
        texts = first_texts(corpus, min(args.baseline_mb, args.mb))
        chars = sum(map(len, texts))
        wall1, cpu1 = plain_processes(texts, 1)
        print(f"plain processes, no Dask (same {chars / 1e6:.1f} M chars): 1 process "
              f"{chars / wall1 / 1e6:.3f} M chars/s", end="")
        for w in sorted(set(args.workers) - {1}):
            wall, cpu = plain_processes(texts, w)
            print(f"; {w} processes {chars / wall / 1e6:.3f} M chars/s, speed-up "
                  f"{wall1 / wall:.2f}, CPU {cpu / cpu1:.0%} of 1 process", end="")
        print()
    first = None
    print(f"{'workers':>7} {'wall s':>8} {'batch s':>8} {'M chars/s':>10} {'per worker':>11} "
          f"{'vs single':>9} {'speed-up':>8} {'worker peak MB':>16} {'CLI peak MB':>11}")
    for w in args.workers:
        s = run_batch(corpus, w, args.partition_mb, work)
        rate = s["chars_per_s"]
        first = first or rate
        peaks = sorted(s["worker_peak_rss_mb"].values())
        print(f"{w:>7} {s['wall_s']:>8.1f} {s['elapsed_s']:>8.1f} {rate / 1e6:>10.3f} "
              f"{rate / w / 1e6:>11.3f} {rate / w / base:>9.0%} {rate / first:>8.2f} "
              f"{'/'.join(f'{p:.0f}' for p in peaks):>16} {s['cli_rss_mb']:>11.0f}")
        cpu = sum(s["worker_cpu_s"].values())
        print(f"        documents {s['documents']:,}, mentions {s['mentions']:,}, parts "
              f"{s['parts']}, median worker peak {statistics.median(peaks):.0f} MB; workers' "
              f"CPU {cpu:.1f} s = {s['characters'] / cpu / 1e6:.3f} M chars per CPU second "
              f"({s['characters'] / cpu / base_cpu:.0%} of single process); GeoParquet "
              f"{s['out_mb']:.1f} MB ({s['out_mb'] * 1e6 / max(1, s['mentions']):.0f} bytes a "
              "mention)")
        explain(s, base_cpu)
    if not args.keep:
        corpus.unlink(missing_ok=True)
        for p in work.glob("summary-*.json"):
            p.unlink()
        if not args.dir:
            work.rmdir()


if __name__ == "__main__":
    main()
