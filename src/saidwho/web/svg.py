"""The speaker timeline as inline SVG: one bar per month (or year), drawn here, no library."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 720, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 36


def _nice_max(n: int) -> int:
    """``n`` rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    if n <= 5:
        return max(n, 1)
    p = 1
    while p * 10 <= n:
        p *= 10
    return next(m * p for m in (1, 2, 5, 10) if m * p >= n)


def timeline_svg(tl: dict) -> Markup:
    """An accessible bar chart (role="img", a title and a description, a <title> per bar)."""
    bins = tl.get("bins") or []
    if not bins:
        return Markup("")
    top = _nice_max(int(tl.get("max") or 0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    n = len(bins)
    slot = plot_w / n
    bar = min(36.0, max(1.0, slot * 0.8))
    unit = "month" if tl.get("unit") == "month" else "year"
    total = sum(b["count"] for b in bins)
    desc = f"{total} attributions from {bins[0]['label']} to {bins[-1]['label']}, by {unit}"
    parts = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="tl-title tl-desc">',
        f'<title id="tl-title">How often quoted, by {unit}</title>',
        f'<desc id="tl-desc">{escape(desc)}</desc>',
    ]
    # axes and gridlines, at whole numbers only
    ticks = range(top + 1) if top <= 5 else (0, top // 2, top)
    for val in ticks:
        y = TOP + plot_h * (1 - val / top)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{val}</text>')
    every = max(1, round(n / 8))
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / top if top else 0
        x = LEFT + i * slot + (slot - bar) / 2
        y = TOP + plot_h - h
        label = escape(str(b["label"]))
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}">'
            f'<title>{label}: {b["count"]}</title></rect>'
        )
        if i % every == 0:
            parts.append(
                f'<text class="axis" x="{LEFT + i * slot + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{label}</text>'
            )
    parts.append(f'<line class="base" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
