"""Keep the dashboards fresh: a pledge or rating change asks for a (debounced) roll-up."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver


def _pledge_changed(sender, instance, **kwargs):
    from .rollups import request_rollup

    if instance.campaign_id:
        request_rollup(campaign_id=instance.campaign_id)


def _rating_changed(sender, instance, **kwargs):
    from pledges.models import Pledge

    from .rollups import request_rollup

    campaign_id = Pledge.objects.filter(pk=instance.pledge_id).values_list("campaign_id", flat=True).first()
    if campaign_id:
        request_rollup(campaign_id=campaign_id)


def connect() -> None:
    for signal in (post_save, post_delete):
        receiver(signal, sender="pledges.Pledge", dispatch_uid=f"rollup-pledge-{signal is post_save}")(_pledge_changed)
        receiver(signal, sender="pledges.Rating", dispatch_uid=f"rollup-rating-{signal is post_save}")(_rating_changed)
