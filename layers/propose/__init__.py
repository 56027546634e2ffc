"""Read a report into proposed changes to a scenario: control, sieges, access, events.

>>> import layers
>>> sc = layers.load_scenario("aleppo-2016")
>>> [p.status for p in layers.propose("Government forces captured Jabal Badro on Saturday.",
...                                   sc, published=date(2016, 11, 28))]
['controlled']

``layers.propose`` is this package and can be called as the function :func:`propose`
(the package is a callable module), so ``layers.propose(text, scenario, published=...)`` and
``from layers.propose import propose`` both work. The contract types are in
:mod:`layers.propose.model`; the rules in ``layers/propose/README.md``; the words in
``data/lexicons/``.
"""

from __future__ import annotations

import re
import sys
import types
from datetime import date, datetime

from .lexicon import LexiconError
from .model import KINDS, STATUSES, Proposal, Span, UnmappedPlace

__all__ = ["KINDS", "STATUSES", "LexiconError", "ProposeError", "Proposal", "Span",
           "UnmappedPlace", "check_report", "propose"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: Longest report read at once (characters); longer input is refused, not truncated.
MAX_CHARS = 2_000_000


class ProposeError(ValueError):
    """The report or the publication date cannot be read (one line saying why)."""


def check_report(text: object) -> str:
    """Return ``text`` if it is a readable report, else raise :class:`ProposeError`.

    Empty or blank text, text with NUL or many control characters (a binary file read as
    text) and text over :data:`MAX_CHARS` are refused.
    """
    if not isinstance(text, str):
        raise ProposeError(f"the report must be text, not {type(text).__name__}")
    if not text.strip():
        raise ProposeError("the report is empty")
    if "\x00" in text:
        raise ProposeError("the report holds NUL bytes: it looks like a binary file, not text")
    controls = len(_CONTROL.findall(text, 0, 20000))
    if controls > max(5, len(text[:20000]) // 100):
        raise ProposeError("the report holds control characters: it looks like a binary file")
    if len(text) > MAX_CHARS:
        raise ProposeError(f"the report is longer than {MAX_CHARS:,} characters; split it")
    return text


def propose(text: str, scenario, *, published: date, source: str | None = None
            ) -> list[Proposal]:
    """The changes a report states, as proposals for ``scenario``.

    Parameters
    ----------
    text : str
        The report (English news or situation-report prose).
    scenario : layers.model.Scenario
        A loaded scenario (``layers.load_scenario`` or ``Workspace.scenario()``): its places,
        actors (with ``aliases``) and sieges decide the ids proposed.
    published : datetime.date
        The publication date; relative dates ("on Saturday", "last week") resolve against it.
    source : str, optional
        The source id or URL of the report, copied onto every proposal.

    Returns
    -------
    list[Proposal]
        In text order, one per distinct change (see ``layers/propose/README.md``).

    Raises
    ------
    ProposeError
        Empty, binary or over-long text, or ``published`` not a date.
    """
    check_report(text)
    if isinstance(published, datetime):
        published = published.date()
    if not isinstance(published, date):
        raise ProposeError(f"published must be a date, not {type(published).__name__}")
    from .engine import read_report

    return read_report(text, scenario, published=published, source=source)


class _CallablePackage(types.ModuleType):
    """Lets ``layers.propose(...)`` call :func:`propose` while staying the package."""

    def __call__(self, text: str, scenario, *, published: date, source: str | None = None
                 ) -> list[Proposal]:
        return propose(text, scenario, published=published, source=source)


sys.modules[__name__].__class__ = _CallablePackage
