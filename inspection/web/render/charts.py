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
    ]
    for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):  # grid lines with their values, so a flat line is legible
        y = HEIGHT - PAD - fraction * (HEIGHT - 2 * PAD)
        parts.append(f'<line x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(
            f'<text x="{PAD - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{round(top * fraction)}</text>'
        )
    step = (WIDTH - 2 * PAD) / max(1, len(labels) - 1)
    every = max(1, -(-len(labels) // 12))  # at most 12 week labels
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            x = PAD + i * step
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 14}" font-size="10" text-anchor="middle">{escape(label[5:])}</text>'
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
            points = _points(values, top)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
            for (x, y), label, value in zip(
                (p.split(",") for p in points.split()), labels, values, strict=False
            ):
                parts.append(
                    f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"><title>{escape(name)} {escape(label)}：{value}</title></circle>'
                )
        legend_x = PAD + 10 + index * 150
        parts.append(f'<rect x="{legend_x}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="16" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
