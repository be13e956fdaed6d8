from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<slug:code>/", views.org_sheet, name="org"),
    path("org/<slug:code>/sheet.xlsx", views.org_sheet_xlsx, name="org_xlsx"),
    path("member/<int:pk>/", views.member_sheet, name="member"),
    path("member/<int:pk>/sheet.xlsx", views.member_sheet_xlsx, name="member_xlsx"),
]
