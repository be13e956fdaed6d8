"""An initial password is forgotten as soon as its owner has chosen their own."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import InitialPassword, User


@receiver(post_save, sender=User)
def forget_initial_password(sender, instance, update_fields=None, **kwargs):
    if instance.must_change_password:
        return
    if update_fields is not None and not {"must_change_password", "password"} & set(update_fields):
        return  # e.g. last_login on every login: nothing to do
    InitialPassword.objects.filter(user=instance).delete()
