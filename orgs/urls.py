from django.urls import path

from . import views

app_name = "orgs"

# Organization codes "members" and "import" are reserved (Organization.clean) so that the
# organization page below never hides these.
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/move-out/", views.member_move_out, name="member_move_out"),
    path("members/<int:pk>/reset-password/", views.member_reset_password, name="member_reset_password"),
    path("members/passwords/", views.password_sheet, name="password_sheet"),
    path("members/passwords/clear/", views.password_sheet_clear, name="password_sheet_clear"),
    path("import/", views.roster_import, name="import"),
    path("import/template/<str:kind>.xlsx", views.roster_import_template, name="import_template"),
    path("import/<int:pk>/", views.roster_import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", views.roster_import_progress, name="import_progress"),
    path("<slug:code>/", views.organization_detail, name="detail"),
]
