"""Evidence files (photos and PDFs proving progress): checked by content, stored under a random name.

The type is decided by the file's bytes (magic numbers via `filetype`, and images must also open in
Pillow), never by the uploaded name or the browser's claimed type: a script renamed `.jpg` is refused.
Files go through the storage API (`default_storage`), so local disk and S3-compatible storage behave
the same. Images also get a small JPEG thumbnail for the public board.

Privacy: a phone photo carries EXIF metadata (the GPS position of a villager's home, the camera's
serial number, the time). Every image is therefore re-encoded with Pillow before it is stored
(`evidence_strip_metadata`): the EXIF orientation is applied first (so the stored photo stands upright
without it), then only the pixels are written again: no EXIF, XMP, comments or text chunks. The
colour profile (ICC) is kept because it is needed to show the colours right. JPEG is written at
quality 90 with the original chroma subsampling; PNG stays lossless; WebP stays lossless when it was
lossless, else quality 90. Animated images keep their first frame only; 16-bit RGB PNGs become 8-bit
(Pillow's limit). PDFs are stored exactly as uploaded: they may carry document properties (author,
creating software, dates) which are not removed; owners decide whether a PDF is shown publicly.
"""

from __future__ import annotations

import io
import logging
import os
import unicodedata
from dataclasses import dataclass, replace

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from ..models import Evidence, Pledge

logger = logging.getLogger(__name__)

# Sniffed MIME type → stored extension. Nothing else is accepted.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
ACCEPT_ATTRIBUTE = ",".join([*ALLOWED_TYPES, ".jpg", ".jpeg", ".png", ".webp", ".pdf"])
MAX_FILES_PER_UPDATE = 9
THUMBNAIL_SIZE = (480, 480)
# Re-encoding quality for lossy photos: high enough that nobody sees a difference.
JPEG_QUALITY = 90
WEBP_QUALITY = 90
# If a re-encoded JPEG would pass the size limit, these lower qualities are tried in turn.
JPEG_FALLBACK_QUALITIES = (85, 80)
# Pillow refuses images larger than this many pixels (decompression bombs).
Image.MAX_IMAGE_PIXELS = 60_000_000


@dataclass(frozen=True)
class CheckedFile:
    upload: File
    content_type: str
    extension: str
    size: int
    original_name: str
    # True once `evidence_strip_metadata` re-encoded the image (always True for a PDF after it).
    metadata_stripped: bool = False


@dataclass(frozen=True)
class EvidenceUpload:
    """One file to attach, and whether its owner shows it on the public board."""

    upload: File
    is_public: bool = False


def clean_original_name(name: str) -> str:
    """The uploaded name, for display only: no folders, no control characters, at most 200 characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or "file")[-200:]


def evidence_check(upload: File) -> CheckedFile:
    """Refuse anything that is not a JPEG, PNG or WebP image or a PDF (by content), or that is too large."""
    name = clean_original_name(getattr(upload, "name", ""))
    size = upload.size
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s. Choose a smaller photo or PDF."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty. Choose the file again."), code="empty", params={"name": name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    refused = ValidationError(
        _(
            "“%(name)s” is not a photo (JPEG, PNG, WebP) or a PDF, whatever its name says. "
            "Choose a photo or a PDF document."
        ),
        code="bad_type",
        params={"name": name},
    )
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise refused
    if kind.mime.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise refused from None
        finally:
            upload.seek(0)
    return CheckedFile(
        upload=upload, content_type=kind.mime, extension=ALLOWED_TYPES[kind.mime], size=size, original_name=name
    )


def _webp_is_lossless(data: bytes) -> bool:
    """Whether a WebP file holds a lossless (VP8L) picture, read from its RIFF chunks."""
    position = 12  # after "RIFF" <size> "WEBP"
    while position + 8 <= len(data):
        fourcc = data[position : position + 4]
        length = int.from_bytes(data[position + 4 : position + 8], "little")
        if fourcc in (b"VP8L", b"VP8 "):
            return fourcc == b"VP8L"
        if fourcc == b"ANMF":  # an animation frame: 16 bytes of frame header, then the frame's chunks
            return data[position + 24 : position + 28] == b"VP8L"
        position += 8 + length + (length & 1)
    return False


def _encode_without_metadata(image: Image.Image, content_type: str, data: bytes, limit: int) -> bytes:
    """The visible picture of `image`, upright, written again in its own format with no metadata."""
    subsampling = JpegImagePlugin.get_sampling(image) if image.format in ("JPEG", "MPO") else -1
    icc_profile = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    clean = ImageOps.exif_transpose(image)  # a new image, turned the way the camera meant
    clean.info = {}  # nothing of the original's metadata may follow the pixels
    fmt = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[content_type]
    params: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG" and subsampling != -1:
        params["subsampling"] = subsampling
    if fmt == "PNG" and transparency is not None:
        params["transparency"] = transparency

    def encode(**extra) -> bytes:
        out = io.BytesIO()
        clean.save(out, fmt, **params, **extra)
        return out.getvalue()

    if fmt == "JPEG":
        result = encode(quality=JPEG_QUALITY, optimize=True)
        for quality in JPEG_FALLBACK_QUALITIES:
            if len(result) <= limit:
                break
            result = encode(quality=quality, optimize=True)
        return result
    if fmt == "PNG":
        result = encode()
        return result if len(result) <= limit else encode(optimize=True)
    if _webp_is_lossless(data):
        return encode(lossless=True, exact=True)
    return encode(quality=WEBP_QUALITY)


def evidence_strip_metadata(checked: CheckedFile) -> CheckedFile:
    """The same file with all image metadata (EXIF: GPS, camera serial, time; XMP; comments) removed.

    Images are re-encoded upright from their pixels (see the module docstring); PDFs come back as
    they are. Refuses an image that cannot be decoded in full (e.g. a truncated photo) or that would
    pass the size limit once re-encoded.
    """
    if checked.metadata_stripped:
        return checked
    if not checked.content_type.startswith("image/"):
        return replace(checked, metadata_stripped=True)
    upload = checked.upload
    limit = settings.EVIDENCE_MAX_BYTES
    try:
        upload.seek(0)
        data = upload.read()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            cleaned = _encode_without_metadata(image, checked.content_type, data, limit)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        logger.info("could not re-encode an uploaded image", exc_info=True)
        raise ValidationError(
            _("“%(name)s” could not be read as a picture; it may be damaged. Take or export the photo again."),
            code="unreadable",
            params={"name": checked.original_name},
        ) from None
    finally:
        upload.seek(0)
    if len(cleaned) > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s. Choose a smaller photo or PDF."),
            code="too_large",
            params={
                "name": checked.original_name,
                "size": filesizeformat(len(cleaned)),
                "limit": filesizeformat(limit),
            },
        )
    return replace(
        checked,
        upload=ContentFile(cleaned, name=checked.original_name),
        size=len(cleaned),
        metadata_stripped=True,
    )


def evidence_prepare(upload: File) -> CheckedFile:
    """Check a file (`evidence_check`) and strip its metadata: what a service stores."""
    return evidence_strip_metadata(evidence_check(upload))


def thumbnail_name(stored_name: str) -> str:
    return f"{stored_name}.thumb.jpg"


def _make_thumbnail(upload: File) -> ContentFile | None:
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=72, optimize=True)
        return ContentFile(out.getvalue())
    except (OSError, ValueError, Image.DecompressionBombError):
        logger.warning("could not make a thumbnail", exc_info=True)
        return None
    finally:
        upload.seek(0)


def evidence_delete_files(stored_names: list[str]) -> None:
    """Remove stored files (and thumbnails) whose database rows were never written."""
    from django.core.files.storage import default_storage

    for name in stored_names:
        for candidate in (name, thumbnail_name(name)):
            try:
                default_storage.delete(candidate)
            except OSError:
                logger.warning("could not delete %s", candidate, exc_info=True)


@transaction.atomic
def evidence_store(
    *,
    pledge: Pledge,
    checked: CheckedFile,
    by,
    is_public: bool = False,
    progress_update=None,
    stored: list[str] | None = None,
) -> Evidence:
    """Save one checked file under a random name and record it. Appends stored names to `stored`.

    An image is stored only without its metadata: if the caller did not strip it yet, it is done here.
    """
    from django.core.files.storage import default_storage

    checked = evidence_strip_metadata(checked)

    evidence = Evidence(
        pledge=pledge,
        progress_update=progress_update,
        original_name=checked.original_name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        is_public=is_public,
        uploaded_by=by,
    )
    # upload_to builds a random name from the sniffed extension; the uploaded name is not used.
    evidence.file.save(checked.original_name, checked.upload, save=False)
    if stored is not None:
        stored.append(evidence.file.name)
    if checked.content_type.startswith("image/"):
        thumb = _make_thumbnail(checked.upload)
        if thumb is not None:
            default_storage.save(thumbnail_name(evidence.file.name), thumb)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evidence_set_public(*, evidence: Evidence, is_public: bool, by) -> Evidence:
    """Show or hide one file on the public board. Only the pledge's owner (or its secretary) decides."""
    from ..permissions import is_owner, is_owner_secretary

    if not (is_owner(by, evidence.pledge) or is_owner_secretary(by, evidence.pledge)):
        raise PermissionDenied(_("Only the pledge's owner may decide which files are public."))
    evidence.is_public = is_public
    evidence.full_clean()
    evidence.save(update_fields=["is_public"])
    return evidence
