from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("import/", views.roster_import, name="import"),
    path("<slug:code>/", views.organization_detail, name="detail"),
]
