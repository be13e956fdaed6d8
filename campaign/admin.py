from django.contrib import admin

from .models import Campaign, DashboardThreshold, JobRun, OrgSnapshot, Phase


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


@admin.register(DashboardThreshold)
class DashboardThresholdAdmin(admin.ModelAdmin):
    """Red / amber / green levels of the dashboard figures (dashboards use defaults for figures not listed)."""

    list_display = ("figure", "green_from", "red_below")


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """When each background job last ran, how long it took and what it did (read-only)."""

    list_display = ("name", "day", "started_at", "seconds", "status", "summary")
    list_filter = ("name", "status")
    date_hierarchy = "started_at"
    readonly_fields = ("name", "day", "started_at", "finished_at", "seconds", "status", "summary", "error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
