"""/healthz for load balancers: 200 when the database and the broker answer, 503 with the reason when not."""

import time

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthy():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_dead_broker_answers_503_with_the_reason_quickly(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    started = time.monotonic()
    response = Client().get("/healthz")
    assert time.monotonic() - started < 10  # a load balancer must not wait long
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert len(body["problems"]) == 1 and body["problems"][0].startswith("broker:")


def test_an_unreachable_database_answers_503_with_the_reason(monkeypatch):
    from campaign import health

    class DeadConnection:
        def cursor(self):
            raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(health, "connection", DeadConnection())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert any(p.startswith("database:") and "Connection refused" in p for p in response.json()["problems"])
