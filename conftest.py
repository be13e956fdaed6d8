"""Shared fixtures: the test world (every role of the access matrix) and clients logged in as each."""

import os
import shutil

import pytest
from django.conf import settings

from tests.world import build_world


def _redis_url_for_this_worker(url: str) -> str:
    """redis://host:port/N → redis://host:port/(N + xdist worker number).

    Parallel test workers must not share a Redis database: each test starts by flushing its cache,
    and a worker's Celery tasks must not be picked up by another worker's Celery worker.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = int(worker.removeprefix("gw") or 0)
    base, _, db = url.rpartition("/")
    return f"{base}/{int(db or 0) + offset}"


def pytest_configure(config):
    # Hashing passwords properly costs ~0.3 s each; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        settings.CACHES["default"]["LOCATION"] = _redis_url_for_this_worker(settings.CACHES["default"]["LOCATION"])
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        settings.CELERY_BROKER_URL = _redis_url_for_this_worker(settings.CELERY_BROKER_URL)
        from campaign.celery import app

        app.conf.broker_url = settings.CELERY_BROKER_URL


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    browser = "chromium" if os.path.exists("/usr/bin/chromium") else "none (browser tests skipped)"
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"database: {engine} · broker: {broker} · cache: {cache} · browser: {browser}"


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's DB work is ordinary sync code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A page in a phone-sized viewport (375 × 740), Chinese browser locale; console errors are collected."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


@pytest.fixture
def desk_page(browser, live_server):
    """A page in a desktop viewport (1366 × 900), Chinese browser locale."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def browser_login(page, username: str, password: str = "test-pass-123") -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
