"""Progress updates (践诺): the rules of the service and the phone page."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pledges.models import Evidence, ProgressUpdate
from pledges.services.evidence import EvidenceUpload
from pledges.services.progress import progress_add
from pledges.tests.factories import PledgeFactory


def png_upload(name="photo.png", size=(16, 16)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 22, 29)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def script_as_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf / --no-preserve-root\n", content_type="image/jpeg")


@pytest.fixture
def pledge(world):
    return PledgeFactory(owner_member=world.member, campaign=world.campaign, published=True, progress=40)


@pytest.mark.django_db
class TestProgressService:
    def test_owner_reports_progress_and_the_pledge_moves(self, world, pledge):
        update = progress_add(pledge=pledge, by=world.member.user, percent=60, text="又走访了 3 户")
        pledge.refresh_from_db()
        assert pledge.progress == 60
        assert update.percent == 60 and update.text == "又走访了 3 户"
        record = pledge.history.first()
        assert record.progress == 60
        assert "40%" in record.history_change_reason and "60%" in record.history_change_reason

    def test_secretary_of_the_branch_may_report_too(self, world, pledge):
        progress_add(pledge=pledge, by=world.secretary_same.user, percent=50, text="支部代为报告")
        pledge.refresh_from_db()
        assert pledge.progress == 50

    def test_progress_never_goes_below_the_last_report(self, world, pledge):
        with pytest.raises(ValidationError) as caught:
            progress_add(pledge=pledge, by=world.member.user, percent=30, text="回退")
        assert "percent" in caught.value.message_dict
        pledge.refresh_from_db()
        assert pledge.progress == 40
        assert not ProgressUpdate.objects.exists()

    def test_the_owner_may_not_allow_a_decrease_themself(self, world, pledge):
        with pytest.raises(PermissionDenied):
            progress_add(pledge=pledge, by=world.member.user, percent=30, text="回退", allow_decrease=True)
        pledge.refresh_from_db()
        assert pledge.progress == 40

    def test_the_approver_may_lower_progress(self, world, pledge):
        # A member's pledge is approved by the secretary of the member's branch.
        progress_add(pledge=pledge, by=world.secretary_same.user, percent=20, text="核实后下调", allow_decrease=True)
        pledge.refresh_from_db()
        assert pledge.progress == 20

    @pytest.mark.parametrize("role", ["secretary_other", "supervisor_above", "supervisor_sibling"])
    def test_others_may_not_report(self, world, pledge, role):
        with pytest.raises(PermissionDenied):
            progress_add(pledge=pledge, by=world.users[role], percent=80, text="越权")
        pledge.refresh_from_db()
        assert pledge.progress == 40

    @pytest.mark.parametrize("state", ["draft", "submitted", "returned", "claimed", "fulfilled", "withdrawn"])
    def test_only_a_pledge_in_progress_takes_reports(self, world, state):
        pledge = PledgeFactory(
            owner_member=world.member, campaign=world.campaign, **{state: True} if state != "draft" else {}
        )
        before = pledge.progress
        with pytest.raises(ValidationError):
            progress_add(pledge=pledge, by=world.member.user, percent=100, text="完成")
        pledge.refresh_from_db()
        assert pledge.progress == before

    def test_empty_text_is_refused(self, world, pledge):
        with pytest.raises(ValidationError) as caught:
            progress_add(pledge=pledge, by=world.member.user, percent=50, text="   ")
        assert "text" in caught.value.message_dict

    def test_a_fake_image_among_good_ones_saves_nothing(self, world, pledge, settings):
        files = [EvidenceUpload(png_upload()), EvidenceUpload(script_as_jpg())]
        with pytest.raises(ValidationError) as caught:
            progress_add(pledge=pledge, by=world.member.user, percent=50, text="附照片", files=files)
        assert "photo.jpg" in " ".join(caught.value.message_dict["files"])
        assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
        media = settings.MEDIA_ROOT
        assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))

    def test_files_are_stored_under_random_names_with_the_public_flag(self, world, pledge, settings):
        files = [EvidenceUpload(png_upload("走访照片.png"), is_public=True), EvidenceUpload(png_upload("内部.png"))]
        update = progress_add(pledge=pledge, by=world.member.user, percent=50, text="附照片", files=files)
        stored = list(update.evidence.order_by("pk"))
        assert [e.is_public for e in stored] == [True, False]
        assert [e.original_name for e in stored] == ["走访照片.png", "内部.png"]
        for item in stored:
            assert item.content_type == "image/png" and item.extension == "png"
            assert "走访" not in item.file.name and item.file.name.endswith(".png")
            assert (settings.MEDIA_ROOT / item.file.name).is_file()


@pytest.mark.django_db
class TestProgressPage:
    def url(self, pledge):
        return reverse("pledges:progress_add", args=[pledge.pk])

    def test_page_offers_a_native_multiple_file_input(self, client_for, pledge):
        response = client_for("member").get(self.url(pledge))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'type="file"' in html and "multiple" in html
        assert 'accept="image/jpeg,image/png,image/webp,application/pdf' in html

    def test_posting_reports_progress_and_says_so(self, client_for, pledge):
        client = client_for("member")
        response = client.post(
            self.url(pledge),
            {
                "percent": 70,
                "text": "完成 8 户走访",
                "files": [png_upload("a.png"), png_upload("b.png")],
                "public_file": ["1"],
            },
        )
        pledge.refresh_from_db()
        assert pledge.progress == 70
        assert list(Evidence.objects.order_by("pk").values_list("is_public", flat=True)) == [False, True]
        assert response.status_code == 302 and response["Location"] == pledge.get_absolute_url()
        told = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("70%" in m and "2" in m for m in told)

    def test_public_all_without_javascript_marks_every_file(self, client_for, pledge):
        client_for("member").post(
            self.url(pledge), {"percent": 70, "text": "完成", "files": [png_upload("a.png")], "public_all": "on"}
        )
        assert Evidence.objects.get().is_public

    def test_a_fake_image_is_refused_and_the_text_kept(self, client_for, pledge):
        response = client_for("member").post(
            self.url(pledge), {"percent": 55, "text": "今天走访了王大爷家", "files": [script_as_jpg()]}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "今天走访了王大爷家" in html
        assert "photo.jpg" in html
        assert 'value="55"' in html
        assert not ProgressUpdate.objects.exists()
        pledge.refresh_from_db()
        assert pledge.progress == 40

    def test_a_decrease_is_refused_next_to_the_field(self, client_for, pledge):
        response = client_for("member").post(self.url(pledge), {"percent": 10, "text": "下调"})
        assert response.status_code == 200
        assert "40%" in response.content.decode()
        pledge.refresh_from_db()
        assert pledge.progress == 40

    def test_only_the_approver_sees_the_decrease_switch(self, client_for, pledge):
        assert "allow_decrease" not in client_for("member").get(self.url(pledge)).content.decode()
        assert "allow_decrease" in client_for("secretary_same").get(self.url(pledge)).content.decode()

    def test_a_pledge_not_in_progress_sends_back_with_a_message(self, client_for, world):
        fulfilled = PledgeFactory(owner_member=world.member, campaign=world.campaign, fulfilled=True)
        response = client_for("member").get(self.url(fulfilled))
        assert response.status_code == 302

    def test_another_branch_gets_404(self, client_for, pledge):
        assert client_for("secretary_other").get(self.url(pledge)).status_code == 404
