from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from . import services
from .models import InitialPassword, Member, Organization, RoleAssignment, RosterImport, User
from .validators import normalize_phone


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Campaign"), {"fields": ("full_name", "phone", "must_change_password", "elder_mode")}),
    )
    list_display = ("username", "full_name", "phone", "must_change_password", "is_staff", "is_superuser", "is_active")
    list_filter = ("is_superuser", "is_staff", "is_active", "must_change_password")
    search_fields = ("username", "full_name", "phone")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "title")


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    """The tree: drag to move a subtree (treebeard keeps every descendant's path right)."""

    form = movenodeform_factory(Organization)
    list_display = ("name", "code", "kind", "sector", "member_count", "is_active", "board_link")
    list_filter = ("kind", "sector", "is_active", "depth")
    search_fields = ("name", "code")
    inlines = [RoleAssignmentInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(active_members=Count("members", filter=Q(members__is_active=True)))
        )

    @admin.display(description=_("members"), ordering="active_members")
    def member_count(self, obj):
        return obj.active_members

    @admin.display(description=_("public board"))
    def board_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("board:board", args=[obj.code]), obj.code)


class MemberAdminForm(forms.ModelForm):
    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data.get("phone"))
        try:
            services.check_phone_free(phone, exclude_member=self.instance if self.instance.pk else None)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["phone"]) from exc
        return phone


class MemberAddForm(MemberAdminForm):
    """Adding a member in the admin creates the login through services.member_create."""

    class Meta:
        model = Member
        fields = ("name", "organization", "position", "phone", "is_party_member")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "position", "phone", "username", "is_party_member", "is_active")
    list_filter = ("position", "is_party_member", "is_active", "organization__kind", "organization__sector")
    search_fields = ("name", "phone", "user__username", "organization__name", "organization__code")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("organization", "user")
    actions = ["reset_passwords", "move_out"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = MemberAddForm if obj is None else MemberAdminForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return MemberAddForm.Meta.fields
        return super().get_fields(request, obj)

    @admin.display(description=_("login"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    def save_model(self, request, obj, form, change):
        if change:
            services.member_update(
                member=obj,
                by=request.user,
                name=obj.name,
                position=obj.position,
                phone=obj.phone,
                is_party_member=obj.is_party_member,
            )
            if {"organization", "user", "is_active", "joined_on"} & set(form.changed_data):
                obj.save()
            return
        member, _password = services.member_create(
            organization=obj.organization,
            name=obj.name,
            by=request.user,
            position=obj.position,
            phone=obj.phone,
            is_party_member=obj.is_party_member,
        )
        obj.pk, obj.user_id = member.pk, member.user_id
        self.message_user(
            request,
            format_html(
                gettext('Login {} created. <a href="{}">Print the initial password sheet</a>.'),
                member.user.username,
                f"{reverse('orgs:password_sheet')}?org={member.organization.code}",
            ),
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset password (new one-time password)"))
    def reset_passwords(self, request, queryset):
        done = 0
        for member in queryset.filter(is_active=True).select_related("user"):
            services.member_reset_password(member=member, by=request.user)
            done += 1
        self.message_user(
            request,
            format_html(
                gettext(
                    '{} password(s) reset. <a href="{}">Print the sheets</a> from each organization\'s member page.'
                ),
                done,
                reverse("orgs:member_list"),
            ),
        )

    @admin.action(description=_("Move out (close the login)"))
    def move_out(self, request, queryset):
        done = 0
        for member in queryset.filter(is_active=True).select_related("user", "organization"):
            try:
                services.member_move_out(member=member, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{member.name}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, gettext("%(count)d member(s) moved out.") % {"count": done})


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organization", "title", "created_at")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__username", "user__full_name", "organization__name", "organization__code", "title")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "kind", "status", "total", "created", "uploaded_by", "created_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in RosterImport._meta.fields if f.name != "rows"]
    exclude = ("rows",)

    def has_add_permission(self, request):
        return False


@admin.register(InitialPassword)
class InitialPasswordAdmin(admin.ModelAdmin):
    """Shows who still has an unprinted initial password; the password itself is only on the sheet."""

    list_display = ("user", "issued_by", "issued_at", "roster_import")
    search_fields = ("user__username", "user__full_name")
    exclude = ("secret",)
    readonly_fields = ("user", "issued_by", "issued_at", "roster_import")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
