"""Local copies of the map's scripts and stylesheets, so the page loads nothing from a CDN.

Leaflet and jQuery come from the XStatic packages (installed from PyPI with the app). At start-up
they are copied into ``static/vendor/`` beside ``app.py``, which Streamlit serves at
``/app/static/…`` when ``server.enableStaticServing`` is on (see ``.streamlit/config.toml``).
:func:`offline_map` builds a :class:`folium.Map` whose ``default_js``/``default_css`` point there
and nowhere else; streamlit-folium collects exactly those lists to load the map's scripts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import folium

#: URL prefix under which Streamlit serves ``./static`` (root-relative: the map's iframe shares
#: the page's origin).
STATIC_URL = "/app/static/vendor"


def _sources() -> dict[str, Path]:
    """Vendor sub-folder name -> the XStatic package's data folder."""
    import xstatic.pkg.jquery as xjquery
    import xstatic.pkg.leaflet as xleaflet

    return {"leaflet": Path(xleaflet.BASE_DIR), "jquery": Path(xjquery.BASE_DIR)}


#: Files the map needs, relative to ``static/vendor``.
VENDOR_FILES = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/images/layers.png",
    "leaflet/images/layers-2x.png",
    "jquery/jquery.min.js",
)

#: What every map loads. jQuery is copied too but not loaded: it is needed only by folium's
#: ``Popup`` template and ``GeoJson(embed=False)``, which the map does not use (popups are bound
#: by our own script); add :data:`JQUERY_JS` to a map's ``default_js`` if that changes.
DEFAULT_JS = [("leaflet", f"{STATIC_URL}/leaflet/leaflet.js")]
JQUERY_JS = ("jquery", f"{STATIC_URL}/jquery/jquery.min.js")
DEFAULT_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css")]


def ensure_vendor(static_dir: str | Path) -> Path:
    """Copy Leaflet and jQuery into ``static_dir/vendor`` when any file is missing.

    Parameters
    ----------
    static_dir
        The ``static`` folder beside ``app.py``.

    Returns
    -------
    Path
        The vendor folder.
    """
    vendor = Path(static_dir) / "vendor"
    if all((vendor / name).is_file() for name in VENDOR_FILES):
        return vendor
    for name, src in _sources().items():
        dest = vendor / name
        # Copy to a sibling then rename, so a concurrent reader never sees half a folder.
        tmp = vendor / f".{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(src, tmp, ignore=shutil.ignore_patterns("*.map", "*esm*"))
        shutil.rmtree(dest, ignore_errors=True)
        tmp.rename(dest)
    return vendor


#: Popup and tooltip look (the map's own stylesheet, in its header: stable across reruns).
MAP_CSS = """<style>
.leaflet-container { font: 12px/1.4 "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; }
.leaflet-popup-content, .leaflet-tooltip { font-size: 12px; }
.leaflet-popup-content { margin: 10px 12px; }
.leaflet-popup-content b { font-size: 13px; }
.cordon-pop { border-collapse: collapse; margin: 4px 0; }
.cordon-pop th, .cordon-pop td { font-size: 12px; }
.cordon-pop th { text-align: left; padding: 1px 8px 1px 0; vertical-align: top; color: #444;
  font-weight: 600; white-space: nowrap; }
.cordon-pop td { padding: 1px 0; vertical-align: top; }
.cordon-src { margin: 2px 0 0 16px; padding: 0; }
/* The page sizes the map's frame to the window (app.py PAGE_CSS); the map fills the frame. */
#map_div { height: 100vh !important; }
</style>"""


def offline_map(location: tuple[float, float], zoom: int, **options) -> folium.Map:
    """A :class:`folium.Map` with no tiles and every asset served locally.

    Vector layers are drawn on one canvas (``prefer_canvas``) so many features stay smooth.
    The map carries Cordon's own script (:mod:`layers.draw.mapscript`): event and place
    symbols, labels by zoom, and a note when online tiles fail.

    Parameters
    ----------
    location
        Initial centre ``(lat, lon)``.
    zoom
        Initial zoom level.
    **options
        Passed on to :class:`folium.Map`.
    """
    options.setdefault("prefer_canvas", True)
    options.setdefault("control_scale", True)
    m = folium.Map(location=list(location), zoom_start=zoom, tiles=None, **options)
    # Instance attributes shadow folium's class-level CDN lists.
    m.default_js = list(DEFAULT_JS)
    m.default_css = list(DEFAULT_CSS)
    m.get_root().header.add_child(folium.Element(MAP_CSS), name="cordon_css")
    from .mapscript import add_map_script  # symbols, labels by zoom, tile failure note

    return add_map_script(m)


def external_urls(m: folium.Map) -> list[str]:
    """Every script/stylesheet URL the map's elements ask for that is not served locally.

    streamlit-folium loads the ``default_js``/``default_css`` of every element under the map;
    this walks the same tree so tests can assert the list is empty.
    """
    found: list[str] = []

    def walk(elem) -> None:
        links = list(getattr(elem, "default_js", [])) + list(getattr(elem, "default_css", []))
        for _, url in links:
            if not url.startswith("/"):
                found.append(url)
        for child in getattr(elem, "_children", {}).values():
            walk(child)

    walk(m)
    return found
