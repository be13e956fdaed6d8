from django import template

from campaign import selectors

register = template.Library()


@register.filter
def figure(snapshot, key: str) -> str:
    """`{{ snapshot|figure:"completion_rate" }}` → "62.5%", the overdue count, or "—"."""
    return selectors.format_figure(key, selectors.figure_value(snapshot, key))


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
