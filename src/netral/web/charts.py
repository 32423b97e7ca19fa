"""Server-rendered SVG charts (no JavaScript, no inline styles: CSP-safe).

Every label passes through :func:`markupsafe.escape`, so content from the database can never
inject markup into the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

PALETTE = ["#1f6f8b", "#e07a1f", "#3a9d5d", "#b23a48", "#6c5b7b", "#99b898", "#c06c84"]
SHADE = "#f4d6a0"


def _fmt(n: float) -> str:
    return f"{n:.1f}".rstrip("0").rstrip(".")


def time_chart(
    points: Sequence[tuple[date, int]],
    periods: Sequence[tuple[date, date, str]] = (),
    *,
    title: str = "",
    width: int = 640,
    height: int = 220,
    empty_text: str = "—",
) -> Markup:
    """Counts per day (or week) as a line with dots; election campaign periods shaded."""
    pad_l, pad_r, pad_t, pad_b = 40, 10, 24, 36
    iw, ih = width - pad_l - pad_r, height - pad_t - pad_b
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if not points:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#666">'
            f"{escape(empty_text)}</text></svg>"
        )
        return Markup("".join(parts))
    pts = sorted(points)
    if (pts[-1][0] - pts[0][0]).days > 120:  # long periods: weekly totals (weeks start Monday)
        weekly: dict[date, int] = {}
        for d, c in pts:
            monday = d - timedelta(days=d.weekday())
            weekly[monday] = weekly.get(monday, 0) + c
        pts = sorted(weekly.items())
    d0, d1 = pts[0][0], pts[-1][0]
    span = max((d1 - d0).days, 1)
    step = max(1, -(-max(c for _, c in pts) // 4))  # integer ticks
    top = step * 4

    def x(d: date) -> float:
        return pad_l + iw * ((d - d0).days / span)

    def y(v: float) -> float:
        return pad_t + ih - ih * (v / top)

    label_end = -1.0
    for start, end, label in periods:
        if end < d0 or start > d1:
            continue
        s, e = max(start, d0), min(end, d1)
        w = max(x(e) - x(s), 2)
        parts.append(
            f'<rect x="{_fmt(x(s))}" y="{pad_t}" width="{_fmt(w)}" '
            f'height="{ih}" fill="{SHADE}" opacity="0.6"><title>{escape(label)}</title></rect>'
        )
        # label only where it fits and does not run into the previous one
        if x(s) >= label_end and w >= 5.5 * min(len(label), 40):
            parts.append(
                f'<text x="{_fmt(x(s) + 2)}" y="{pad_t - 6}" font-size="10" fill="#8a5a00">'
                f"{escape(label)}</text>"
            )
            label_end = x(s) + 6 * len(label)
    for i in range(5):
        v = step * i
        parts.append(
            f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{_fmt(y(v))}" y2="{_fmt(y(v))}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{pad_l - 4}" y="{_fmt(y(v) + 3)}" font-size="10" text-anchor="end" '
            f'fill="#555">{_fmt(v)}</text>'
        )
    poly = " ".join(f"{_fmt(x(d))},{_fmt(y(c))}" for d, c in pts)
    parts.append(f'<polyline points="{poly}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    for d, c in pts:
        parts.append(
            f'<circle cx="{_fmt(x(d))}" cy="{_fmt(y(c))}" r="3" fill="{PALETTE[0]}">'
            f"<title>{d.isoformat()}: {c}</title></circle>"
        )
    for d in (d0, d1):
        anchor = "start" if d == d0 else "end"
        parts.append(
            f'<text x="{_fmt(x(d))}" y="{height - 12}" font-size="10" text-anchor="{anchor}" '
            f'fill="#555">{d.isoformat()}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    title: str = "",
    width: int = 460,
    bar_height: int = 22,
    empty_text: str = "—",
    limit: int = 12,
) -> Markup:
    """Horizontal bars, largest first, labels on the left."""
    items = sorted(items, key=lambda kv: (-kv[1], kv[0]))[:limit]
    label_w, pad = 168, 8
    height = max(len(items), 1) * (bar_height + 6) + 2 * pad
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if not items:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2 + 4}" text-anchor="middle" fill="#666">'
            f"{escape(empty_text)}</text></svg>"
        )
        return Markup("".join(parts))
    top = max(v for _, v in items) or 1
    bw = width - label_w - 50
    for i, (label, value) in enumerate(items):
        yy = pad + i * (bar_height + 6)
        short = label if len(label) <= 22 else label[:21] + "…"
        w = bw * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{yy + bar_height * 0.7}" font-size="12" '
            f'text-anchor="end" fill="#222">{escape(short)}<title>{escape(label)}</title></text>'
            f'<rect x="{label_w}" y="{yy}" width="{_fmt(max(w, 1))}" height="{bar_height}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{_fmt(label_w + w + 4)}" y="{yy + bar_height * 0.7}" font-size="12" '
            f'fill="#222">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
