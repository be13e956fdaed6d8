"""Administrators read pledges and their history here. Changes go through the pages (pledges.services),
so the admin is read-only: the lifecycle rules, the quality gate and the history hold everywhere."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Evidence, Pledge, ProgressUpdate, Rating, Review


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("title", "owner_name", "campaign", "status", "category", "deadline", "progress")
    list_filter = ("campaign", "status", "category")
    search_fields = ("title", "target", "owner_org__name", "owner_member__name")
    list_select_related = ("campaign", "owner_org", "owner_member")
    date_hierarchy = "deadline"
    history_list_display = ("status", "version")

    @admin.display(description=_("owner"))
    def owner_name(self, obj):
        return obj.owner_name


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ("pledge", "percent", "created_by", "created_at")
    list_select_related = ("pledge", "created_by")
    search_fields = ("pledge__title", "text")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "pledge", "content_type", "size", "is_public", "created_at")
    list_filter = ("is_public", "content_type")
    list_select_related = ("pledge",)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("reviewer", "grade", "pledge", "organization", "created_at")
    list_filter = ("grade", "campaign")
    list_select_related = ("reviewer", "pledge", "organization")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("pledge", "choice", "comment_status", "created_at")
    list_filter = ("choice", "comment_status")
    list_select_related = ("pledge",)
