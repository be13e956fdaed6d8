from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Member, Organization, RosterImport
from .validators import normalize_phone


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    position = forms.ChoiceField(label=_("Position"), choices=Member.Position.choices, initial=Member.Position.MEMBER)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("Becomes the login name when no one uses it yet. Leave empty if the member has no phone."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    is_party_member = forms.BooleanField(
        label=_("CPC member"),
        required=False,
        initial=True,
        help_text=_("Untick for someone on the roster who is not (yet) a party member."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["phone"].help_text = _("Changing the phone does not change the login name.")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        return {
            "name": member.name,
            "position": member.position,
            "phone": member.phone,
            "is_party_member": member.is_party_member,
        }


class MoveOutForm(forms.Form):
    LEAVE, TRANSFER = "leave", "transfer"
    action = forms.ChoiceField(
        label=_("What happens"),
        choices=[
            (LEAVE, _("Leaves (the login is closed)")),
            (TRANSFER, _("Transfers to another organization I manage")),
        ],
        widget=forms.RadioSelect,
        initial=LEAVE,
    )
    to = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=Organization.objects.none(), required=False, empty_label=_("Choose…")
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = targets if targets is not None else Organization.objects.none()
        if targets is not None and not targets.exists():
            self.fields["action"].choices = self.fields["action"].choices[:1]
            del self.fields["to"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.TRANSFER and not cleaned.get("to"):
            self.add_error("to", _("Choose the organization the member transfers to."))
        return cleaned


class RosterImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file lists"), choices=RosterImport.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB. Split it into smaller files."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an .xlsx or .csv file (download a template below)."))
        return upload
