"""Deployment checks of our own, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Printed posters carry SITE_URL in their QR code; a local address there leads residents nowhere."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host in LOCAL_HOSTS:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: QR codes on printed public-board posters would point at "
                "this machine.",
                hint="Set SITE_URL to the public address, e.g. https://dangjian.example.gov.cn",
                id="campaign.W001",
            )
        ]
    return []
