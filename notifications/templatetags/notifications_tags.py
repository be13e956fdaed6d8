from django import template
from django.core.cache import cache

from ..models import Notification
from ..services import unread_cache_key

register = template.Library()

UNREAD_CACHE_SECONDS = 300


@register.simple_tag
def unread_count(user) -> int:
    """The navbar count: one indexed COUNT, cached per person until their notifications change."""
    if user is None or not user.is_authenticated:
        return 0
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
