"""The Celery task behind large ledger exports (thin: the work is in campaign.exports)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="campaign.export_tasks.export_ledger_task")
def export_ledger_task(job_id: int) -> None:
    from .exports import export_job_run

    job = export_job_run(job_id=job_id)
    if job is not None:
        logger.info("export job %s: %s (%s rows)", job_id, job.status, job.done)
