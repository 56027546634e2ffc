"""The report's proposed changes, under the report box (issue 12).

"Propose changes" reads the pasted report with :func:`layers.propose` against the scenario on
screen; each proposal is shown as a card — kind, places, actor, status, date, confidence and
the reasons it was lowered, with the words that carry the claim highlighted in its sentence —
and can be accepted (as proposed or edited: actor, status, date, places, confidence, a note)
or rejected. Accepting records it in the workspace on screen with :func:`layers.accept`,
citing the report (its URL, publisher, title and published date, asked once); on a pack, the
page offers to fork it into a workspace first. The write runs in the button's callback, so the
next run draws the new version of the map.

UI only: reading the report is :mod:`layers.propose`'s, recording it
:mod:`layers.propose.accept`'s. Everything from the report or the data reaches the browser
escaped (:func:`layers.draw.popups.escape` for HTML, :func:`~layers.draw.popups.md` for
Markdown).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import streamlit as st

from layers.draw import workspace as wsd
from layers.draw.popups import escape, md
from layers.model import EVENT_TYPES
from layers.propose.accept import event_type
from layers.propose.model import STATUSES, Proposal
from layers.workspace import Workspace, create_workspace
from ui.workspace import (
    FAR_FUTURE,
    FAR_PAST,
    READ_ONLY,
    backend,
    can_write,
    failure,
    open_scenario,
    said,
    say,
)

STATE = "_proposals"
LEVELS = ("high", "medium", "low")
KIND_LABEL = {"control": "Control", "siege": "Siege", "access": "Access", "event": "Event"}
#: How each evidence role is marked in the sentence (colour-blind-safe tints, and a title).
MARKS = {"change": "#f0e442", "actor": "#56b4e9", "place": "#8fd3b6", "date": "#e0c8f0",
         "hedge": "#f5b58a", "claimant": "#f5b58a", "negation": "#f5b58a"}
CARD_CSS = ("font-size:0.95rem;line-height:1.5", "padding:0 2px;border-radius:3px")


def review(sc: Any, day: dt.date, known: str | None = None) -> None:
    """The proposals section of the Report tab, for the scenario ``sc`` on screen.

    Parameters
    ----------
    sc
        The scenario shown (a pack, or a workspace: ``sc.workspace`` is set).
    day
        The map's date: the publication date when the report box leaves it empty.
    known
        The "as known on" moment, when the map shows an earlier state (recording is off).
    """
    st.markdown("**Changes the report states**")
    said("proposals")
    text = str(st.session_state.get("report_text") or "")
    st.text_input("Report title", key="report_title",
                  help="With the publisher, published date and URL above, the title makes the "
                       "report the source of every change you accept.")
    published = _published(day)
    if st.button("Propose changes", key="prop_go", disabled=not text.strip()):
        _propose(sc, text, published)
    got = st.session_state.get(STATE)
    if not got:
        return
    if not got["items"]:
        st.info("The report states no change of control, siege, access or event that this "
                "scenario can hold.")
        return
    ws = sc.workspace
    live = ws is not None and known is None and can_write(ws.backend)
    if ws is None:
        _fork_offer(sc, day)
    elif known is not None:
        st.info("Recording is off while the map shows an earlier moment (“As known on”).")
    elif not live:
        st.info(f"{READ_ONLY}: accepting proposals needs an editor.")
    st.caption(md(f"{len(got['items'])} proposed changes, read with {got['published']} as the "
                  "publication date. Highlighted: the words that carry each claim."))
    for i, p in enumerate(got["items"]):
        with st.container(border=True, key=f"prop-card-{got['gen']}-{i}"):
            _card(sc, got, i, p, live)


# ------------------------------------------------------------------------ reading
def _published(day: dt.date) -> str:
    """The report's publication date: the report box's, else the map's date."""
    text = str(st.session_state.get("report_date") or "").strip()
    return text or day.isoformat()


def _propose(sc: Any, text: str, published: str) -> None:
    from layers.propose import propose as engine  # on first use: the page starts lighter

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
            raise ValueError(f"published date “{published[:40]}” is not YYYY-MM-DD")
        when = dt.date.fromisoformat(published)
        with st.spinner("Reading the report…"):
            items = engine(text, sc, published=when,
                           source=str(st.session_state.get("report_url") or "") or None)
    except Exception as err:  # noqa: BLE001 - one plain line, never a traceback
        st.error(md(f"Cannot propose changes: {err}"))
        return
    gen = st.session_state.get(STATE, {}).get("gen", 0) + 1
    st.session_state[STATE] = {"text": text, "published": published, "items": list(items),
                               "done": {}, "gen": gen}


# ------------------------------------------------------------------------ one proposal
def _card(sc: Any, got: dict, i: int, p: Proposal, live: bool) -> None:
    st.html(card_html(sc, p, got["text"]))
    done = got["done"].get(i)
    if done is not None:
        st.caption(md(done))
        return
    key = f"pr{got['gen']}_{i}_"
    with st.expander("Edit before accepting"):
        _edit_fields(sc, p, key, got["published"])
    left, right = st.columns(2)
    ws = sc.workspace
    left.button("Accept", key=key + "accept", disabled=not live, on_click=_accept,
                args=(i, p, key, ws.name if ws else "", sc.version), type="primary")
    right.button("Reject", key=key + "reject", on_click=_reject, args=(i,))


def card_html(sc: Any, p: Proposal, text: str) -> str:
    """A proposal as HTML: a heading line, its sentence with the evidence marked, reasons.
    Every string from the report or the data is escaped."""
    names = [wsd.place_name(sc, pid) for pid in p.places] + [u.name + " (not in the scenario)"
                                                              for u in p.unmapped]
    actor = sc.actors.get(p.actor).name if p.actor in sc.actors else (p.actor or "")
    when = (f"{p.date}" + (f" ({p.date_precision})" if p.date_precision != "day" else "")
            if p.date else "no date")
    head = " · ".join(x for x in (
        f"<b>{escape(KIND_LABEL.get(p.kind, p.kind))}: {escape(p.status)}</b>",
        escape(", ".join(names) or "no place"), escape(actor) and f"by {escape(actor)}",
        escape(when), f"confidence {escape(p.level())} ({p.confidence:.2f})") if x)
    lines = [f"<div>{head}</div>", f"<div>{evidence_html(p, text)}</div>"]
    if p.claimant:
        who = sc.actors[p.claimant].name if p.claimant in sc.actors else p.claimant
        lines.append(f"<div><i>Claimed by</i> {escape(who)}</div>")
    if p.reasons:
        lines.append("<div><i>Confidence lowered:</i> "
                     + escape("; ".join(p.reasons)) + "</div>")
    return f'<div class="proposal" style="{CARD_CSS[0]}">' + "".join(lines) + "</div>"


def evidence_html(p: Proposal, text: str) -> str:
    """The proposal's sentence with its evidence spans marked (``<mark>``), all escaped.

    Offsets are into ``text`` (the report the proposals were read from); a span outside the
    sentence, or overlapping one already marked, is left unmarked."""
    sent = next((s for s in p.evidence if s.role == "sentence"), None)
    if sent is None or not 0 <= sent.start < sent.end <= len(text):
        return f"“{escape(p.sentence)}”"
    spans = sorted((s for s in p.evidence if s.role != "sentence"
                    and sent.start <= s.start < s.end <= sent.end),
                   key=lambda s: (s.start, -s.end))
    out, at = [], sent.start
    for s in spans:
        if s.start < at:  # overlaps a span already marked
            continue
        out.append(escape(text[at:s.start]))
        colour = MARKS.get(s.role, "#dddddd")
        out.append(f'<mark class="ev-{escape(s.role)}" title="{escape(s.role)}" '
                   f'style="background:{colour};{CARD_CSS[1]}">'
                   f"{escape(text[s.start:s.end])}</mark>")
        at = s.end
    out.append(escape(text[at:sent.end]))
    return "“" + "".join(out).strip() + "”"


def place_options(sc: Any, p: Proposal) -> dict[str, str]:
    """``id -> name`` of the places a proposal of this kind may be edited to."""
    opts: dict[str, str] = {}
    if p.kind in ("control", "siege", "event"):
        opts.update(wsd.pickable_units(sc))
    if p.kind == "siege":
        opts.update({s.id: f"{s.name} (siege)" for s in sc.sieges})
    if p.kind in ("access", "event"):
        opts.update(wsd.access_targets(sc))
    for pid in p.places:
        opts.setdefault(pid, wsd.place_name(sc, pid))
    return opts


def _defaults(p: Proposal, published: str) -> dict[str, Any]:
    try:
        day = dt.date.fromisoformat(p.date or published)
    except ValueError:
        day = None
    status = event_type(p.status) if p.kind == "event" else p.status
    return {"places": list(p.places), "actor": p.actor if p.actor else None,
            "status": status, "date": day, "confidence": p.level(), "note": "", "title": ""}


def _edit_fields(sc: Any, p: Proposal, key: str, published: str) -> None:
    d = _defaults(p, published)
    s = st.session_state
    places = place_options(sc, p)
    for field, value in d.items():
        s.setdefault(key + field, value)
    st.multiselect("Places", list(places), key=key + "places", format_func=places.get)
    actors = [None, *sc.actors]
    if s.get(key + "actor") not in actors:
        s[key + "actor"] = None
    st.selectbox("Actor", actors, key=key + "actor",
                 format_func=lambda a: "— none —" if a is None else sc.actors[a].name)
    statuses = list(EVENT_TYPES if p.kind == "event" else STATUSES.get(p.kind, ()))
    if s.get(key + "status") not in statuses and statuses:
        s[key + "status"] = statuses[0]
    st.selectbox("Type" if p.kind == "event" else "Status", statuses, key=key + "status")
    st.date_input("Date", key=key + "date", min_value=FAR_PAST, max_value=FAR_FUTURE)
    st.selectbox("Confidence", LEVELS, key=key + "confidence")
    if p.kind == "event" or (p.kind == "siege" and p.status == "imposed"):
        st.text_input("Title" if p.kind == "event" else "Siege name", key=key + "title",
                      placeholder="made from the place when left empty")
    st.text_input("Note (your own words)", key=key + "note")


def edits_from(p: Proposal, key: str, state: Any, published: str) -> dict[str, Any]:
    """What the analyst changed in the edit fields: only fields that differ from the
    proposal (so an untouched proposal is accepted as proposed)."""
    d = _defaults(p, published)
    out: dict[str, Any] = {}
    for field, default in d.items():
        if key + field not in state:
            continue
        value = state[key + field]
        if field == "date":
            value = value.isoformat() if isinstance(value, dt.date) else value
            default = default.isoformat() if isinstance(default, dt.date) else default
        if field == "places":
            value = list(value or [])
        if value != default and not (field in ("note", "title") and not value):
            out[field] = value
    if "date" in out:  # a date picked by hand is a day
        out["date_precision"] = "day"
    elif not p.date and isinstance(state.get(key + "date"), dt.date):
        # No date in the report: the field shows the publication date; kept as a guess.
        out["date"] = state[key + "date"].isoformat()
    return out


# ------------------------------------------------------------------------ callbacks
def report_source() -> dict[str, str]:
    """The report as a source, from the report box's fields and the title."""
    s = st.session_state
    got = s.get(STATE) or {}
    return {"url": str(s.get("report_url") or "").strip(),
            "publisher": str(s.get("report_publisher") or "").strip(),
            "title": str(s.get("report_title") or "").strip(),
            "published": str(got.get("published") or s.get("report_date") or "").strip()}


def _accept(i: int, p: Proposal, key: str, name: str, version: int) -> None:
    s = st.session_state
    got = s.get(STATE)
    if not got or not name:
        return
    src = report_source()
    missing = [k for k in ("url", "publisher", "title", "published") if not src[k]]
    if missing:
        say("proposals", "error", "Not accepted: the report needs its " + ", ".join(
            {"url": "URL", "publisher": "publisher", "title": "title",
             "published": "published date"}[k] for k in missing) + " (above) to be cited.")
        return
    import layers

    ws = Workspace(name, backend())
    try:
        edits = edits_from(p, key, s, got["published"])
        ids = layers.accept(ws, p, source=src, edits=edits, base=version)
    except Exception as err:  # noqa: BLE001 - one plain line, never a traceback
        say("proposals", "error", failure("Not accepted", err))
        return
    got["done"][i] = f"Accepted: recorded as {', '.join(ids)}."
    say("proposals", "ok", f"Recorded in {ws.name}: {KIND_LABEL.get(p.kind, p.kind)} "
                           f"{p.status} ({', '.join(ids)}). The map shows it.")


def _reject(i: int) -> None:
    got = st.session_state.get(STATE)
    if got:
        got["done"][i] = "Rejected: nothing recorded."


def _fork_offer(sc: Any, day: dt.date) -> None:
    if not can_write():
        st.info(f"{READ_ONLY}: proposals can be read here; recording them needs an editor.")
        return
    st.info("Accepted changes are recorded in a workspace, never in the pack. Fork this pack "
            "into a workspace to accept them.")
    st.text_input("Workspace name", key="prop_fork_name", placeholder=f"{sc.manifest.id}-live",
                  help="A letter, then letters, digits, - or _ (at most 63).")
    st.button("Fork to accept", key="prop_fork_go", on_click=_fork, args=(sc.manifest.id, day))


def _fork(pack: str, day: dt.date) -> None:
    import layers

    name = str(st.session_state.get("prop_fork_name") or "").strip()
    if not name:
        say("proposals", "error", "Not forked: give the workspace a name.")
        return
    if name in layers.list_scenarios():
        say("proposals", "error", f"Not forked: “{name}” is the name of a pack.")
        return
    try:
        create_workspace(name, from_pack=pack, store=os.environ.get("CORDON_STORE") or None)
    except Exception as err:  # noqa: BLE001 - one plain line, never a traceback
        say("proposals", "error", failure("Not forked", err))
        return
    open_scenario(name, day)
    say("proposals", "ok", f"Forked {pack} into the workspace “{name}”: accept the changes "
                           "below to record them there.")
