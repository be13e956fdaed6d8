from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import Organization

from .models import Inspection


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["inspected_on", "kind", "inspectors", "findings"]
        widgets = {
            "inspected_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "inspected_on": {"required": _("Enter the date of the inspection.")},
            "kind": {"required": _("Choose the kind of inspection, e.g. routine inspection or random spot check.")},
            "inspectors": {"required": _("Enter the names of the inspectors, e.g. '周建华、刘敏'.")},
            "findings": {"required": _("Write what the inspection found, good and bad.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = timezone.localdate()

    def clean_inspected_on(self):
        day = self.cleaned_data["inspected_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The inspection date cannot be in the future."))
        return day


class ItemForm(forms.Form):
    """One rectification item; a row left entirely empty is ignored."""

    owner_org = forms.ModelChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Problem to rectify"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    required_evidence = forms.CharField(
        label=_("Evidence required for closure"),
        max_length=300,
        required=False,
        help_text=_("E.g. minutes of the meeting, photos of the notice board."),
    )

    def __init__(self, *args, subtree=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subtree is not None:
            self.fields["owner_org"].queryset = subtree

    def clean(self):
        data = super().clean()
        filled = [name for name in ("owner_org", "description", "deadline", "required_evidence") if data.get(name)]
        if filled and len(filled) < 4:
            messages = {
                "owner_org": _("Choose the organization responsible for this item."),
                "description": _("Describe the problem to rectify."),
                "deadline": _("Set a deadline for the rectification."),
                "required_evidence": _("Say what evidence closes the item, e.g. meeting minutes or photos."),
            }
            for name, message in messages.items():
                if not data.get(name):
                    self.add_error(name, message)
        return data

    @property
    def is_filled(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data.get("description"))


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, subtree=None, **kwargs):
        self.subtree = subtree
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "subtree": self.subtree}


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=3, max_num=20)


class ClosureForm(forms.Form):
    note = forms.CharField(
        label=_("What was done to rectify it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe what was done to rectify the problem.")},
    )
    evidence = forms.FileField(
        label=_("Evidence file (photo or PDF)"),
        error_messages={"required": _("Attach the evidence the inspector asked for (a photo or a PDF).")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reopen", _("Reopen"))])
    reason = forms.CharField(label=_("What is still missing"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("New deadline (optional)"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reopen" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say what is still missing, so the branch knows what to do."))
        return data
