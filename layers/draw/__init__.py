"""Drawing: scenario state → folium layers, styles, legend and escaped popups/tooltips.

Nothing from data reaches Jinja as template source: see :mod:`layers.draw.popups`.
"""

from .assets import ensure_vendor, external_urls, offline_map
from .basemap import TILES, add_basemap, tile_group
from .groups import (
    LAYER_LABELS,
    LAYERS,
    DrawContext,
    build_groups,
    display_geometry,
    layer_features,
)
from .legend import legend_entries, legend_html
from .popups import escape, inert, safe_url

__all__ = [
    "LAYERS", "LAYER_LABELS", "TILES", "DrawContext", "add_basemap", "build_groups",
    "display_geometry", "ensure_vendor", "escape", "external_urls", "inert", "layer_features",
    "legend_entries", "legend_html", "offline_map", "safe_url", "tile_group",
]
