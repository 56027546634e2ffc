"""The summary of a scenario at a date: the dict behind ``python -m layers summary --json``.

Who holds what (km²), which zones are encircled and by whom, corridor status (authored and
derived, and where cut), sieges and the besieged population with its sources. The population is
the range of the *current* estimates of each siege and carries their date (``as_of``); which
estimates count as current is decided in :mod:`layers.analysis.sieges`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import shapely

from .analysis.sieges import population_range
from .model import Scenario
from .timeline import shared_state

_ENC = {"yes": True, "no": False, "unknown": "unknown", "": None}


def _split(text: str) -> list[str]:
    return [t for t in str(text).split(";") if t]


def _point(geom) -> list[float] | None:
    if geom is None or geom.is_empty:
        return None
    p = shapely.line_interpolate_point(shapely.line_merge(geom), 0.5, normalized=True) \
        if geom.geom_type in ("LineString", "MultiLineString") else geom.representative_point()
    if p.is_empty:
        p = geom.representative_point()
    return [round(p.x, 6), round(p.y, 6)]


def summarize(sc: Scenario, day: date | str) -> dict[str, Any]:
    """The summary dict of ``sc`` at ``day`` (JSON-ready: plain str, int, float, bool, None).

    ``zones[].encircled`` is True, False or ``"unknown"`` for held ground and None for
    contested or unknown ground; ``corridors[].cut_at`` lists the units where the route crosses
    hostile-held ground, each with a ``[lon, lat]`` point on the cut stretch.
    """
    st = shared_state(sc, day)  # read only here: no copy
    zones = [{
        "id": z.id, "actor": z.actor or None, "actor_name": z.actor_name or None,
        "status": z.status, "area_km2": z.area_km2,
        "population": None if z.population is None or z.population != z.population
        else int(z.population),
        "population_units": z.population_units, "encircled": _ENC[z.encircled],
        "encircled_by": _split(z.encircled_by), "units": _split(z.units),
        "unit_names": _split(z.unit_names),
        "confidence": z.confidence, "sources": _split(z.sources),
    } for z in st.zones.itertuples()]

    # plain arrays: filtering the GeoDataFrame once per actor cost more than the rest
    z_actor = st.zones["actor"].to_numpy()
    z_status = st.zones["status"].to_numpy()
    z_area = st.zones["area_km2"].to_numpy(dtype=float)
    actors = []
    for a in sc.actors.values():
        held = (z_actor == a.id) & (z_status == "controlled")
        actors.append({"id": a.id, "name": a.name, "colour": a.colour,
                       "area_km2": round(float(z_area[held].sum()), 3),
                       "zones": int(held.sum())})
    other = {s: round(float(z_area[z_status == s].sum()), 3) for s in ("contested", "unknown")}

    cuts_by = {}
    for c, g in zip(st.cuts.itertuples(), st.cuts.geometry, strict=True):
        cuts_by.setdefault((c.corridor, c.status), []).append(
            {"place": c.place, "name": c.name, "actor": c.actor or None,
             "length_km": c.length_km, "point": _point(g)})
    corridors = [{
        "id": c.id, "name": c.name, "kind": c.kind, "status": c.status,
        "derived_status": c.derived_status,
        "disagreement": {"yes": True, "no": False}.get(c.disagreement),
        "cut_at": cuts_by.get((c.id, "controlled"), []),
        "contested_at": cuts_by.get((c.id, "contested"), []),
        "users": _split(c.users), "status_since": c.status_from, "note": c.status_note,
        "confidence": c.confidence, "sources": _split(c.sources),
    } for c in st.corridors.itertuples()]

    crossings = [{"id": x.id, "name": x.name, "kind": x.kind, "status": x.status,
                  "since": x.valid_from} for x in st.crossings.itertuples()]

    by_id = {s.id: s for s in sc.sieges}
    sieges, lows, highs, psrc, no_figure, as_of = [], [], [], [], [], []
    for s in st.sieges.itertuples():
        rec = by_id[s.id]
        rng = population_range(rec, st.date)  # the rule behind population_low/high
        srcs = list(dict.fromkeys(x for p in rng.estimates for x in p.sources))
        sieges.append({
            "id": s.id, "name": s.name, "besiegers": _split(s.besiegers),
            "besieged": _split(s.besieged), "severity": s.severity or None, "since": s.valid_from,
            "since_precision": rec.interval.start_precision,
            "until": s.valid_to or None,
            "area_km2": None if s.area_km2 != s.area_km2 else s.area_km2,  # NaN: a point
            "population": {"low": rng.low, "high": rng.high, "sources": sc.cite(srcs),
                           "as_of": rng.as_of.isoformat() if rng.as_of else None,
                           "after_date": rng.after},
            "nearest_open_crossing": ({"name": s.nearest_open_crossing,
                                       "distance_km": s.nearest_open_crossing_km}
                                      if s.nearest_open_crossing else None),
            "confidence": s.confidence, "sources": _split(s.sources),
        })
        if rng.low is not None:
            lows.append(rng.low)
            highs.append(rng.high)
            psrc.extend(srcs)
            if rng.as_of is not None:
                as_of.append(rng.as_of)
        else:
            no_figure.append(s.id)

    return {
        "scenario": sc.id, "title": sc.manifest.title, "date": st.date.isoformat(),
        "besieged_locations": len({p for s in sieges for p in by_id[s["id"]].places}),
        "published_count": _published_count(sc, st.date),
        "window": [sc.window[0].isoformat(), sc.window[1].isoformat()],
        "actors": actors, "contested_km2": other["contested"], "unknown_km2": other["unknown"],
        "zones": zones, "corridors": corridors, "crossings": crossings, "sieges": sieges,
        "besieged_population": {
            "low": sum(lows) if lows else None, "high": sum(highs) if highs else None,
            "sources": sc.cite(list(dict.fromkeys(psrc))),
            # the total is only as current as its oldest part
            "as_of": min(as_of).isoformat() if as_of else None,
            "as_of_newest": max(as_of).isoformat() if as_of else None,
            "sieges_without_estimate": no_figure},
        "attribution": sc.manifest.attribution,
    }


def _published_count(sc: Scenario, day: date) -> dict[str, Any] | None:
    """The newest headline count among the manifest's ``reports`` published by ``day``
    (e.g. the UN's number of besieged locations and people), to set beside the pack's own."""
    dated = [(sc.sources[r].figures, r) for r in sc.manifest.reports
             if r in sc.sources and sc.sources[r].figures is not None]
    dated = [(f, r) for f, r in dated if f.date <= day]
    if not dated:
        return None
    fig, rid = max(dated, key=lambda fr: fr[0].date)
    return {"date": fig.date.isoformat(), "locations": fig.locations,
            "population": fig.population, "rounding": fig.rounding,
            "source": sc.cite([rid])[0]}


def _n(v: int | None) -> str:
    return "unknown" if v is None else f"{v:,}"


def _people(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "population unknown"
    return f"{_n(low)} people" if low == high else f"{_n(low)}–{_n(high)} people"


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _since(day: str, precision: str | None, window_start: str | None = None) -> str:
    """A start date as precise as the sources: ``about 2016-06-01``, ``Jun 2016`` or the day.

    An approximate start on (or before) the window's first day is the author's way of saying
    "already so when the window opens": ``before 2016-06-01``, not an invented date.
    """
    if precision == "approximate" and window_start and day <= window_start:
        return f"before {window_start}"
    if precision == "approximate":
        return f"about {day}"
    if precision == "month" and len(day) >= 7:
        return f"{_MONTHS[int(day[5:7]) - 1]} {day[:4]}"
    return day


def _dated(p: dict[str, Any], day: str) -> str:
    if not p.get("as_of"):
        return ""
    if p.get("after_date"):
        return f" (figures of {p['as_of']}, after {day}: none earlier)"
    return f" (as of {p['as_of']})"


def format_summary(s: dict[str, Any]) -> str:
    """Human-readable text of a :func:`summarize` dict."""
    names = {a["id"]: a["name"] for a in s["actors"]}
    out = [f"{s['title']} — {s['date']}", ""]
    if not s["zones"]:  # e.g. a country pack of sieges only, or a day before any record
        out.append("Ground held: no control mapped at this date")
    else:
        out.append("Ground held (km²):")
    for a in sorted(s["actors"], key=lambda a: -a["area_km2"]):
        if a["zones"]:
            out.append(f"  {a['name']}: {a['area_km2']:.1f} in {a['zones']} zone(s)")
    for k in ("contested", "unknown"):
        if s[f"{k}_km2"]:
            out.append(f"  {k}: {s[f'{k}_km2']:.1f}")
    if s["zones"]:
        out += ["", "Zones:"]
    for z in s["zones"]:
        if z["status"] != "controlled":
            continue
        by = ", ".join(names.get(a, a) for a in z["encircled_by"])
        enc = {True: f"ENCIRCLED by {by}", False: "not encircled",
               "unknown": "encirclement unknown (borders unmapped or unknown ground)"}
        place = ", ".join(z["unit_names"][:3]) + (" …" if len(z["units"]) > 3 else "")
        out.append(f"  {z['id']} ({z['actor_name']}, {z['area_km2']:.1f} km²; {place}): "
                   f"{enc[z['encircled']]}")
    if s["corridors"]:
        out += ["", "Corridors (authored / derived from control):"]
    for c in s["corridors"]:
        line = f"  {c['name']}: {c['status']} / {c['derived_status']}"
        if c["cut_at"]:
            line += " — cut at " + ", ".join(x["name"] for x in c["cut_at"])
        if c["contested_at"]:
            line += " — contested at " + ", ".join(x["name"] for x in c["contested_at"])
        if c["disagreement"]:
            line += "  [authored and derived disagree]"
        out.append(line)
    if s["crossings"]:
        out += ["", "Crossings: " + "; ".join(f"{x['name']} {x['status']}"
                                             for x in s["crossings"])]
    if s["sieges"]:
        out += ["", "Sieges:"]
    for g in s["sieges"]:
        p = g["population"]
        by = ", ".join(names.get(a, a) for a in g["besiegers"])
        since = _since(g["since"], g.get("since_precision"), s["window"][0])
        line = (f"  {g['name']} (by {by}, since {since}): "
                f"{_people(p['low'], p['high'])}{_dated(p, s['date'])}")
        if g["nearest_open_crossing"]:
            nc = g["nearest_open_crossing"]
            line += (f"; nearest open crossing {nc['name']} {nc['distance_km']:.1f} km "
                     "in a straight line")
        out.append(line)
    pub = s.get("published_count")
    if s["sieges"] and pub:  # a count of places means something beside a published list
        about = "about " if pub.get("rounding") else ""
        counted = ", ".join(x for x in (
            f"{pub['locations']} locations" if pub["locations"] is not None else "",
            f"{about}{pub['population']:,} people" if pub["population"] is not None else "",
        ) if x)
        out += ["", f"Besieged locations: {s['besieged_locations']} (published count of "
                    f"{pub['date']}: {counted}; {pub['source']['publisher']})"]
    bp = s["besieged_population"]
    if not s["sieges"]:
        out += ["", "Besieged population: none (no siege in force on this date)"]
    elif bp["low"] is not None:
        missing = bp["sieges_without_estimate"]
        note = f" (not counting {len(missing)} siege(s) with no estimate)" if missing else ""
        when = ""
        if bp.get("as_of"):
            newest = bp.get("as_of_newest") or bp["as_of"]
            when = (f", as of {newest}" if newest == bp["as_of"]
                    else f", figures dated {bp['as_of']} to {newest}")
        out += ["", f"Besieged population: {_people(bp['low'], bp['high'])}{when}{note}",
                "Sources:"]
        out += [f"  {x['publisher']}, \"{x['title']}\" ({x['date']}) {x['url']}"
                for x in bp["sources"]]
    if s["attribution"]:
        out += ["", f"Data: {s['attribution']}"]
    return "\n".join(out)
