"""Data for the report tests, written straight into the database: leads sold (or not)
to schools on given business days, the daily counters of placements, dispatches of a
given age and status."""

from __future__ import annotations

import re
from base64 import b64decode
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser

import sqlalchemy as sa
from sqlalchemy import event

from core.extensions import db
from leads.models import Delivery, Dispatch, Lead
from listings.business_time import business_zone
from listings.models import PlacementStat

_numbers = iter(range(1, 10**9))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """An aware UTC instant at `hour`:`minute` of business day `day`."""
    return datetime.combine(day, time(hour, minute), tzinfo=business_zone()).astimezone(UTC)


def lead(created_at: datetime, **fields) -> Lead:
    n = next(_numbers)
    obj = Lead(
        public_id=fields.pop("public_id", f"00000000-0000-4000-8000-{n:012d}"),
        first_name="Ada",
        last_name="Lovelace",
        email=f"reader{n}@example.com",
        created_at=created_at,
        **fields,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def delivery(
    school,
    created_at: datetime,
    *,
    program=None,
    placement=None,
    status: str = "delivered",
    price_cents: int = 0,
    billable: bool | None = None,
    returned_at: datetime | None = None,
    return_reason: str | None = None,
) -> Delivery:
    """A delivery of a lead of its own to `school`; sold (billable) when it has a price."""
    owner = lead(created_at, program_id=program.id if program else None)
    obj = Delivery(
        lead_id=owner.id,
        school_id=school.id,
        program_id=program.id if program else None,
        placement_id=placement.id if placement else None,
        price_cents=price_cents,
        billable=bool(price_cents) if billable is None else billable,
        status=status,
        created_at=created_at,
        delivered_at=created_at if status in ("delivered", "returned") else None,
        returned_at=returned_at,
        return_reason=return_reason,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def counters(placement, day: date, impressions: int = 0, clicks: int = 0, leads: int = 0, spend_cents: int = 0) -> None:
    db.session.add(
        PlacementStat(
            placement_id=placement.id,
            day=day,
            impressions=impressions,
            clicks=clicks,
            leads=leads,
            spend_cents=spend_cents,
        )
    )
    db.session.flush()


def dispatch(status: str, created_at: datetime, delivery_obj: Delivery | None = None) -> Dispatch:
    owner_id = delivery_obj.lead_id if delivery_obj else lead(created_at).id
    obj = Dispatch(
        kind="school_email" if delivery_obj else "reader_receipt",
        lead_id=owner_id,
        delivery_id=delivery_obj.id if delivery_obj else None,
        status=status,
        created_at=created_at,
        next_attempt_at=created_at,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def statements_during(app, request) -> tuple[list[str], object]:
    """The SQL statements a request runs, and its response (made outside any app context
    the caller holds, so the request has a session of its own)."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = request()
        response.get_data()  # a streamed CSV runs its statements while it is read
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen, response


def chart_svgs(html: str) -> list[str]:
    """The SVG documents of every chart on a page (data: URIs of <img> elements)."""
    return [b64decode(found).decode("utf-8") for found in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]


def count_rows(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def days_ago(today: date, n: int) -> date:
    return today - timedelta(days=n)


class _TableReader(HTMLParser):
    """Reads the tables of a page: per table, its attributes and its rows by section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._stack: list[dict] = []
        self._section = "body"
        self._row: dict | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            table = {"attrs": attributes, "head": [], "body": [], "foot": []}
            self.tables.append(table)
            self._stack.append(table)
            self._section = "body"
        elif not self._stack:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag[1:] if tag != "tbody" else "body"
        elif tag == "tr":
            self._row = {"attrs": attributes, "cells": []}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if not self._stack:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._stack[-1][self._section].append(self._row)
            self._row = None
        elif tag == "table":
            self._stack.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(html: str, marker: str) -> dict:
    """The table carrying the attribute `marker`: {"head", "body", "foot"}: rows as
    {"attrs", "cells"} with each cell's text."""
    reader = _TableReader()
    reader.feed(html)
    found = [t for t in reader.tables if marker in t["attrs"]]
    assert len(found) == 1, f"{len(found)} tables with {marker}"
    return found[0]


def body_cells(html: str, marker: str) -> list[list[str]]:
    return [row["cells"] for row in table(html, marker)["body"]]
