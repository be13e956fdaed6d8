"""Reads over notifications: a person only ever sees their own."""

from __future__ import annotations

from django.db import models


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A signed-in person's own notifications; nobody else's, not even an administrator's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)
