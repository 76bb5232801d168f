"""Page numbers from the query string, and the page object templates render."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from flask import abort, redirect, request, url_for

_PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


class BadPage(Exception):
    """`?page=` is not a page number; the view redirects to page 1."""


def requested_page() -> int:
    """The page asked for in `?page=`, 1 when absent; BadPage when it is not a positive integer."""
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not _PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise BadPage(raw)
    return int(raw)


def redirect_to_first_page():
    """Where a malformed `?page=` goes: the same listing, page 1 (no `page` parameter)."""
    args = {key: value for key, value in request.args.items() if key != "page"}
    return redirect(url_for(request.endpoint, **(request.view_args or {}), **args), code=302)


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int
    sponsored: list[Any] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.number * self.per_page, self.total)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: first, last, and `around` either side; None marks a gap."""
        wanted = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.pages)
        shown: list[int | None] = []
        for n in numbers:
            if shown and n - shown[-1] > 1:  # type: ignore[operator]
                shown.append(None)
            shown.append(n)
        return shown


def abort_if_past_end(page: Page) -> None:
    """A page beyond the last one does not exist (page 1 of an empty listing does)."""
    if page.number > page.pages:
        abort(404)
