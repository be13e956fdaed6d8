"""Simplified Chinese is the default language and must be complete; English is the msgid text."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from campaign.i18n import po_path, untranslated

ROOT = Path(settings.BASE_DIR)


def test_every_catalogued_string_has_a_chinese_translation():
    missing = untranslated()
    assert not missing, f"{len(missing)} strings lack a zh-hans translation (run `make messages`): {missing[:20]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalogue_holds_every_string_in_the_code(tmp_path):
    """Extract afresh into a copy of the project; every string found must already be in the catalogue."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", "staticfiles", ".git", "node_modules", "bench", "*.mo", "media"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-v0",
         "--ignore=static/vendor/*"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "campaign.settings", "VAR_DIR": str(tmp_path / "var")},
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {entry.msgid for entry in polib.pofile(str(po_path())) if entry.msgstr or entry.msgstr_plural}
    new = sorted(fresh - committed)
    assert not new, f"strings in the code that are not translated yet (run `make messages`): {new[:30]}"


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_request():
    chinese = Client().get("/accounts/login/")
    assert "登录" in chinese.content.decode()
    english = Client(headers={"accept-language": "en"}).get("/accounts/login/")
    assert "Log in" in english.content.decode()
    assert "登录" not in english.content.decode()
