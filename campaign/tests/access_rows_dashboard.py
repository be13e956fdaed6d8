"""Access rows for dashboards, the wall view and ledger exports (see tests/access.py).

A supervisor opens the dashboards and exports of their subtree only; a secretary those of their own
organization; members and the public none (403 on the dashboard home, 404 for any code).
"""

from django.core.files.base import ContentFile

from tests.access import BAD_METHOD, FORBIDDEN, NOT_FOUND, OK, Row, logged_in

# Township A: its supervisor and the administrator only.
TOWNSHIP = logged_in(NOT_FOUND, supervisor_above=OK, admin=OK)
# Branch A1: its secretary too.
BRANCH = logged_in(NOT_FOUND, secretary_same=OK, supervisor_above=OK, admin=OK)
# An export job belongs to whoever asked for it, nobody else (not even the administrator).
OWN_JOB = logged_in(NOT_FOUND, supervisor_above=OK)


def _job(world, *, done: bool = True):
    from campaign.models import ExportJob

    job = ExportJob.objects.create(
        requested_by=world.supervisor_above,
        kind="ranking",
        organization=world.township_a,
        campaign=world.campaign,
        status=ExportJob.Status.DONE if done else ExportJob.Status.RUNNING,
        total=10,
        done=10 if done else 3,
    )
    if done:
        job.file.save(f"ranking-{job.pk}.xlsx", ContentFile(b"PK fake xlsx"), save=True)
    return job


ROWS = [
    Row("campaign:dashboard_home", logged_in(OK, member=FORBIDDEN)),
    Row("campaign:dashboard", TOWNSHIP, args=lambda w: [w.township_a.code], label="township"),
    Row("campaign:dashboard", BRANCH, args=lambda w: [w.branch_a1.code], label="branch"),
    Row("campaign:dashboard", logged_in(NOT_FOUND, admin=OK), args=lambda w: [w.district.code], label="district"),
    Row("campaign:wall", TOWNSHIP, args=lambda w: [w.township_a.code], label="township"),
    Row("campaign:wall", BRANCH, args=lambda w: [w.branch_a1.code], label="branch"),
    Row("campaign:export", logged_in(BAD_METHOD), args=lambda w: [w.township_a.code], label="get"),
    Row(
        "campaign:export",
        TOWNSHIP,
        args=lambda w: [w.township_a.code],
        method="post",
        data=lambda w: {"kind": "ranking"},
        label="ranking",
    ),
    Row(
        "campaign:export",
        BRANCH,
        args=lambda w: [w.branch_a1.code],
        method="post",
        data=lambda w: {"kind": "pledges"},
        label="branch-pledges",
    ),
    Row("campaign:export_status", OWN_JOB, args=lambda w: [_job(w, done=False).pk]),
    Row("campaign:export_download", OWN_JOB, args=lambda w: [_job(w).pk]),
]
