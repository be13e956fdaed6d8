"""The Celery application. Tasks live in each app's tasks.py; beat schedules are listed here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

app = Celery("campaign")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Asia/Shanghai (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    "purge-initial-passwords": {
        "task": "orgs.tasks.purge_initial_passwords_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "send-deadline-reminders": {
        "task": "notifications.tasks.send_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "daily-rollup": {
        "task": "campaign.tasks.rollup_task",
        "schedule": crontab(hour=1, minute=0),
    },
}
