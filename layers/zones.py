"""Zones: control units dissolved by (actor, status) at a date, split into connected parts.

Zones are derived, never stored: each is one connected component of the ground one actor
holds (or of contested / unknown ground).  Unit polygons of a gap-free coverage are merged with
shapely's coverage union (linear time, no noding); packs whose units overlap or leave slivers
fall back to a full union.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely


@dataclass(frozen=True, slots=True)
class Zones:
    """Dissolved zones, aligned arrays; ``members[i]`` are the unit indexes of zone ``i``."""

    actor: np.ndarray  # object: actor id or ""
    status: np.ndarray  # object
    geometry: np.ndarray  # object: shapely (Multi)Polygons, same CRS as the input units
    members: tuple[np.ndarray, ...]

    def __len__(self) -> int:
        return len(self.actor)


def is_coverage(geoms: np.ndarray) -> bool:
    """True when ``geoms`` tile without overlaps (what coverage union needs)."""
    if len(geoms) == 0:
        return True
    polys = [g for g in geoms if g is not None and not g.is_empty]
    try:
        return bool(shapely.coverage_is_valid(np.asarray(polys, dtype=object)))
    except shapely.errors.GEOSException:
        return False


def dissolve(geoms: np.ndarray, actors: np.ndarray, statuses: np.ndarray, *,
             coverage: bool | np.ndarray, cache: dict | None = None,
             ids: np.ndarray | None = None) -> Zones:
    """Merge unit ``geoms`` by ``(actor, status)`` and split into connected components.

    Parameters
    ----------
    geoms, actors, statuses
        Aligned arrays: the units present at the date, their actor ("" when none) and status.
    coverage
        Whether ``geoms`` form a valid coverage (see :func:`is_coverage`), or a mask of the
        units that do among themselves (e.g. the city units, not the pack's drawn areas).
    cache, ids
        Optional memo of merged groups keyed by the units' stable ``ids``: from one date to
        the next most groups keep their units, and their union is the costly step.
    """
    keys = np.char.add(np.asarray(actors, dtype=str), np.char.add("\x1f",
                                                                  np.asarray(statuses, dtype=str)))
    uniq, inverse = np.unique(keys, return_inverse=True)
    out_actor, out_status, out_geom, out_members = [], [], [], []
    for k in range(len(uniq)):
        idx = np.flatnonzero(inverse == k)
        key = None
        if cache is not None and ids is not None:
            key = (uniq[k], np.asarray(ids)[idx].tobytes())
            hit = cache.get(key)
            if hit is not None:
                comps, rel = hit
                members = [idx[r] for r in rel]
                _append(out_actor, out_status, out_geom, out_members, uniq[k], comps, members)
                continue
        part = geoms[idx]
        merged = _merge(part, coverage if isinstance(coverage, bool) else coverage[idx])
        comps = np.asarray(shapely.get_parts(merged), dtype=object)
        comps = comps[shapely.area(comps) > 0]
        if len(comps) == 1:
            members = [idx]
        else:
            # a unit belongs to the component holding its representative point
            tree = shapely.STRtree(comps)
            hit = tree.query(shapely.point_on_surface(part), predicate="intersects")
            owner = np.full(len(idx), -1)
            owner[hit[0]] = hit[1]
            members = [idx[owner == c] for c in range(len(comps))]
            for c in range(len(comps)):
                if len(members[c]) == 0:  # a detached part of a multi-part unit
                    near = tree_members(part, comps[c])
                    members[c] = idx[near]
        if key is not None:
            pos = {u: j for j, u in enumerate(idx)}
            cache[key] = (comps, [np.array([pos[u] for u in m], dtype=np.int64)
                                  for m in members])
        _append(out_actor, out_status, out_geom, out_members, uniq[k], comps, members)
    # biggest first within each actor so zone numbers are stable and readable
    order = sorted(range(len(out_geom)),
                   key=lambda i: (out_actor[i], out_status[i], -out_geom[i].area))
    return Zones(
        actor=np.array([out_actor[i] for i in order], dtype=object),
        status=np.array([out_status[i] for i in order], dtype=object),
        geometry=np.array([out_geom[i] for i in order], dtype=object),
        members=tuple(out_members[i] for i in order),
    )


def _merge(part: np.ndarray, coverage: bool | np.ndarray):
    """Union of ``part``: coverage union where the units tile, full union for the rest."""
    if isinstance(coverage, bool | np.bool_):
        return shapely.coverage_union_all(part) if coverage else shapely.union_all(part)
    if coverage.all():
        return shapely.coverage_union_all(part)
    if not coverage.any():
        return shapely.union_all(part)
    tiled = shapely.coverage_union_all(part[coverage])
    return shapely.union_all(np.append(part[~coverage], tiled))


def _append(out_actor, out_status, out_geom, out_members, key, comps, members) -> None:
    actor, status = key.split("\x1f")
    for comp, mem in zip(comps, members, strict=True):
        out_actor.append(actor)
        out_status.append(status)
        out_geom.append(comp)
        out_members.append(mem)


def tree_members(part: np.ndarray, comp) -> np.ndarray:
    """Positions in ``part`` of the units that share area with ``comp``."""
    hit = shapely.STRtree(part).query(comp, predicate="intersects")
    if len(hit) == 0:
        return hit
    shared = shapely.area(shapely.intersection(part[hit], comp)) > 0
    return hit[shared]
