from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..permissions import is_approver
from ..services.evidence import ACCEPT_ATTRIBUTE, MAX_FILES_PER_UPDATE, EvidenceUpload, evidence_check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    """A progress report: percent, what was done, and photos or PDFs (each may be shown publicly).

    The browser lists the chosen files with a "public" tick box each (`public_file` = the file's
    position); without JavaScript, `public_all` makes every file of this report public.
    """

    percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
        error_messages={"required": _("Enter how far the pledge has come, from 0 to 100.")},
    )
    text = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("e.g. Visited 4 more households in need; 10 of 12 done.")}
        ),
        error_messages={"required": _("Say in a sentence or two what was done, e.g. “visited 3 households”.")},
    )
    files = MultipleFileField(
        label=_("Photos or PDF files"),
        required=False,
        help_text=_("JPEG, PNG or WebP photos, or PDF documents; up to %(count)s files.")
        % {"count": MAX_FILES_PER_UPDATE},
    )
    public_all = forms.BooleanField(
        label=_("Show these files on the public board"),
        required=False,
        help_text=_("Residents who scan the board's QR code will see them. Leave unticked for internal records."),
    )

    def __init__(self, *args, pledge, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledge = pledge
        self.fields["percent"].initial = pledge.progress
        if is_approver(user, pledge):
            self.fields["allow_decrease"] = forms.BooleanField(
                label=_("Allow lowering the progress (approver only)"), required=False
            )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES_PER_UPDATE:
            raise ValidationError(_("Attach at most %(count)s files at a time.") % {"count": MAX_FILES_PER_UPDATE})
        errors = []
        for upload in files:
            try:
                evidence_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        allow = self.data.get("allow_decrease") in ("on", "true", "1") and "allow_decrease" in self.fields
        if percent < self.pledge.progress and not allow:
            raise ValidationError(
                _(
                    "Progress cannot go below the last reported %(last)s%%. If it really must be lowered, "
                    "ask the person who approves this pledge."
                )
                % {"last": self.pledge.progress}
            )
        return percent

    def evidence_uploads(self) -> list[EvidenceUpload]:
        public_positions = set(self.data.getlist("public_file")) if hasattr(self.data, "getlist") else set()
        everything_public = self.cleaned_data.get("public_all", False)
        return [
            EvidenceUpload(upload=upload, is_public=everything_public or str(index) in public_positions)
            for index, upload in enumerate(self.cleaned_data.get("files") or [])
        ]
