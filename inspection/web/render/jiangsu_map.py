"""The dashboard's map of Jiangsu by city: static SVG drawn on the server from a boundary file in the repo.

The boundaries (`geo/jiangsu_cities.json`, GeoJSON-like) are a hand-made simplified schematic of the 13
prefecture-level cities, not survey data; no tiles, no network, no script (the CSP forbids inline script).
Each city is shaded by one figure of the dashboard, labelled in Chinese and, when the user's region
covers it, a link to the queue filtered to that city.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from inspection.access import can_see_region
from store.models import User
from store.regions import city_of, short_name

BOUNDARIES = Path(__file__).parents[1] / "geo" / "jiangsu_cities.json"
# What a city's shade may show (a dashboard column) and the queue filter its link adds.
MAP_FIGURES = {"open": "status=open", "overdue": "overdue_only=true"}
WIDTH = 520
PAD = 8
# Light to dark; the first is "none" (0). Chosen to stay distinguishable for the common colour blindness.
SHADES = ("#f2f2f2", "#fde0c5", "#f9b07a", "#ec7b3b", "#c2410c")
LAT_MID = 33.0  # equirectangular projection scaled for Jiangsu's middle latitude


@dataclass(frozen=True)
class City:
    """One city of the boundary file."""

    code: str
    name: str
    ring: tuple[tuple[float, float], ...]
    label: tuple[float, float]


@dataclass(frozen=True)
class MapCell:
    """One city as the map and its table show it."""

    code: str
    name: str
    value: int | None  # None: outside the user's region (their dashboard does not count it)
    shade: int
    href: str | None


@lru_cache(maxsize=1)
def cities() -> tuple[City, ...]:
    """The cities of the boundary file, in code order."""
    document = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    found = []
    for feature in document["features"]:
        props = feature["properties"]
        ring = tuple((float(x), float(y)) for x, y in feature["geometry"]["coordinates"][0])
        found.append(City(props["code"], props["name"], ring, (props["label"][0], props["label"][1])))
    return tuple(sorted(found, key=lambda c: c.code))


def _bounds() -> tuple[float, float, float, float]:
    xs = [x for city in cities() for x, _ in city.ring]
    ys = [y for city in cities() for _, y in city.ring]
    return min(xs), min(ys), max(xs), max(ys)


def _projector() -> tuple[Callable[[float, float], tuple[float, float]], float]:
    west, south, east, north = _bounds()
    squeeze = math.cos(math.radians(LAT_MID))
    scale = (WIDTH - 2 * PAD) / ((east - west) * squeeze)
    height = (north - south) * scale + 2 * PAD

    def project(lon: float, lat: float) -> tuple[float, float]:
        return PAD + (lon - west) * squeeze * scale, PAD + (north - lat) * scale

    return project, height


def city_figures(regions: Sequence[Any], figure: str) -> dict[str, int]:
    """FIGURE (a dashboard column) summed per city: a city user's county rows add up to their city."""
    totals: dict[str, int] = {}
    for row in regions:
        city = city_of(row.region_code)
        if city is not None:
            totals[city] = totals.get(city, 0) + int(getattr(row, figure))
    return totals


def shade_of(value: int, top: int) -> int:
    """The shade class of VALUE: 0 for nothing, else 1-4 by its share of the largest value."""
    if value <= 0 or top <= 0:
        return 0
    return min(len(SHADES) - 1, 1 + int(4 * value / top - 1e-9))


def map_cells(user: User, totals: dict[str, int], query: str) -> list[MapCell]:
    """Every city with its value, shade and (when the user's region covers it) its queue link with QUERY."""
    top = max(totals.values(), default=0)
    cells = []
    for city in cities():
        linked = can_see_region(user, city.code)
        href = f"/?region={city.code}&{query}" if linked else None
        counted = linked or city_of(user.region_code) == city.code  # a county user's own city
        value = totals.get(city.code, 0) if counted else None
        shade = shade_of(value, top) if value is not None else 0
        cells.append(MapCell(city.code, short_name(city.name), value, shade, href))
    return cells


def legend_ranges(top: int) -> list[tuple[int, str]]:
    """(shade, range in words) for the legend: 0, then four bands of the largest value."""
    ranges = [(0, "0")]
    for shade in range(1, len(SHADES)):
        low = math.floor(top * (shade - 1) / 4) + 1
        high = math.floor(top * shade / 4)
        if top > 0 and high >= low:
            ranges.append((shade, f"{low}–{high}" if high > low else str(low)))
    return ranges


def map_svg(cells: Sequence[MapCell], title: str, link_title: Callable[[str], str]) -> Markup:
    """The SVG map: shaded polygons (links where allowed), Chinese labels with their values."""
    project, height = _projector()
    by_code = {city.code: city for city in cities()}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" class="map" id="jiangsu-map"><title>{escape(title)}</title>'
    ]
    for cell in cells:
        city = by_code[cell.code]
        points = " ".join("{:.1f},{:.1f}".format(*project(x, y)) for x, y in city.ring)
        x, y = project(*city.label)
        ink = ' fill="#fff"' if cell.shade == len(SHADES) - 1 else ""  # contrast on the darkest shade
        shape = (
            f'<polygon points="{points}" fill="{SHADES[cell.shade]}" stroke="#555" stroke-width="1" '
            f'class="city shade-{cell.shade}{"" if cell.value is not None else " outside"}" '
            f'data-region="{cell.code}"/>'
            f'<text x="{x:.1f}" y="{y - 2:.1f}" font-size="13" text-anchor="middle"{ink}>{escape(cell.name)}</text>'
            f'<text x="{x:.1f}" y="{y + 13:.1f}" font-size="12" text-anchor="middle"{ink}>{"–" if cell.value is None else cell.value}</text>'
        )
        if cell.href:
            label = escape(link_title(cell.name))
            shape = f'<a href="{escape(cell.href)}" aria-label="{label}"><title>{label}</title>{shape}</a>'
        parts.append(f'<g class="map-city{" linked" if cell.href else ""}">{shape}</g>')
    parts.append("</svg>")
    return Markup("".join(parts))
