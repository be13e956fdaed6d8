from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from .querysets import InitialPasswordQuerySet, MemberQuerySet, OrganizationManager


class User(AbstractUser):
    """A login. A party member has a `member` profile; staff of the organization department need not."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for accounts created with a one-time initial password."),
    )
    elder_mode = models.BooleanField(_("elder mode"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Organization(MP_Node):
    """A party organization. The tree: district committee → committees → general branches → branches."""

    class Kind(models.TextChoices):
        DISTRICT_COMMITTEE = "district", _("District committee")
        COMMITTEE = "committee", _("Party committee")
        WORKING_COMMITTEE = "working_committee", _("Working committee")
        LEADING_GROUP = "leading_group", _("Leading party group")
        GENERAL_BRANCH = "general_branch", _("General branch")
        BRANCH = "branch", _("Branch")

    class Sector(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")
        GOVERNMENT = "government", _("Government organ")
        INSTITUTION = "institution", _("Public institution")
        STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
        PRIVATE_ENTERPRISE = "private_enterprise", _("Non-public enterprise")
        SOCIAL_ORGANIZATION = "social_organization", _("Social organization")
        SCHOOL = "school", _("School")
        HOSPITAL = "hospital", _("Hospital")
        COOPERATIVE = "cooperative", _("Farmers' cooperative")

    GRASSROOTS_KINDS = (Kind.GENERAL_BRANCH, Kind.BRANCH)
    # Path segments under /orgs/ that are pages, not organizations.
    RESERVED_CODES = frozenset({"members", "import"})

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short unique code used in public board addresses, e.g. 'dxc-1zb'."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def clean(self):
        if self.code and self.code.lower() in self.RESERVED_CODES:
            raise ValidationError({"code": _("“%(code)s” is reserved; choose another code.") % {"code": self.code}})

    def get_absolute_url(self):
        return reverse("orgs:detail", args=[self.code])

    @property
    def is_grassroots(self) -> bool:
        return self.kind in self.GRASSROOTS_KINDS


class Member(models.Model):
    """A party member (or a person on a branch roster) with a login."""

    class Position(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        COMMITTEE_MEMBER = "committee_member", _("Committee member")
        MEMBER = "member", _("Member")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="member", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=50)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("organization")
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, default=Position.MEMBER)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_party_member = models.BooleanField(_("party member"), default=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Cleared when the member moves out of the organization.")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organization__path", "name"]
        indexes = [models.Index(fields=["organization", "is_active"])]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """An explicit role: secretary of an organization, or supervisor of the subtree under it.

    Being a member needs no assignment (a Member profile is enough); administrators are superusers.
    """

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        SUPERVISOR = "supervisor", _("Supervisor")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("organization")
    )
    title = models.CharField(
        _("position title"), max_length=50, blank=True, help_text=_("Shown with reviews, e.g. '组织部副部长'.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="unique_role_assignment"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class InitialPassword(models.Model):
    """A one-time initial password waiting to be handed over on the printed sheet.

    The password itself is kept encrypted (orgs.initial_passwords, a key derived from SECRET_KEY)
    and only for a short time: the row is deleted when the sheet is cleared after printing, when
    the person sets their own password at first login, when the password is reset again, or
    INITIAL_PASSWORD_DAYS after it was issued. The login itself only ever stores the hash.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="initial_password", verbose_name=_("user"))
    secret = models.TextField(_("encrypted password"))
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True, db_index=True)
    roster_import = models.ForeignKey(
        "orgs.RosterImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initial_passwords",
        verbose_name=_("roster import"),
    )

    objects = InitialPasswordQuerySet.as_manager()

    class Meta:
        verbose_name = _("initial password")
        verbose_name_plural = _("initial passwords")

    def __str__(self):
        return str(self.user)


class RosterImport(models.Model):
    """One uploaded roster file: validated in the request, applied by a background task."""

    class Kind(models.TextChoices):
        ORGANIZATIONS = "organizations", _("Organizations")
        MEMBERS = "members", _("Members")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    rows = models.JSONField(_("validated rows"), default=list, blank=True)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    done = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("records created"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"

    def get_absolute_url(self):
        return reverse("orgs:import_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return 0 if not self.total else min(99, int(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
