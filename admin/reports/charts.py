"""Charts drawn on the server as SVG by pygal, self-contained: no script, no external URL.

pygal embeds a configuration <script> even with `js=[]` and writes comments holding its
web address; an XML filter removes both before the tree is serialised, and
`self_contained` checks the result, so a chart that would load or run anything is never
served. The dashboard shows each chart as an <img> with a data: URI (the CSP's img-src
allows data:): it is made in the same request as the table beside it, so the two always
show the same numbers, no extra route needs guarding, and an SVG shown as an image can
neither run script nor fetch anything, whatever it holds."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence

import pygal
from pygal.style import Style

from admin.reports.activity import DailyDeliveries, SchoolFigures
from admin.reports.placement_report import ReportRow

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
STATUS_COLOURS = {
    "delivered": "#198754",
    "pending": "#0d6efd",
    "returned": "#fd7e14",
    "dead": "#dc3545",
    "cancelled": "#6c757d",
    "duplicate": "#adb5bd",
    "suppressed": "#495057",
}
RANKING_COLOUR = "#0d6efd"
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")
_URL = re.compile(r"(?:https?:|ftp:|file:|data:|//)[^\s\"'<>)]*", re.IGNORECASE)


class UnsafeChart(RuntimeError):
    """pygal produced a script or an external reference; the chart is not served."""


def _style(colours: Sequence[str]) -> Style:
    return Style(
        background="transparent",
        plot_background="#ffffff",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#6c757d",
        font_family=FONT,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        value_font_size=12,
        title_font_size=14,
        guide_stroke_color="#ced4da",
        major_guide_stroke_color="#adb5bd",
        opacity="1",
        opacity_hover="1",
        colors=tuple(colours),
    )


def _strip_active_content(description: str) -> Callable:
    """An XML filter: drop <script> elements and comments; title the SVG with `description`."""

    def strip(root):
        for parent in root.iter():
            for child in list(parent):
                tag = child.tag
                if not isinstance(tag, str) or tag.rsplit("}", 1)[-1] == "script":
                    parent.remove(child)
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "title":
                element.text = description
                break
        return root

    return strip


def self_contained(svg: str) -> bool:
    """True when `svg` holds no script, no event handler and no URL but its XML namespaces."""
    lowered = svg.lower()
    if "<script" in lowered or re.search(r"\son[a-z]+\s*=", lowered) or "javascript:" in lowered:
        return False
    without_namespaces = svg
    for namespace in NAMESPACES:
        without_namespaces = without_namespaces.replace(f'"{namespace}"', '""')
    return _URL.search(without_namespaces) is None and "<?xml-stylesheet" not in lowered


def render(chart, description: str) -> str:
    """The chart as a self-contained SVG document, or UnsafeChart."""
    chart.add_xml_filter(_strip_active_content(description))
    svg = chart.render(is_unicode=True)
    if not self_contained(svg):
        raise UnsafeChart("pygal output holds a script or an external reference")
    return svg


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _options(**overrides) -> dict:
    """What every chart shares: no script of pygal's, no XML declaration, responsive width."""
    return {
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "margin": 12,
        **overrides,
    }


def deliveries_chart(daily: DailyDeliveries) -> str:
    """Stacked bars: deliveries per business day, one colour per delivery status."""
    statuses = daily.present_statuses
    chart = pygal.StackedBar(
        **_options(
            width=900,
            height=340,
            style=_style([STATUS_COLOURS[status] for status in statuses]),
            x_label_rotation=0,
            show_minor_x_labels=False,
            x_labels_major_every=7,
            truncate_label=-1,
            legend_at_bottom_columns=min(len(statuses), 7),
            min_scale=2,
            max_scale=6,
            value_formatter=lambda value: f"{value:,.0f}",
        )
    )
    chart.x_labels = [day.strftime("%b %-d") for day in daily.days]
    for status in statuses:
        chart.add(status.capitalize(), daily.series(status))
    first, last = daily.days[0], daily.days[-1]
    return render(chart, f"Deliveries per day by status, {first:%b %-d} to {last:%b %-d, %Y}")


def _ranking(labels: list[str], values: list[int], title: str, formatter: Callable[[float], str]) -> str:
    chart = pygal.HorizontalBar(
        **_options(
            width=800,
            height=max(160, 70 + 34 * max(len(labels), 1)),
            style=_style([RANKING_COLOUR]),
            show_legend=False,
            truncate_label=32,
            min_scale=3,
            max_scale=5,
            value_formatter=formatter,
            no_data_text="Nothing yet",
        )
    )
    # HorizontalBar draws the first label at the bottom; the table reads top down.
    chart.x_labels = list(reversed(labels))
    chart.add(title, list(reversed(values)) if values else [])
    return render(chart, title)


def _money_axis(cents: float) -> str:
    """Whole dollars on an axis (the table beside the chart has the cents)."""
    return f"${cents / 100:,.0f}"


def top_schools_chart(rows: list[SchoolFigures], by: str) -> str:
    values = [row.spend_cents if by == "spend" else row.leads for row in rows]
    title = "Top schools by spend" if by == "spend" else "Top schools by leads"
    return _ranking([row.school for row in rows], values, title, _money_axis if by == "spend" else _count)


def top_placements_chart(rows: list[ReportRow], by: str) -> str:
    values = [row.spend_cents if by == "spend" else row.leads for row in rows]
    title = "Top placements by spend" if by == "spend" else "Top placements by leads"
    return _ranking([row.placement for row in rows], values, title, _money_axis if by == "spend" else _count)


def _count(value: float) -> str:
    return f"{value:,.0f}"
