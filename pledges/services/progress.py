"""Progress updates (践诺): how far a published pledge has come, with evidence files."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Pledge, ProgressUpdate
from ..permissions import can_add_progress, is_approver
from .evidence import MAX_FILES_PER_UPDATE, EvidenceUpload, evidence_delete_files, evidence_prepare, evidence_store


def progress_add(
    *,
    pledge: Pledge,
    by,
    percent: int,
    text: str,
    files: Sequence[EvidenceUpload] = (),
    allow_decrease: bool = False,
) -> ProgressUpdate:
    """Record a progress update on a published pledge and move the pledge's progress to `percent`.

    Progress never goes below the last reported figure, unless the pledge's approver lowers it
    (`allow_decrease`, refused for anyone else). Every file is checked (type by content, size), and
    images are stripped of their metadata, before anything is stored; if one is refused, nothing is
    saved at all.
    """
    stored: list[str] = []
    try:
        return _progress_add(
            pledge=pledge, by=by, percent=percent, text=text, files=files, allow_decrease=allow_decrease, stored=stored
        )
    except BaseException:
        # The transaction rolled back; files already written to storage must go too.
        evidence_delete_files(stored)
        raise


@transaction.atomic
def _progress_add(*, pledge, by, percent, text, files, allow_decrease, stored) -> ProgressUpdate:
    pledge = Pledge.objects.select_for_update(of=("self",)).with_owner().get(pk=pledge.pk)
    if pledge.status != Pledge.Status.PUBLISHED:
        raise ValidationError(
            _("Progress can only be reported on a pledge in progress; this one is “%(status)s”."),
            code="not_in_progress",
            params={"status": pledge.get_status_display()},
        )
    if not can_add_progress(by, pledge):
        raise PermissionDenied(_("Only the pledge's owner or the branch secretary may report progress."))
    if allow_decrease and not is_approver(by, pledge):
        raise PermissionDenied(_("Only the person who approves this pledge may lower its progress."))

    errors: dict[str, list] = {}
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = [_("Enter a percentage between 0 and 100.")]
    elif percent < pledge.progress and not allow_decrease:
        errors["percent"] = [
            _(
                "Progress cannot go below the last reported %(last)s%%. If it really must be lowered, "
                "ask the person who approves this pledge."
            )
            % {"last": pledge.progress}
        ]
    if not (text or "").strip():
        errors["text"] = [_("Say in a sentence or two what was done, e.g. “visited 3 households”.")]
    if len(files) > MAX_FILES_PER_UPDATE:
        errors["files"] = [_("Attach at most %(count)s files at a time.") % {"count": MAX_FILES_PER_UPDATE}]
    checked = []
    file_errors = []
    for item in files if "files" not in errors else ():
        try:
            # Checked by content, and images re-encoded without metadata (GPS, camera serial, time).
            checked.append((evidence_prepare(item.upload), item.is_public))
        except ValidationError as error:
            file_errors.extend(error.messages)
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)

    update = ProgressUpdate(pledge=pledge, percent=percent, text=text.strip(), created_by=by)
    update.full_clean()
    update.save()
    for checked_file, is_public in checked:
        evidence_store(
            pledge=pledge, checked=checked_file, by=by, is_public=is_public, progress_update=update, stored=stored
        )

    previous = pledge.progress
    pledge.progress = percent
    pledge.version += 1
    pledge.clean_fields(exclude=[f.name for f in Pledge._meta.fields if f.name != "progress"])
    pledge._history_user = by
    pledge._change_reason = (
        _("Progress reported: %(before)s%% → %(after)s%%") % {"before": previous, "after": percent}
        if previous != percent
        else _("Progress reported: %(after)s%%") % {"after": percent}
    )
    pledge.save(update_fields=["progress", "version", "updated_at"])
    return update
