from django.urls import path

from .views import placeholder

app_name = "pledges"

# Agreed names. Lifecycle pages (pledges/views/pages.py, actions.py); progress and evidence
# (pledges/views/progress.py); reviews and comment moderation (pledges/views/reviews.py).
urlpatterns = [
    path("mine/", placeholder.not_built_yet, name="my_pledges"),
    path("branch/", placeholder.not_built_yet, name="branch_home"),
    path("search/", placeholder.not_built_yet, name="search"),
    path("<int:pk>/", placeholder.not_built_yet, name="detail"),
    path("<int:pk>/progress/", placeholder.not_built_yet, name="progress_add"),
    path("evidence/<int:pk>/", placeholder.not_built_yet, name="evidence"),
    path("<int:pk>/review/", placeholder.not_built_yet, name="review_add"),
    path("org/<slug:code>/review/", placeholder.not_built_yet, name="org_review_add"),
    path("comments/", placeholder.not_built_yet, name="comment_moderation"),
]
