from django import template

register = template.Library()


@register.filter
def item_overdue(item, today) -> bool:
    return item.is_overdue(on=today)


@register.filter
def may_report(item, user) -> bool:
    from ..permissions import can_report_closure

    return bool(user and user.is_authenticated and can_report_closure(user, item))
