"""HXL hashtags for the CSV export's optional second header row (https://hxlstandard.org)."""

from __future__ import annotations

import re

# Column name -> hashtag; columns not listed get #meta+<name>.
TAGS = {
    "layer": "#meta+layer",
    "id": "#meta+id",
    "lat": "#geo+lat",
    "lon": "#geo+lon",
    "wkt": "#geo+wkt",
    "name": "#loc+name",
    "name_ar": "#loc+name+i_ar",
    "place": "#loc+code",
    "adm1": "#adm1+code",
    "adm1_code": "#adm1+code",
    "adm1_pcode": "#adm1+code",
    "adm2_pcode": "#adm2+code",
    "actor": "#group+code",
    "actor_name": "#group+name",
    "actor_before": "#group+code+before",
    "actor_after": "#group+code+after",
    "users": "#group+code+users",
    "actors": "#group+name+list",
    "besiegers": "#group+code+besiegers",
    "besieged": "#group+code+besieged",
    "encircled": "#status+encircled",
    "encircled_by": "#group+code+encircling",
    "units": "#loc+code+list",
    "unit_names": "#loc+name+list",
    "cut_at": "#loc+name+cut",
    "contested_at": "#loc+name+contested",
    "corridor": "#meta+corridor",
    "corridor_name": "#loc+name+corridor",
    "length_km": "#indicator+length_km",
    "nearest_open_crossing": "#loc+name+crossing",
    "nearest_open_crossing_km": "#indicator+distance_km",
    "population_low": "#population+min",
    "population_high": "#population+max",
    "population_sources": "#meta+source+population",
    "status_from": "#date+start+status",
    "status_to": "#date+end+status",
    "status_note": "#description+status",
    "days_before": "#indicator+days_before",
    "status": "#status",
    "derived_status": "#status+derived",
    "severity": "#severity",
    "type": "#event+type",
    "kind": "#meta+kind",
    "title": "#description+title",
    "description": "#description",
    "note": "#description+note",
    "date": "#date",
    "date_precision": "#date+precision",
    "valid_from": "#date+start",
    "valid_to": "#date+end",
    "population": "#population",
    "populations": "#population+list",
    "area_km2": "#indicator+area_km2",
    "confidence": "#meta+confidence",
    "sources": "#meta+source",
    "source_refs": "#meta+source+citation",
    # report places (layers/report.py): the report each was named in
    "publisher": "#meta+source+publisher",
    "report_title": "#meta+source+title",
    "published": "#date+reported",
    "url": "#meta+source+url",
    "qualifier": "#loc+qualifier",
    "attribution": "#meta+attribution",
    "approximate": "#geo+approximate",
    "uncertainty_m": "#geo+uncertainty_m",
    # ACLED's export columns (kept on import), tagged as HDX's ACLED tables tag them.
    "event_id_cnty": "#event+code",
    "event_date": "#date+occurred",
    "event_type": "#event+type+acled",
    "sub_event_type": "#event+type+sub",
    "actor1": "#group+name+first",
    "actor2": "#group+name+second",
    "country": "#country+name",
    "iso": "#country+code",
    "admin1": "#adm1+name",
    "admin2": "#adm2+name",
    "admin3": "#adm3+name",
    "location": "#loc+name+acled",
    "source": "#meta+source+reported",
    "notes": "#description+notes",
    "fatalities": "#affected+killed",
}


def hashtag(column: str) -> str:
    """The HXL hashtag for a column (attributes are lowercase letters, digits, ``_``)."""
    column = str(column)
    if column in TAGS:
        return TAGS[column]
    attr = re.sub(r"[^a-z0-9_]+", "_", column.lower()).strip("_") or "field"
    if not attr[0].isalpha():
        attr = "f_" + attr
    return f"#meta+{attr}"
