from django.contrib import admin

from .models import AssessmentScheme


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "weight_completion",
        "weight_on_time",
        "weight_reviews",
        "weight_satisfaction",
        "weight_rectification",
        "excellent_share_cap",
    )
