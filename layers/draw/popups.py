"""Popup and tooltip HTML from records, with every string from data escaped.

Strings reach the browser in three contexts: HTML (Leaflet sets popup/tooltip content as
``innerHTML``), JSON inside a ``<script>`` (folium's ``tojson`` handles ``<``/``>``/``&``), and
JavaScript template literals (folium's ``Popup``/``Tooltip`` wrap their HTML in backticks). So
:func:`escape` HTML-escapes *and* removes what is live inside a template literal: backticks,
``$`` (``${…}``) and backslashes (an invalid ``\\u`` escape is a syntax error that would stop the
whole map from drawing). Links are made only for ``http``/``https`` URLs.

Before the browser, there is Jinja: branca's ``MacroElement.render`` compiles each element's
rendered script *again* as a template, so data in a folium layer is template source. A name
holding ``{{ … }}`` would run as code on the server and ``{#`` would stop every map that shows
it. :func:`escape` therefore also writes ``{`` and ``}`` as the entities ``&#123;``/``&#125;``
(shown as braces by the browser), and :func:`inert` is the last gate every string passes before
a folium layer is built from it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

#: Live in a JavaScript template literal (backtick, ``${``, backslash) or in Jinja (braces).
_TEMPLATE_LIVE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;",
                                "{": "&#123;", "}": "&#125;"})
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")


def escape(value: Any) -> str:
    """Text safe in HTML, in a quoted attribute, in a JavaScript template literal and in the
    Jinja templates folium compiles from rendered output (braces become entities).

    ``None`` becomes the empty string; other values are converted with ``str``.
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_TEMPLATE_LIVE)


def inert(obj: Any) -> Any:
    """``obj`` with every ``{`` and ``}`` in its strings — dict keys included, at any depth —
    written as ``&#123;``/``&#125;``, so no part of it is Jinja syntax.

    The guard for anything handed to folium/branca: their output is compiled again as a
    template, where ``{{``, ``{%`` and ``{#`` from data would be code. Strings shown as HTML
    (tooltips, popups, layer names) still display the braces. An object without a brace is
    returned as it is (no copy: the check is one pass over it); otherwise dicts, lists and
    tuples are rebuilt. Other values (numbers, ``None``, ``JsCode``) pass through.

    Parameters
    ----------
    obj
        A string, or a JSON-like structure of mappings, lists and tuples.

    Returns
    -------
    Any
        ``obj`` itself when it holds no brace, else a neutralised copy.
    """
    return _neutral(obj) if _has_brace(obj) else obj


_LEAVES = (int, float, bool, type(None))


def _has_brace(obj: Any) -> bool:
    """Whether any string in ``obj`` (keys included) holds a brace. Written for speed: it runs
    over every feature of every layer on each page run; leaves are tested inline."""
    kind = type(obj)
    if kind is dict or (kind is not str and isinstance(obj, Mapping)):
        for key, value in obj.items():
            if type(key) is str:
                if "{" in key or "}" in key:
                    return True
            elif _has_brace(key):
                return True
            if type(value) is str:
                if "{" in value or "}" in value:
                    return True
            elif type(value) not in _LEAVES and _has_brace(value):
                return True
        return False
    if kind is list or kind is tuple or isinstance(obj, (list, tuple)):
        for value in obj:
            if type(value) is str:
                if "{" in value or "}" in value:
                    return True
            elif type(value) not in _LEAVES and _has_brace(value):
                return True
        return False
    return isinstance(obj, str) and ("{" in obj or "}" in obj)


def _neutral(obj: Any) -> Any:
    if isinstance(obj, str):
        return obj.translate(_BRACES)
    if isinstance(obj, Mapping):
        return {_neutral(k): _neutral(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return tuple(_neutral(v) for v in obj)
    if isinstance(obj, list):
        return [_neutral(v) for v in obj]
    return obj


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
