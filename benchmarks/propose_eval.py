"""Precision and recall of the proposal engine on the development set.

    PYTHONPATH=. python benchmarks/propose_eval.py [benchmarks/data/propose-dev.jsonl] [-v]

Matching (the reviewer's rule, applied to every kind): a proposal matches a gold change of
the same kind and status when their places overlap once aliases, groups and sieges are
expanded to units, the actor is the same (for control always; for the other kinds when the
gold names one) and the dates are at most 2 days apart. Each gold change matches at most one
proposal. Also printed: the share of paragraphs with no gold change at all that yield no
control, siege or access proposal. This is a development set (see benchmarks/data/README.md):
it is not the measure of success.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "data" / "propose-dev.jsonl"
KINDS = ("control", "siege", "access", "event")


def _units(sc, idx, ids) -> set[str]:
    from layers.propose.places import expand_units

    out = set()
    sieges = {s.id: s for s in sc.sieges}
    for pid in ids:
        if pid in sieges:
            s = sieges[pid]
            out |= expand_units(idx, s.units or s.places)
        else:
            out |= expand_units(idx, [pid])
    return out


def _matches(sc, idx, prop, gold) -> bool:
    if prop.kind != gold["kind"] or prop.status != gold["status"]:
        return False
    if gold["kind"] == "control" or gold.get("actor"):
        if prop.actor != gold.get("actor"):
            return False
    if gold.get("date") and prop.date:
        gap = abs((date.fromisoformat(prop.date) - date.fromisoformat(gold["date"])).days)
        if gap > 2:
            return False
    mine = _units(sc, idx, prop.places) | {u.source for u in prop.unmapped}
    theirs = _units(sc, idx, gold["places"])
    return bool(mine & theirs)


def evaluate(path: Path, verbose: bool = False) -> dict:
    """Run the engine on every item of ``path`` and count matches per kind."""
    import layers
    from layers.propose.places import build_index

    scenarios: dict[str, object] = {}
    tp = Counter()
    n_prop = Counter()
    n_gold = Counter()
    neg_total = neg_clean = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        sc = scenarios.get(item["scenario"])
        if sc is None:
            sc = scenarios[item["scenario"]] = layers.load_scenario(item["scenario"])
        idx = build_index(sc)
        props = layers.propose(item["text"], sc, published=date.fromisoformat(item["published"]))
        gold = item["gold"]
        used: set[int] = set()
        missed = []
        for g in gold:
            n_gold[g["kind"]] += 1
            hit = next((i for i, p in enumerate(props)
                        if i not in used and _matches(sc, idx, p, g)), None)
            if hit is None:
                missed.append(g)
            else:
                used.add(hit)
                tp[g["kind"]] += 1
        for p in props:
            n_prop[p.kind] += 1
        extra = [p for i, p in enumerate(props) if i not in used]
        if not gold:
            neg_total += 1
            if not any(p.kind in ("control", "siege", "access") for p in props):
                neg_clean += 1
        if verbose and (missed or extra):
            print(f"{item['id']}: {item['text']}")
            for g in missed:
                print(f"   missed {g['kind']} {g['status']} {g['places']} {g.get('actor')} "
                      f"{g.get('date')}")
            for p in extra:
                print(f"   extra  {p.kind} {p.status} {list(p.places)} {p.actor} {p.date} "
                      f"{[u.name for u in p.unmapped]}")
    return {"tp": tp, "proposed": n_prop, "gold": n_gold, "negatives": neg_total,
            "negatives_clean": neg_clean}


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    path = Path(args[0]) if args else DEFAULT
    r = evaluate(path, verbose)
    print(f"{'kind':8} {'gold':>5} {'proposed':>8} {'matched':>7} {'precision':>9} {'recall':>6}")
    for k in KINDS:
        g, p, t = r["gold"][k], r["proposed"][k], r["tp"][k]
        prec = f"{t / p:.2f}" if p else "-"
        rec = f"{t / g:.2f}" if g else "-"
        print(f"{k:8} {g:5d} {p:8d} {t:7d} {prec:>9} {rec:>6}")
    n, ok = r["negatives"], r["negatives_clean"]
    if n:
        print(f"paragraphs with no change: {ok}/{n} = {ok / n:.2f} yield no "
              "control/siege/access proposal")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
