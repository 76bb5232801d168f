"""The demo catalogue: fictional schools, their campuses and programs.

Generated, not listed by hand, so there is enough of it to paginate and search; but
generated from a fixed seed and from nothing else, so every run produces exactly the
same catalogue and re-seeding finds every row by its natural key. Names are built
from invented place names so that none is a real institution's."""

from __future__ import annotations

import random
from functools import cache
from typing import NamedTuple

from listings.demo.categories import CATEGORIES
from listings.demo.metros import METRO_ZIPS, METROS
from listings.models import Control, DeliveryMode, Level

SEED = "prospectus-demo-catalogue"
SCHOOL_COUNT = 84  # 14 per category, each the primary focus of its school

# Invented place names. Two schools share each one, with different kinds of school.
PLACES: tuple[str, ...] = (
    "Lakeshore", "Northfield", "Quillmont", "Brindlewood", "Fernhaven", "Copperleaf", "Stonemeadow",
    "Wrenfield", "Ambermoor", "Thistlecrest", "Oakhollow", "Mistvale", "Glenharrow", "Bramblecourt",
    "Willowmere", "Ashcombe", "Foxbury", "Heronwood", "Ravensbrook", "Tamarack Falls", "Sablecrest",
    "Cobalt Hills", "Larkhaven", "Marblegate", "Silverfen", "Kettleby", "Elmstead", "Hollowell",
    "Cresthaven", "Gildenbrook", "Ironbridge", "Juniper Vale", "Kingsmere", "Lindenshaw", "Moorcroft",
    "Nettlebank", "Quarry Hill", "Rosewater", "Tidewell", "Umberfield", "Yarrowby", "Zephyr Point",
)


class Kind(NamedTuple):
    suffix: str
    control: Control
    domain: str  # the demo domain its addresses live under
    max_level: Level  # career schools and community colleges stop at the associate degree


_HEALTH = Kind("Institute of Health Careers", Control.PRIVATE_FOR_PROFIT, "example.org", Level.ASSOCIATE)
_NURSING = Kind("College of Nursing and Health Sciences", Control.PRIVATE_NONPROFIT, "example.org", Level.DOCTORATE)
_COMMUNITY = Kind("Community College", Control.PUBLIC, "example.org", Level.ASSOCIATE)
_CAREER = Kind("Career College", Control.PRIVATE_FOR_PROFIT, "example.org", Level.ASSOCIATE)
_PARALEGAL = Kind("School of Paralegal Studies", Control.PRIVATE_FOR_PROFIT, "example.org", Level.BACHELOR)
_LAW_JUSTICE = Kind("School of Law and Justice", Control.PRIVATE_NONPROFIT, "example.org", Level.DOCTORATE)
_UNIVERSITY = Kind("University", Control.PRIVATE_NONPROFIT, "example.org", Level.DOCTORATE)
_POLYTECHNIC = Kind("Polytechnic College", Control.PRIVATE_NONPROFIT, "example.org", Level.MASTER)
_TECHNOLOGY = Kind("Institute of Technology", Control.PRIVATE_NONPROFIT, "example.org", Level.DOCTORATE)
_STATE = Kind("State University", Control.PUBLIC, "example.org", Level.DOCTORATE)
_TECHNICAL = Kind("Technical Institute", Control.PRIVATE_FOR_PROFIT, "example.org", Level.ASSOCIATE)
_TRADES = Kind("Trade School", Control.PRIVATE_FOR_PROFIT, "example.org", Level.CERTIFICATE)
_BUSINESS = Kind("College of Business", Control.PRIVATE_NONPROFIT, "example.org", Level.DOCTORATE)
_SAFETY = Kind("Academy of Public Safety", Control.PUBLIC, "example.org", Level.ASSOCIATE)

# The kinds of school that fit each primary focus, cycled through in order.
KINDS_BY_CATEGORY: dict[str, tuple[Kind, ...]] = {
    "healthcare": (_HEALTH, _NURSING, _COMMUNITY, _CAREER),
    "legal": (_PARALEGAL, _LAW_JUSTICE, _UNIVERSITY, _COMMUNITY),
    "technology": (_POLYTECHNIC, _TECHNOLOGY, _STATE, _CAREER),
    "skilled-trades": (_TECHNICAL, _TRADES, _COMMUNITY, _POLYTECHNIC),
    "business": (_BUSINESS, _UNIVERSITY, _STATE, _CAREER),
    "criminal-justice": (_SAFETY, _LAW_JUSTICE, _COMMUNITY, _STATE),
}

ACCREDITORS: dict[Control, tuple[str, ...]] = {
    Control.PUBLIC: ("Demo Regional Accrediting Commission", "Sample Commission on Colleges"),
    Control.PRIVATE_NONPROFIT: ("Demo Regional Accrediting Commission", "Fictional Council for Higher Learning"),
    Control.PRIVATE_FOR_PROFIT: ("Demo Accrediting Commission of Career Schools", "Sample Board for Career Education"),
}

L = Level
# (program name, level, usual length in months) per category.
PROGRAM_TEMPLATES: dict[str, tuple[tuple[str, Level, int], ...]] = {
    "healthcare": (
        ("Medical Records Specialist Certificate", L.CERTIFICATE, 9),
        ("Medical Assisting Certificate", L.CERTIFICATE, 10),
        ("Pharmacy Technician Certificate", L.CERTIFICATE, 8),
        ("Medical Billing and Coding Certificate", L.CERTIFICATE, 9),
        ("Phlebotomy Technician Certificate", L.CERTIFICATE, 4),
        ("A.A.S. in Health Information Technology", L.ASSOCIATE, 24),
        ("A.A.S. in Dental Hygiene", L.ASSOCIATE, 24),
        ("A.S. in Medical Assisting", L.ASSOCIATE, 20),
        ("Associate Degree in Nursing", L.ASSOCIATE, 24),
        ("B.S. in Nursing", L.BACHELOR, 48),
        ("RN to B.S.N. Completion", L.BACHELOR, 15),
        ("B.S. in Health Information Management", L.BACHELOR, 48),
        ("M.S. in Nursing", L.MASTER, 24),
        ("Master of Health Administration", L.MASTER, 24),
        ("Doctor of Nursing Practice", L.DOCTORATE, 36),
    ),
    "legal": (
        ("Paralegal Certificate", L.CERTIFICATE, 8),
        ("Legal Assistant Certificate", L.CERTIFICATE, 6),
        ("Litigation Support Certificate", L.CERTIFICATE, 6),
        ("E-Discovery Specialist Certificate", L.CERTIFICATE, 6),
        ("A.A.S. in Paralegal Studies", L.ASSOCIATE, 24),
        ("A.A. in Legal Studies", L.ASSOCIATE, 24),
        ("B.S. in Paralegal Studies", L.BACHELOR, 48),
        ("B.A. in Legal Studies", L.BACHELOR, 48),
        ("Master of Legal Studies", L.MASTER, 18),
        ("M.S. in Law and Compliance", L.MASTER, 20),
        ("Juris Doctor", L.DOCTORATE, 36),
    ),
    "technology": (
        ("Web Development Certificate", L.CERTIFICATE, 9),
        ("IT Support Certificate", L.CERTIFICATE, 6),
        ("Cybersecurity Fundamentals Certificate", L.CERTIFICATE, 8),
        ("UX Design Certificate", L.CERTIFICATE, 6),
        ("A.A.S. in Computer Support Technology", L.ASSOCIATE, 24),
        ("A.S. in Web Development", L.ASSOCIATE, 24),
        ("A.A.S. in Network Administration", L.ASSOCIATE, 24),
        ("B.S. in Computer Science", L.BACHELOR, 48),
        ("B.S. in Information Technology", L.BACHELOR, 48),
        ("B.S. in Web and Digital Design", L.BACHELOR, 48),
        ("M.S. in Cybersecurity", L.MASTER, 24),
        ("M.S. in Software Engineering", L.MASTER, 24),
        ("M.S. in Information Systems", L.MASTER, 20),
        ("Ph.D. in Computer Science", L.DOCTORATE, 60),
    ),
    "skilled-trades": (
        ("HVAC Technician Certificate", L.CERTIFICATE, 10),
        ("Electrical Technology Certificate", L.CERTIFICATE, 12),
        ("Welding Technology Certificate", L.CERTIFICATE, 9),
        ("Plumbing Fundamentals Certificate", L.CERTIFICATE, 6),
        ("Pre-Apprenticeship Electrician Certificate", L.CERTIFICATE, 4),
        ("A.A.S. in HVAC/R Technology", L.ASSOCIATE, 24),
        ("A.A.S. in Electrical Technology", L.ASSOCIATE, 24),
        ("A.A.S. in Construction Technology", L.ASSOCIATE, 24),
        ("B.S. in Construction Management", L.BACHELOR, 48),
        ("B.S. in Industrial Technology", L.BACHELOR, 48),
        ("M.S. in Construction Management", L.MASTER, 20),
    ),
    "business": (
        ("Bookkeeping Certificate", L.CERTIFICATE, 6),
        ("Accounting Certificate", L.CERTIFICATE, 9),
        ("Project Management Certificate", L.CERTIFICATE, 6),
        ("A.A.S. in Accounting", L.ASSOCIATE, 24),
        ("A.S. in Business Administration", L.ASSOCIATE, 24),
        ("B.S. in Accounting", L.BACHELOR, 48),
        ("B.B.A. in Business Administration", L.BACHELOR, 48),
        ("B.S. in Finance", L.BACHELOR, 48),
        ("Master of Accountancy", L.MASTER, 12),
        ("Master of Business Administration", L.MASTER, 24),
        ("M.S. in Finance", L.MASTER, 18),
        ("Doctor of Business Administration", L.DOCTORATE, 48),
    ),
    "criminal-justice": (
        ("Law Enforcement Academy Preparation Certificate", L.CERTIFICATE, 6),
        ("Corrections Officer Certificate", L.CERTIFICATE, 4),
        ("Crime Scene Technology Certificate", L.CERTIFICATE, 9),
        ("A.A.S. in Criminal Justice", L.ASSOCIATE, 24),
        ("A.S. in Law Enforcement", L.ASSOCIATE, 24),
        ("B.S. in Criminal Justice", L.BACHELOR, 48),
        ("B.S. in Homeland Security", L.BACHELOR, 48),
        ("B.A. in Criminology", L.BACHELOR, 48),
        ("M.S. in Criminal Justice", L.MASTER, 20),
        ("M.A. in Criminology", L.MASTER, 24),
        ("Ph.D. in Criminal Justice", L.DOCTORATE, 48),
    ),
}

# Plausible yearly tuition bands (USD) by level and control; demo figures, not any school's.
TUITION_BANDS: dict[Level, dict[Control, tuple[int, int]]] = {
    L.CERTIFICATE: {Control.PUBLIC: (2_500, 6_000), Control.PRIVATE_NONPROFIT: (6_000, 14_000),
                    Control.PRIVATE_FOR_PROFIT: (9_000, 18_000)},
    L.ASSOCIATE: {Control.PUBLIC: (3_500, 6_500), Control.PRIVATE_NONPROFIT: (12_000, 22_000),
                  Control.PRIVATE_FOR_PROFIT: (14_000, 21_000)},
    L.BACHELOR: {Control.PUBLIC: (8_000, 12_500), Control.PRIVATE_NONPROFIT: (22_000, 42_000),
                 Control.PRIVATE_FOR_PROFIT: (14_000, 19_000)},
    L.MASTER: {Control.PUBLIC: (11_000, 18_000), Control.PRIVATE_NONPROFIT: (20_000, 38_000),
               Control.PRIVATE_FOR_PROFIT: (15_000, 24_000)},
    L.DOCTORATE: {Control.PUBLIC: (12_000, 20_000), Control.PRIVATE_NONPROFIT: (24_000, 45_000),
                  Control.PRIVATE_FOR_PROFIT: (18_000, 28_000)},
}

DELIVERY_WEIGHTS = {DeliveryMode.ONLINE: 3, DeliveryMode.CAMPUS: 4, DeliveryMode.HYBRID: 3}


class ProgramSpec(NamedTuple):
    name: str  # unique within its school: (school, name) is the natural key
    category: str
    level: str
    delivery: str
    campus_zip: str | None  # None: online
    tuition_usd: int | None
    length_months: int | None
    active: bool


class SchoolSpec(NamedTuple):
    slug: str
    name: str
    place: str
    primary_category: str
    website: str
    control: str
    accreditor: str
    description: str
    lead_recipients: str
    billing_email: str
    campus_zips: tuple[str, ...]  # empty: an online-only school
    programs: tuple[ProgramSpec, ...]


def slugify(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _campus_zips(rng: random.Random, index: int) -> tuple[str, ...]:
    """No campus for every seventh school; otherwise one to three, each in a different
    metro (one campus per ZIP per school is what makes the ZIP a natural key)."""
    if index % 7 == 3:
        return ()
    metros = [METROS[(index + step * 8) % len(METROS)] for step in range(rng.choice((1, 1, 1, 2, 2, 3)))]
    return tuple(rng.choice(METRO_ZIPS[metro]) for metro in metros)


def _tuition(rng: random.Random, level: Level, control: Control) -> int | None:
    if rng.random() < 0.15:
        return None  # not every school publishes tuition
    low, high = TUITION_BANDS[level][control]
    return rng.randrange(low, high, 50)


LEVEL_ORDER: tuple[Level, ...] = tuple(Level)


def _programs(rng: random.Random, primary: str, kind: Kind, zips: tuple[str, ...]) -> tuple[ProgramSpec, ...]:
    """Three to five programs in the school's primary field and one or two in another,
    at levels the kind of school offers."""
    highest = LEVEL_ORDER.index(kind.max_level)
    others = [spec.slug for spec in CATEGORIES if spec.slug != primary]
    offer = [(primary, rng.randint(3, 5))] + [(category, rng.randint(1, 2)) for category in rng.sample(others, 1)]
    programs = []
    for category, count in offer:
        offered = [t for t in PROGRAM_TEMPLATES[category] if LEVEL_ORDER.index(t[1]) <= highest]
        for name, level, months in rng.sample(offered, count):
            if zips:
                delivery = rng.choices(list(DELIVERY_WEIGHTS), weights=list(DELIVERY_WEIGHTS.values()))[0]
            else:
                delivery = DeliveryMode.ONLINE
            campus_zip = None if delivery is DeliveryMode.ONLINE else rng.choice(zips)
            programs.append(
                ProgramSpec(
                    name=name,
                    category=category,
                    level=level.value,
                    delivery=delivery.value,
                    campus_zip=campus_zip,
                    tuition_usd=_tuition(rng, level, kind.control),
                    length_months=months if rng.random() < 0.85 else None,
                    active=rng.random() >= 0.04,  # a few retired programs, kept but not listed
                )
            )
    return tuple(programs)


def _recipients(index: int, slug: str, domain: str) -> str:
    """One, two or three lead addresses, so delivery to several recipients gets exercised."""
    boxes = ("admissions", "info", "enrollment")[: (1, 2, 3, 2)[index % 4]]
    return "\n".join(f"{box}@{slug}.{domain}" for box in boxes)


def _description(name: str, kind: Kind, primary: str, programs: tuple[ProgramSpec, ...], zips: tuple[str, ...]) -> str:
    labels = {spec.slug: spec.name.lower() for spec in CATEGORIES}
    fields = sorted({labels[program.category] for program in programs}, key=lambda label: label != labels[primary])
    metro_of = {zip_code: metro for metro, metro_zips in METRO_ZIPS.items() for zip_code in metro_zips}
    places = [metro_of[zip_code] for zip_code in zips]
    if not places:
        where = "online only"
    else:
        listed = places[0] if len(places) == 1 else f"{', '.join(places[:-1])} and {places[-1]}"
        campuses = f"its campus in {listed}" if len(places) == 1 else f"campuses in {listed}"
        online = any(program.delivery == DeliveryMode.ONLINE for program in programs)
        where = f"online and at {campuses}" if online else f"at {campuses}"
    control = {
        Control.PUBLIC: "public",
        Control.PRIVATE_NONPROFIT: "private nonprofit",
        Control.PRIVATE_FOR_PROFIT: "private career",
    }[kind.control]
    return (
        f"{name} is a fictional {control} school created for the Prospectus demo. "
        f"It teaches {' and '.join(fields)} programs {where}."
    )


@cache
def demo_schools() -> tuple[SchoolSpec, ...]:
    """The whole demo catalogue, identical on every call and every run."""
    rng = random.Random(SEED)
    schools = []
    for index in range(SCHOOL_COUNT):
        place = PLACES[index // 2]
        primary = CATEGORIES[index % len(CATEGORIES)].slug
        kinds = KINDS_BY_CATEGORY[primary]
        kind = kinds[(index // len(CATEGORIES)) % len(kinds)]
        name = f"{place} {kind.suffix}"
        slug = slugify(name)
        zips = _campus_zips(rng, index)
        programs = _programs(rng, primary, kind, zips)
        schools.append(
            SchoolSpec(
                slug=slug,
                name=name,
                place=place,
                primary_category=primary,
                website=f"https://{slug}.{kind.domain}",
                control=kind.control.value,
                accreditor=rng.choice(ACCREDITORS[kind.control]),
                description=_description(name, kind, primary, programs, zips),
                lead_recipients=_recipients(index, slug, kind.domain),
                billing_email=f"billing@{slug}.{kind.domain}",
                campus_zips=zips,
                programs=programs,
            )
        )
    if len({school.slug for school in schools}) != len(schools):
        raise AssertionError("demo school names must be unique")
    return tuple(schools)
