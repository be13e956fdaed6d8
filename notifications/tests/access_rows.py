from tests.access import BAD_METHOD, NOT_FOUND, OK, REDIRECT, Row, logged_in


def members_notification(world) -> list:
    """A notification of `member` (everyone else must get 404 for it)."""
    from notifications.models import Notification

    return [Notification.objects.create(user=world.member.user, kind="deadline_reminder", title="提醒").pk]


ROWS = [
    Row("notifications:list", logged_in(OK)),
    Row("notifications:read", logged_in(BAD_METHOD), args=members_notification, label="get"),
    Row(
        "notifications:read",
        logged_in(NOT_FOUND, member=REDIRECT),
        args=members_notification,
        method="post",
    ),
    Row("notifications:read_all", logged_in(REDIRECT), method="post"),
    Row("notifications:read_all", logged_in(BAD_METHOD), label="get"),
    Row("notifications:preferences", logged_in(OK)),
    Row(
        "notifications:preferences",
        logged_in(REDIRECT),
        method="post",
        data=lambda w: {"email_kinds": ["deadline_reminder"]},
        label="save",
    ),
]
