from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Member, Organization, RoleAssignment, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Campaign"), {"fields": ("full_name", "phone", "must_change_password", "elder_mode")}),
    )
    list_display = ("username", "full_name", "phone", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "full_name", "phone")


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "code", "kind", "sector", "is_active")
    list_filter = ("kind", "sector", "is_active")
    search_fields = ("name", "code")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "position", "phone", "is_party_member", "is_active")
    list_filter = ("position", "is_party_member", "is_active")
    search_fields = ("name", "phone", "organization__name")
    raw_id_fields = ("user", "organization")
    list_select_related = ("organization",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organization", "title")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "organization__name")
    raw_id_fields = ("user", "organization")
    list_select_related = ("user", "organization")
