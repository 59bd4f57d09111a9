"""Charts drawn on the server as inline SVG: no JavaScript, no library, no CDN, readable when printed.
Colours are SVG presentation attributes (the Content-Security-Policy forbids style="" attributes).
Every chart is shown beside a table with the same numbers."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

RED = "#b71c1c"
GREY = "#9aa4ae"
INK = "#1f2328"
SEVERITY_COLOURS = {"blue": "#1565c0", "yellow": "#f9a825", "red": "#c62828"}


def _number(value) -> str:
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def figure(svg: str, title: str) -> SafeString:
    """A chart with its title shown above it (a figure and its caption)."""
    return mark_safe(f'<figure class="chart"><figcaption>{escape(title)}</figcaption>{svg}</figure>')  # noqa: S308


# Drawn 360 units wide: at 375 px a unit is about a pixel, so 13-unit text reads as 13 px on a phone; wider
# screens cap the chart's width (site.css) rather than enlarge it without end.
WIDTH = 360


def bar_chart(items: list[tuple[str, object]], *, title: str, colours: list[str] | None = None) -> SafeString:
    """Horizontal bars, one per (label, value): the label above its bar, the value at the bar's end."""
    bar_width, row_height, top = WIDTH - 70, 40, 4
    height = top * 2 + row_height * max(len(items), 1)
    largest = max((v or 0 for _, v in items), default=0) or 1
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * row_height
        length = round(bar_width * (value or 0) / largest, 1)
        colour = (colours or [])[index] if colours and index < len(colours) else RED
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13" fill="{INK}">{escape(label)}</text>'
            f'<rect x="0" y="{y + 19}" width="{length}" height="14" fill="{colour}"/>'
            f'<text x="{length + 6}" y="{y + 31}" font-size="13" fill="{INK}">'
            f"{escape(_number(value or 0))}</text>"
        )
    parts.append("</svg>")
    return figure("".join(parts), title)


def month_chart(
    this_year: list, last_year: list, *, title: str, labels: tuple[str, str], month_labels: list[str]
) -> SafeString:
    """Twelve pairs of columns: last year (grey) and this year (red); a month without figures has no column.
    The months are numbered under the axis; each column's tooltip names its month and value."""
    left, bottom, top, height = 34, 22, 30, 220
    plot_height = height - bottom - top
    group = (WIDTH - left) / 12
    largest = max((v or 0 for v in [*this_year, *last_year]), default=0) or 1
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="6" width="12" height="12" fill="{GREY}"/>'
        f'<text x="{left + 16}" y="17" font-size="13" fill="{INK}">{escape(labels[0])}</text>'
        f'<rect x="{left + 110}" y="6" width="12" height="12" fill="{RED}"/>'
        f'<text x="{left + 126}" y="17" font-size="13" fill="{INK}">{escape(labels[1])}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH}" y2="{height - bottom}" stroke="{INK}" '
        'stroke-width="1"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" font-size="13" fill="{INK}">'
        f"{escape(_number(largest))}</text>",
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" font-size="13" fill="{INK}">0</text>',
    ]
    bar = group * 0.38
    for m in range(12):
        x = left + m * group + group * 0.12
        for offset, value, colour in ((0, last_year[m], GREY), (bar, this_year[m], RED)):
            if value is None:
                continue
            h = round(plot_height * value / largest, 1)
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{height - bottom - h}" width="{bar:.1f}" height="{h}" '
                f'fill="{colour}"><title>{escape(month_labels[m])}：{escape(_number(value))}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - 6}" text-anchor="middle" font-size="13" fill="{INK}">{m + 1}</text>'
        )
    parts.append("</svg>")
    return figure("".join(parts), title)
