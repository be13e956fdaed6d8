from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Notification


class EmailPreferencesForm(forms.Form):
    """Which kinds of notification a person also wants by e-mail (in-app is always on)."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Also send me an e-mail for"),
        choices=Notification.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick a kind to get it in the notification centre only."),
    )
