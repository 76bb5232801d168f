"""Large US metros and a few real ZIP codes in each, where demo campuses stand.

Only the ZIP codes live here: city, state and coordinates are read from the ZipCode
table at seed time, so a campus always agrees with the lead form's ZIP lookup and
with distance search. Every ZIP was checked against the `zipcodes` package."""

from __future__ import annotations

METRO_ZIPS: dict[str, tuple[str, ...]] = {
    "New York": ("10001", "10016", "10036", "11201", "10451"),
    "Los Angeles": ("90012", "90017", "90024", "90028"),
    "Chicago": ("60601", "60605", "60614", "60622"),
    "Houston": ("77002", "77004", "77030", "77056"),
    "Phoenix": ("85003", "85004", "85016"),
    "Philadelphia": ("19103", "19104", "19107"),
    "San Antonio": ("78205", "78212", "78229"),
    "San Diego": ("92101", "92103", "92108"),
    "Dallas": ("75201", "75204", "75235"),
    "Austin": ("78701", "78705", "78741"),
    "Jacksonville": ("32202", "32207", "32256"),
    "San Jose": ("95110", "95113", "95128"),
    "Columbus": ("43215", "43201", "43210"),
    "Charlotte": ("28202", "28204", "28277"),
    "Indianapolis": ("46204", "46202", "46240"),
    "Seattle": ("98101", "98104", "98109"),
    "Denver": ("80202", "80203", "80220"),
    "Washington": ("20001", "20005", "20036"),
    "Boston": ("02108", "02115", "02116"),
    "Atlanta": ("30303", "30308", "30309"),
    "Miami": ("33130", "33131", "33137"),
}

METROS: tuple[str, ...] = tuple(METRO_ZIPS)
ALL_ZIPS: frozenset[str] = frozenset(zip_code for zips in METRO_ZIPS.values() for zip_code in zips)
