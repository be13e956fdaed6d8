from django.contrib import admin

from .models import Inspection, RectificationItem


class RectificationItemInline(admin.TabularInline):
    model = RectificationItem
    extra = 0
    raw_id_fields = ("owner_org", "reported_by", "decided_by")
    fields = ("owner_org", "description", "deadline", "required_evidence", "status")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("organization", "inspected_on", "kind", "inspectors", "campaign")
    list_filter = ("kind", "campaign")
    raw_id_fields = ("organization", "recorded_by")
    inlines = [RectificationItemInline]


@admin.register(RectificationItem)
class RectificationItemAdmin(admin.ModelAdmin):
    list_display = ("description", "owner_org", "deadline", "status")
    list_filter = ("status",)
    raw_id_fields = ("inspection", "owner_org", "reported_by", "decided_by")
