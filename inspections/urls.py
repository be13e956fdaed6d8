from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<slug:code>/", views.org_page, name="org"),
    path("org/<slug:code>/new/", views.inspection_add, name="add"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("item/<int:pk>/report/", views.item_report, name="item_report"),
    path("item/<int:pk>/decide/", views.item_decide, name="item_decide"),
    path("item/<int:pk>/evidence/", views.item_evidence, name="item_evidence"),
]
