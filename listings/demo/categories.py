"""The demo categories: the fields a reader browses by."""

from __future__ import annotations

from typing import NamedTuple


class CategorySpec(NamedTuple):
    slug: str
    name: str
    description: str


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "healthcare",
        "Healthcare",
        "Careers that keep patients safe and care running smoothly, from the front desk and the pharmacy "
        "counter to the bedside and the dental chair.",
    ),
    CategorySpec(
        "legal",
        "Legal",
        "Careers in law offices, courts and compliance teams: research, drafting, case files and deadlines.",
    ),
    CategorySpec(
        "technology",
        "Technology",
        "Careers building, securing and supporting the software and networks that every organisation runs on.",
    ),
    CategorySpec(
        "skilled-trades",
        "Skilled Trades",
        "Hands-on careers that install, repair and maintain the systems inside buildings, learned in the shop "
        "and on the job.",
    ),
    CategorySpec(
        "business",
        "Business",
        "Careers in accounting, finance and management: keeping the books honest and organisations on course.",
    ),
    CategorySpec(
        "criminal-justice",
        "Criminal Justice",
        "Careers in policing, corrections, investigation and public safety.",
    ),
)
