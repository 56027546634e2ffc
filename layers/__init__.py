"""Cordon's time-aware layers: control, sieges, access and events over time.

Public API (docs/ARCHITECTURE.md)::

    list_scenarios() -> list[str]
    load_scenario(name_or_path) -> Scenario      # validated; raises PackError
    scenario_info(name_or_path) -> dict          # manifest only: window, default date, view
    state_at(scenario, date) -> State
    events_at(scenario, date) -> GeoDataFrame    # the events layer alone
    changes(scenario, date_a, date_b) -> Changes
    change_dates(scenario) -> list[date]         # dates on which any record starts or ends
    summarize(scenario, date) -> dict
    select / export / import_file / Store / InputError   # exchange and working store
    accept(workspace, proposal, *, source, edits=None) -> list[str]   # a report's proposal
                                                 # recorded in a workspace (record ids)

Names are imported on first use so that ``import layers`` stays light (no geopandas).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "list_scenarios": "layers.catalog",
    "load_scenario": "layers.catalog",
    "scenario_info": "layers.catalog",
    "find_scenario": "layers.catalog",
    "PackError": "layers.pack",
    "Problem": "layers.pack",
    "validate_pack": "layers.pack",
    "Scenario": "layers.model",
    "state_at": "layers.timeline",
    "events_at": "layers.timeline",
    "changes": "layers.timeline",
    "change_dates": "layers.timeline",
    "State": "layers.timeline",
    "Changes": "layers.timeline",
    "summarize": "layers.summary",
    "format_summary": "layers.summary",
    "select": "layers.selection",
    "export": "layers.io",
    "import_file": "layers.io",
    "InputError": "layers.io",
    "Store": "layers.store",
    "accept": "layers.propose.accept",
}
#: Subpackages that are callable modules: ``layers.propose(text, scenario, published=...)``.
_CALLABLE_PACKAGES = {"propose": "layers.propose"}

__all__ = sorted([*_LAZY, *_CALLABLE_PACKAGES])


def __getattr__(name: str) -> Any:
    if name in _CALLABLE_PACKAGES:
        return import_module(_CALLABLE_PACKAGES[name])
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'layers' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
