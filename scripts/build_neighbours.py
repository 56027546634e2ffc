"""Build data/places/neighbours.geojson: the countries around Syria, for the offline basemap.

Source: Natural Earth 1:110m admin-0 countries (public domain), as shipped in pyogrio's test
fixtures (``pyogrio/tests/fixtures/naturalearth_lowres``, copied there from GeoPandas). The
page does not need pyogrio's tests at run time: this script is run once by a maintainer and its
output is committed. Syria's own outline is not taken from it: each neighbour has Syria's
governorates (``syria-governorates.geojson``, a finer source) cut out, so borders do not
overlap; at 1:110m the shared border is approximate (a few km), which is why these shapes are
drawn only as context, never used in analysis.

Ids are the GeoNames country ids of ``world-countries.csv`` (matched on ISO 3166 alpha-3).

    .venv/bin/python scripts/build_neighbours.py
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "data" / "places"
#: Syria's neighbours, and Cyprus (across the sea, on the same screen at country zoom).
ISO3 = ("TUR", "IRQ", "JOR", "LBN", "ISR", "PSE", "CYP")
SOURCE = "naturalearth-110m"


def main() -> None:
    shp = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres" / \
        "naturalearth_lowres.shp"
    world = gpd.read_file(shp)
    ids = {}
    with open(PLACES / "world-countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ids[row["iso3"]] = (row["id"], row["name"])
    syria = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in json.loads(
        (PLACES / "syria-governorates.geojson").read_text(encoding="utf-8"))["features"]])
    features = []
    for iso3 in ISO3:
        rows = world[world["iso_a3"] == iso3]
        if rows.empty or iso3 not in ids:
            continue
        geom = shapely.make_valid(rows.geometry.iloc[0]).difference(syria.buffer(0.002))
        geom = shapely.set_precision(geom, 1e-4)
        pid, name = ids[iso3]
        # The name sits on the part of the country seen around Syria, not at its centre.
        near = geom.intersection(shapely.box(*syria.buffer(0.8).bounds))
        point = (near if not near.is_empty else geom).representative_point()
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geom),
                         "properties": {"id": pid, "kind": "country", "name": name,
                                        "iso3": iso3, "label_lon": round(point.x, 4),
                                        "label_lat": round(point.y, 4), "sources": [SOURCE]}})
    out = PLACES / "neighbours.geojson"
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                              ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out)
    print(f"{out}: {len(features)} countries")


if __name__ == "__main__":
    main()
