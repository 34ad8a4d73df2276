"""Trend charts rendered on the server as inline SVG: no script, no inline style, so the CSP holds."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 220, 36
COLOURS = ("#14365d", "#389e0d", "#d4380d", "#faad14")


def _points(values: Sequence[int], top: int) -> str:
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)
    return " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD):.1f}"
        for i, v in enumerate(values)
    )


def _axes(labels: Sequence[str], top: int) -> list[str]:
    parts = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>',
        f'<text x="4" y="{PAD + 4}" font-size="11">{top}</text>',
        f'<text x="4" y="{HEIGHT - PAD}" font-size="11">0</text>',
    ]
    if labels:
        parts.append(f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{escape(labels[0])}</text>')
        parts.append(
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="11" text-anchor="end">{escape(labels[-1])}</text>'
        )
    return parts


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[int]]) -> Markup:
    """An SVG line chart of SERIES (name -> values per label), with a legend."""
    top = max([1, *(v for values in series.values() for v in values)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>',
        *_axes(labels, top),
    ]
    for index, (name, values) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        if values:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{_points(values, top)}"/>'
            )
        legend_x = PAD + 10 + index * 150
        parts.append(f'<rect x="{legend_x}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="16" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
