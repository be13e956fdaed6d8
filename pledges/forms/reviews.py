from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Rating, Review


class ReviewForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=Review.Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a grade: excellent, good, fair or poor.")},
    )
    comment = forms.CharField(
        label=_("Review comment"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done well, and what should be improved."),
        error_messages={"required": _("Write a few words of comment: what was done well or what to improve.")},
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "review-form"
        self.helper.add_input(Submit("submit", _("Post review"), css_class="btn-brand"))


class RatingForm(forms.Form):
    choice = forms.ChoiceField(choices=Rating.Choice.choices)
    comment = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Please keep the comment under %(limit_value)d characters.")},
    )


class ModerationForm(forms.Form):
    rating = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])


class ModerationPageForm(forms.Form):
    """For "approve all on this page": the comments the person saw, as comma-separated ids."""

    ratings = forms.CharField(widget=forms.HiddenInput, max_length=2000)

    def clean_ratings(self) -> list[int]:
        try:
            ids = [int(part) for part in self.cleaned_data["ratings"].split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(_("Reload the page and try again.")) from error
        if not ids:
            raise forms.ValidationError(_("There is no comment on this page to approve."))
        return ids
