"""CSV exports that a spreadsheet cannot turn into formulas.

Every export of the back office goes through `csv_response`, which passes every cell
(headers included) through `neutralise`: a cell that a spreadsheet would read as a
formula (starting with = + - @, or a tab or carriage return that hides one) gets a
leading apostrophe, so it is shown as text (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import numbers
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, stream_with_context

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """A CSV cell as text that is never evaluated as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Number):
        return str(value)  # a number (int, float, Decimal), even a negative one, is never a formula
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text, line by line, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Response:
    """A streamed CSV download; the request context stays available to `rows`."""
    response = Response(stream_with_context(csv_lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
