"""/schools/ search: programs by words, field, level, delivery, state and distance from a ZIP.

Input is normalised first (anything a reader can type gives a message or an empty
result, never an error). The ordered ids of a normalised query are computed once — one
indexed statement — and cached briefly; page N slices that list and loads its 20 programs
in one statement, so page N costs what page 1 costs and no page ever counts rows.

Order: nearest first when a ZIP is given, otherwise the organic order of the listings
(alphabetical by school, then program) — never by payment. A location (ZIP or state)
places programs by their campus, so online-only programs, which have none, are left out of
a location search; the page offers the same search among online programs instead.

Text: PostgreSQL full-text search (websearch_to_tsquery over the GIN-indexed English
tsvector of Program.search_text, so "nurse" finds "Nursing"); SQLite, the embedded
default, looks for every word with LIKE."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from core.extensions import cache, db
from listings.catalogue import listing_options
from listings.geo import bounding_box, miles_between
from listings.models import Campus, Category, DeliveryMode, Level, Program, School, ZipCode
from listings.pagination import Page
from listings.positions import organic_order

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100
MAX_RESULTS = 1000
DEFAULT_RADIUS_MILES = 25
MAX_RADIUS_MILES = 500
RADIUS_CHOICES = (10, 25, 50, 100, 250, 500)
CACHE_SECONDS = 120
_CACHE_VERSION = "search:v1"

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}  # fmt: skip

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_ZIP = re.compile(r"([0-9]{5})(?:-[0-9]{4})?")
_RADIUS = re.compile(r"[0-9]{1,4}")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchQuery:
    """A normalised search: only values that passed their checks."""

    q: str = ""
    category: str = ""
    level: str = ""
    delivery: str = ""
    state: str = ""
    zip: str = ""
    radius: int | None = None

    def as_args(self) -> dict[str, Any]:
        """The query string of this search (empty values left out)."""
        return {key: value for key, value in self.__dict__.items() if value not in ("", None)}

    def online_alternative(self) -> dict[str, Any]:
        """The same search among online programs, which have no location."""
        args = {key: value for key, value in self.as_args().items() if key not in ("zip", "radius", "state")}
        return {**args, "delivery": DeliveryMode.ONLINE.value}

    @property
    def has_location(self) -> bool:
        return bool(self.zip or self.state)

    def cache_key(self) -> str:
        digest = hashlib.sha256(json.dumps(self.__dict__, sort_keys=True).encode()).hexdigest()[:32]
        return f"{_CACHE_VERSION}:{digest}"


@dataclass
class ParsedSearch:
    query: SearchQuery
    problems: list[str] = field(default_factory=list)  # the search cannot run as asked: no results
    notices: list[str] = field(default_factory=list)  # something was adjusted; results shown
    category: Category | None = None


@dataclass
class SearchResults:
    """What the page shows: the page of programs, distances, messages, the normalised query."""

    query: SearchQuery
    page: Page
    miles: dict[int, float]
    problems: list[str]
    notices: list[str]
    truncated: bool
    category: Category | None


def _clean_text(raw: str) -> str:
    """Printable text: control characters (NUL included) dropped, whitespace collapsed."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def parse_search(args: MultiDict, categories: list[Category]) -> ParsedSearch:
    """Check every parameter; a bad one becomes a message, never an exception."""
    problems: list[str] = []
    notices: list[str] = []
    values: dict[str, Any] = {}

    raw_q = args.get("q", "")
    q = _clean_text(raw_q)
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS].rstrip()
        notices.append(f"Your search was shortened to its first {MAX_QUERY_CHARS} characters.")
    if q and not _WORD.search(q):
        problems.append("Search for a word with letters or numbers in it.")
    values["q"] = q

    category = None
    raw_category = args.get("category", "").strip().lower()
    if raw_category:
        category = (
            next((c for c in categories if c.slug == raw_category), None) if _SLUG.fullmatch(raw_category) else None
        )
        if category is None:
            problems.append("We have no field of study by that name; choose one from the list.")
        else:
            values["category"] = category.slug

    for name, vocabulary, label in (("level", Level, "level"), ("delivery", DeliveryMode, "way of studying")):
        raw = args.get(name, "").strip().lower()
        if raw:
            if raw in {member.value for member in vocabulary}:
                values[name] = raw
            else:
                problems.append(f"Choose a {label} from the list.")

    raw_state = args.get("state", "").strip().upper()
    if raw_state:
        if raw_state in US_STATES:
            values["state"] = raw_state
        else:
            problems.append("Choose a state from the list.")

    raw_zip = args.get("zip", "").strip()
    raw_radius = args.get("radius", "").strip()
    if raw_zip:
        match = _ZIP.fullmatch(raw_zip)
        if match:
            values["zip"] = match.group(1)
        else:
            problems.append("A ZIP code has five digits, like 60601.")
    if raw_radius:
        if _RADIUS.fullmatch(raw_radius) and 1 <= int(raw_radius) <= MAX_RADIUS_MILES:
            values["radius"] = int(raw_radius)
        else:
            problems.append(f"Choose a distance between 1 and {MAX_RADIUS_MILES} miles.")
    if "zip" in values:
        values.setdefault("radius", DEFAULT_RADIUS_MILES)
    elif "radius" in values:
        values.pop("radius")
        if not raw_zip:
            notices.append("Enter a ZIP code to search by distance.")

    if values.get("delivery") == DeliveryMode.ONLINE.value and ("zip" in values or "state" in values):
        for key in ("zip", "radius", "state"):
            values.pop(key, None)
        notices.append("Online programs can be studied from anywhere, so the location was left out.")
    return ParsedSearch(SearchQuery(**values), problems, notices, category)


def _text_condition(q: str) -> sa.ColumnElement[bool]:
    if db.engine.dialect.name == "postgresql":
        english = sa.literal_column("'english'::regconfig")
        # The same expression as the GIN index ix_program_search_text, so the index serves it.
        return sa.func.to_tsvector(english, Program.search_text).bool_op("@@")(sa.func.websearch_to_tsquery(english, q))
    words = _WORD.findall(q)[:10]
    return sa.and_(*(Program.search_text.ilike("%" + _escape_like(word) + "%", escape="\\") for word in words))


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matching_ids(query: SearchQuery, category_id: int | None) -> tuple[list[int], dict[int, float], bool, list[str]]:
    """The ordered ids (and distances) of a normalised query: one statement, plus one for the ZIP."""
    statement = sa.select(Program.id).join(School, School.id == Program.school_id)
    statement = statement.where(Program.listing_position.is_not(None))  # listed: active, school active
    if category_id is not None:
        statement = statement.where(Program.category_id == category_id)
    if query.level:
        statement = statement.where(Program.level == query.level)
    if query.delivery:
        statement = statement.where(Program.delivery == query.delivery)
    if query.q:
        statement = statement.where(_text_condition(query.q))
    if query.has_location:
        statement = statement.join(Campus, Campus.id == Program.campus_id)
    if query.state:
        statement = statement.where(Campus.state == query.state)
    statement = statement.order_by(*organic_order())

    if not query.zip:
        ids = list(db.session.scalars(statement.limit(MAX_RESULTS + 1)))
        return ids[:MAX_RESULTS], {}, len(ids) > MAX_RESULTS, []

    origin = db.session.get(ZipCode, query.zip)
    if origin is None:
        return [], {}, False, [f"We could not find ZIP code {query.zip}. Check it, or search by state."]
    radius = query.radius or DEFAULT_RADIUS_MILES
    min_lat, max_lat, min_lon, max_lon = bounding_box(origin.latitude, origin.longitude, radius)
    rows = db.session.execute(
        statement.add_columns(Campus.latitude, Campus.longitude).where(
            Campus.latitude.between(min_lat, max_lat), Campus.longitude.between(min_lon, max_lon)
        )
    ).all()
    near = []
    for organic_rank, (program_id, lat, lon) in enumerate(rows):
        miles = miles_between(origin.latitude, origin.longitude, lat, lon)
        if miles <= radius:
            near.append((miles, organic_rank, program_id))
    near.sort()
    ids = [program_id for _miles, _rank, program_id in near[:MAX_RESULTS]]
    miles_by_id = {program_id: round(miles, 1) for miles, _rank, program_id in near[:MAX_RESULTS]}
    return ids, miles_by_id, len(near) > MAX_RESULTS, []


def _cached_matches(query: SearchQuery, category_id: int | None) -> dict:
    key = query.cache_key()
    try:
        found = cache.get(key)
    except Exception:  # a cache outage costs a recomputation, never the page
        log.warning("search: cache unavailable on get", exc_info=True)
        found = None
    if isinstance(found, dict):
        return found
    ids, miles, truncated, problems = _matching_ids(query, category_id)
    found = {"ids": ids, "miles": miles, "truncated": truncated, "problems": problems}
    try:
        cache.set(key, found, timeout=CACHE_SECONDS)
    except Exception:
        log.warning("search: cache unavailable on set", exc_info=True)
    return found


def page_of_programs(ids: list[int]) -> list[Program]:
    """These programs in this order, with what a listing item shows (one statement). A program
    unlisted since the ids were cached is left out rather than shown."""
    if not ids:
        return []
    found = {
        program.id: program
        for program in db.session.scalars(
            sa.select(Program)
            .where(Program.id.in_(ids), Program.listing_position.is_not(None))
            .options(*listing_options())
        )
    }
    return [found[i] for i in ids if i in found]


def search_programs(args: MultiDict, number: int, per_page: int, categories: list[Category]) -> SearchResults:
    """Page `number` of the search `args` asks for."""
    parsed = parse_search(args, categories)
    if parsed.problems:
        matches = {"ids": [], "miles": {}, "truncated": False, "problems": []}
    else:
        matches = _cached_matches(parsed.query, parsed.category.id if parsed.category else None)
    ids = matches["ids"]
    start = (number - 1) * per_page
    programs = page_of_programs(ids[start : start + per_page])
    page = Page(items=programs, number=number, per_page=per_page, total=len(ids))
    return SearchResults(
        query=parsed.query,
        page=page,
        miles=matches["miles"],
        problems=parsed.problems + matches["problems"],
        notices=parsed.notices,
        truncated=matches["truncated"],
        category=parsed.category,
    )
