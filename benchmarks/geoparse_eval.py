"""Score and time the geoparser (issue 3). Not part of the test run: it reads ../shared.

Usage::

    .venv/bin/python benchmarks/geoparse_eval.py [--runs 5] [--errors N] [--skip-timing]
        [--dev PATH ...] [--own] [--gazetteer FILE ...]

``--gazetteer FILE`` adds a user gazetteer first, in a temporary folder (see
``benchmarks/missing_gazetteer.py``: the places a set names that the geoparser misses, as an
analyst's own GeoNames extract would hold them). ``--dev`` scores another development set in
the same JSONL schema (default: GeoVirus in ``../shared/eval``), e.g. our own
``benchmarks/data/cordon-news-dev.jsonl``; give it several times to score several sets.
``--own`` scores every set of ``benchmarks/data`` (news, Arabic local news, situation reports,
wire copy; see ``benchmarks/data/README.md``), each on its own: the sets are different genres
and one figure over all of them would hide which genre fails. Timing, when asked for, runs on
the first set only.

Scoring follows ``../shared/eval/README.md``: a prediction matches a gold toponym when their
spans overlap (one-to-one, greedy in text order); detection precision = matched predictions /
predictions, recall = matched gold / gold; accuracy@161 km = matched toponyms whose predicted
point is within 161 km of gold; end-to-end = gold found and placed within 161 km / all gold;
median error over matched toponyms.

Timing (each figure the median of ``--runs`` runs), of the compiled modules when
``python -m geo compile`` has built them for the current sources (``modules`` in the output
says which ran; ``--pure`` times the plain Python ones):

- throughput: characters per second of ``geoparse`` on the whole development text, one call
  per document, in this process after start-up (index open, caches warm after one pass);
- cold start: a fresh ``python`` subprocess timing ``import geo`` plus the first
  ``geoparse`` call on a short text, with the index already built;
- peak memory: ``ru_maxrss`` of a fresh subprocess that imports geo and parses the whole
  development set;
- index build: a fresh subprocess building the index into an empty cache directory
  (``--build`` only; it takes tens of seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "geovirus.jsonl"
SEED = SHARED / "seed" / "aleppo-ceasefire-2016-09.txt"
OWN_SETS = tuple(ROOT / "benchmarks" / "data" / f"cordon-{name}-dev.jsonl"
                 for name in ("news", "arabic", "sitrep", "wire", "local", "arabic2",
                              "field", "web", "field2", "arabic3", "long", "long2", "long3",
                              "long4", "news2", "long5"))


def load_docs(path: Path = DEV) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def match(preds: list, gold: list[dict]) -> list[tuple[object, dict]]:
    """One-to-one overlap matching, greedy in text order (largest overlap first per gold)."""
    used: set[int] = set()
    pairs = []
    for g in sorted(gold, key=lambda g: g["start"]):
        best, best_ov = None, 0
        for i, p in enumerate(preds):
            if i in used:
                continue
            ov = min(p.end, g["end"]) - max(p.start, g["start"])
            if ov > best_ov:
                best, best_ov = i, ov
        if best is not None:
            used.add(best)
            pairs.append((preds[best], g))
    return pairs


def score(docs: list[dict], errors: int = 0) -> dict:
    from geo import geoparse
    from geo.resolve import km

    n_pred = n_gold = n_match = n_close = 0
    dists: list[float] = []
    fps: dict[str, int] = {}
    fns: dict[str, int] = {}
    far: list[str] = []
    for d in docs:
        preds = geoparse(d["text"])
        gold = d["toponyms"]
        pairs = match(preds, gold)
        n_pred += len(preds)
        n_gold += len(gold)
        n_match += len(pairs)
        matched_p = {id(p) for p, _ in pairs}
        matched_g = {id(g) for _, g in pairs}
        for p, g in pairs:
            dist = km(p.lat, p.lon, g["lat"], g["lon"])
            dists.append(dist)
            if dist <= 161:
                n_close += 1
            elif errors:
                far.append(f"{g['name']!r} -> {p.name} {p.country} {p.source} ({dist:.0f} km)")
        if errors:
            for p in preds:
                if id(p) not in matched_p:
                    fps[p.text] = fps.get(p.text, 0) + 1
            for g in gold:
                if id(g) not in matched_g:
                    fns[g["name"]] = fns.get(g["name"], 0) + 1
    prec = n_match / n_pred if n_pred else 0.0
    rec = n_match / n_gold if n_gold else 0.0
    out = {
        "documents": len(docs), "gold": n_gold, "predicted": n_pred, "matched": n_match,
        "precision": round(prec, 4), "recall": round(rec, 4),
        "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
        "acc161": round(n_close / n_match, 4) if n_match else 0.0,
        "end_to_end": round(n_close / n_gold, 4) if n_gold else 0.0,
        "median_error_km": round(statistics.median(dists), 1) if dists else None,
    }
    if errors:
        top = sorted(fps.items(), key=lambda t: -t[1])[:errors]
        print("false positives:", top, file=sys.stderr)
        top = sorted(fns.items(), key=lambda t: -t[1])[:errors]
        print("missed:", top, file=sys.stderr)
        print("far:", far[:errors], file=sys.stderr)
    return out


def throughput(docs: list[dict], runs: int) -> float:
    from geo import geoparse

    texts = [d["text"] for d in docs]
    chars = sum(len(t) for t in texts)
    for t in texts:  # warm-up pass: index open, lookups cached as in a long-running app
        geoparse(t)
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        for t in texts:
            geoparse(t)
        rates.append(chars / (time.process_time() - t0))
    return statistics.median(rates)


def throughput_cold_cache(docs: list[dict], dev: Path = DEV) -> float:
    """Chars/s on text not seen before in this process (first pass, index already open)."""
    code = (
        "import json,sys,time\n"
        "import geo\n"
        "geo.geoparse('Warm up in Paris.')\n"
        "texts=[json.loads(l)['text'] for l in open(sys.argv[1])]\n"
        "t=time.process_time()\n"
        "for x in texts: geo.geoparse(x)\n"
        "print(sum(map(len,texts))/(time.process_time()-t))\n")
    out = subprocess.run([sys.executable, "-c", code, str(dev)], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip())


def cold_start() -> float:
    code = ("import time; t=time.perf_counter(); import geo; "
            "geo.geoparse('Talks in Geneva on Aleppo.'); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip())


def peak_memory_mb(dev: Path = DEV) -> float:
    code = ("import json,sys,resource\n"
            "import geo\n"
            "for l in open(sys.argv[1]): geo.geoparse(json.loads(l)['text'])\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)\n")
    out = subprocess.run([sys.executable, "-c", code, str(dev)], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip())


def build_time() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CORDON_CACHE=tmp)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import geo; geo.geoparse('Paris')"], cwd=ROOT,
                       env=env, check=True, capture_output=True)
        return time.perf_counter() - t0


def seed_report() -> list[str]:
    from geo import geoparse

    text = SEED.read_text(encoding="utf-8")
    seen: dict[tuple, int] = {}
    for m in geoparse(text):
        key = (m.text, m.qualifier, m.name, m.kind, m.country, m.source)
        seen[key] = seen.get(key, 0) + 1
    return [f"{n}× {t!r} qual={q} → {nm} ({k}, {c}, {s})"
            for (t, q, nm, k, c, s), n in seen.items()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--errors", type=int, default=0, help="print the N commonest errors")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--build", action="store_true", help="also time an index build")
    ap.add_argument("--seed", action="store_true", help="print the seed report's mentions")
    ap.add_argument("--dev", type=Path, action="append",
                    help="development set (JSONL, schema of ../shared/eval/README.md); "
                         "repeat to score several")
    ap.add_argument("--own", action="store_true",
                    help="score each of the project's own sets in benchmarks/data")
    ap.add_argument("--pure", action="store_true",
                    help="run the plain Python modules even where a compiled build exists "
                         "(CORDON_PURE=1; see geo/compiled.py)")
    ap.add_argument("--gazetteer", type=Path, action="append",
                    help="a user gazetteer to add first (GeoNames dump, OCHA or plain CSV), "
                         "in a temporary folder: the user's own are left alone; repeatable")
    args = ap.parse_args()
    if args.pure:  # (before geo is imported, here and in the timed subprocesses)
        os.environ["CORDON_PURE"] = "1"
    devs: list[Path] = (args.dev or []) + (list(OWN_SETS) if args.own else [])
    devs = devs or [DEV]
    sets = [(dev, _load_checked(dev)) for dev in devs]
    if args.gazetteer:
        # (set before geo is imported: the registry reads the variable once per process)
        os.environ["CORDON_GAZETTEERS"] = tempfile.mkdtemp(prefix="cordon-eval-gaz-")
        from geo.gazetteer import add_gazetteer

        for path in args.gazetteer:
            info = add_gazetteer(path)
            print(f"geoparse_eval: added {path} ({info})", file=sys.stderr)
    import geo

    geo.geoparse("Paris")  # builds the index if needed, before anything is timed
    results = []
    for dev, docs in sets:
        if args.errors and len(sets) > 1:
            print(f"== {dev.name}", file=sys.stderr)
        results.append({"dev": str(dev), "accuracy": score(docs, args.errors)})
    dev, docs = sets[0]
    result = results[0]
    if not args.skip_timing:
        from geo import compiled

        result["modules"] = f"compiled ({compiled.ACTIVE})" if compiled.ACTIVE else \
            "plain Python (no build for these sources, or --pure)"
        result["throughput_chars_per_s"] = round(throughput(docs, args.runs))
        result["throughput_first_pass_chars_per_s"] = round(statistics.median(
            throughput_cold_cache(docs, dev) for _ in range(args.runs)))
        result["cold_start_s"] = round(statistics.median(cold_start()
                                                         for _ in range(args.runs)), 3)
        result["peak_memory_mb"] = round(statistics.median(peak_memory_mb(dev)
                                                           for _ in range(3)), 1)
    if args.build:
        result["index_build_s"] = round(build_time(), 1)
    if args.seed and SEED.exists():
        result["seed"] = seed_report()
    print(json.dumps(result if len(results) == 1 else results, indent=2, ensure_ascii=False))


def _load_checked(dev: Path) -> list[dict]:
    """Read a development set, or exit with one line saying what is wrong with it."""
    if not dev.is_file():
        hint = " (needs ../shared)" if dev == DEV else ""
        sys.exit(f"geoparse_eval: {dev}: development set not found{hint}")
    try:
        docs = load_docs(dev)
        for d in docs:
            for g in d["toponyms"]:
                if d["text"][g["start"]:g["end"]] != g["name"]:
                    raise ValueError(f"document {d['id']}: toponym {g['name']!r} offsets")
    except (ValueError, KeyError, TypeError) as exc:
        sys.exit(f"geoparse_eval: {dev}: not a development set: {exc}")
    return docs


if __name__ == "__main__":
    main()
