from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("Campaigns and dashboards")

    def ready(self):
        from . import checks, signals  # noqa: F401 - checks registers itself

        signals.connect()

        from django.db.models.signals import post_migrate

        from .selectors import create_default_thresholds

        post_migrate.connect(create_default_thresholds, sender=self)
