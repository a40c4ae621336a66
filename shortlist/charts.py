"""Server-rendered SVG charts for the HR reports: no JavaScript, no inline styles (the
Content-Security-Policy allows none), an accessible name and description on every chart.

Each chart is one ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``; the page
puts the same figures in a table beside it, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# GOV.UK Frontend colours with at least 3:1 contrast against white (WCAG 1.4.11).
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#003078", "#b58840")
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = 'font-family="arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per category; None: no figure (suppressed or none)


def _fmt(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 14, weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" fill="{TEXT}" '
            f'text-anchor="{anchor}"{bold}>{escape(content)}</text>')


def _legend(series: Sequence[Series], y: float, width: float) -> tuple[list[str], float]:
    parts: list[str] = []
    x = 0.0
    for i, s in enumerate(series):
        label_width = 22 + 7.5 * len(s.name) + 18
        if x and x + label_width > width:
            x = 0.0
            y += 22
        parts.append(f'<rect x="{x:.1f}" y="{y - 12:.1f}" width="14" height="14" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(_text(x + 20, y, s.name))
        x += label_width
    return parts, y + 16


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float | None = None,
    value_label: Callable[[float], str] = _fmt,
    missing_label: str = "no figure",
    reference: tuple[float, str] | None = None,
    width: int = 640,
) -> Markup:
    """Horizontal grouped bars: one group per category, one bar per series.

    ``reference`` draws a dashed vertical line at a value with a label (for example, the
    four-fifths threshold).
    """
    label_width = min(240, max(80, 7 * max((len(c) for c in categories), default=10)))
    plot_x = label_width + 10
    plot_width = width - plot_x - 70
    bar_height = 16
    gap = 4
    group_height = len(series) * (bar_height + gap) + 14
    values = [v for s in series for v in s.values if v is not None]
    top = maximum if maximum is not None else max(values, default=0.0)
    if top <= 0:
        top = 1.0

    body: list[str] = []
    legend, y = _legend(series, 16, width) if len(series) > 1 else ([], 4)
    body += legend
    plot_top = y + 4
    for ci, category in enumerate(categories):
        gy = plot_top + ci * group_height
        label_y = gy + (len(series) * (bar_height + gap)) / 2 + 4
        body.append(_text(label_width, label_y, _truncate(category, label_width), anchor="end"))
        for si, s in enumerate(series):
            value = s.values[ci] if ci < len(s.values) else None
            by = gy + si * (bar_height + gap)
            if value is None:
                body.append(_text(plot_x + 4, by + bar_height - 3, missing_label, size=13))
                continue
            w = max(0.0, min(value, top)) / top * plot_width
            body.append(f'<rect x="{plot_x}" y="{by:.1f}" width="{w:.1f}" height="{bar_height}" '
                        f'fill="{PALETTE[si % len(PALETTE)]}"/>')
            body.append(_text(plot_x + w + 4, by + bar_height - 3, value_label(value), size=13))
    plot_bottom = plot_top + max(1, len(categories)) * group_height
    body.append(f'<line x1="{plot_x}" y1="{plot_top - 2}" x2="{plot_x}" y2="{plot_bottom}" stroke="{GRID}"/>')
    if reference is not None:
        value, label = reference
        rx = plot_x + min(value, top) / top * plot_width
        body.append(f'<line x1="{rx:.1f}" y1="{plot_top - 2}" x2="{rx:.1f}" y2="{plot_bottom}" '
                    f'stroke="{TEXT}" stroke-dasharray="4 3"/>')
        body.append(_text(rx, plot_bottom + 16, label, anchor="middle", size=13))
        plot_bottom += 20
    return _svg(chart_id, title, description, width, plot_bottom + 8, body)


def stacked_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 640,
) -> Markup:
    """Horizontal 100% stacked bars: each category's values as shares of its total."""
    label_width = min(200, max(60, 8 * max((len(c) for c in categories), default=6)))
    plot_x = label_width + 10
    plot_width = width - plot_x - 60
    bar_height = 18
    row = bar_height + 8
    body: list[str] = []
    legend, y = _legend(series, 16, width)
    body += legend
    plot_top = y + 4
    for ci, category in enumerate(categories):
        by = plot_top + ci * row
        body.append(_text(label_width, by + bar_height - 4, _truncate(category, label_width), anchor="end"))
        values = [(s.values[ci] or 0.0) if ci < len(s.values) else 0.0 for s in series]
        total = sum(values)
        if not total:
            body.append(_text(plot_x + 4, by + bar_height - 4, "no scores", size=13))
            continue
        x = float(plot_x)
        for si, value in enumerate(values):
            if value <= 0:
                continue
            w = value / total * plot_width
            body.append(f'<rect x="{x:.1f}" y="{by:.1f}" width="{w:.1f}" height="{bar_height}" '
                        f'fill="{PALETTE[si % len(PALETTE)]}" stroke="#ffffff"/>')
            x += w
        body.append(_text(plot_x + plot_width + 4, by + bar_height - 4, _fmt(total), size=13))
    plot_bottom = plot_top + max(1, len(categories)) * row
    return _svg(chart_id, title, description, width, plot_bottom + 8, body)


def _truncate(text: str, width: float) -> str:
    limit = max(6, int(width / 7))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(chart_id: str, title: str, description: str, width: float, height: float, body: list[str]) -> Markup:
    cid = escape(chart_id)
    # every value in it is escaped here or where `body` is built (numbers are formatted)
    return Markup(  # nosec B704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{cid}" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'aria-labelledby="{cid}-title {cid}-desc" focusable="false">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )
