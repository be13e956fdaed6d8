"""Shared fixtures: the test world (every role of the access matrix) and clients logged in as each."""

import os
import shutil

import pytest
from django.conf import settings

from tests.world import build_world


def pytest_configure(config):
    # Hashing passwords properly costs ~0.3 s each; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    browser = "chromium" if os.path.exists("/usr/bin/chromium") else "none (browser tests skipped)"
    return f"database: {engine} · broker: {broker} · cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} · browser: {browser}"


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Each test uploads into its own media folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    from django.core.cache import cache

    cache.clear()
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client, world):
    """client_for("secretary_same") → a test client logged in as that role ("anonymous": logged out)."""
    from django.test import Client

    def make(role: str) -> Client:
        new_client = Client()
        user = world.users[role]
        if user is not None:
            new_client.force_login(user)
        return new_client

    return make
