"""Reading listing items back out of a page, for tests of labels and order."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class Item:
    program_id: int
    sponsored: bool  # data-sponsored="true"
    in_sponsored_group: bool
    html: str  # the item's markup
    text: str  # its text


class _ItemParser(HTMLParser):
    """Finds every element carrying data-listing (whatever its tag), with its markup and text,
    and whether it sits inside an element carrying data-sponsored-group."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, opens a group, opens an item)
        self._groups = 0
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        raw = self.get_starttag_text() or ""
        if self._current is not None:
            self._current["html"].append(raw)
        if tag in _VOID:
            return
        group = "data-sponsored-group" in names
        item = "data-listing" in names and self._current is None
        if item:
            self._current = {
                "program_id": int(names["data-program-id"]),
                "sponsored": names.get("data-sponsored") == "true",
                "in_group": self._groups > 0,
                "html": [raw],
                "text": [],
            }
        self._groups += group
        self._stack.append((tag, group, item))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        while self._stack:
            open_tag, group, item = self._stack.pop()
            self._groups -= group
            if self._current is not None:
                self._current["html"].append(f"</{open_tag}>")
            if item and self._current is not None:
                current, self._current = self._current, None
                self.items.append(
                    Item(
                        current["program_id"],
                        current["sponsored"],
                        current["in_group"],
                        "".join(current["html"]),
                        " ".join(" ".join(current["text"]).split()),
                    )
                )
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._current is not None:
            self._current["html"].append(data)
            self._current["text"].append(data)


def listing_items(html: str) -> list[Item]:
    """Every listing item of the page, in page order."""
    parser = _ItemParser()
    parser.feed(html)
    parser.close()
    return parser.items


def organic_ids(html: str) -> list[int]:
    """The ids of the items outside the sponsored group, in page order."""
    return [item.program_id for item in listing_items(html) if not item.in_sponsored_group]
