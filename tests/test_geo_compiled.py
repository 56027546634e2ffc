"""The compiled geoparser (geo/compiled.py): the modules mypyc makes give exactly the mentions
of the plain Python ones, a build is used only for the sources it was made from, and without
mypy nothing changes but the speed.

The rest of the test run uses the plain modules (tests/conftest.py sets ``CORDON_PURE``); here
each side runs in a process of its own. The build is the one ``scripts/test.sh`` made (``python
-m geo compile``), or made here when there is none (about a minute).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo import compiled

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted((ROOT / "benchmarks" / "data").glob("cordon-*-dev.jsonl"))

# Parses every development set (and a user gazetteer's places: their records are made by the
# plain overlay module and read by the compiled resolver), then looks up a few names.
_SCRIPT = r"""
import json, sys
import geo, geo.recognize
from geo import compiled
from geo.gazetteer import add_gazetteer

add_gazetteer(sys.argv[2], "villages")
docs = [json.loads(line)["text"] for path in sys.argv[3:]
        for line in open(path, encoding="utf-8") if line.strip()]
docs.append(open(sys.argv[1], encoding="utf-8").read())
out = {"compiled": compiled.ACTIVE is not None, "module": geo.recognize.__file__,
       "mentions": [[[m.start, m.end, m.text, m.qualifier, m.name, m.kind, m.country,
                      m.source, m.confidence, m.lat, m.lon] for m in geo.geoparse(t, demonyms=True)]
                    for t in docs],
       "lookups": [[[m.name, m.kind, m.country, m.source, m.confidence]
                    for m in geo.lookup(name, near=near)]
                   for name, near in (("Springfield", None), ("Aleppo", (36.2, 37.1)),
                                      ("Zanbaq", None), ("حلب", None), ("Tal Qarah", None))]}
json.dump(out, sys.stdout)
"""

_TEXT = ("Families from Tal Qarah and Zanbaqiya Gharbiya reached the Tal Qarah camp near "
         "Aleppo on Monday, the Syrian Arab Red Crescent said. وصلت العائلات إلى تل قارة "
         "قرب حلب. In Springfield, Illinois, and Springfield, Mass., nothing changed.")
# a plain CSV with whole-number coordinates and a GeoNames line: both kinds of user record
_PLAIN = ("name,alternate_names,lat,lon,kind,country\n"
          "Tal Qarah,Tall Qara|تل قارة,36,37,city,SY\n"
          "Zanbaqiya Gharbiya,,36.31,37.05,city,SY\n")


@pytest.fixture(scope="module")
def build():
    """The build for the current sources (made now if ``python -m geo compile`` was not run)."""
    env = {k: v for k, v in os.environ.items() if k != "CORDON_PURE"}
    run = subprocess.run([sys.executable, "-m", "geo", "compile"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    folder = compiled.build_dir()
    assert (folder / "BUILT").is_file()
    return folder


def _parse(tmp_path: Path, pure: bool) -> dict:
    side = tmp_path / ("pure" if pure else "compiled")
    side.mkdir()
    (side / "text.txt").write_text(_TEXT, encoding="utf-8")
    (side / "villages.csv").write_text(_PLAIN, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CORDON_PURE"}
    env["CORDON_GAZETTEERS"] = str(side / "gazetteers")
    env["PYTHONPATH"] = str(ROOT)
    if pure:
        env["CORDON_PURE"] = "1"
    run = subprocess.run([sys.executable, "-c", _SCRIPT, str(side / "text.txt"),
                          str(side / "villages.csv"), *map(str, SETS)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_compiled_modules_give_the_same_mentions_as_the_source(build, tmp_path):
    pure, fast = _parse(tmp_path, pure=True), _parse(tmp_path, pure=False)
    assert not pure["compiled"] and pure["module"].endswith(".py")
    assert fast["compiled"] and fast["module"].startswith(str(build))
    assert fast["module"].endswith(".so")
    total = sum(map(len, pure["mentions"]))
    assert total > 5000  # the sets really were parsed
    # the user gazetteer's places were found (records the overlay makes, read compiled)
    assert any(m[7].startswith("user:villages:") for m in fast["mentions"][-1])
    for i, (a, b) in enumerate(zip(pure["mentions"], fast["mentions"], strict=True)):
        assert a == b, f"document {i}"
    assert pure["lookups"] == fast["lookups"]


def test_a_build_is_used_only_for_the_sources_it_was_made_from(build, tmp_path, monkeypatch):
    monkeypatch.delenv("CORDON_PURE", raising=False)
    assert compiled.build_dir() == build
    # the same package with one edited file: another digest, whose build does not exist
    copy = tmp_path / "geo"
    shutil.copytree(compiled._PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "resolve.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# an edit\n")
    monkeypatch.setattr(compiled, "_PACKAGE", copy)
    monkeypatch.setattr(compiled, "ACTIVE", None)
    assert compiled.build_dir() != build
    path: list[str] = []
    assert compiled.activate(path) is None and path == []
    # and the unedited sources find their build
    monkeypatch.setattr(compiled, "_PACKAGE", build.parent / "none")  # no sources: no match
    assert compiled.activate(path) is None
    monkeypatch.setattr(compiled, "_PACKAGE", ROOT / "geo")
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert compiled.activate(path) == build and path == [str(build / "geo")]
    # CORDON_PURE keeps the plain modules whatever is built
    monkeypatch.setenv("CORDON_PURE", "1")
    assert compiled.activate([]) is None


def test_status_says_which_modules_run(build):
    env = {k: v for k, v in os.environ.items() if k != "CORDON_PURE"}
    run = subprocess.run([sys.executable, "-m", "geo", "compile", "--status"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and f"compiled modules in use ({build})" in run.stderr
    run = subprocess.run([sys.executable, "-m", "geo", "compile", "--status"], cwd=ROOT,
                         env={**env, "CORDON_PURE": "1"}, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "plain Python modules" in run.stderr
    assert "CORDON_PURE is set" in run.stderr
    run = subprocess.run([sys.executable, "-m", "geo", "compile", "--status"], cwd=ROOT,
                         env={**env, "CORDON_PURE": "0"}, capture_output=True, text=True,
                         timeout=60)
    assert f"compiled modules in use ({build})" in run.stderr  # "0" asks for nothing


def test_without_mypy_the_modules_stay_plain_and_say_so(tmp_path):
    # a mypyc that cannot be imported, as on a machine where mypy is not installed
    (tmp_path / "mypyc").mkdir()
    (tmp_path / "mypyc" / "__init__.py").write_text("raise ImportError('no mypyc here')\n")
    env = {k: v for k, v in os.environ.items() if k != "CORDON_PURE"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    env["CORDON_CACHE"] = str(tmp_path / "cache")
    run = subprocess.run([sys.executable, "-m", "geo", "compile"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "stay plain Python" in run.stderr and "mypy is not installed" in run.stderr
    assert "Traceback" not in run.stderr
    assert not list((tmp_path / "cache").glob("compiled-*"))


@pytest.mark.parametrize("cls", ["geo.recognize.Span", "geo.gazetteer.index.Record"])
def test_a_written_out_init_takes_every_field_with_its_default(cls):
    """Span and Record write their ``__init__`` out for mypyc: a field added to the class but
    not to it would be missing from every span or record (slots: an AttributeError later)."""
    import dataclasses
    import importlib
    import inspect

    module, name = cls.rsplit(".", 1)
    klass = getattr(importlib.import_module(module), name)
    params = list(inspect.signature(klass.__init__).parameters.values())[1:]
    fields = dataclasses.fields(klass)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        want = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default == want, f.name
    # every field set, to the value given
    args = [1, "a", "b", "c", "d", "e", 1.5, 2.5, 3, None, True][:len(
        [f for f in fields if f.default is dataclasses.MISSING])]
    obj = klass(*args)
    for f, v in zip(fields, args, strict=False):
        assert getattr(obj, f.name) == v
    for f in fields[len(args):]:
        assert getattr(obj, f.name) == f.default
