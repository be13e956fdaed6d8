from django.urls import path

from .views import actions, pages
from .views import progress as progress_views
from .views import reviews as review_views

app_name = "pledges"

# Agreed names. Lifecycle pages (pledges/views/pages.py, actions.py); progress and evidence
# (pledges/views/progress.py); reviews and comment moderation (pledges/views/reviews.py).
urlpatterns = [
    path("mine/", pages.my_pledges, name="my_pledges"),
    path("branch/", pages.branch_home, name="branch_home"),
    path("new/", pages.pledge_create, name="create"),
    path("bulk/", pages.pledge_bulk_create, name="bulk_create"),
    path("approvals/", pages.approvals, name="approvals"),
    path("verifications/", pages.verifications, name="verifications"),
    path("search/", pages.search, name="search"),
    path("<int:pk>/", pages.pledge_detail, name="detail"),
    path("<int:pk>/edit/", pages.pledge_edit, name="edit"),
    path("<int:pk>/submit/", actions.pledge_submit, name="submit"),
    path("<int:pk>/approve/", actions.pledge_approve, name="approve"),
    path("<int:pk>/return/", actions.pledge_return, name="return"),
    path("<int:pk>/claim/", actions.pledge_claim, name="claim"),
    path("<int:pk>/verify/", actions.pledge_verify, name="verify"),
    path("<int:pk>/reject-completion/", actions.pledge_reject_completion, name="reject_completion"),
    path("<int:pk>/withdraw/", actions.pledge_withdraw, name="withdraw"),
    path("<int:pk>/explain/", actions.pledge_explain, name="explain"),
    path("<int:pk>/progress/", progress_views.progress_add, name="progress_add"),
    path("evidence/<int:pk>/", progress_views.evidence, name="evidence"),
    path("<int:pk>/review/", review_views.review_add, name="review_add"),
    path("org/<slug:code>/review/", review_views.org_review_add, name="org_review_add"),
    path("comments/", review_views.comment_moderation, name="comment_moderation"),
]
