from django.urls import path

from .views import board as board_views
from .views import ratings as rating_views

app_name = "board"

# The public board: no login. Board, poster and QR (pledges/views/board.py); rating (pledges/views/ratings.py).
urlpatterns = [
    path("<slug:code>/", board_views.board, name="board"),
    path("<slug:code>/poster/", board_views.poster, name="poster"),
    path("<slug:code>/qr.svg", board_views.qr, name="qr"),
    path("<slug:code>/rate/<int:pk>/", rating_views.rate, name="rate"),
]
