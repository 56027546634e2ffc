"""The geoparser's hot modules compiled to C by mypyc, used only when they match the source.

The geoparser is plain, type-annotated Python. ``python -m geo compile`` (which the set-up
scripts run) hands the modules of :data:`MODULES` to mypyc, the compiler of annotated Python
that ships with mypy, and keeps the extension modules it makes in the cache directory
(``$CORDON_CACHE``, default ``~/.cache/cordon``) under a folder named after a digest of every
source file of ``geo`` and of the Python that built them. ``import geo`` calls :func:`activate`,
which puts that folder first on the package's path when it exists, so ``geo.recognize`` is then
the compiled module: about a third fewer instructions per text (README, "Measured").

A build never outlives its source: after any edit of ``geo`` (or with another Python) the digest
names another folder, which does not exist until the next ``python -m geo compile``, and the
plain modules run meanwhile. ``CORDON_PURE=1`` keeps the plain modules (the test run sets it:
its tests look inside them; ``tests/test_geo_compiled.py`` checks that both give the same
mentions). Without mypy or a C compiler nothing changes but the speed.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from pathlib import Path

from geo.paths import cache_dir

#: The modules compiled, as paths under ``geo/``: the recogniser, the resolver and what they
#: call for every name. (geo/__init__.py, which activates the build, stays Python.)
MODULES = ("normalize", "stopwords", "recognize", "tails", "states", "sport", "resolve",
           "divisions", "gazetteer/index", "gazetteer/keyfilter")

#: The folder of the build in use, once :func:`activate` has found one; else None.
ACTIVE: Path | None = None

_PACKAGE = Path(__file__).resolve().parent
_STAMP = "BUILT"


class CompileError(RuntimeError):
    """The modules could not be compiled (no mypy, no C compiler, or mypyc refused them)."""


def _sources() -> list[Path]:
    return sorted(p for p in _PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def digest() -> str:
    """A digest of every source file of ``geo`` and of this Python (version, ABI, machine)."""
    h = hashlib.sha1(f"{sys.version}|{sysconfig.get_config_var('EXT_SUFFIX')}".encode())
    for path in _sources():
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def build_dir() -> Path:
    """Where the build for the current sources lives (it may not exist)."""
    return cache_dir() / f"compiled-{digest()}"


def activate(package_path: list[str]) -> Path | None:
    """Put the build for the current sources first on ``geo``'s path, if there is one.

    Called by ``geo/__init__.py`` before any compiled module is imported. Returns the build's
    folder, or None (``CORDON_PURE`` set, or no build for these sources).
    """
    global ACTIVE
    if pure_asked():
        return None
    try:
        folder = build_dir()
        if not (folder / _STAMP).is_file():
            return None
    except OSError:  # an unreadable cache directory: the plain modules
        return None
    sys.path.append(str(folder))  # the library the compiled modules share
    package_path.insert(0, str(folder / "geo"))
    ACTIVE = folder
    return folder


def pure_asked() -> bool:
    """Whether ``CORDON_PURE`` asks for the plain modules (set, and not "0")."""
    return os.environ.get("CORDON_PURE", "") not in ("", "0")


def subpackage_path(package_path: list[str], name: str) -> None:
    """Put the build's folder of the subpackage ``geo.<name>`` first on its path."""
    if ACTIVE is not None:
        package_path.insert(0, str(ACTIVE / "geo" / name))


def build(log=None) -> Path:
    """Compile :data:`MODULES` for the current sources into :func:`build_dir` (unless done).

    The modules are compiled in a temporary copy of the package and moved into place only
    when all of them built, so a failed or interrupted build leaves nothing half-made.

    Parameters
    ----------
    log : text stream, optional
        Where to say what happens (default: standard error).

    Returns
    -------
    Path
        The build's folder.

    Raises
    ------
    CompileError
        mypy is missing, or mypyc or the C compiler failed (the message ends with its output).
    """
    import shutil
    import subprocess
    import tempfile

    log = log if log is not None else sys.stderr
    folder = build_dir()
    if (folder / _STAMP).is_file():
        print(f"geo: compiled modules up to date ({folder})", file=log)
        return folder
    try:
        import mypyc  # noqa: F401 - only to say clearly that it is missing
    except ImportError:
        raise CompileError("mypy is not installed (pip install -r requirements.txt)") from None
    folder.parent.mkdir(parents=True, exist_ok=True)
    print(f"geo: compiling {len(MODULES)} modules with mypyc (about a minute, once)…",
          file=log)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix="compiling-") as tmp:
        work = Path(tmp)
        shutil.copytree(_PACKAGE, work / "geo",
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
        paths = [f"geo/{m}.py" for m in MODULES]
        env = {**os.environ, "MYPY_CACHE_DIR": str(work / ".mypy_cache")}
        run = subprocess.run(
            [sys.executable, "-m", "mypyc", "--ignore-missing-imports",
             "--follow-imports=silent", "--check-untyped-defs", *paths],
            cwd=work, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-15:])
            raise CompileError(f"mypyc failed (exit {run.returncode}):\n{tail}")
        stage = work / "stage"
        for so in sorted(work.glob("*.so")) + sorted((work / "geo").rglob("*.so")):
            dest = stage / so.relative_to(work)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(so, dest)
        built = {p.relative_to(stage / "geo").as_posix().split(".")[0]
                 for p in (stage / "geo").rglob("*.so")}
        if built != set(MODULES):
            raise CompileError(f"mypyc made {sorted(built)}, not {sorted(MODULES)}")
        (stage / _STAMP).write_text(f"{digest()}\n{sys.version}\n", encoding="utf-8")
        try:
            os.rename(stage, folder)
        except OSError:
            if not (folder / _STAMP).is_file():  # (not another process's finished build)
                raise
    for old in folder.parent.glob("compiled-*"):  # builds of other sources
        if old != folder and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    print(f"geo: compiled modules ready ({folder})", file=log)
    return folder
