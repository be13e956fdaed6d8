"""Writing notifications. Every event in the product goes through `notify`."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Notification


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Record one notification per distinct recipient, in the caller's transaction.

    Titles and bodies are stored already rendered, in the language active when the event happened.
    """
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, kind=kind, title=title[:200], body=body, url=url))
    return Notification.objects.bulk_create(rows)
