from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressUpdate(models.Model):
    """The owner's report of how far a pledge has come (践诺)."""

    pledge = models.ForeignKey(
        "pledges.Pledge", on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("pledge")
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("what was done"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.pledge_id} {self.percent}%"


def evidence_upload_to(instance, filename: str) -> str:
    # The stored name never reuses the uploaded name: it is random, the extension from the sniffed type.
    import uuid

    return f"evidence/{instance.pledge_id}/{uuid.uuid4().hex}.{instance.extension}"


class Evidence(models.Model):
    """A file (image or PDF) proving progress or completion. Private unless the owner marks it public."""

    pledge = models.ForeignKey(
        "pledges.Pledge", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("pledge")
    )
    progress_update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("progress update"),
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    is_public = models.BooleanField(_("show on the public board"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
