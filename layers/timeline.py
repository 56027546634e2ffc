"""The state of a scenario at a date, and the changes between two dates.

Time is data: every record holds a half-open interval ``[from, to)`` and the state at a date
is derived from them, never stored.  Work that does not depend on the date (unit geometry,
projection, spatial indexes, record arrays) is prepared once per scenario; each state is
cached per date, so a page rerun at the same date costs a dictionary look-up.

Every layer is a GeoDataFrame in EPSG:4326 with full geometry; list-valued properties
(sources, units, actors) are ``;``-joined text so that every export format keeps them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.array import from_shapely
from pyproj import CRS as _ProjCRS

from .analysis.areas import area_km2, population
from .analysis.corridors import derive, disagrees
from .analysis.encirclement import encirclement, zone_buffers
from .analysis.sieges import nearest, population_range
from .geom import Projector
from .model import CONFIDENCE, Scenario
from .zones import dissolve, is_coverage

CRS = "EPSG:4326"
_CRS = _ProjCRS.from_epsg(4326)
_STATE_CACHE_SIZE = 64
_GEOMETRY_CACHE_SIZE = 8
_LOCK = threading.Lock()
_PREP_LOCK = threading.Lock()
_ONGOING = date.max.toordinal()


@dataclass(slots=True)
class State:
    """A scenario at one date; each layer a GeoDataFrame (EPSG:4326).

    ``cuts`` holds, for each corridor, the stretches that cross hostile-held or contested
    ground (where the derived status says it is cut).
    """

    scenario: str
    date: date
    control: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    sieges: gpd.GeoDataFrame
    corridors: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame
    events: gpd.GeoDataFrame
    cuts: gpd.GeoDataFrame

    LAYERS = ("control", "zones", "sieges", "corridors", "crossings", "events", "cuts")

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every layer by name."""
        return {name: getattr(self, name) for name in self.LAYERS}

    def copy(self) -> State:
        return State(self.scenario, self.date, *(getattr(self, n).copy() for n in self.LAYERS))


@dataclass(slots=True)
class Changes:
    """What differs between ``date_a`` and ``date_b``.

    ``control``: units whose holder or status changed (geometry = the unit).
    ``corridors`` / ``crossings``: authored (and for corridors derived) status before/after.
    ``sieges``: sieges that began or ended.  ``events``: events in ``(date_a, date_b]``.
    """

    date_a: date
    date_b: date
    control: gpd.GeoDataFrame
    corridors: pd.DataFrame
    crossings: pd.DataFrame
    sieges: pd.DataFrame
    events: gpd.GeoDataFrame


# -- preparation (once per scenario) --------------------------------------------------------

class _UnitGeometry:
    """What depends only on the units' shapes, the map's centre and its snap distance:
    projected units, their index, whether they tile, and the memos of merged zones.

    Shared by every scenario with the same units (each version of a workspace, a pack loaded
    again): recording a change then reuses the geometry work of the version before.
    """

    def __init__(self, sc: Scenario, shared: np.ndarray):
        self.proj = Projector(*sc.manifest.center)
        self.tol = sc.manifest.snap_m
        n = len(sc.units)
        self.unit_geoms = np.asarray(sc.unit_geoms, dtype=object) if n else np.empty(0, object)
        self.unit_proj = self.proj.forward(self.unit_geoms) if n else np.empty(0, object)
        self.unit_tree = shapely.STRtree(self.unit_proj)
        self.coverage = self._coverage_mask(shared)
        self.unions: dict = {}  # merged (actor, status) groups, see zones.dissolve
        self.zone_memo: dict = {}  # id(zone) -> (zone, projected, buffer)
        self.grounds: dict = {}  # unit indexes -> their union (lon/lat, projected)

    def _coverage_mask(self, shared: np.ndarray) -> bool | np.ndarray:
        """True if all units tile; else a mask of the shared-table polygons if they tile."""
        if is_coverage(self.unit_geoms):
            return True
        if shared.sum() > 1 and is_coverage(self.unit_geoms[shared]):
            return shared
        return False

    def ground(self, idx: np.ndarray):
        """``(lon/lat, projected)`` union of the units at ``idx`` (memoised)."""
        key = idx.tobytes()
        got = self.grounds.get(key)
        if got is None:
            if len(self.grounds) > 1024:  # bound the memo
                self.grounds.clear()
            lonlat = shapely.union_all(self.unit_geoms[idx])
            got = (lonlat, self.proj.forward(lonlat))
            self.grounds[key] = got
        return got


_GEOMETRY: OrderedDict = OrderedDict()  # key -> _UnitGeometry, least recently used first


def _unit_geometry(sc: Scenario) -> _UnitGeometry:
    """The scenario's :class:`_UnitGeometry`, shared with earlier scenarios whose units have
    the same ids and exactly the same shapes (compared by a digest of their WKB)."""
    shared = np.array([u not in sc.areas and u not in sc.point_units for u in sc.units],
                      dtype=bool)
    digest = hashlib.blake2b(digest_size=20)
    for wkb in (shapely.to_wkb(np.asarray(sc.unit_geoms, dtype=object)) if len(sc.units)
                else ()):
        digest.update(b"\xff" * 8 if wkb is None else len(wkb).to_bytes(8, "little") + wkb)
    key = (tuple(sc.manifest.center), float(sc.manifest.snap_m), tuple(sc.units),
           shared.tobytes(), digest.digest())
    geo = _GEOMETRY.get(key)
    if geo is None:
        geo = _GEOMETRY[key] = _UnitGeometry(sc, shared)
        while len(_GEOMETRY) > _GEOMETRY_CACHE_SIZE:
            _GEOMETRY.popitem(last=False)
    else:
        _GEOMETRY.move_to_end(key)
    return geo


class _Prepared:
    """Date-independent arrays and indexes for one scenario."""

    def __init__(self, sc: Scenario):
        geo = _unit_geometry(sc)
        self.proj = geo.proj
        self.tol = geo.tol
        self.unit_ids = np.array(sc.units, dtype=object)
        self.unit_geoms = geo.unit_geoms
        self.unit_proj = geo.unit_proj
        self.unit_tree = geo.unit_tree
        self.coverage = geo.coverage
        self.unions = geo.unions  # merged (actor, status) groups, see zones.dissolve
        self.zone_memo = geo.zone_memo  # id(zone) -> (zone, projected, buffer)
        self.geo = geo
        self.unit_names = np.array([sc.place_names.get(u, u) for u in sc.units], dtype=object)
        self.unit_pop = np.array([sc.place_population.get(u, -1) for u in sc.units],
                                 dtype=np.int64)
        self.unit_edge_open = np.array([u in sc.areas and sc.areas[u].edge_open
                                        for u in sc.units], dtype=bool)
        index = {u: i for i, u in enumerate(sc.units)}
        rows = [(index[u], r.interval.start.toordinal(),
                 r.interval.end.toordinal() if r.interval.end else _ONGOING,
                 int(r.units == (r.place,)), k)
                for k, r in enumerate(sc.control) for u in r.units]
        arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
        self.rec_unit, self.rec_start, self.rec_end, self.rec_rank, self.rec_idx = arr.T
        self.refs: dict[tuple[str, ...], str] = {}
        self.corridor_geoms = {c.id: sc.geometries.get(c.place) for c in sc.corridors}
        self.corridor_proj = {k: (self.proj.forward(g) if g is not None else None)
                              for k, g in self.corridor_geoms.items()}
        self.crossing_pts = {}
        for x in sc.crossings:
            g = sc.geometries.get(x.place)
            if g is not None and g.geom_type != "Point":
                g = g.representative_point()
            self.crossing_pts[x.id] = g
        # sieges drawn wholly from control units can be measured as held on a date
        self.siege_units = {s.id: np.array([index[u] for u in s.units], dtype=np.int64)
                            for s in sc.sieges if s.units and all(u in index for u in s.units)}
        self.siege_geoms, self.siege_proj = {}, {}
        for s in sc.sieges:
            idx = self.siege_units.get(s.id)
            if idx is not None and all(sc.geometries.get(u) is sc.unit_geoms[i]
                                       for u, i in zip(s.units, idx, strict=True)):
                # the union of unit shapes only: shared with scenarios of the same units
                self.siege_geoms[s.id], self.siege_proj[s.id] = geo.ground(idx)
                continue
            parts = [sc.geometries[u] for u in s.units if u in sc.geometries]
            self.siege_geoms[s.id] = shapely.union_all(parts) if parts else shapely.Polygon()
            self.siege_proj[s.id] = self.proj.forward(self.siege_geoms[s.id])

    def siege_ground(self, siege, unit_actor: np.ndarray, unit_status: np.ndarray):
        """``(lon/lat, projected)`` ground of ``siege`` on a date: its units still held by the
        besieged side, so a shrinking pocket is measured as it is, not as the siege began.
        All its places where they are not all control units or the besieged hold none."""
        idx = self.siege_units.get(siege.id)
        if idx is None:
            return self.siege_geoms[siege.id], self.siege_proj[siege.id]
        held = idx[(unit_status[idx] == "controlled")
                   & np.isin(unit_actor[idx], list(siege.besieged))]
        if len(held) == 0 or len(held) == len(idx):
            return self.siege_geoms[siege.id], self.siege_proj[siege.id]
        return self.geo.ground(held)

    def project_zones(self, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Projected zones and their touch buffers, memoised by zone object across dates."""
        proj = np.empty(len(geoms), dtype=object)
        buf = np.empty(len(geoms), dtype=object)
        todo = []
        for i, g in enumerate(geoms):
            hit = self.zone_memo.get(id(g))
            if hit is not None and hit[0] is g:
                proj[i], buf[i] = hit[1], hit[2]
            else:
                todo.append(i)
        if todo:
            p = self.proj.forward(geoms[todo])
            b = zone_buffers(p, self.tol)
            for j, i in enumerate(todo):
                proj[i], buf[i] = p[j], b[j]
                self.zone_memo[id(geoms[i])] = (geoms[i], p[j], b[j])
        if len(self.zone_memo) > 4096 or len(self.unions) > 4096:  # bound the memo
            self.zone_memo.clear()
            self.unions.clear()
        return proj, buf

    def refs_for(self, sc: Scenario, ids: tuple[str, ...]) -> str:
        """Readable citations for ``ids``, ``" | "``-joined (cached)."""
        got = self.refs.get(ids)
        if got is None:
            got = " | ".join(sc.sources[s].cite() if s in sc.sources else s for s in ids)
            self.refs[ids] = got
        return got

    def control_at(self, day: date) -> tuple[np.ndarray, np.ndarray]:
        """``(unit indexes, record indexes)`` in force at ``day``; unit rows beat group rows."""
        d = day.toordinal()
        m = (self.rec_start <= d) & (d < self.rec_end)
        u, rank, k = self.rec_unit[m], self.rec_rank[m], self.rec_idx[m]
        order = np.lexsort((k, rank, u))
        u, k = u[order], k[order]
        last = np.ones(len(u), dtype=bool)
        last[:-1] = u[:-1] != u[1:]
        return u[last], k[last]


def prepared(sc: Scenario) -> _Prepared:
    """The scenario's date-independent preparation (built on first use)."""
    with _PREP_LOCK:
        prep = sc.cache.get("prepared")
        if prep is None:
            prep = sc.cache["prepared"] = _Prepared(sc)
        return prep


# -- state at a date -------------------------------------------------------------------------

def _as_date(day: date | str) -> date:
    if isinstance(day, str):
        try:
            return date.fromisoformat(day)
        except ValueError:
            raise ValueError(f"{day!r} is not a date YYYY-MM-DD") from None
    if hasattr(day, "date") and callable(day.date):  # datetime / pandas Timestamp
        return day.date()
    return day


def state_at(sc: Scenario, day: date | str, as_known_on=None) -> State:
    """The state of ``sc`` at ``day`` (a date or ``YYYY-MM-DD``).

    Cached per date; the returned layers are copies, free to modify. ``as_known_on`` (a date,
    datetime or ``YYYY-MM-DD[THH:MM]``) gives the map as a workspace's team knew it then:
    records entered, and corrections made, later are left out. A pack never changes, so
    there it changes nothing.
    """
    if as_known_on is not None and sc.workspace is not None:
        sc = sc.workspace.scenario(as_known_on=as_known_on)
    return shared_state(sc, day).copy()


def shared_state(sc: Scenario, day: date | str) -> State:
    """The cached :class:`State` of ``sc`` at ``day`` itself, not a copy: for readers that
    change nothing in it (a copy of every layer costs about as much as reading it)."""
    day = _as_date(day)
    with _LOCK:  # the page may rerun in several threads at once
        cache: OrderedDict = sc.cache.setdefault("states", OrderedDict())
        st = cache.get(day)
        if st is not None:
            cache.move_to_end(day)
    if st is None:
        st = _build_state(sc, day)
        with _LOCK:
            cache[day] = st
            while len(cache) > _STATE_CACHE_SIZE:
                cache.popitem(last=False)
    return st


def _gdf(rows: list[dict], geoms: list, columns: list[str]) -> gpd.GeoDataFrame:
    # a parsed CRS object and a ready geometry array: building from strings costs ~3x more
    df = pd.DataFrame(rows, columns=columns)
    df["geometry"] = from_shapely(np.array(geoms, dtype=object).reshape(-1), crs=_CRS)
    return gpd.GeoDataFrame(df, geometry="geometry")


CONTROL_COLUMNS = ["id", "name", "actor", "actor_name", "status", "confidence", "valid_from",
                   "valid_to", "from_precision", "to_precision", "sources", "source_refs",
                   "note", "record"]
ZONE_COLUMNS = ["id", "actor", "actor_name", "status", "area_km2", "population",
                "population_units", "units", "unit_names", "encircled", "encircled_by",
                "confidence", "sources", "source_refs"]
SIEGE_COLUMNS = ["id", "name", "besiegers", "besieged", "severity", "valid_from", "valid_to",
                 "population_low", "population_high", "population_sources",
                 "nearest_open_crossing", "nearest_open_crossing_km", "area_km2", "confidence",
                 "sources", "source_refs", "description"]
CORRIDOR_COLUMNS = ["id", "name", "kind", "status", "derived_status", "disagreement", "cut_at",
                    "contested_at", "users", "status_from", "status_to", "status_note",
                    "confidence", "sources", "source_refs", "description"]
CROSSING_COLUMNS = ["id", "name", "kind", "status", "valid_from", "valid_to", "status_note",
                    "confidence", "sources", "source_refs", "description"]
EVENT_COLUMNS = ["id", "date", "date_precision", "type", "title", "description", "days_before",
                 "confidence", "sources", "source_refs"]
CUT_COLUMNS = ["id", "corridor", "corridor_name", "place", "name", "actor", "status",
               "length_km", "confidence", "sources", "source_refs"]


def _encircled_text(value) -> str:
    return {True: "yes", False: "no", "unknown": "unknown"}.get(value, "")


def _build_state(sc: Scenario, day: date) -> State:
    prep = prepared(sc)
    units, recs = prep.control_at(day)
    records = [sc.control[k] for k in recs]
    actors = np.array([r.actor or "" for r in records], dtype=object)
    statuses = np.array([r.status for r in records], dtype=object)

    # control: one row per unit in force
    rows = []
    for u, r in zip(units, records, strict=True):
        a, b = r.interval.iso()
        rows.append({"id": prep.unit_ids[u], "name": prep.unit_names[u], "actor": r.actor or "",
                     "actor_name": sc.actors[r.actor].name if r.actor else "",
                     "status": r.status, "confidence": r.confidence, "valid_from": a,
                     "valid_to": b, "from_precision": r.interval.start_precision,
                     "to_precision": r.interval.end_precision, "sources": ";".join(r.sources),
                     "source_refs": prep.refs_for(sc, r.sources), "note": r.note,
                     "record": r.id or f"control.csv row {r.row}"})
    control = _gdf(rows, list(prep.unit_geoms[units]), CONTROL_COLUMNS)

    # zones: dissolve, then measure and test for encirclement in the equal-area CRS
    zones = dissolve(prep.unit_geoms[units], actors, statuses, coverage=prep.coverage,
                     cache=prep.unions, ids=units)
    zproj, zbuf = prep.project_zones(zones.geometry)
    areas = area_km2(zproj)
    pops = population(tuple(units[m] for m in zones.members), prep.unit_pop)
    edge_open = np.array([prep.unit_edge_open[units[m]].any() for m in zones.members],
                         dtype=bool)
    enc = encirclement(zproj, zones.actor, zones.status, allied=sc.allied, tol_m=prep.tol,
                       open_edge=edge_open, buffers=zbuf)
    rows, counter = [], {}
    for i in range(len(zones)):
        act, stt = zones.actor[i], zones.status[i]
        key = act or stt
        counter[key] = counter.get(key, 0) + 1
        mem_recs = [records[j] for j in zones.members[i]]
        srcs = tuple(dict.fromkeys(s for r in mem_recs for s in r.sources))
        conf = max((r.confidence for r in mem_recs), key=CONFIDENCE.index, default="low")
        pop, known, total = pops[i]
        rows.append({"id": f"{key}-{counter[key]}", "actor": act,
                     "actor_name": sc.actors[act].name if act else "", "status": stt,
                     "area_km2": round(float(areas[i]), 3), "population": pop,
                     "population_units": f"{known}/{total}",
                     "units": ";".join(prep.unit_ids[units[zones.members[i]]]),
                     "unit_names": ";".join(prep.unit_names[units[zones.members[i]]]),
                     "encircled": _encircled_text(enc[i].state),
                     "encircled_by": ";".join(enc[i].by), "confidence": conf,
                     "sources": ";".join(srcs), "source_refs": prep.refs_for(sc, srcs)})
    zone_gdf = _gdf(rows, list(zones.geometry), ZONE_COLUMNS)

    # crossings with their authored status
    rows, geoms, open_pts, open_names = [], [], [], []
    for x in sc.crossings:
        s = x.status_at(day)
        if s is None or prep.crossing_pts.get(x.id) is None:
            continue
        a, b = s.interval.iso()
        srcs = tuple(dict.fromkeys(x.sources + s.sources))  # a source cited twice is one
        rows.append({"id": x.id, "name": x.name, "kind": x.kind, "status": s.status,
                     "valid_from": a, "valid_to": b, "status_note": s.note,
                     "confidence": s.confidence, "sources": ";".join(srcs),
                     "source_refs": prep.refs_for(sc, srcs),
                     "description": x.description})
        geoms.append(prep.crossing_pts[x.id])
        if s.status == "open":
            open_pts.append(prep.crossing_pts[x.id])
            open_names.append(x.name)
    crossing_gdf = _gdf(rows, geoms, CROSSING_COLUMNS)
    open_proj = prep.proj.forward(np.array(open_pts, dtype=object)) if open_pts else np.empty(
        0, object)

    # sieges in force, measured on the ground the besieged still hold
    unit_status = np.full(len(prep.unit_ids), "", dtype=object)
    unit_actor = np.full(len(prep.unit_ids), "", dtype=object)
    unit_status[units] = statuses
    unit_actor[units] = actors
    rows, geoms, siege_users = [], [], []
    for s in sc.sieges:
        if not s.interval.contains(day):
            continue
        rng = population_range(s, day)
        psrc = tuple(dict.fromkeys(x for p in rng.estimates for x in p.sources))
        ground, ground_proj = prep.siege_ground(s, unit_actor, unit_status)
        k, dist = nearest(ground_proj, open_proj)
        a, b = s.interval.iso()
        rows.append({"id": s.id, "name": s.name, "besiegers": ";".join(s.besiegers),
                     "besieged": ";".join(s.besieged), "severity": s.severity,
                     "valid_from": a, "valid_to": b, "population_low": rng.low,
                     "population_high": rng.high, "population_sources": ";".join(psrc),
                     "nearest_open_crossing": open_names[k] if k is not None else "",
                     "nearest_open_crossing_km": round(dist / 1000, 2) if dist is not None
                     else None,
                     "area_km2": round(float(area_km2([ground_proj])[0]), 3)
                     if shapely.area(ground_proj) > 0 else None,
                     "confidence": s.confidence, "sources": ";".join(s.sources),
                     "source_refs": prep.refs_for(sc, s.sources), "description": s.description})
        geoms.append(ground)
        siege_users.append((prep.siege_proj[s.id], s.besieged))
    siege_gdf = _gdf(rows, geoms, SIEGE_COLUMNS)

    # corridors: authored status and the status derived from control
    rows, geoms, cut_rows, cut_geoms = [], [], [], []
    record_of = dict(zip(units.tolist(), records, strict=True))
    for c in sc.corridors:
        s = c.status_at(day)
        line = prep.corridor_proj.get(c.id)
        if s is None or line is None:
            continue
        users = c.users or tuple(dict.fromkeys(
            a for area, bes in siege_users
            if shapely.dwithin(area, line, prep.tol) for a in bes))
        der = derive(line, users, tree=prep.unit_tree, unit_geoms=prep.unit_proj,
                     unit_actor=unit_actor, unit_status=unit_status, allied=sc.allied,
                     tol_m=prep.tol)
        for crossed in der.cuts + der.contested:
            uid = prep.unit_ids[crossed.unit]
            rec = record_of[crossed.unit]
            cut_rows.append({"id": f"{c.id}:{uid}", "corridor": c.id, "corridor_name": c.name,
                             "place": uid, "name": prep.unit_names[crossed.unit],
                             "actor": crossed.actor, "status": crossed.status,
                             "length_km": round(crossed.length_m / 1000, 3),
                             "confidence": rec.confidence, "sources": ";".join(rec.sources),
                             "source_refs": prep.refs_for(sc, rec.sources)})
            # output the stretch cut from the lon/lat line itself, so it lies on the route
            cut_geoms.append(shapely.intersection(prep.corridor_geoms[c.id],
                                                  prep.unit_geoms[crossed.unit]))
        a, b = s.interval.iso()
        srcs = tuple(dict.fromkeys(c.sources + s.sources))  # a source cited twice is one
        dis = disagrees(s.status, der.status)
        rows.append({"id": c.id, "name": c.name, "kind": c.kind, "status": s.status,
                     "derived_status": der.status,
                     "disagreement": "" if dis is None else ("yes" if dis else "no"),
                     "cut_at": ";".join(prep.unit_names[x.unit] for x in der.cuts),
                     "contested_at": ";".join(prep.unit_names[x.unit] for x in der.contested),
                     "users": ";".join(users), "status_from": a, "status_to": b,
                     "status_note": s.note, "confidence": s.confidence,
                     "sources": ";".join(srcs),
                     "source_refs": prep.refs_for(sc, srcs),
                     "description": c.description})
        geoms.append(prep.corridor_geoms[c.id])
    corridor_gdf = _gdf(rows, geoms, CORRIDOR_COLUMNS)
    cut_gdf = _gdf(cut_rows, cut_geoms, CUT_COLUMNS)

    return State(sc.id, day, control, zone_gdf, siege_gdf, corridor_gdf, crossing_gdf,
                 _events(sc, prep, day), cut_gdf)


def _events(sc: Scenario, prep: _Prepared, day: date) -> gpd.GeoDataFrame:
    """The events layer at ``day``: events up to and including the date."""
    rows, geoms = [], []
    start = sc.manifest.start
    for e in sc.events:
        if e.date > day:
            break
        if e.date < start:
            continue
        rows.append({"id": e.id, "date": e.date.isoformat(), "date_precision": e.date_precision,
                     "type": e.type, "title": e.title, "description": e.description,
                     "days_before": (day - e.date).days, "confidence": e.confidence,
                     "sources": ";".join(e.sources), "source_refs": prep.refs_for(sc, e.sources)})
        geoms.append(sc.geometries.get(e.place))
    return _gdf(rows, geoms, EVENT_COLUMNS)


def events_at(sc: Scenario, day: date | str) -> gpd.GeoDataFrame:
    """The events layer of ``state_at(sc, day)`` alone (a new frame), without working out the
    rest of the state: for a page whose other layers are already drawn for that date's
    epoch (see ``layers.draw.timesteps.layer_bounds``)."""
    day = _as_date(day)
    with _LOCK:
        st = sc.cache.get("states", {}).get(day)
    return st.events.copy() if st is not None else _events(sc, prepared(sc), day)


def change_dates(sc: Scenario) -> list[date]:
    """Every date inside the window on which some record starts or ends (sorted).

    For slider marks and "next change" buttons: between two such dates the state is the same.
    """
    days: set[date] = set()
    for r in sc.control:
        days.update(d for d in (r.interval.start, r.interval.end) if d)
    for s in sc.sieges:
        days.update(d for d in (s.interval.start, s.interval.end) if d)
    for x in (*sc.corridors, *sc.crossings):
        for st in x.statuses:
            days.update(d for d in (st.interval.start, st.interval.end) if d)
    days.update(e.date for e in sc.events)
    start, end = sc.window
    return sorted(d for d in days if start <= d <= end)


# -- changes between dates -------------------------------------------------------------------

def changes(sc: Scenario, date_a: date | str, date_b: date | str) -> Changes:
    """What changed between ``date_a`` and ``date_b`` (either order gives before → after)."""
    a, b = _as_date(date_a), _as_date(date_b)
    sa, sb = state_at(sc, a), state_at(sc, b)
    ca = sa.control.set_index("id")[["actor", "status"]]
    cb = sb.control.set_index("id")[["actor", "status"]]
    ids = ca.index.union(cb.index)
    ca, cb = ca.reindex(ids).fillna(""), cb.reindex(ids).fillna("")
    changed = ids[((ca["actor"] != cb["actor"]) | (ca["status"] != cb["status"])).to_numpy()]
    prep = prepared(sc)
    pos = {u: i for i, u in enumerate(prep.unit_ids)}
    rows = [{"id": u, "name": prep.unit_names[pos[u]],
             "actor_before": ca.at[u, "actor"], "status_before": ca.at[u, "status"],
             "actor_after": cb.at[u, "actor"], "status_after": cb.at[u, "status"]}
            for u in changed]
    control = _gdf(rows, [prep.unit_geoms[pos[u]] for u in changed],
                   ["id", "name", "actor_before", "status_before", "actor_after",
                    "status_after"])
    corr = _status_changes(sa.corridors, sb.corridors, ["status", "derived_status"])
    cross = _status_changes(sa.crossings, sb.crossings, ["status"])
    sieges = pd.DataFrame(
        [{"id": s.id, "name": s.name,
          "change": "began" if s.interval.contains(b) else "ended"}
         for s in sc.sieges if s.interval.contains(a) != s.interval.contains(b)],
        columns=["id", "name", "change"])
    lo, hi = min(a, b), max(a, b)
    ev = sb.events if b >= a else sa.events
    events = ev[(ev["date"] > lo.isoformat()) & (ev["date"] <= hi.isoformat())].copy()
    return Changes(a, b, control, corr, cross, sieges, events.reset_index(drop=True))


def _status_changes(before: pd.DataFrame, after: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    x = before.set_index("id")[["name", *cols]]
    y = after.set_index("id")[["name", *cols]]
    ids = x.index.union(y.index)
    x, y = x.reindex(ids).fillna(""), y.reindex(ids).fillna("")
    diff = np.zeros(len(ids), dtype=bool)
    for c in cols:
        diff |= (x[c] != y[c]).to_numpy()
    out = pd.DataFrame({"id": ids[diff], "name": np.where(y["name"][diff] != "",
                                                          y["name"][diff], x["name"][diff])})
    for c in cols:
        out[f"{c}_before"] = x[c][diff].to_numpy()
        out[f"{c}_after"] = y[c][diff].to_numpy()
    return out.reset_index(drop=True)
