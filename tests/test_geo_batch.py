"""`python -m geo batch`: a corpus on Dask gives what `geo.geoparse` gives document by document.

The documents are our own development set (benchmarks/data/cordon-news-dev.jsonl). Clusters are
real: a LocalCluster in the process, and `dask scheduler` / `dask worker` processes started here
on free localhost ports. No network beyond localhost: the online fallback is off.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo import geoparse
from geo.batch.cli import main as batch_main

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "benchmarks" / "data" / "cordon-news-dev.jsonl"
DASK = Path(sys.executable).with_name("dask")
TEXT = "Aid trucks left Gaziantep for Idlib; shelling hit eastern Aleppo overnight."
FIELDS = ("doc_id", "start", "end", "text", "qualifier", "name", "kind", "country",
          "confidence", "source")


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.delenv("CORDON_ONLINE", raising=False)


def env() -> dict:
    e = {k: v for k, v in os.environ.items() if k != "CORDON_ONLINE"}
    e["PYTHONPATH"] = str(ROOT)
    return e


def dev_docs() -> list[tuple[str, str]]:
    return [(r["id"], r["text"]) for r in map(json.loads, DEV.read_text("utf-8").splitlines())]


def expected(docs) -> list[tuple]:
    """The single-process answer: geoparse on each document, in order."""
    rows = []
    for doc_id, text in docs:
        for m in geoparse(text):
            rows.append((doc_id, m.start, m.end, m.text, m.qualifier, m.name, m.kind, m.country,
                         m.confidence, m.source, m.lon, m.lat))
    return rows


def read_parquet(path: Path) -> list[tuple]:
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(path)
    points = shapely.from_wkb(table.column("geometry").to_pylist())
    cols = [table.column(c).to_pylist() for c in FIELDS]
    return [tuple(c[i] for c in cols) + (p.x, p.y) for i, p in enumerate(points)]


def read_jsonl(path: Path) -> list[tuple]:
    return [tuple(r[c] for c in FIELDS) + (r["lon"], r["lat"])
            for r in map(json.loads, path.read_text("utf-8").splitlines())]


def run_batch(*args: str, progress: bool = False) -> tuple[int, str]:
    err = io.StringIO()
    rc = batch_main([*map(str, args), "--progress" if progress else "--no-progress"],
                    stderr=err)
    return rc, err.getvalue()


def write_jsonl(path: Path, docs) -> None:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in docs), "utf-8")


# ----------------------------------------------------------------------------- LocalCluster


def test_local_cluster_equals_geoparse_on_every_input_kind(tmp_path):
    """JSONL, CSV (quoted newlines), Parquet row groups and a .txt folder, cut into many
    partitions, on two worker processes: the same rows in the same order as geoparse."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = dev_docs()
    a, b, c, d = docs[:12], docs[12:24], docs[24:36], docs[36:]
    write_jsonl(tmp_path / "a.jsonl", a)
    # CSV text with newlines and quotes inside a field: slices must not cut a record
    b = [(i, t.replace(". ", '.\n"Quoted" ', 1)) for i, t in b]
    with open(tmp_path / "b.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "text"])
        w.writerows((i, "t", t) for i, t in b)
    pq.write_table(pa.table({"id": [i for i, _ in c], "text": [t for _, t in c]}),
                   tmp_path / "c.parquet", row_group_size=2)
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    for n, (_, t) in enumerate(d):
        (folder / ("sub" if n % 2 else "") / f"{n:02d}.txt").write_text(t, "utf-8")
    d_docs = sorted(((f"sub/{n:02d}.txt" if n % 2 else f"{n:02d}.txt"), t)
                    for n, (_, t) in enumerate(d))

    out = tmp_path / "out.parquet"
    rc, err = run_batch(tmp_path / "a.jsonl", tmp_path / "b.csv", tmp_path / "c.parquet", folder,
                        "-o", out, "--workers", "2", "--partition-mb", "0.0005",
                        "--summary", tmp_path / "s.json", progress=True)
    assert rc == 0, err
    want = expected(a + b + c + d_docs)
    assert read_parquet(out) == want
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["documents"] == len(docs) and summary["mentions"] == len(want)
    assert summary["parts"] >= 20  # really cut into many partitions
    top = summary["top_countries"][0]
    assert top["mentions"] == sum(1 for r in want if r[7] == top["country"])
    assert not (tmp_path / "out.parquet.parts").exists()  # parts removed once OUT is whole
    import geopandas as gpd

    gdf = gpd.read_parquet(out)  # valid GeoParquet: CRS and points
    assert gdf.crs.to_epsg() == 4326 and set(gdf.geom_type) == {"Point"}
    parts = summary["parts"]
    # progress: parts and documents done, speed and time left (a log gets the last line)
    assert f"geo batch: {parts}/{parts} parts, {len(docs)} documents, " in err
    assert " chars/s, 0:00 left" in err
    assert f"{len(docs)} documents" in err and "top countries" in err
    # where the time went: every partition of the run counted once, busy + idle = the span
    timing = summary["timing"]
    workers = timing["workers"].values()
    assert sum(w["parts"] for w in workers) == parts and len(timing["workers"]) <= 2
    assert 0 <= timing["tail_s"] <= timing["span_s"]
    for w in workers:
        assert w["busy_s"] + w["idle_s"] == pytest.approx(timing["span_s"], abs=0.01)
        assert 0 < w["task_cpu_s"] <= w["process_cpu_s"] + 0.01


def test_corrupt_lines_and_failing_documents_are_reported_and_skipped(tmp_path):
    docs = dev_docs()[:6]
    lines = [json.dumps({"id": i, "text": t}) for i, t in docs]
    lines[2] = '{"id": "bad", "text": "Aleppo'  # line 3: cut off
    lines.insert(4, "")  # a blank line is no document and no error
    lines.insert(5, json.dumps({"id": "num", "text": 7}))  # line 6: text is not a string
    lines.insert(6, json.dumps(["not", "an", "object"]))  # line 7
    lines.append("[" * 100_000 + "]" * 100_000)  # line 10: nested past the recursion limit
    lines.append('{"id": "big", "n": ' + "9" * 5000 + ', "text": "Homs"}')  # line 11
    src = tmp_path / "in.jsonl"
    src.write_text("\ufeff" + "\n".join(lines) + "\n", "utf-8")  # with a byte-order mark
    out = tmp_path / "out.jsonl"
    rc, err = run_batch(src, "-o", out, "--workers", "1", "--partition-mb", "0.001",
                        "--summary", tmp_path / "s.json")
    assert rc == 2, err  # some input skipped: output written, status says so
    assert f"{src}:3: not valid JSON" in err
    assert f"{src}:6 (document num): geoparse failed" in err
    assert f"{src}:7: not a JSON object" in err
    assert f"{src}:10: not valid JSON (too deeply nested)" in err
    assert f"{src}:11: not valid JSON (Exceeds the limit" in err
    good = [docs[i] for i in (0, 1, 3, 4, 5)]
    assert read_jsonl(out) == expected(good)
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["skipped"] == 5 and summary["documents"] == 5
    assert {p["where"] for p in summary["problems"]} == {f"{src}:{n}" for n in (3, 6, 7, 10, 11)}


# ----------------------------------------------------------------------------- planning


def test_the_end_of_the_corpus_is_cut_finer_and_partitions_cover_it_once(tmp_path):
    """Full partitions while plenty is left, then smaller ones (no worker stuck on a big last
    partition while the others idle); together they are the inputs, in order, once."""
    from geo.batch.inputs import FINEST, TAPER, open_inputs, plan

    docs = corpus(3000)
    write_jsonl(tmp_path / "a.jsonl", docs[:2000])
    write_jsonl(tmp_path / "b.jsonl", docs[2000:])
    sources = open_inputs([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")], "text")
    size_a, size_b = (s.size for s in sources)
    target = size_b // 4  # b alone is less than TAPER partitions' worth: all of it tapers
    parts = plan(sources, target)
    for src in sources:  # contiguous byte ranges from 0 to the end of each file
        mine = [p for p in parts if p.source == src]
        assert [p.start for p in mine] == [0] + [p.end for p in mine[:-1]]
        assert mine[-1].end == src.size
    total = size_a + size_b
    left = [total - p.start - (size_a if p.source == sources[1] else 0) for p in parts]
    full = [p.nbytes for p, rest in zip(parts, left, strict=True) if rest >= TAPER * target]
    finer = [p.nbytes for p, rest in zip(parts, left, strict=True) if rest < TAPER * target]
    line = max(len(json.dumps({"id": i, "text": t})) + 1 for i, t in docs)
    assert len(full) >= 3 and all(target <= n < target + line for n in full)
    assert len(finer) > TAPER and all(n < target for n in finer)  # about 1/TAPER of the rest
    assert min(finer[:-1]) >= target // FINEST  # never below 1/FINEST (but the remainder)
    assert finer[-2] < target // FINEST + line
    assert [p.index for p in parts] == list(range(len(parts)))


# ----------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("name, data, message", [
    ("empty.jsonl", b"", "empty (no documents)"),
    ("blank.jsonl", b"\n  \n", "empty (no documents)"),
    ("image.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "not text"),
    ("utf16.csv", "id,text\n1,Aleppo\n".encode("utf-16"), "not text"),
    ("fake.parquet", b"PK\x03\x04 a zip, not parquet" * 10, "not a Parquet file"),
    ("notext.csv", b"id,body\n1,Aleppo\n", "no column 'text'"),
    ("report.pdf", b"%PDF-1.4", "unknown input type"),
])
def test_binary_and_empty_inputs_give_one_clear_line(tmp_path, name, data, message):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.parquet"
    rc, err = run_batch(src, "-o", out)
    assert rc == 2
    assert err.count("\n") == 1 and message in err and str(src) in err, err
    assert not out.exists() and not (tmp_path / "out.parquet.parts").exists()


def test_folder_skips_binary_files_and_links_leaving_it(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("Aleppo", "utf-8")
    (folder / "link.txt").symlink_to(secret)  # points outside the folder: never read
    rc, err = run_batch(folder, "-o", tmp_path / "o.parquet")
    assert rc == 2 and "no .txt files" in err and err.count("\n") == 1

    (folder / "a.txt").write_text(TEXT, "utf-8")
    (folder / "b.txt").write_bytes(b"\x00\x01PK binary" * 50)
    out = tmp_path / "o.jsonl"
    rc, err = run_batch(folder, "-o", out, "--workers", "1")
    assert rc == 2, err
    assert f"{folder}/b.txt: not text" in err
    assert read_jsonl(out) == expected([("a.txt", TEXT)])


# ----------------------------------------------------------------------------- real cluster


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_scheduler_and_worker_processes(tmp_path):
    """A real `dask scheduler` and `dask worker` on localhost, used through --scheduler."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = open(tmp_path / "cluster.log", "wb")
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], stdout=logs, stderr=logs,
                              env=env(), cwd=tmp_path)]
    try:
        procs.append(subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1",
                                       "--no-dashboard", "--host", "127.0.0.1"],
                                      stdout=logs, stderr=logs, env=env(), cwd=tmp_path))
        docs = dev_docs()[:20]
        write_jsonl(tmp_path / "in.jsonl", docs)
        out = tmp_path / "out.jsonl"
        proc = subprocess.run([sys.executable, "-m", "geo", "batch", str(tmp_path / "in.jsonl"),
                               "-o", str(out), "--scheduler", address, "--partition-mb",
                               "0.002", "--no-progress"],
                              cwd=ROOT, env=env(), capture_output=True, timeout=180)
        assert proc.returncode == 0, proc.stderr.decode() + (tmp_path / "cluster.log").read_text()
        assert read_jsonl(out) == expected(docs)
        assert "on 1 workers" in proc.stderr.decode()
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGINT)
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        logs.close()


def test_unreachable_scheduler_is_one_line(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", dev_docs()[:1])
    rc, err = run_batch(tmp_path / "in.jsonl", "-o", tmp_path / "o.parquet", "--scheduler",
                        f"tcp://127.0.0.1:{free_port()}", "--connect-timeout", "2")
    assert rc == 2 and "cannot reach the Dask scheduler" in err and err.count("\n") == 1, err


# ----------------------------------------------------------------------------- resume


def corpus(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` distinct documents made of shuffled sentences of the development set."""
    rnd = random.Random(seed)
    sentences = [s.strip() + "." for _, t in dev_docs() for s in t.split(". ") if s.strip()]
    return [(f"doc-{i}", " ".join(rnd.sample(sentences, 6))) for i in range(n)]


def test_killed_run_resumes_and_equals_a_clean_run(tmp_path):
    docs = corpus(500)
    src = tmp_path / "in.jsonl"
    write_jsonl(src, docs)
    out = tmp_path / "out.parquet"
    parts = tmp_path / "out.parquet.parts"
    cmd = [sys.executable, "-m", "geo", "batch", str(src), "-o", str(out), "--workers", "1",
           "--partition-mb", "0.008", "--no-progress"]
    # the CLI and its worker processes in their own group, killed together without warning
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env(), stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list(parts.glob("part-*.json"))) < 3 and time.monotonic() < deadline \
            and proc.poll() is None:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(parts.glob("part-*.json")))
    total = json.loads((parts / "plan.json").read_text())["parts"]
    assert 3 <= done_before < total, "the run was not cut part-way; make the corpus larger"
    assert not out.exists()

    rc = subprocess.run(cmd, cwd=ROOT, env=env(), capture_output=True, timeout=300)
    err = rc.stderr.decode()
    assert rc.returncode == 0, err
    resumed = int(err.split("resuming: ")[1].split(" of ")[0])
    assert resumed >= done_before
    assert read_parquet(out) == expected(docs)
    assert not parts.exists()  # no temporary or part file left behind


def test_batch_modules_import_no_geopandas_or_dask():
    """geopandas and dask load only when a batch runs: `import geo` stays light."""
    code = ("import sys, geo, geo.cli, geo.batch.cli, geo.batch.run, geo.batch.work, "
            "geo.batch.output, geo.batch.inputs; "
            "print(sorted({'geopandas', 'dask', 'distributed', 'layers', 'folium'} "
            "& set(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env(),
                          capture_output=True, timeout=60)
    assert proc.stdout.decode().strip() == "[]", proc.stderr.decode()
