"""Derived status of a route from who holds the ground it crosses on a date.

A route used by ``users`` is *cut* where it crosses ground held by an actor hostile to all of
them; *contested* where it crosses contested ground (and is cut nowhere); *unknown* where it
runs over ground the pack does not map or marks unknown (and is cut nowhere); otherwise
*open*.  The authored status and the derived one disagree when a route said to be open or
restricted is cut, or one said to be closed runs wholly over friendly ground.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely

OPEN, CUT, CONTESTED, UNKNOWN = "open", "cut", "contested", "unknown"


@dataclass(frozen=True, slots=True)
class Crossed:
    """One unit a route crosses: where, whose, how long (metres, projected geometry)."""

    unit: int
    actor: str
    status: str
    length_m: float
    geometry: object  # the part of the route inside the unit


@dataclass(frozen=True, slots=True)
class Derived:
    """A route's derived status with the units where it is cut or contested."""

    status: str
    cuts: tuple[Crossed, ...] = ()
    contested: tuple[Crossed, ...] = ()
    unmapped_m: float = 0.0
    reason: str = ""
    users: tuple[str, ...] = field(default=())


def derive(line, users: tuple[str, ...], *, tree: shapely.STRtree, unit_geoms: np.ndarray,
           unit_actor: np.ndarray, unit_status: np.ndarray,
           allied: Callable[[str, str], bool], tol_m: float = 25.0) -> Derived:
    """Derived status of ``line`` (projected, metres) for traffic of ``users`` on a date.

    ``unit_status`` holds each unit's status at the date, ``""`` where it has no record.
    """
    if not users:
        return Derived(UNKNOWN, reason="no users: give the corridor 'users' or a siege it "
                       "touches")
    tol = max(float(tol_m), 0.01)
    cand = tree.query(line, predicate="intersects")
    segs = shapely.intersection(line, unit_geoms[cand])
    lens = shapely.length(segs)
    keep = lens > tol
    cand, segs, lens = cand[keep], segs[keep], lens[keep]
    cuts, contested = [], []
    mapped_m, unknown_m = 0.0, 0.0
    for u, seg, ln in zip(cand, segs, lens, strict=True):
        st, act = unit_status[u], unit_actor[u]
        if not st:
            continue  # no record at the date: unmapped
        mapped_m += ln
        if st == "unknown":
            unknown_m += ln
        elif st == "contested":
            contested.append(Crossed(int(u), act, st, float(ln), seg))
        elif not any(allied(act, usr) for usr in users):
            cuts.append(Crossed(int(u), act, st, float(ln), seg))
    unmapped = max(float(line.length) - mapped_m, 0.0) + unknown_m
    if cuts:
        status = CUT
    elif contested:
        status = CONTESTED
    elif unmapped > 4 * tol:
        status = UNKNOWN
    else:
        status = OPEN
    return Derived(status, tuple(cuts), tuple(contested), unmapped, users=users)


def disagrees(authored: str | None, derived: str) -> bool | None:
    """Whether the authored and derived statuses contradict; None when one is unknown."""
    if authored is None or derived == UNKNOWN:
        return None
    if derived == CUT:
        return authored in ("open", "restricted")
    if derived == OPEN:
        return authored == "closed"
    return False
