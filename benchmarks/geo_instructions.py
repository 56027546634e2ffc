"""Count the CPU instructions of the geoparser's first pass over a text set (needs valgrind).

Seconds on a shared virtual machine drift by a third between hours, so two versions of the
code cannot be told apart by timing them unless they run in turns many times. Instructions
do not drift: ``valgrind --tool=callgrind`` counts the same total for the same code and input
whatever else the machine is doing. This runs a fresh process twice under callgrind — once
opening the index and parsing a warm-up sentence, once doing that and then parsing every text
of the set — and prints the difference: the instructions of a first pass (the text not seen
before in the process, the index already open), as ``geoparse_eval.py`` times it.

Instructions are not seconds: a first pass also waits on memory it touches for the first
time, which callgrind does not count. Use this to compare code, the timing scripts for
figures. Not part of the test run: it reads ../shared unless given another set.

    python benchmarks/geo_instructions.py [--dev FILE.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "geovirus.jsonl"

# the texts are read in both runs, so that only their parsing makes the difference
_CODE = (
    "import json, sys\n"
    "import geo\n"
    "geo.geoparse('Warm up in Paris.')\n"
    "texts = [json.loads(line)['text'] for line in open(sys.argv[1], encoding='utf-8')]\n"
    "if sys.argv[2] == '1':\n"
    "    for text in texts:\n"
    "        geo.geoparse(text)\n")


def instructions(dev: Path, parse: bool) -> int:
    """Instructions of one fresh process (the warm-up only, or the warm-up and the set)."""
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         "-c", _CODE, str(dev), "1" if parse else "0"],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    m = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if m is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV, help="a JSONL set with a 'text' field")
    ap.add_argument("--pure", action="store_true",
                    help="count the plain Python modules even where a compiled build exists")
    args = ap.parse_args()
    if args.pure:
        os.environ["CORDON_PURE"] = "1"
    sys.path.insert(0, str(ROOT))
    from geo import compiled  # (decides as the counted processes will: same sources and env)

    modules = "compiled" if compiled.ACTIVE else "plain Python"
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    warm = instructions(args.dev, False)
    full = instructions(args.dev, True)
    chars = sum(len(json.loads(line)["text"])
                for line in args.dev.open(encoding="utf-8"))
    first = full - warm
    print(f"first pass over {args.dev.name}: {first / 1e6:,.0f} M instructions "
          f"({first / chars:,.0f} per character; warm-up {warm / 1e6:,.0f} M; "
          f"{modules} modules)")


if __name__ == "__main__":
    main()
