"""Small SVG charts drawn on the server (no script, nothing fetched): printable and safe
under the content security policy, which forbids inline styles, so every look comes from
presentation attributes and classes styled in app.css."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH = 480
BAR_HEIGHT = 22
FILL = "#2f6fdf"
FILL_SOFT = "#b9cdf3"
INK = "#1b2330"
MUTED = "#6b7687"


def histogram(
    values: Sequence[float], *, title: str, lo: float = 0, hi: float = 100, bins: int = 10
) -> Markup:
    """Counts of values in equal bins over [lo, hi], as vertical bars with their edges."""
    counts = [0] * bins
    for v in values:
        index = min(bins - 1, max(0, int((v - lo) / (hi - lo) * bins)))
        counts[index] += 1
    top = max(counts) or 1
    height, base, left = 180, 150, 28
    step = (WIDTH - left - 24) / bins
    parts = [_open(WIDTH, height, title)]
    for i, count in enumerate(counts):
        bar = (base - 16) * count / top
        x = left + i * step
        parts.append(
            f'<rect class="chart-bar" x="{x + 2:.1f}" y="{base - bar:.1f}" '
            f'width="{step - 4:.1f}" height="{bar:.1f}" fill="{FILL}"/>'
        )
        if count:
            parts.append(_text(x + step / 2, base - bar - 4, str(count), anchor="middle"))
        edge = lo + (hi - lo) * i / bins
        parts.append(_text(x, base + 14, f"{edge:g}", anchor="middle", muted=True))
    parts.append(_text(left + bins * step, base + 14, f"{hi:g}", anchor="middle", muted=True))
    end = left + bins * step
    parts.append(f'<line x1="{left}" y1="{base}" x2="{end:.1f}" y2="{base}" stroke="{MUTED}"/>')
    return _svg(parts)


def bars(
    items: Sequence[tuple[str, float | None]],
    *,
    title: str,
    hi: float = 100,
    reference: Sequence[float | None] | None = None,
) -> Markup:
    """Horizontal bars, one per label, with an optional reference mark (e.g. the average)."""
    label_width, right = 150, 52
    height = BAR_HEIGHT * len(items) + 8
    span = WIDTH - label_width - right
    parts = [_open(WIDTH, height, title)]
    for i, (label, value) in enumerate(items):
        y = 4 + i * BAR_HEIGHT
        parts.append(_text(label_width - 6, y + 15, _clip(label), anchor="end"))
        parts.append(
            f'<rect class="chart-track" x="{label_width}" y="{y + 3}" width="{span}" '
            f'height="{BAR_HEIGHT - 8}" fill="{FILL_SOFT}" fill-opacity="0.35"/>'
        )
        if value is not None:
            width = span * max(0.0, min(value, hi)) / hi
            parts.append(
                f'<rect class="chart-bar" x="{label_width}" y="{y + 3}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 8}" fill="{FILL}"/>'
            )
            parts.append(_text(label_width + span + 4, y + 15, f"{value:.1f}"))
        mark = reference[i] if reference else None
        if mark is not None:
            x = label_width + span * max(0.0, min(mark, hi)) / hi
            parts.append(
                f'<line class="chart-mark" x1="{x:.1f}" y1="{y}" x2="{x:.1f}" '
                f'y2="{y + BAR_HEIGHT - 2}" stroke="{INK}" stroke-width="2"/>'
            )
    return _svg(parts)


def progress(done: int, total: int, *, title: str) -> Markup:
    """One bar: done out of total, with the share written beside it."""
    share = done / total if total else 0.0
    span = WIDTH - 70
    return _svg(
        [
            _open(WIDTH, 26, title),
            f'<rect x="0" y="4" width="{span}" height="16" fill="{FILL_SOFT}" '
            'fill-opacity="0.35"/>',
            f'<rect class="chart-bar" x="0" y="4" width="{span * share:.1f}" height="16" '
            f'fill="{FILL}"/>',
            _text(span + 6, 17, f"{share:.0%}"),
        ]
    )


def scatter(
    points: Sequence[tuple[float, float]],
    *,
    title: str,
    slope: float | None = None,
    lo: float = 0,
    hi: float = 100,
) -> Markup:
    """Dots of (x, y) with y on [lo, hi]; with `slope`, the least-squares line, which runs
    through the mean point."""
    height, left, base, top, right = 150, 30, 126, 8, 12
    xs = [x for x, _ in points]
    x_lo, x_hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    x_span = (x_hi - x_lo) or 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        px = left + (WIDTH - left - right) * ((x - x_lo) / x_span if x_hi > x_lo else 0.5)
        return px, base - (base - top) * (max(lo, min(y, hi)) - lo) / (hi - lo)

    parts = [_open(WIDTH, height, title)]
    for y in (lo, (lo + hi) / 2, hi):
        _x, py = at(x_lo, y)
        parts.append(_text(left - 4, py + 4, f"{y:g}", anchor="end", muted=True))
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}" stroke="{MUTED}"/>'
    )
    for x in sorted({x_lo, x_hi}):
        px, _y = at(x, lo)
        parts.append(_text(px, base + 16, f"{x:g}", anchor="middle", muted=True))
    for x, y in points:
        px, py = at(x, y)
        parts.append(f'<circle class="chart-dot" cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{FILL}"/>')
    if slope is not None and len(points) > 1 and x_hi > x_lo:
        mx = sum(xs) / len(xs)
        my = sum(y for _, y in points) / len(points)
        (x1, y1), (x2, y2) = (at(x, my + slope * (x - mx)) for x in (x_lo, x_hi))
        parts.append(
            f'<line class="chart-fit" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{INK}" stroke-width="2"/>'
        )
    return _svg(parts)


def _svg(parts: list[str]) -> Markup:
    # Safe: every piece of text in the parts went through escape() in _open or _text.
    svg = "".join([*parts, "</svg>"])
    return Markup(svg)  # noqa: S704  # nosec B704  # its text went through escape()


def _open(width: int, height: int, title: str) -> str:
    label = escape(title)
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{label}"><title>{label}</title>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", muted: bool = False) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" text-anchor="{anchor}" '
        f'fill="{MUTED if muted else INK}">{escape(text)}</text>'
    )


def _clip(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
