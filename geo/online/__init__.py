"""Optional online fallback for names the offline gazetteer lacks.

Off unless enabled (``online=True`` or ``CORDON_ONLINE=1``). Importing this
package does not import geopy; the Nominatim provider does, when created.
Typical use::

    provider = get_provider(online=True)                # None when disabled
    mentions = fill_unresolved(text, geoparse(text), provider)
"""

from __future__ import annotations

import logging

from geo.online.base import Candidate, Provider, online_enabled
from geo.online.fill import fill_unresolved, unresolved_spans

__all__ = [
    "Candidate", "Provider", "fill_unresolved", "get_provider", "online_enabled",
    "unresolved_spans",
]

log = logging.getLogger(__name__)

_default: Provider | None = None


def get_provider(online: bool | None = None) -> Provider | None:
    """The default provider (Nominatim, shared per process) or None when disabled.

    Parameters
    ----------
    online : bool, optional
        Explicit switch; when None, ``CORDON_ONLINE`` decides (default off).
    """
    global _default
    if not online_enabled(online):
        return None
    if _default is None:
        try:
            from geo.online.nominatim import NominatimProvider

            _default = NominatimProvider()
        except Exception as exc:  # noqa: BLE001 - e.g. a rejected user agent: stay offline
            log.warning("online geocoder unavailable (%s: %s); continuing offline",
                        type(exc).__name__, exc)
            return None
    return _default
