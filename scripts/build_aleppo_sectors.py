"""Build the countryside ring sectors of the ``aleppo-2016`` pack (``areas.geojson``).

The pack maps control of Aleppo's neighbourhood units (``data/places/aleppo-neighbourhoods
.geojson``); encirclement of the opposition-held east is only decidable if the ground around
the city is mapped too.  This script draws that ground as sectors:

1. The study area is the unit coverage (holes filled) grown by ``RING_M`` metres.
2. Every sector is anchored on one or more named places (the ``SEEDS`` table: a village, a
   camp, a hill or a road junction that sources name for that stretch of the front).  The ring
   is split among the anchors by a Voronoi partition, so a sector is the ground nearer to its
   anchors than to any other anchor.  The borders between sectors are therefore schematic:
   they say which named place a piece of ground goes with, not where a front line ran.
3. The unit coverage is cut out, so sectors and units tile without overlaps.
4. Holes the unit coverage keeps (ground the neighbourhood list does not name) become their
   own ``city-gap`` areas, so the pack maps them too.

Output: ``data/scenarios/aleppo-2016/areas.geojson`` (committed).  Deterministic; reads only
``data/`` (run ``.venv/bin/python scripts/build_aleppo_sectors.py``).  Anchor coordinates are
approximate (see each sector's description and the named places in ``data/places/``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "data" / "places" / "aleppo-neighbourhoods.geojson"
NAMED = ROOT / "data" / "places" / "named-places.geojson"
OUT = ROOT / "data" / "scenarios" / "aleppo-2016" / "areas.geojson"

METRIC_CRS = "EPSG:32637"  # UTM 37N: metres around Aleppo
RING_M = 7000.0  # how far beyond the city units the mapped ground reaches
NOTCH_MAX_M2 = 200_000.0  # detached sector parts smaller than this are moved (see _split_notches)
COORD_DIGITS = 8  # about 1 mm, as the unit file

# sector id -> (name, confidence, edge, sources, description).  ``edge: open`` marks sectors
# that reach their holder's ground beyond the mapped ring (never encircled).
SECTORS: dict[str, tuple[str, str, str, list[str], str]] = {
    "sec-layramoun": (
        "Layramoun and Bani Zaid approaches", "low", "",
        ["wp-aleppo-offensive-jun-jul-2016", "aljumhuriya-2016-07-21-castello"],
        "Industrial ground north and west of the Layramoun roundabout, at the western end of "
        "the Castello Road. Anchored on the roundabout area; borders schematic.",
    ),
    "sec-castello-west": (
        "Castello Road west: the Castello complex", "low", "",
        ["aljumhuriya-2016-07-21-castello", "newarab-2016-07-17-castello-cut"],
        "The stretch of the Castello Road between the Castello resort complex and the "
        "Layramoun end, where government forces reached and cut the road in July 2016. "
        "Borders schematic.",
    ),
    "sec-mallah-farms": (
        "Mallah farms", "low", "",
        ["aljumhuriya-2016-07-21-castello", "wp-aleppo-offensive-jun-jul-2016"],
        "Farmland on the rise north of the Castello Road, from which government forces "
        "brought the road under fire in early July 2016. Borders schematic.",
    ),
    "sec-handarat-camp": (
        "Handarat camp, Shqeif industrial area and al-Kindi hospital", "low", "",
        ["aljumhuriya-2016-07-21-castello", "newarab-2016-09-24-handarat",
         "alalam-2016-10-04-kindi"],
        "Ground north of the eastern districts between the Jandoul roundabout and the "
        "Handarat (Ein al-Tal) camp, including the eastern end of the Castello Road. Held by "
        "the opposition inside the siege ring until the autumn 2016 offensive. Borders "
        "schematic.",
    ),
    "sec-north-belt": (
        "Handarat hills, Aleppo Central Prison and Bashkoy", "low", "open",
        ["wp-aleppo-offensive-jun-jul-2016", "alalam-2016-10-04-kindi"],
        "Government-held ground north of the city between the Mallah farms and the Sheikh "
        "Najjar industrial city (Handarat hills, Aleppo Central Prison), read from published "
        "maps. Borders schematic; reaches government ground beyond the mapped ring.",
    ),
    "sec-north-countryside": (
        "Northern countryside: Kafr Hamra, Hreitan, Anadan", "medium", "open",
        ["aljumhuriya-2016-07-21-castello", "wp-aleppo-offensive-jun-jul-2016"],
        "Opposition-held towns north-west of the city from which the Castello Road carried "
        "traffic into the east until July 2016. Reaches opposition ground beyond the mapped "
        "ring. Borders schematic.",
    ),
    "sec-hanano-hills": (
        "Hills north-east of Masaken Hanano", "low", "",
        ["syriatruths-2016-10-14-northeast"],
        "Hills and farmland between Masaken Hanano and the Sheikh Najjar industrial city "
        "(Tal al-Asfar, Tal Oweija and neighbouring high points). Borders schematic.",
    ),
    "sec-east-approaches": (
        "Eastern approaches: Sheikh Najjar and the airport road", "low", "open",
        ["newarab-2016-07-17-castello-cut", "aljazeera-2016-12-03-tariq-al-bab"],
        "Government-held ground east of the eastern districts around the Sheikh Najjar "
        "industrial city and the airport, reaching government ground beyond the mapped ring. "
        "Borders schematic.",
    ),
    "sec-south": (
        "Southern approaches: the Ramouseh-Nayrab road and al-Wadihi", "low", "open",
        ["arabweekly-2016-09-04-resiege", "cbc-2016-09-08-ramouseh"],
        "Government-held ground south of Sheikh Saeed and the airport, carrying the road "
        "from the south-east into Ramouseh. Reaches government ground beyond the mapped ring. "
        "Borders schematic.",
    ),
    "sec-ramouseh-academies": (
        "Ramouseh military academies", "medium", "",
        ["reuters-2016-08-06-breach", "wp-aleppo-offensive-jul-aug-2016",
         "arabweekly-2016-09-04-resiege", "timesofoman-2016-09-04-academies"],
        "The military academies complex on the south-western edge of the city (artillery and "
        "armament academies, air technical college), which the Ramouseh road passes. Borders "
        "schematic.",
    ),
    "sec-ramouseh-road": (
        "Ramouseh road and roundabout", "low", "",
        ["wp-aleppo-offensive-jul-aug-2016", "cbc-2016-09-08-ramouseh",
         "arabweekly-2016-09-04-resiege"],
        "Ground along the Ramouseh road between the Ramouseh industrial units, Sheikh Saeed "
        "and al-Sukkari: the way the August 2016 opening into the eastern districts ran. "
        "Borders schematic.",
    ),
    "sec-project-1070": (
        "1070 housing project and al-Hikma school", "medium", "",
        ["straitstimes-2016-11-08-1070", "iit-2016-10-18-project-1070"],
        "Unfinished housing blocks west of the academies and south of al-Hamdaniyeh, beside "
        "the government's road into western Aleppo. Borders schematic.",
    ),
    "sec-southwest-countryside": (
        "South-western countryside: Khan Touman and al-Rashideen", "low", "open",
        ["wp-aleppo-offensive-jul-aug-2016", "wp-aleppo-offensive-oct-nov-2016"],
        "Opposition-held countryside south-west of the city from which the August 2016 "
        "offensive and the October 2016 offensive were launched. Reaches opposition ground "
        "beyond the mapped ring. Borders schematic.",
    ),
    "sec-west-suburbs": (
        "Western suburbs: Dahiyat al-Assad and Minyan", "medium", "",
        ["wp-aleppo-offensive-oct-nov-2016", "gnn-2016-11-12-recaptured"],
        "Suburbs on the western edge of the city that rebels partly seized in the offensive "
        "from 28 October 2016 and government forces retook by 12 November. Borders schematic.",
    ),
    "sec-west-countryside": (
        "Western countryside: Khan al-Asal, Kafr Naha, Urum al-Kubra road", "medium", "open",
        ["un-boi-2016-12-21-urum", "wp-aleppo-offensive-oct-nov-2016"],
        "Opposition-held countryside west of the city, towards Urum al-Kubra and Idlib. "
        "Reaches opposition ground beyond the mapped ring. Borders schematic.",
    ),
}

# (sector id, anchor, lon, lat): approximate positions of places sources name; the named
# places file is used where it has the place.
SEEDS: list[tuple[str, str, float, float]] = [
    ("sec-layramoun", "pl-layramoun-roundabout", 37.120, 36.254),
    ("sec-layramoun", "Layramoun industrial area, west", 37.100, 36.258),
    ("sec-castello-west", "Castello resort complex", 37.143, 36.259),
    ("sec-castello-west", "Castello Road bend", 37.155, 36.2625),
    ("sec-mallah-farms", "Mallah farms, south", 37.140, 36.274),
    ("sec-mallah-farms", "Mallah farms, east", 37.160, 36.279),
    ("sec-mallah-farms", "Mallah farms, west", 37.118, 36.272),
    ("sec-handarat-camp", "Shqeif industrial area", 37.168, 36.258),
    ("sec-handarat-camp", "pl-handarat-camp", 37.18194, 36.27722),
    ("sec-handarat-camp", "al-Kindi hospital", 37.198, 36.262),
    ("sec-north-belt", "Handarat village and hills", 37.180, 36.298),
    ("sec-north-belt", "Aleppo Central Prison", 37.215, 36.290),
    ("sec-north-belt", "Bashkoy", 37.160, 36.310),
    ("sec-north-belt", "road to Nubl", 37.190, 36.330),
    ("sec-north-countryside", "pl-kafr-hamra", 37.08333, 36.25),
    ("sec-north-countryside", "Hreitan", 37.095, 36.283),
    ("sec-north-countryside", "Anadan", 37.045, 36.295),
    ("sec-north-countryside", "Hayan", 37.125, 36.305),
    ("sec-hanano-hills", "Tal al-Asfar", 37.228, 36.245),
    ("sec-hanano-hills", "Tal Oweija", 37.218, 36.258),
    ("sec-east-approaches", "Sheikh Najjar, west", 37.245, 36.265),
    ("sec-east-approaches", "Sheikh Najjar, north", 37.275, 36.315),
    ("sec-east-approaches", "Sheikh Najjar, east", 37.335, 36.280),
    ("sec-east-approaches", "road east of the city", 37.250, 36.220),
    ("sec-east-approaches", "airport, north", 37.225, 36.200),
    ("sec-east-approaches", "Jibreen hills", 37.290, 36.200),
    ("sec-east-approaches", "east of the airport", 37.330, 36.170),
    ("sec-south", "south of Sheikh Saeed", 37.165, 36.135),
    ("sec-south", "al-Wadihi", 37.185, 36.120),
    ("sec-south", "south of Nayrab", 37.225, 36.135),
    ("sec-south", "road to al-Safira", 37.280, 36.120),
    ("sec-south", "airport, south-east", 37.265, 36.150),
    ("sec-south", "far south", 37.160, 36.085),
    ("sec-ramouseh-academies", "pl-ramouseh-academies", 37.115, 36.135),
    ("sec-ramouseh-academies", "artillery academy, east", 37.135, 36.140),
    ("sec-ramouseh-academies", "Ramouseh road, south", 37.125, 36.122),
    ("sec-ramouseh-road", "Ramouseh roundabout", 37.140, 36.166),
    ("sec-ramouseh-road", "Ramouseh road by al-'Amiriyeh", 37.128, 36.166),
    ("sec-ramouseh-road", "Ramouseh road between the industrial units", 37.146, 36.152),
    ("sec-ramouseh-road", "Ramouseh road, west of the industrial units", 37.123, 36.158),
    ("sec-project-1070", "pl-project-1070", 37.098, 36.155),
    ("sec-project-1070", "al-Hikma school hill", 37.090, 36.140),
    ("sec-southwest-countryside", "Khan Touman", 37.060, 36.105),
    ("sec-southwest-countryside", "south-west of the academies", 37.100, 36.100),
    ("sec-southwest-countryside", "al-Rashideen", 37.065, 36.160),
    ("sec-southwest-countryside", "Khalsa", 37.130, 36.080),
    ("sec-west-suburbs", "Dahiyat al-Assad", 37.072, 36.195),
    ("sec-west-suburbs", "Minyan", 37.065, 36.218),
    ("sec-west-countryside", "Khan al-Asal", 37.030, 36.170),
    ("sec-west-countryside", "Kafr Naha", 37.010, 36.210),
    ("sec-west-countryside", "Kafr Dael", 37.030, 36.245),
    ("sec-west-countryside", "road to Urum al-Kubra", 37.000, 36.150),
]

GAPS: dict[str, tuple[str, str]] = {
    # hole centroid rounded to 0.01 degree -> (id, name); see the description written below
    "37.11,36.22": ("gap-university-west", "Unlisted ground by the University and al-Shahba'"),
    "37.14,36.19": ("gap-bustan-al-qasr-west", "Unlisted ground west of Bustan al-Qaser"),
}


def _named_points() -> dict[str, tuple[float, float]]:
    """Point coordinates of the named places file (id -> lon, lat)."""
    if not NAMED.exists():
        return {}
    data = json.loads(NAMED.read_text(encoding="utf-8"))
    out = {}
    for f in data["features"]:
        g = f.get("geometry") or {}
        if g.get("type") == "Point":
            out[f["properties"]["id"]] = tuple(g["coordinates"][:2])
    return out


def _round(geom: shapely.Geometry) -> dict:
    """GeoJSON mapping with right-hand (counter-clockwise exterior) winding, fixed decimals.

    Snapping to the decimal grid first (``set_precision``) keeps the polygons valid after
    rounding; plain rounding can make a ring touch itself.
    """
    geom = shapely.set_precision(geom, 10.0 ** -COORD_DIGITS)
    geom = shapely.orient_polygons(geom)
    gj = mapping(geom)

    def rnd(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], COORD_DIGITS), round(c[1], COORD_DIGITS)]
        return [rnd(x) for x in c]

    return {"type": gj["type"], "coordinates": rnd(gj["coordinates"])}


def _to(transform, geom: shapely.Geometry) -> shapely.Geometry:
    """Reproject a shapely geometry with a pyproj ``transform`` callable."""
    return shapely.transform(geom, lambda xy: np.column_stack(transform(xy[:, 0], xy[:, 1])))


def _split_notches(pieces: dict[str, shapely.Geometry], units: list[dict], fwd
                   ) -> tuple[dict[str, shapely.Geometry], list[tuple[shapely.Geometry, str]]]:
    """Move the small detached parts of each sector to a neighbour sector or out as notches.

    Voronoi cells reach into the notches between units; after the units are cut out a sector
    can keep small detached parts there.  A part smaller than ``NOTCH_MAX_M2`` (other than a
    sector's largest) goes to the sector it borders longest; if it borders no sector it is
    ground enclosed by units and becomes a notch area that follows the unit it borders
    longest.  Nothing is dropped, so the map keeps no holes.
    """
    out = {k: list(shapely.get_parts(v)) for k, v in pieces.items()}
    notches: list[tuple[shapely.Geometry, str]] = []
    moved: list[tuple[str, shapely.Geometry]] = []
    for sid, parts in out.items():
        areas = [_to(fwd, p).area for p in parts]
        order = np.argsort(areas)[::-1]
        keep = [parts[order[0]]]
        for i in order[1:]:
            if areas[i] >= NOTCH_MAX_M2:
                keep.append(parts[i])
            else:
                moved.append((sid, parts[i]))
        out[sid] = keep
    unit_geoms = [(f["properties"]["id"], shape(f["geometry"])) for f in units]
    for sid, part in moved:
        edge = part.boundary

        def shared(g, edge=edge):
            return _to(fwd, shapely.intersection(edge, g.buffer(1e-7))).length

        best, best_len = None, 0.0
        for o, ps in out.items():
            if o == sid:
                continue
            ln = shared(shapely.union_all(ps))
            if ln > best_len:
                best, best_len = o, ln
        if best is not None and best_len >= 20.0:
            out[best].append(part)
            continue
        near = [(uid, shared(g)) for uid, g in unit_geoms if g.intersects(part.buffer(1e-6))]
        notches.append((part, max(near, key=lambda t: t[1])[0]))
    merged = {k: shapely.union_all(v) for k, v in out.items()}
    return merged, notches


def build() -> dict:
    """The areas FeatureCollection (sectors, then city gaps).

    The Voronoi split is done in metres; the units are cut out in WGS84 against their exact
    coordinates so sector and unit borders share vertices (no slivers, no overlaps).
    """
    fwd = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True).transform
    inv = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True).transform
    units = json.loads(UNITS.read_text(encoding="utf-8"))["features"]
    cover = shapely.union_all([shape(f["geometry"]) for f in units])  # WGS84, exact
    filled = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(cover)])
    holes = [shapely.Polygon(r) for p in shapely.get_parts(cover) for r in p.interiors]
    study = _to(fwd, filled).buffer(RING_M, quad_segs=16)
    named = _named_points()
    pts, owner = [], []
    for sid, anchor, lon, lat in SEEDS:
        lon, lat = named.get(anchor, (lon, lat))
        pts.append(shapely.Point(*fwd(lon, lat)))
        owner.append(sid)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(pts),
                                                       extend_to=study.envelope))
    tree = shapely.STRtree(pts)
    cell_owner = [owner[int(tree.query(c, predicate="contains")[0])] for c in cells]
    pieces = {}
    for sid in SECTORS:
        mine = [c for c, o in zip(cells, cell_owner, strict=True) if o == sid]
        ring = _to(inv, shapely.intersection(shapely.union_all(mine), study))
        g = shapely.difference(shapely.set_precision(ring, 10.0 ** -COORD_DIGITS), filled)
        g = shapely.union_all([p for p in shapely.get_parts(g) if p.area > 0])
        if g.is_empty:
            raise SystemExit(f"sector {sid}: empty after clipping; check its anchors")
        pieces[sid] = g
    pieces, notches = _split_notches(pieces, units, fwd)
    feats = []
    for sid, (name, conf, edge, srcs, desc) in SECTORS.items():
        g = pieces[sid]
        props = {"id": sid, "name": name, "kind": "sector", "confidence": conf,
                 "sources": srcs, "description": desc}
        if edge:
            props["edge"] = edge
        props["area_km2"] = round(_to(fwd, g).area / 1e6, 2)
        feats.append({"type": "Feature", "properties": props, "geometry": _round(g)})
    for h in holes:
        c = h.centroid
        key = f"{c.x:.2f},{c.y:.2f}"
        if key not in GAPS:
            raise SystemExit(f"unit coverage has an unnamed hole at {key}: add it to GAPS")
        gid, name = GAPS[key]
        feats.append({"type": "Feature", "properties": {
            "id": gid, "name": name, "kind": "city-gap", "confidence": "low",
            "sources": ["csr-aleppo-neighbourhoods-map"],
            "description": "Ground inside the city that the neighbourhood list leaves out (a "
                           "hole in the unit coverage); mapped here so control around it is "
                           "complete.",
            "area_km2": round(_to(fwd, h).area / 1e6, 2)}, "geometry": _round(h)})
    for k, (part, follows) in enumerate(sorted(notches, key=lambda t: (t[1], t[0].centroid.x))):
        fname = next(f["properties"]["name"] for f in units if f["properties"]["id"] == follows)
        feats.append({"type": "Feature", "properties": {
            "id": f"notch-{follows.removeprefix('alp-')}-{k + 1}",
            "name": f"Unlisted ground by {fname}", "kind": "city-gap", "confidence": "low",
            "sources": ["csr-aleppo-neighbourhoods-map"], "follows": follows,
            "description": "A notch between neighbourhood units that the unit coverage leaves "
                           f"open; its control follows the unit it borders most ({fname}).",
            "area_km2": round(_to(fwd, part).area / 1e6, 3)}, "geometry": _round(part)})
    return {"type": "FeatureCollection", "features": feats}


def main() -> None:
    fc = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # one feature per line: diffable without blowing up every coordinate onto its own line
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]]
    OUT.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
                   encoding="utf-8")
    for f in fc["features"]:
        p = f["properties"]
        print(f"{p['id']:28s} {p['area_km2']:7.2f} km2")


if __name__ == "__main__":
    main()
