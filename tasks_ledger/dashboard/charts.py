"""The dashboard's charts as server-rendered SVG: no JavaScript, no CDN, and they print.

Every text that reaches the SVG goes through `format_html`/`escape`, so a department's name
cannot inject markup.
"""

import datetime

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Light → colour, the same as the CSS lights (static/css/app.css, "/* dashboard */").
LIGHT_COLOURS = {
    "done": "#2f855a",
    "on_track": "#2b6cb0",
    "due_soon": "#b7791f",
    "overdue": "#c53030",
    "blocked": "#6b46c1",
    "awaiting": "#2c7a7b",
    "not_filed": "#9aa5b1",
}
# Enough distinct colours for a bureau's departments; they repeat past the tenth.
SERIES_COLOURS = [
    "#a61b29",
    "#2b6cb0",
    "#2f855a",
    "#b7791f",
    "#6b46c1",
    "#0f766e",
    "#c05621",
    "#4a5568",
    "#d53f8c",
    "#2c7a7b",
]


def status_split(parts: list[tuple[str, int, str]]) -> SafeString:
    """A horizontal 100% bar of the lights with a legend: parts are (label, count, light)."""
    total = sum(count for _label, count, _light in parts)
    width, height = 600, 28
    x = 0.0
    bars = []
    for label, count, light in parts:
        if not count:
            continue
        w = width * count / total
        bars.append(
            format_html(
                '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                f"{x:.1f}",
                f"{w:.1f}",
                height,
                LIGHT_COLOURS[light],
                label,
                count,
            )
        )
        x += w
    if not bars:
        bars.append(format_html('<rect width="{}" height="{}" fill="#e2e8f0"/>', width, height))
    legend = format_html_join(
        "",
        '<g transform="translate({},{})"><rect width="12" height="12" fill="{}"/>'
        '<text x="16" y="11">{} {}</text></g>',
        (
            (i * 120, height + 12, LIGHT_COLOURS[light], label, count)
            for i, (label, count, light) in enumerate(parts)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-label="{}">'
        "<title>{}</title>{}{}</svg>",
        width,
        height + 30,
        _("Status split"),
        _("Status split"),
        mark_safe("".join(bars)),
        legend,
    )


def weekly_entries(*, weeks: list[datetime.date], series: list[tuple[str, list]]) -> SafeString:
    """Stacked columns: counted entries per week (Monday's date), one colour per department.

    Built with f-strings, each department's name escaped once: a format_html per column
    segment was the largest part of the dashboard's own Python. Everything else in the
    markup is a number or a constant."""
    width, height, left, bottom, top = 600, 220, 34, 22, 8
    plot_h = height - bottom - top
    totals = [sum(values[i] for _name, values in series) for i in range(len(weeks))]
    peak = max(totals + [1])
    slot = (width - left) / max(len(weeks), 1)
    bar_w = slot * 0.7
    names = [escape(name) for name, _values in series]
    colours = [SERIES_COLOURS[s % len(SERIES_COLOURS)] for s in range(len(series))]
    parts = [
        f'<line x1="{left}" y1="{top}" x2="{width}" y2="{top}" stroke="#d9e2ec"/>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="axis">{peak}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" '
        'stroke="#9aa5b1"/>',
    ]
    for i, week in enumerate(weeks):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        label = week.strftime("%m-%d")
        for s, (_name, values) in enumerate(series):
            if not values[i]:
                continue
            h = plot_h * values[i] / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colours[s]}"><title>{names[s]} {label}: {values[i]}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - 6}" text-anchor="middle" '
            f'class="axis">{label}</text>'
        )
    legend = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{name}</li>'
        for colour, name in zip(colours, names, strict=True)
    )
    title = escape(_("Weekly entries by department"))
    return mark_safe(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" aria-label="{title}">'
        f'<title>{title}</title>{"".join(parts)}</svg><ul class="chart-legend">{legend}</ul>'
    )
