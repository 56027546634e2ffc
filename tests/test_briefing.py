"""Briefing maps (layers/draw/briefing.py): a PNG/PDF page of what is on screen, with its
legend, scale and the sources behind it — built offline."""

from __future__ import annotations

import datetime as dt
import io
import struct

import geopandas as gpd
import pytest
from shapely.geometry import Point

import layers
from layers.draw import briefing

pypdf = pytest.importorskip("pypdf")

DAY = dt.date(2016, 9, 15)


@pytest.fixture(scope="module")
def aleppo():
    sc = layers.load_scenario("aleppo-2016")
    state = layers.state_at(sc, DAY)
    return sc, layers.select(state, ["control", "sieges", "corridors", "crossings"])


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # the IHDR chunk: width, height


def test_pdf_shows_legend_with_the_actors_and_the_sources_behind_the_map(aleppo):
    sc, sel = aleppo
    text = pdf_text(briefing.render(sel, "pdf", scenario=sc, day=DAY))
    assert sc.manifest.title in text and "15 September 2016" in text
    control = sel["control"]
    held = set(control.loc[control["status"] == "controlled", "actor"])
    for aid in held:
        assert sc.actors[aid].name in text
    assert "Besieged area" in text and "Legend" in text and "km" in text
    siege_sources = {s for v in sel["sieges"]["sources"] for s in v.split(";") if s}
    assert siege_sources
    for sid in siege_sources:  # every source of what is shown, with publisher and title
        src = sc.sources[sid]
        assert src.publisher in text and " ".join(src.title.split()) in text, sid
    assert "Event" not in text.split("Sources")[0]  # no legend entry for a hidden layer


def test_png_has_the_page_size_asked_for(aleppo):
    sc, sel = aleppo
    assert png_size(briefing.render(sel, "png", scenario=sc, day=DAY)) == (1754, 1240)  # A4
    small = briefing.render(sel, "png", scenario=sc, day=DAY, pixels=(1001, 707), dpi=100)
    assert png_size(small) == (1001, 707)


def test_text_from_data_is_drawn_as_it_is_not_as_math():
    pts = gpd.GeoDataFrame(
        {"id": ["a"], "name": ["$\\alpha$ {{ x }}"],
         "sources": [[{"publisher": "Pub $1$", "title": "T <b>", "date": "2016-01-02",
                       "url": "https://example.org/a"}]]},
        geometry=[Point(37.1, 36.2)], crs=4326)
    text = pdf_text(briefing.render({"my $layer$": pts}, "pdf", title="Cost $5$ {x}",
                                    day="2016-01-02"))
    assert "Cost $5$ {x}" in text and "My layer: my $layer$" in text
    assert "Pub $1$" in text and "https://example.org/a" in text


def test_cli_writes_png_and_pdf_and_refuses_an_unknown_format(tmp_path, capsys):
    from layers.__main__ import main

    for fmt in ("png", "pdf"):
        out = tmp_path / f"brief.{fmt}"
        assert main(["export", "--scenario", "syria-2016", "--format", fmt,
                     "-o", str(out)]) == 0
        head = out.read_bytes()[:8]
        assert head.startswith(b"%PDF" if fmt == "pdf" else b"\x89PNG")
    assert {p.name for p in tmp_path.iterdir()} == {"brief.png", "brief.pdf"}  # no temp left
    with pytest.raises(briefing.BriefingError, match="png, pdf"):
        briefing.render({}, "svg")
    capsys.readouterr()


def test_syrias_sieges_are_each_named_without_overlap_on_the_page():
    sc = layers.load_scenario("syria-2016")
    day = dt.date(2016, 6, 23)
    sel = layers.select(layers.state_at(sc, day), ["sieges"])
    names = list(sel["sieges"]["name"])
    assert len(names) >= 8  # six of them around Damascus, a few km apart
    fig, _ = briefing._compose(sel, scenario=sc, day=day, title=None, bbox=None, view=None,
                               attribution=None, size=(1754 / 150, 1240 / 150), dpi=150,
                               continued=False)
    from matplotlib.text import Text

    fig.canvas.draw()  # places the annotations' words
    renderer = fig.canvas.get_renderer()
    # the words only (an annotation's own box takes in its leader line)
    drawn = {t.get_text(): Text.get_window_extent(t, renderer) for t in fig.axes[0].texts}
    assert set(names) <= set(drawn), set(names) - set(drawn)
    boxes = [drawn[n] for n in names]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    view = fig.axes[0].get_window_extent(renderer)
    assert all(view.x0 <= b.x0 and b.x1 <= view.x1 for b in boxes)  # on the map, not cut


def test_the_legend_calls_a_town_under_siege_a_place_not_an_area():
    sc = layers.load_scenario("syria-2016")
    day = dt.date(2016, 6, 23)
    text = pdf_text(briefing.render(layers.select(layers.state_at(sc, day), ["sieges"]), "pdf",
                                    scenario=sc, day=day))
    assert "Besieged place" in text and "Besieged area" not in text
    assert "LEBANON" in text and "TURKEY" in text  # Syria among its neighbours, as on the page
