"""The map's own script: point symbols, labels by zoom without overlap, and a note when online
tiles fail.

It is part of the map (not of the layers redrawn on every run), so it loads once with Leaflet
from our own server; the layers added later call ``window.CORDON`` to draw their points:

- ``CORDON.point(feature, latlng, options)`` — a feature with ``_label`` becomes a text label
  (a ``divIcon`` of class ``cordon-label cordon-label-<kind>``), one with ``_icon`` an SVG
  symbol from :func:`layers.draw.icons.icon_table`, anything else a circle marker.
- Labels carry the zoom from which they show (``_lz``) and a priority (``_lp``, lower first).
  After each zoom, pan or redraw, labels below their zoom are hidden, then the rest are placed
  in priority order and any label that would overlap one already placed is hidden; a label is
  slid along to fit inside the map when its place is on it, and hidden when it is not.
- Vector layers are drawn by ``CORDON.Canvas``: Leaflet's canvas renderer, with circle markers
  stamped from an image drawn once per style, and a long run of markers (a layer of thousands
  of points) stamped once onto an image with a margin around the view that is copied while
  the map pans (large point layers stay smooth to pan and zoom).
- A siege at a town (``_icon`` ``siege-point``) is a symbol carrying its name (``_sn``).
  Symbols whose boxes (ring and name) would overlap on screen are gathered, and the group is
  drawn as a column of named symbols beside it, each tied to its true place by a leader line
  (a dot marks the place); groups that then overlap are gathered again. Their popups open
  from where they are drawn. Symbols with a zoom (``_lz``, the towns of a group) show from it.
- A tile layer whose tiles fail to load (no internet, blocked host) shows a note on the map
  instead of failing silently.

Label text is escaped by the Python side (``escape``) and set as HTML by Leaflet; nothing in
this script comes from data. The script holds no Jinja syntax (it is compiled as a template by
branca, like everything folium renders).
"""

from __future__ import annotations

import json
from functools import lru_cache

import folium
from branca.element import MacroElement
from jinja2 import Template

from .icons import icon_table

#: Label and symbol look, added to the map's stylesheet (see ``assets.MAP_CSS``).
LABEL_CSS = """<style>
.cordon-label { background: none; border: none; }
.cordon-label span { position: absolute; left: 0; top: 0; transform: translate(-50%, -50%);
  white-space: nowrap; font: 600 11px/1.2 "Source Sans Pro", Arial, sans-serif; color: #111;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; pointer-events: none; }
.cordon-label-siege span { font-size: 12.5px; font-weight: 700; font-style: italic; }
.cordon-label-corridor span { font-size: 11.5px; color: #004d36; }
.cordon-label-crossing span { transform: translate(8px, -50%); color: #222; }
.cordon-label-unit span { font-weight: 500; font-size: 10.5px; color: #222; }
.cordon-label-country span { font-size: 13px; letter-spacing: 0.12em; color: #666;
  font-weight: 600; text-transform: uppercase; }
.cordon-label.cordon-off { display: none; }
.cordon-icon { background: none; border: none; }
.cordon-icon.cordon-off { display: none; }
.cordon-siege-sym { position: relative; width: 20px; height: 20px; }
.cordon-siege-name { position: absolute; left: 22px; top: 50%; transform: translateY(-50%);
  white-space: nowrap; font: italic 700 12px/1.2 "Source Sans Pro", Arial, sans-serif;
  color: #111; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
.cordon-siege-flip .cordon-siege-name { left: auto; right: 22px; }
.cordon-icon svg { display: block; filter: drop-shadow(0 0 1px rgba(0,0,0,0.35)); }
.cordon-tile-note { background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a;
  padding: 3px 8px; font-size: 12px; border-radius: 3px; display: none; }
</style>"""

_SCRIPT = """
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var C = window.CORDON = window.CORDON || {};
  C.icons = __ICONS__;
  // The map's vector renderer: Leaflet's canvas, except that a circle marker (no dashes) is
  // stamped from a small image drawn once per style, instead of being rasterised as a path
  // each time: a layer of 10,000 points then redraws in milliseconds when the map moves.
  // Each marker is still its own Leaflet layer: popups, clicks and hovering work as before.
  C.Canvas = L.Canvas.extend({
    _dotKey: function(layer) {
      if (layer._cordonKey !== undefined) { return layer._cordonKey; }
      var o = layer.options, key = null;
      if (layer instanceof L.CircleMarker && !(layer instanceof L.Circle) && !o.dashArray) {
        key = [Math.max(Math.round(layer._radius), 1), o.fill, o.fillColor || o.color,
               o.fillOpacity, o.stroke, o.weight, o.color, o.opacity].join('|');
      }
      layer._cordonKey = key;
      return key;
    },
    _updateStyle: function(layer) {
      delete layer._cordonKey;
      this._cordonVersion = (this._cordonVersion || 0) + 1;
      L.Canvas.prototype._updateStyle.call(this, layer);
    },
    _sprite: function(layer, key) {
      var cache = this._sprites || (this._sprites = {});
      if (cache[key]) { return cache[key]; }
      var o = layer.options, r = Math.max(Math.round(layer._radius), 1);
      var w = o.stroke && o.weight ? o.weight : 0, size = 2 * Math.ceil(r + w / 2 + 1);
      var ratio = window.devicePixelRatio || 1, c = document.createElement('canvas');
      c.width = c.height = Math.ceil(size * ratio);
      var x = c.getContext('2d');
      x.scale(ratio, ratio);
      x.beginPath(); x.arc(size / 2, size / 2, r, 0, Math.PI * 2, false);
      if (o.fill) {
        x.globalAlpha = o.fillOpacity; x.fillStyle = o.fillColor || o.color; x.fill();
      }
      if (o.stroke && o.weight !== 0) {
        x.globalAlpha = o.opacity; x.lineWidth = o.weight; x.strokeStyle = o.color;
        x.stroke();
      }
      cache[key] = {canvas: c, half: size / 2, size: size, ratio: ratio};
      return cache[key];
    },
    // Anything that moves or restyles a marker, or adds or removes one, ends the cached
    // drawings of long runs of markers (see _drawRun).
    _initPath: function(layer) {
      this._cordonVersion = (this._cordonVersion || 0) + 1;
      L.Canvas.prototype._initPath.call(this, layer);
    },
    _removePath: function(layer) {
      this._cordonVersion = (this._cordonVersion || 0) + 1;
      L.Canvas.prototype._removePath.call(this, layer);
    },
    _updatePath: function(layer) {
      this._cordonVersion = (this._cordonVersion || 0) + 1;
      L.Canvas.prototype._updatePath.call(this, layer);
    },
    _stamp: function(ctx, layer, key) {
      var sp = this._sprite(layer, key), p = layer._point;
      if (sp.ratio === 1) {  // whole pixels and no scaling: a plain copy, the fastest
        ctx.drawImage(sp.canvas, Math.round(p.x - sp.half), Math.round(p.y - sp.half));
      } else {
        ctx.drawImage(sp.canvas, p.x - sp.half, p.y - sp.half, sp.size, sp.size);
      }
    },
    // A run of markers next to each other in the drawing order: a short run is stamped onto
    // the map's canvas; a long one (thousands of points) is stamped once onto an image that
    // covers the view and a margin around it, and that image is copied on each redraw until
    // the zoom, the markers or the view beyond the margin change.
    _drawRun: function(run, bounds) {
      var ctx = this._ctx, i, layer;
      if (!run.length) { return; }
      ctx.globalAlpha = 1;
      if (run.length < 1000) {
        for (i = 0; i < run.length; i++) {
          layer = run[i];
          if (bounds && !(layer._pxBounds && layer._pxBounds.intersects(bounds))) { continue; }
          if (!layer._empty()) { this._stamp(ctx, layer, layer._cordonKey); }
        }
        return;
      }
      var origin = this._map.getPixelOrigin(), view = this._bounds;
      var key = [L.stamp(run[0]), run.length, this._cordonVersion, this._map.getZoom(),
                 origin.x, origin.y].join('|');
      var caches = this._runs || (this._runs = {}), got = caches[L.stamp(run[0])];
      if (!got || got.key !== key || view.min.x < got.x || view.min.y < got.y ||
          view.max.x > got.x + got.w || view.max.y > got.y + got.h) {
        var size = view.getSize(), ratio = window.devicePixelRatio || 1;
        var x = Math.floor(view.min.x - size.x * 0.6), y = Math.floor(view.min.y - size.y * 0.6);
        var w = Math.ceil(size.x * 2.2), h = Math.ceil(size.y * 2.2);
        var c = (got && got.canvas) || document.createElement('canvas');
        c.width = Math.ceil(w * ratio); c.height = Math.ceil(h * ratio);  // also clears it
        var cx = c.getContext('2d');
        cx.scale(ratio, ratio); cx.translate(-x, -y);
        for (i = 0; i < run.length; i++) {
          var p = run[i]._point;
          if (p.x > x - 20 && p.y > y - 20 && p.x < x + w + 20 && p.y < y + h + 20) {
            this._stamp(cx, run[i], run[i]._cordonKey);
          }
        }
        got = caches[L.stamp(run[0])] = {key: key, canvas: c, x: x, y: y, w: w, h: h};
      }
      ctx.drawImage(got.canvas, got.x, got.y, got.w, got.h);
    },
    _draw: function() {
      var bounds = this._redrawBounds, ctx = this._ctx, layer, run = [];
      ctx.save();
      if (bounds) {
        var size = bounds.getSize();
        ctx.beginPath(); ctx.rect(bounds.min.x, bounds.min.y, size.x, size.y); ctx.clip();
      }
      this._drawing = true;
      for (var order = this._drawFirst; order; order = order.next) {
        layer = order.layer;
        if (this._dotKey(layer) !== null) { run.push(layer); continue; }
        this._drawRun(run, bounds);
        run = [];
        if (!bounds || (layer._pxBounds && layer._pxBounds.intersects(bounds))) {
          layer._updatePath();
        }
      }
      this._drawRun(run, bounds);
      this._drawing = false;
      ctx.restore();
    }
  });
  if (!map.options.renderer && !map._renderer) {
    map.options.renderer = new C.Canvas({padding: 0.1});
  }
  C.point = function(f, ll, opts) {
    var p = (f && f.properties) || {};
    var quiet = opts && opts.interactive === false;
    if (p._label !== undefined) {
      var kind = String(p._lk || 'place').replace(/[^a-z-]/g, '');
      // Born hidden: a label shows once placed, so two never overlap even for a moment.
      var m = L.marker(ll, {interactive: false, keyboard: false, icon: L.divIcon({
        className: 'cordon-label cordon-off cordon-label-' + kind, iconSize: [0, 0],
        html: '<span>' + p._label + '</span>'})});
      m._cordonLabel = {zoom: Number(p._lz) || 0, prio: Number(p._lp) || 9};
      m.on('add', function() { if (this._icon) { this._icon._cordonMarker = this; } });
      return m;
    }
    var svg = p._icon && C.icons[p._icon];
    if (svg) {
      var named = p._icon === 'siege-point' && p._sn !== undefined, cls = 'cordon-icon';
      if (named) {
        cls += ' cordon-siege';
        svg = '<div class="cordon-siege-sym">' + svg + '<span class="cordon-siege-name">'
          + p._sn + '</span></div>';
      } else if (p._lz !== undefined) {
        cls += ' cordon-zoomed';
      }
      var s = L.marker(ll, {interactive: !quiet, keyboard: false, riseOnHover: true,
        icon: L.divIcon({className: cls, html: svg, iconSize: [20, 20],
                         iconAnchor: [10, 10], tooltipAnchor: [10, 0], popupAnchor: [0, -8]})});
      s._cordonZoom = Number(p._lz) || 0;
      if (named || p._lz !== undefined) {
        s.on('add', function() { if (this._icon) { this._icon._cordonMarker = this; } });
      }
      return s;
    }
    return L.circleMarker(ll, opts);
  };
  var pending = null, quiet = false, ROW = 22;
  var leaders = L.layerGroup();
  var overlap = function(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  };
  var union = function(a, b) {
    return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]),
            Math.max(a[3], b[3])];
  };
  // Where a group of siege symbols goes: alone, on its place; several, a column beside them
  // (ordered top to bottom as their places are, names turned away from the places).
  var layout = function(group, width) {
    if (group.length === 1) {
      var it = group[0], flip = it.x + 14 + it.w > width;
      return {at: [[it.x, it.y, flip]], box: flip ? [it.x - 14 - it.w, it.y - 11, it.x + 11,
        it.y + 11] : [it.x - 11, it.y - 11, it.x + 14 + it.w, it.y + 11]};
    }
    var minX = Infinity, maxX = -Infinity, maxW = 0, cy = 0, box = null;
    group.forEach(function(g) {
      minX = Math.min(minX, g.x); maxX = Math.max(maxX, g.x); maxW = Math.max(maxW, g.w);
      cy += g.y / group.length;
      var dot = [g.x - 4, g.y - 4, g.x + 4, g.y + 4];
      box = box ? union(box, dot) : dot;
    });
    var left = maxX + 36 + 14 + maxW > width && minX - 36 - 14 - maxW >= 0;
    var x = left ? minX - 36 : maxX + 36, at = [];
    group.sort(function(a, b) { return a.y - b.y; });
    group.forEach(function(g, k) {
      var y = cy + (k - (group.length - 1) / 2) * ROW;
      at.push([x, y, left]);
      box = union(box, left ? [x - 14 - g.w, y - 11, x + 11, y + 11]
                            : [x - 11, y - 11, x + 14 + g.w, y + 11]);
    });
    return {at: at, box: box};
  };
  C.spread = function() {
    quiet = true;
    leaders.clearLayers();
    if (!map.hasLayer(leaders)) { leaders.addTo(map); }
    var items = [], placed = [], zoom = map.getZoom(), size = map.getSize();
    var els = map.getContainer().querySelectorAll('.cordon-zoomed');
    for (var k = 0; k < els.length; k++) {
      var z = els[k]._cordonMarker;
      if (z) { els[k].classList.toggle('cordon-off', zoom < z._cordonZoom); }
    }
    els = map.getContainer().querySelectorAll('.cordon-siege');
    for (k = 0; k < els.length && els.length <= 300; k++) {
      var m = els[k]._cordonMarker;
      if (!m || !m._icon) { continue; }
      var pt = map.latLngToContainerPoint(m.getLatLng()), name = els[k].querySelector('span');
      items.push({m: m, el: els[k], x: pt.x, y: pt.y, w: name ? name.offsetWidth : 0});
    }
    var groups = items.map(function(it) { return [it]; }), shapes = groups.map(function(g) {
      return layout(g, size.x); });
    for (var merged = true; merged;) {
      merged = false;
      for (var i = 0; i < groups.length && !merged; i++) {
        for (var j = i + 1; j < groups.length && !merged; j++) {
          if (overlap(shapes[i].box, shapes[j].box)) {
            groups[i] = groups[i].concat(groups[j]);
            groups.splice(j, 1); shapes.splice(j, 1);
            shapes[i] = layout(groups[i], size.x);
            merged = true;
          }
        }
      }
    }
    groups.forEach(function(group, g) {
      placed.push(shapes[g].box);
      group.forEach(function(it, k) {
        var to = shapes[g].at[k], dx = to[0] - it.x, dy = to[1] - it.y, sym = it.el.firstChild;
        if (sym) { sym.style.transform = (dx || dy) ? 'translate(' + dx + 'px,' + dy + 'px)' : ''; }
        it.el.classList.toggle('cordon-siege-flip', to[2]);
        var pop = it.m.getPopup && it.m.getPopup(), tip = it.m.getTooltip && it.m.getTooltip();
        if (pop) { pop.options.offset = L.point(dx, dy - 8); }
        if (tip) { tip.options.offset = L.point(dx + 10, dy); }
        if (dx || dy) {
          var ll = it.m.getLatLng(), end = map.containerPointToLatLng([to[0], to[1]]);
          L.polyline([ll, end], {color: '#111', weight: 1.2, opacity: 0.85,
            interactive: false}).addTo(leaders);
          L.circleMarker(ll, {radius: 2.5, color: '#111', weight: 1, fillColor: '#111',
            fillOpacity: 1, interactive: false}).addTo(leaders);
        }
      });
    });
    quiet = false;
    return placed;
  };
  C.placeLabels = function() {
    pending = null;
    var zoom = map.getZoom(), size = map.getSize(), placed = C.spread(), labels = [];
    // Labels only (found by their elements): a map may hold 10,000 other points.
    var els = map.getContainer().querySelectorAll('.cordon-label');
    for (var k = 0; k < els.length; k++) {
      var l = els[k]._cordonMarker;
      if (l && l._cordonLabel && l._icon) { labels.push(l); }
    }
    labels.sort(function(a, b) { return a._cordonLabel.prio - b._cordonLabel.prio; });
    // Three passes, so the page lays itself out once, not once per label: unhide the
    // candidates, measure them all, then place and hide.
    var wanted = labels.map(function(l) {
      var show = zoom >= l._cordonLabel.zoom;
      if (show) { l._icon.classList.remove('cordon-off'); }
      return show;
    });
    var sizes = labels.map(function(l, k) {
      var span = l._icon.firstChild;
      return wanted[k] && span ? [span.offsetWidth, span.offsetHeight] : [0, 0];
    });
    labels.forEach(function(l, k) {
      var el = l._icon, span = el.firstChild, show = wanted[k], box = null, dx = 0;
      if (show) {
        var pt = map.latLngToContainerPoint(l.getLatLng()), w = sizes[k][0], h = sizes[k][1];
        var left = el.classList.contains('cordon-label-crossing') ? pt.x + 8 : pt.x - w / 2;
        // A name whose place is on the map is moved along to fit inside it, not cut by its
        // edge; one whose place is off the map is not shown.
        dx = Math.max(0, 3 - left) || Math.min(0, size.x - 3 - left - w);
        left += dx;
        box = [left - 2, pt.y - h / 2 - 1, left + w + 2, pt.y + h / 2 + 1];
        if (pt.x < 0 || pt.x > size.x || pt.y < 0 || pt.y > size.y) { box = null; show = false; }
        for (var i = 0; box && i < placed.length; i++) {
          var q = placed[i];
          if (box[0] < q[2] && q[0] < box[2] && box[1] < q[3] && q[1] < box[3]) { show = false; }
        }
      }
      if (show && box) { placed.push(box); }
      if (span) { span.style.marginLeft = show && dx ? dx + 'px' : ''; }
      el.classList.toggle('cordon-off', !show);
    });
  };
  C.schedule = function() {
    // (the leader lines C.spread adds and removes do not ask for another placing)
    if (pending === null && !quiet) { pending = setTimeout(C.placeLabels, 30); }
  };
  map.on('zoomend moveend resize layeradd layerremove', C.schedule);
  var note = L.control({position: 'bottomleft'});
  note.onAdd = function() {
    var div = L.DomUtil.create('div', 'cordon-tile-note');
    div.textContent = 'The online basemap could not be loaded (no internet, or the tile server '
      + 'refused); the offline outlines are shown.';
    return div;
  };
  note.addTo(map);
  C.tileFailed = function() {
    var el = note.getContainer(); el.style.display = 'block';
    el.setAttribute('data-failed', 'yes');
  };
  C.tileLoaded = function() {
    var el = note.getContainer();
    if (el.getAttribute('data-failed') !== 'yes') { el.style.display = 'none'; }
  };
  map.on('layeradd', function(e) {
    if (e.layer instanceof L.TileLayer && !e.layer._cordonWatched) {
      e.layer._cordonWatched = true;
      e.layer.on('tileerror', C.tileFailed);
    }
  });
  map.on('layerremove', function(e) {
    if (e.layer instanceof L.TileLayer) {
      var el = note.getContainer(); el.style.display = 'none'; el.removeAttribute('data-failed');
    }
  });
})();
{% endmacro %}
"""


@lru_cache(maxsize=1)
def _template() -> Template:
    """The script's template, compiled once per process (a few ms that every run paid)."""
    # Icons are our own constants (no braces); JSON puts them in the script as strings.
    return Template(_SCRIPT.replace("__ICONS__", json.dumps(icon_table())))


class MapScript(MacroElement):
    """The script above as an element of the map (add it once, with :func:`add_map_script`)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "CordonMapScript"
        self._template = _template()


def add_map_script(m: folium.Map) -> folium.Map:
    """Add the labels/symbols script and its stylesheet to ``m``; returns ``m``."""
    MapScript().add_to(m)
    m.get_root().header.add_child(folium.Element(LABEL_CSS), name="cordon_label_css")
    return m


def point_to_layer(marker_options: dict) -> str:
    """The ``pointToLayer`` function for a GeoJSON layer whose plain points take
    ``marker_options`` (Leaflet circle-marker options)."""
    opts = json.dumps(marker_options, sort_keys=True)
    return ("function(f, ll) { var o = " + opts + ";"
            " return (window.CORDON && window.CORDON.point) ? window.CORDON.point(f, ll, o)"
            " : L.circleMarker(ll, o); }")
