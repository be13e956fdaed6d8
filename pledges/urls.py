from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("mine/", views.my_pledges, name="my_pledges"),
    path("branch/", views.branch_home, name="branch_home"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
]
