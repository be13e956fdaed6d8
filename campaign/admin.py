from django.contrib import admin

from .models import Campaign, OrgSnapshot, Phase


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "theme", "starts_on", "ends_on", "is_current")
    inlines = [PhaseInline]


@admin.register(OrgSnapshot)
class OrgSnapshotAdmin(admin.ModelAdmin):
    list_display = ("organization", "campaign", "day", "counted", "fulfilled", "overdue")
    list_filter = ("campaign", "day")
    raw_id_fields = ("organization",)
