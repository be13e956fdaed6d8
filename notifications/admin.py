from django.contrib import admin

from .models import Notification, NotificationPreference, Reminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    raw_id_fields = ("user",)
    search_fields = ("title", "user__username")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("item_type", "item_id", "kind", "day", "recipients", "created_at")
    list_filter = ("kind", "item_type", "day")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email")
    raw_id_fields = ("user",)
