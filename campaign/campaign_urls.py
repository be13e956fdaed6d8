from django.urls import path

from . import dashboard_views

app_name = "campaign"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard_home"),
]
