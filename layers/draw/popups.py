"""Popup and tooltip HTML from records, with every string from data escaped.

Strings reach the browser in three contexts: HTML (Leaflet sets popup/tooltip content as
``innerHTML``), JSON inside a ``<script>`` (folium's ``tojson`` handles ``<``/``>``/``&``), and
JavaScript template literals (folium's ``Popup``/``Tooltip`` wrap their HTML in backticks). So
:func:`escape` HTML-escapes *and* removes what is live inside a template literal: backticks,
``$`` (``${…}``) and backslashes (an invalid ``\\u`` escape is a syntax error that would stop the
whole map from drawing). Links are made only for ``http``/``https`` URLs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

_TEMPLATE_LIVE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")


def escape(value: Any) -> str:
    """Text safe in HTML, in a quoted attribute and inside a JavaScript template literal.

    ``None`` becomes the empty string; other values are converted with ``str``.
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_TEMPLATE_LIVE)


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute ``http``/``https`` URL with a host, else ``None``.

    Rejects ``javascript:``, ``data:``, relative and protocol-relative URLs, and URLs with
    whitespace or control characters (browsers drop those, which can smuggle a scheme).
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def link(url: Any, text: Any = None) -> str:
    """An escaped ``<a>`` for an http(s) URL; otherwise just the escaped text (or nothing)."""
    label = escape(text if text not in (None, "") else url)
    good = safe_url(url)
    if good is None:
        return label if text not in (None, "") else ""
    return f'<a href="{escape(good)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def source_html(source: Any) -> str:
    """One source (mapping or object with publisher, title, date, url) as escaped HTML."""
    if isinstance(source, str):
        return escape(source)
    publisher, title = _field(source, "publisher"), _field(source, "title")
    date, url = _field(source, "date"), _field(source, "url")
    label = " — ".join(str(p) for p in (publisher, title) if p) or url or "source"
    out = link(url, label) if safe_url(url) else escape(label)
    if date:
        out += f" ({escape(date)})"
    return out


def sources_html(sources: Iterable[Any]) -> str:
    """A list of sources as an escaped ``<ul>``; empty string when there are none."""
    items = [source_html(s) for s in sources or ()]
    if not items:
        return ""
    return "<ul class='cordon-src'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def popup_html(
    title: Any,
    rows: Sequence[tuple[str, Any]] = (),
    sources: Iterable[Any] = (),
    *,
    note: Any = None,
) -> str:
    """Popup body: a bold title, a small table of label/value rows, an optional note, sources.

    Rows whose value is ``None`` or empty are left out (unknown stays unknown: the caller passes
    the word "unknown" when that is what the data says).
    """
    parts = [f"<b>{escape(title)}</b>"]
    cells = [
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in rows
        if value not in (None, "")
    ]
    if cells:
        parts.append("<table class='cordon-pop'>" + "".join(cells) + "</table>")
    if note not in (None, ""):
        parts.append(f"<div>{escape(note)}</div>")
    src = sources_html(sources)
    if src:
        parts.append("<div><i>Sources</i>" + src + "</div>")
    return "".join(parts)


def popup_data(
    title: Any,
    rows: Sequence[tuple[str, Any]] = (),
    sources: Iterable[Any] = (),
    *,
    note: Any = None,
) -> dict:
    """The popup as compact, pre-escaped parts; the browser joins them (see ``POPUP_JS``).

    Sending parts instead of finished HTML keeps the map payload small: the markup is written
    once in JavaScript rather than once per feature (and escaped as ``\\u003c`` in JSON).
    Every part is escaped here, so joining them cannot create markup from data.
    """
    out: dict[str, Any] = {"t": escape(title)}
    cells = [[escape(label), escape(value)] for label, value in rows if value not in (None, "")]
    if cells:
        out["r"] = cells
    if note not in (None, ""):
        out["n"] = escape(note)
    src = sources_html(sources)
    if src:
        out["s"] = src
    return out


def render_popup(data: Mapping[str, Any]) -> str:
    """The HTML the browser builds from :func:`popup_data` (same as ``POPUP_JS``)."""
    html_ = f"<b>{data.get('t', '')}</b>"
    if data.get("r"):
        html_ += "<table class='cordon-pop'>" + "".join(
            f"<tr><th>{a}</th><td>{b}</td></tr>" for a, b in data["r"]) + "</table>"
    if data.get("n"):
        html_ += f"<div>{data['n']}</div>"
    if data.get("s"):
        html_ += "<div><i>Sources</i>" + data["s"] + "</div>"
    return html_


#: JavaScript twin of :func:`render_popup` (an expression taking ``q``).
POPUP_JS = (
    "function(q) { var h = '<b>' + (q.t || '') + '</b>';"
    " if (q.r) { h += \"<table class='cordon-pop'>\";"
    " for (var i = 0; i < q.r.length; i++) {"
    " h += '<tr><th>' + q.r[i][0] + '</th><td>' + q.r[i][1] + '</td></tr>'; }"
    " h += '</table>'; }"
    " if (q.n) { h += '<div>' + q.n + '</div>'; }"
    " if (q.s) { h += '<div><i>Sources</i>' + q.s + '</div>'; }"
    " return h; }"
)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def md(value: Any) -> str:
    """Text safe in Streamlit Markdown (captions, messages, widget labels): every character
    with a Markdown, LaTeX (``$``) or directive (``:color[…]``) meaning is backslash-escaped,
    and line breaks become spaces."""
    if value is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def tooltip_html(*parts: Any) -> str:
    """Short hover text: the non-empty parts, escaped, joined with `` · ``."""
    return " · ".join(escape(p) for p in parts if p not in (None, ""))
