from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("<slug:code>/", views.board, name="board"),
]
