"""Bar charts as inline SVG strings.

A report must open years later on a machine with no network, so the charts are plain SVG
written into the page: no script, no font or library to fetch. Every bar carries a ``<title>``
(its exact value on hover) and the chart keeps a text table beside it in the page, so nothing
depends on reading pixel heights.
"""

from __future__ import annotations

from html import escape

PALETTE = ["#3b6ea8", "#e08a2c", "#4f9a57", "#c8453a", "#8a63b3", "#7f7f7f", "#b5a33a"]


def _nice_max(value: float) -> float:
    """The smallest 1-2-5 step at or above ``value``: the axis ends on a round number."""
    if value <= 0:
        return 1
    step = 1
    while step * 10 <= value:
        step *= 10
    for mult in (1, 2, 5, 10):
        if value <= step * mult:
            return step * mult
    return step * 10


def _fmt(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"


def _legend(series, x: float, y: float) -> list[str]:
    out = []
    for i, (_, name) in enumerate(series):
        out.append(f'<rect x="{x + i * 120:.0f}" y="{y}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                   f'<text x="{x + i * 120 + 14:.0f}" y="{y + 9}" class="legend">{escape(name)}</text>')
    return out


def columns(labels: list[str], series: list[tuple[str, str]], values: dict[str, list[float]],
            title: str, width: int = 720, height: int = 260, stacked: bool = True) -> str:
    """Vertical bars, one column per label (time buckets, crawls, months): stacked when the
    series are parts of one whole, side by side when they are different counts."""
    left, right, top, bottom = 48, 12, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    if stacked:
        totals = [sum(values[key][i] or 0 for key, _ in series) for i in range(len(labels))]
    else:
        totals = [max((values[key][i] or 0 for key, _ in series), default=0) for i in range(len(labels))]
    top_value = _nice_max(max(totals, default=0))
    n = max(len(labels), 1)
    slot = plot_w / n
    group_w = max(min(slot * 0.8, 60 if stacked else 30 * len(series)), 1)
    bar_w = group_w if stacked else group_w / len(series)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{escape(title)}" class="chart">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>']
    for frac in (0, 0.5, 1):
        y = top + plot_h - frac * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_fmt(top_value * frac)}</text>')
    every = max(1, round(n / 12))  # at most ~12 x labels
    for i, label in enumerate(labels):
        x0 = left + i * slot + (slot - group_w) / 2
        y = top + plot_h
        for s, (key, name) in enumerate(series):
            value = values[key][i] or 0
            if value <= 0:
                continue
            h = value / top_value * plot_h
            if stacked:
                y -= h
                x = x0
            else:
                y, x = top + plot_h - h, x0 + s * bar_w
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)}: {escape(name)} {value:g}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x0 + group_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                         f'class="tick">{escape(label)}</text>')
    parts += _legend(series, left, height - 18)
    parts.append("</svg>")
    return "".join(parts)


def rows(labels: list[str], series: list[tuple[str, str]], values: dict[str, list[float]],
         title: str, width: int = 720, value_format=_fmt) -> str:
    """Stacked horizontal bars, one row per label (hosts, MIME types, failure reasons)."""
    left, right, top, row_h = 220, 70, 8, 20
    height = top + row_h * max(len(labels), 1) + (30 if len(series) > 1 else 6)
    plot_w = width - left - right
    totals = [sum(values[key][i] or 0 for key, _ in series) for i in range(len(labels))]
    top_value = max(totals, default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{escape(title)}" class="chart">']
    for i, label in enumerate(labels):
        y = top + i * row_h
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" class="label">{escape(shown)}</text>')
        x = left
        for s, (key, name) in enumerate(series):
            value = values[key][i] or 0
            if value <= 0:
                continue
            w = max(value / top_value * plot_w, 0.5)
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)}: {escape(name)} {value:g}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="tick">{escape(value_format(totals[i]))}</text>')
    if len(series) > 1:
        parts += _legend(series, 10, height - 18)
    parts.append("</svg>")
    return "".join(parts)
