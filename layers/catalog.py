"""Finding and loading scenario packs by name or path, with a cache keyed on file times.

``load_scenario("aleppo-2016")`` finds ``data/scenarios/aleppo-2016`` next to the package;
a path to any pack directory works too.  A pack is loaded once and reloaded only when one of
its files changes, so a page can call :func:`load_scenario` on every rerun.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "data" / "scenarios"
_LOCK = threading.Lock()
_LOADED: dict[Path, tuple[tuple, Any]] = {}


def list_scenarios() -> list[str]:
    """Names of the packs shipped in ``data/scenarios/`` (directories with a manifest)."""
    if not SCENARIOS_DIR.is_dir():
        return []
    return sorted(p.name for p in SCENARIOS_DIR.iterdir() if (p / "manifest.json").is_file())


def find_scenario(name_or_path: str | Path) -> Path:
    """The pack directory for a shipped name or a path.

    Raises
    ------
    FileNotFoundError
        With a one-line message listing the shipped packs.
    """
    text = str(name_or_path)
    candidates = [Path(text)]
    if "/" not in text and "\\" not in text:
        candidates.insert(0, SCENARIOS_DIR / text)
    for c in candidates:
        if (c / "manifest.json").is_file():
            return c.resolve()
    shipped = ", ".join(list_scenarios()) or "none"
    raise FileNotFoundError(f"no scenario pack {text!r} (a name in data/scenarios/ or a pack "
                            f"directory; shipped: {shipped})")


def _fingerprint(root: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                        for p in root.iterdir() if p.is_file()))


def load_scenario(name_or_path: str | Path, *, as_known_on=None, store=None):
    """The validated :class:`~layers.model.Scenario` for a pack or a workspace.

    A shipped pack name or a pack directory is read from files; any other name is looked up
    among the workspaces of the store (``store``, default ``$CORDON_STORE``). ``as_known_on``
    (workspaces only) gives the scenario as known at that moment.

    Raises
    ------
    FileNotFoundError
        When no such pack or workspace exists.
    layers.pack.PackError
        When the pack has problems (each names file, record and field).
    """
    from .pack import load_pack

    try:
        root = find_scenario(name_or_path)
    except FileNotFoundError:
        ws = _workspace(name_or_path, store)
        if ws is None:
            raise
        return ws.scenario(as_known_on=as_known_on)
    fp = _fingerprint(root)
    with _LOCK:
        hit = _LOADED.get(root)
        if hit is not None and hit[0] == fp:
            return hit[1]
        sc = load_pack(root)
        _LOADED[root] = (fp, sc)
        return sc


def _workspace(name: str | Path, store=None):
    """The workspace called ``name`` in the store, or None."""
    text = str(name)
    if "/" in text or "\\" in text:
        return None
    from .workspace import Workspace, WorkspaceError, open_backend

    try:
        ws = Workspace(text, open_backend(store))
        return ws if ws.exists() else None
    except WorkspaceError:
        return None


def is_workspace(name: str | Path, store=None) -> bool:
    """Whether ``name`` is a workspace in the store (and not a shipped pack)."""
    try:
        find_scenario(name)
        return False
    except FileNotFoundError:
        return _workspace(name, store) is not None


def scenario_info(name_or_path: str | Path, *, store=None) -> dict[str, Any]:
    """Cheap facts from the manifest alone: id, title, window, default date, view.

    Dates are :class:`datetime.date`; ``center`` is ``(lat, lon)``. Works for workspaces too
    (from their current manifest).
    """
    from .pack import read_manifest

    try:
        m = read_manifest(find_scenario(name_or_path))
    except FileNotFoundError:
        ws = _workspace(name_or_path, store)
        if ws is None:
            raise
        m = ws.scenario().manifest
    return {"id": m.id, "title": m.title, "description": m.description,
            "window": (m.start, m.end), "default_date": m.default_date,
            "center": m.center, "zoom": m.zoom, "attribution": m.attribution,
            "licence": m.licence}


def clamp_date(name_or_path: str | Path, day: date) -> date:
    """``day`` moved inside the scenario's window."""
    info = scenario_info(name_or_path)
    start, end = info["window"]
    return min(max(day, start), end)
