"""Forms for filing, editing and deciding on pledges. Input and layout only; the services hold the rules,
except the quality gate, which the forms ask too so the messages appear next to the right field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import Member

from ..models import Pledge
from ..services import quality

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PledgeForm(forms.ModelForm):
    """Title, content, target, deadline, category, channels; the quality gate runs in clean()."""

    channels = forms.MultipleChoiceField(
        label=_("Publicity channels"),
        choices=Pledge.Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Pledge.Channel.NOTICE_BOARD],
    )

    class Meta:
        model = Pledge
        fields = ["title", "target", "content", "deadline", "category", "channels"]
        widgets = {
            "deadline": DATE_INPUT,
            "content": forms.Textarea(attrs={"rows": 4}),
            "target": forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. 完成 3 户困难党员走访")}),
            "title": forms.TextInput(attrs={"placeholder": _("e.g. 结对帮扶困难党员")}),
        }
        help_texts = {
            "target": _("Name a number or a concrete result that anyone can check."),
            "deadline": _("A day inside the campaign."),
        }

    def __init__(self, *args, campaign=None, owner_org=None, owner_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign or getattr(self.instance, "campaign", None)
        self.owner_org = owner_org
        self.owner_member = owner_member
        if self.instance.pk:
            self.owner_org = self.instance.owner_org
            self.owner_member = self.instance.owner_member
        if self.campaign is not None:
            self.fields["deadline"].widget.attrs.update(
                min=self.campaign.starts_on.isoformat(), max=self.campaign.ends_on.isoformat()
            )

    def chosen_owner(self):
        """(owner_org, owner_member) the quality gate compares against; subclasses may pick it from input."""
        return self.owner_org, self.owner_member

    def clean(self):
        cleaned = super().clean()
        owner_org, owner_member = self.chosen_owner()
        if not all(name in cleaned for name in ("title", "target", "deadline")):
            return cleaned
        deadline_is_new = not self.instance.pk or cleaned["deadline"] != self.initial.get("deadline")
        problems = quality.pledge_problems(
            campaign=self.campaign,
            owner_org=owner_org,
            owner_member=owner_member,
            title=cleaned["title"],
            target=cleaned["target"],
            deadline=cleaned["deadline"],
            exclude_pk=self.instance.pk,
            deadline_is_new=deadline_is_new,
        )
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        # The services validate the model; the form must not half-build an instance without an owner.
        pass


class PledgeCreateForm(PledgeForm):
    """Filing a new pledge. A secretary picks the owner: the organization or one of its members."""

    owner = forms.ChoiceField(label=_("Whose pledge"), required=True)

    field_order = ["owner", "title", "target", "content", "deadline", "category", "channels"]

    def __init__(self, *args, owner_choices: list[tuple[str, str]] | None = None, owner_objects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_objects = owner_objects or {}
        if owner_choices and len(owner_choices) > 1:
            self.fields["owner"].choices = owner_choices
        else:
            # A member filing for themself: nothing to choose.
            self.fields["owner"].choices = owner_choices or []
            self.fields["owner"].widget = forms.HiddenInput()
            self.fields["owner"].required = False
            if owner_choices:
                self.fields["owner"].initial = owner_choices[0][0]
        self.only_owner = owner_choices[0][0] if owner_choices and len(owner_choices) == 1 else None

    def chosen_owner(self):
        key = self.cleaned_data.get("owner") or self.only_owner
        obj = self.owner_objects.get(key)
        if isinstance(obj, Member):
            return None, obj
        return obj, None


class PledgeEditForm(PledgeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    """One required text: a reason to return or withdraw, a closing statement, an explanation."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, label=None, help_text=None, placeholder=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text
        if placeholder:
            self.fields["reason"].widget.attrs["placeholder"] = placeholder
        self.fields["reason"].error_messages["required"] = _(
            "Please fill this in; it is shown to the people concerned."
        )


class BulkRowForm(forms.Form):
    """One member's row in the bulk table. A row with neither title nor target is skipped."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Pledge title"), max_length=100, required=False)
    target = forms.CharField(label=_("Measurable target"), max_length=500, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_INPUT)
    category = forms.ChoiceField(label=_("Category"), choices=Pledge.Category.choices, required=False)

    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return bool((data.get("title") or "").strip() or (data.get("target") or "").strip())

    def clean(self):
        cleaned = super().clean()
        if not ((cleaned.get("title") or "").strip() or (cleaned.get("target") or "").strip()):
            return cleaned
        for name, message in (
            ("title", _("Give the pledge a title.")),
            ("target", _("Write the measurable target.")),
            ("deadline", _("Choose a deadline.")),
            ("category", _("Choose a category.")),
        ):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        return cleaned


class BaseBulkFormSet(forms.BaseFormSet):
    def __init__(self, *args, campaign=None, members_by_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.members_by_pk = members_by_pk or {}

    def clean(self):
        if any(self.errors):
            return
        filled = 0
        for form in self.forms:
            if not form.is_filled():
                continue
            filled += 1
            member = self.members_by_pk.get(form.cleaned_data["member"])
            if member is None:
                form.add_error(None, _("This member is not in your branch."))
                continue
            problems = quality.pledge_problems(
                campaign=self.campaign,
                owner_member=member,
                title=form.cleaned_data["title"],
                target=form.cleaned_data["target"],
                deadline=form.cleaned_data["deadline"],
            )
            for field, messages in problems.items():
                for message in messages:
                    form.add_error(field, message)
        if not filled:
            raise forms.ValidationError(_("Fill in at least one row: a title and a target for a member."))


BulkFormSet = forms.formset_factory(BulkRowForm, formset=BaseBulkFormSet, extra=0)


class BulkDefaultsForm(forms.Form):
    """Applied to every created pledge: content note, channels, and whether to submit at once."""

    channels = forms.MultipleChoiceField(
        label=_("Publicity channels"),
        choices=Pledge.Channel.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
        initial=[Pledge.Channel.NOTICE_BOARD, Pledge.Channel.MEMBERS_MEETING],
    )
    submit_now = forms.BooleanField(
        label=_("Submit them for approval at once"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def _style_filters(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class SearchForm(forms.Form):
    """The supervisor's search. Field names are a contract with dashboard links: keep them."""

    KIND_CHOICES = [("", _("Any owner")), ("org", _("Organizations")), ("member", _("Members"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # A select of the organizations in scope whose value is the code (dashboards link with ?org=<code>).
    org = forms.CharField(label=_("Organization"), required=False, max_length=32, widget=forms.Select)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    kind = forms.ChoiceField(label=_("Owner"), required=False, choices=KIND_CHOICES)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    campaign = forms.IntegerField(label=_("Campaign"), required=False, widget=forms.Select)

    def __init__(self, *args, campaigns=(), orgs=(), **kwargs):
        """`orgs`: the organizations in the person's scope, ordered by path (the tree order)."""
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Pledge.Status.choices]
        self.fields["category"].choices = [("", _("Any category")), *Pledge.Category.choices]
        self.fields["campaign"].widget.choices = [(c.pk, c.name) for c in campaigns]
        top = min((o.depth for o in orgs), default=1)
        # Ideographic spaces survive in <option> text (ordinary spaces collapse), so the tree shows.
        self.fields["org"].widget.choices = [
            ("", _("All organizations in my scope")),
            *((o.code, "\u3000" * (o.depth - top) + o.name) for o in orgs),
        ]
        _style_filters(self)


class BranchFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    kind = forms.ChoiceField(label=_("Owner"), required=False, choices=SearchForm.KIND_CHOICES)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Pledge.Status.choices]
        self.fields["category"].choices = [("", _("Any category")), *Pledge.Category.choices]
        _style_filters(self)
