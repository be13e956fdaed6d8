from django.urls import path

from .views import placeholder

app_name = "board"

# The public board: no login. Board, poster and QR (pledges/views/board.py); rating (pledges/views/ratings.py).
urlpatterns = [
    path("<slug:code>/", placeholder.not_built_yet, name="board"),
    path("<slug:code>/poster/", placeholder.not_built_yet, name="poster"),
    path("<slug:code>/qr.svg", placeholder.not_built_yet, name="qr"),
    path("<slug:code>/rate/<int:pk>/", placeholder.not_built_yet, name="rate"),
]
