"""The summary panel's tables and the chart over time, from ``layers.summarize`` output.

Only reshaping for display lives here; the figures come from ``layers`` (the same JSON as
``python -m layers summary --json``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from .groups import _blank
from .popups import escape


def changed_units(changes: Any) -> Any:
    """The units that changed hands (GeoDataFrame) from a ``layers.changes`` result."""
    for name in ("control", "units"):
        value = changes.get(name) if isinstance(changes, Mapping) else getattr(changes, name,
                                                                               None)
        if value is not None and hasattr(value, "geometry"):
            return value
    return None


def area_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Ground per actor (plus contested and unknown): ``Held by``, ``km²``, largest first."""
    rows = [{"Held by": a.get("name") or a.get("id"), "km²": float(a.get("area_km2") or 0)}
            for a in summary.get("actors", []) if a.get("area_km2")]
    for key in ("contested", "unknown"):
        km2 = summary.get(f"{key}_km2")
        if km2:
            rows.append({"Held by": key, "km²": float(km2)})
    df = pd.DataFrame(rows, columns=["Held by", "km²"])
    df = df.sort_values("km²", ascending=False).reset_index(drop=True)
    df["km²"] = df["km²"].map(lambda v: f"{v:,.1f}")
    return df


def encircled_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Held zones that are encircled (or whose encirclement is unknown)."""
    names = {a.get("id"): a.get("name") for a in summary.get("actors", [])}
    rows = []
    for z in summary.get("zones", []):
        enc = z.get("encircled")
        if enc is not True and enc != "unknown":
            continue
        places = z.get("unit_names") or []
        rows.append({
            "Zone": ", ".join(places[:3]) + (" …" if len(places) > 3 else "") or z.get("id"),
            "Held by": z.get("actor_name") or z.get("actor"),
            "km²": f"{float(z.get('area_km2') or 0):,.1f}",
            "Encircled by": (", ".join(names.get(a, a) for a in z.get("encircled_by") or [])
                             if enc is True else "unknown"),
        })
    return pd.DataFrame(rows, columns=["Zone", "Held by", "km²", "Encircled by"])


def corridor_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Corridors on the date: reported status and the status derived from control."""
    def words(v: Any) -> str:
        return str(v or "unknown").replace("_", " ")

    rows = [{"Corridor": c.get("name") or c.get("id"), "Reported": words(c.get("status")),
             "From control": words(c.get("derived_status"))}
            for c in summary.get("corridors", [])]
    return pd.DataFrame(rows, columns=["Corridor", "Reported", "From control"])


def tables_html(tables: Iterable[tuple[str, pd.DataFrame]]) -> str:
    """Titled tables as one block of escaped HTML (empty tables left out); the first column
    names each row. Plain HTML rather than Streamlit's table element, which needs the Arrow
    table code loaded in the browser before the map is drawn."""
    out = []
    for title, table in tables:
        if table.empty:
            continue
        head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
        rows = "".join(
            f"<tr><th scope='row'>{escape(row[0])}</th>"
            + "".join(f"<td>{escape(v)}</td>" for v in row[1:]) + "</tr>"
            for row in table.itertuples(index=False))
        out.append(f"<table class='cordon-table'><caption>{escape(title)}</caption>"
                   f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return "".join(out)


def figure_html(label: str, value: str, note: str = "") -> str:
    """A headline figure (label above, value large) as escaped HTML; ``note`` is its tooltip.
    Drawn like Streamlit's metric without the code that element loads in the browser."""
    return (f"<div class='cordon-figure' title='{escape(note)}'>"
            f"<div class='cordon-figure-label'>{escape(label)}</div>"
            f"<div class='cordon-figure-value'>{escape(value)}</div></div>")


def _range(low: Any, high: Any) -> str | None:
    if _blank(low) or _blank(high):
        return None
    return f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"


def population_text(summary: Mapping[str, Any]) -> str | None:
    """Besieged population as ``low–high``, or None when no siege in force has a figure."""
    pop = summary.get("besieged_population") or {}
    return _range(pop.get("low"), pop.get("high"))


def short_number(value: int) -> str:
    """``275000`` → ``"275k"``; ``1250000`` → ``"1.25M"``; small numbers as they are."""
    if value >= 1_000_000:
        return f"{value / 1e6:.3g}M"
    if value >= 10_000:
        return f"{value / 1e3:.3g}k"
    return f"{value:,}"


def population_short(summary: Mapping[str, Any]) -> str | None:
    """Besieged population range in short form for a metric tile (``"250k–300k"``);
    ``"none"`` when no siege is in force on the date, None when sieges have no estimate."""
    if not summary.get("sieges"):
        return "none"
    pop = summary.get("besieged_population") or {}
    low, high = pop.get("low"), pop.get("high")
    if _blank(low) or _blank(high):
        return None
    return short_number(int(low)) if low == high else (
        f"{short_number(int(low))}–{short_number(int(high))}")


def population_context(summary: Mapping[str, Any]) -> str:
    """How current the besieged figure is and, where the pack quotes one, the published count
    it should match ("Figures as of 2016-06-02. Published count of 2016-06-23: 18 locations,
    about 590,000 people (UN OCHA); this pack: 18 locations."). Plain text, not escaped."""
    pop = summary.get("besieged_population") or {}
    parts = []
    first, newest = pop.get("as_of"), pop.get("as_of_newest")
    if first:
        parts.append(f"Figures as of {first}." if not newest or newest == first
                     else f"Figures dated {first} to {newest}.")
    pub = summary.get("published_count")
    if pub:
        counted = [f"{pub['locations']} locations" if pub.get("locations") is not None else "",
                   (("about " if pub.get("rounding") else "") + f"{int(pub['population']):,} "
                    "people") if pub.get("population") is not None else ""]
        publisher = (pub.get("source") or {}).get("publisher") or "source"
        parts.append(f"Published count of {pub['date']}: {', '.join(c for c in counted if c)} "
                     f"({publisher}); this pack: {summary.get('besieged_locations')} locations.")
    return " ".join(parts)


def population_sources(summary: Mapping[str, Any]) -> list[Any]:
    """The source records behind the besieged-population figure."""
    return list((summary.get("besieged_population") or {}).get("sources") or [])


def siege_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Sieges in force: name, population range, since."""
    rows = []
    for s in summary.get("sieges", []):
        pop = s.get("population") or {}
        rows.append({"Siege": s.get("name") or s.get("id"),
                     "Population": _range(pop.get("low"), pop.get("high")) or "unknown",
                     "Since": s.get("since")})
    return pd.DataFrame(rows, columns=["Siege", "Population", "Since"])


def sample_dates(start: date, end: date, count: int = 16) -> list[date]:
    """About ``count`` evenly spaced dates from ``start`` to ``end`` (both included)."""
    days = (end - start).days
    if days <= 0:
        return [start]
    step = max(1, days // (count - 1))
    out = [start + timedelta(days=i) for i in range(0, days, step)]
    return [*out, end] if out[-1] != end else out


def history(summarize: Callable[[date], Mapping[str, Any]], start: date, end: date,
            count: int = 16) -> pd.DataFrame:
    """Besieged population (low/high) and km² per actor at evenly spaced dates."""
    rows = []
    for day in sample_dates(start, end, count):
        s = summarize(day)
        pop = s.get("besieged_population") or {}
        row: dict[str, Any] = {"date": pd.Timestamp(day), "besieged (low)": pop.get("low"),
                               "besieged (high)": pop.get("high")}
        for a in s.get("actors", []):
            row[f"{a.get('name') or a.get('id')} km²"] = a.get("area_km2")
        rows.append(row)
    return pd.DataFrame(rows).set_index("date")


POPULATION_COLOURS = {"besieged (low)": "#999999", "besieged (high)": "#333333"}


def series_colours(columns: Iterable[str], actors: Iterable[Any]) -> list[str]:
    """One colour per :func:`history` column: each actor's km² line in the actor's map colour
    (so the chart reads like the legend), the population lines in greys."""
    by_column = {f"{a.name or a.id} km²": a.colour for a in actors}
    by_column.update(POPULATION_COLOURS)
    return [by_column.get(c, "#777777") for c in columns]


def attribution(manifest_attribution: str | None, path: Path) -> str:
    """Markdown: the pack's attribution, then the project's data/ATTRIBUTION.md when present."""
    from .popups import md

    parts = []
    if manifest_attribution:  # pack data: escaped; the project's own file is real Markdown
        parts.append(f"**This scenario:** {md(manifest_attribution)}")
    if path.is_file():
        parts.append(path.read_text(encoding="utf-8"))
    return "\n\n".join(parts) or "No attribution file found."


def sources_list(sources: Iterable[Any]) -> list[str]:
    """Plain-text citations (publisher — title (date)) for source records."""
    out = []
    for rec in sources:
        if not isinstance(rec, Mapping):
            out.append(str(rec))
            continue
        text = " — ".join(str(rec[k]) for k in ("publisher", "title") if rec.get(k))
        out.append(text + (f" ({rec['date']})" if rec.get("date") else "") or str(rec.get("id")))
    return out
