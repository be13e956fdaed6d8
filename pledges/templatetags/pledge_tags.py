"""Small template helpers for the pledge pages."""

from django import template

from ..services.lifecycle import move_label

register = template.Library()


@register.filter
def absolute(value):
    """-3 → 3 (days overdue from a negative days_left)."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value


@register.filter
def move_name(reason):
    """The translated name of a move stored as a history change reason."""
    return move_label(reason)
