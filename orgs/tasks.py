"""Background work on the roster: applying an uploaded roster, forgetting expired initial passwords."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def apply_roster_import_task(roster_import_id: int) -> None:
    from .services import roster_import_apply

    result = roster_import_apply(roster_import_id=roster_import_id)
    log.info("roster import %s: %s, %s created", result.pk, result.status, result.created)


@shared_task
def purge_initial_passwords_task() -> None:
    from .services import initial_passwords_purge_expired

    log.info("purged %s expired initial passwords", initial_passwords_purge_expired())
