from django.urls import path

from . import dashboard_views

app_name = "campaign"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard_home"),
    path("dashboard/<slug:code>/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<slug:code>/wall/", dashboard_views.wall, name="wall"),
    path("dashboard/<slug:code>/export/", dashboard_views.export, name="export"),
    path("exports/<int:pk>/", dashboard_views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", dashboard_views.export_download, name="export_download"),
]
