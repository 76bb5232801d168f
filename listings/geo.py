"""Distances on the Earth's surface, in miles, and the latitude/longitude box around a point."""

from __future__ import annotations

import math

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.05


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing every point within `miles`: a cheap
    indexed prefilter; the exact distance decides. Widened a little so rounding never cuts
    a point on the edge; near the poles the longitude span is the whole circle. The box does
    not wrap across the 180th meridian: the only US places near it are the outer Aleutians."""
    dlat = miles / MILES_PER_DEGREE_LATITUDE * 1.01
    cos_lat = math.cos(math.radians(lat))
    dlon = 180.0 if cos_lat < 0.01 else min(180.0, dlat / cos_lat)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
