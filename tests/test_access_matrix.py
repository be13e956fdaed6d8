"""Every URL pattern × every role. See tests/access.py for how rows are declared."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import ALL_OUTCOMES, BAD_METHOD, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row
from tests.world import ROLES

# Django's own admin checks staff status itself; only its index is in the matrix.
SKIPPED_NAMESPACES = {"admin"}
EXTRA_NAMES = {"admin:index"}


def collect_rows() -> list[Row]:
    """Rows from every `<app>/tests/access_rows*.py` module of the project."""
    rows: list[Row] = []
    for path in sorted(Path(settings.BASE_DIR).glob("*/tests/access_rows*.py")):
        module = importlib.import_module(f"{path.parent.parent.name}.tests.{path.stem}")
        rows.extend(module.ROWS)
    return rows


def url_names(patterns=None, namespace: str = "") -> list[str]:
    """Every URL pattern of the project, as 'namespace:name' (unnamed ones as '<unnamed …>')."""
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            names.extend(url_names(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                names.append(f"{namespace}:{pattern.name}".strip(":"))
            elif settings.DEBUG and str(pattern.pattern).startswith(settings.MEDIA_URL.lstrip("/")):
                continue  # the development media server, absent in production
            else:
                names.append(f"<unnamed {pattern.pattern}>")
    return names


ROWS = collect_rows()


def test_every_url_has_a_row():
    covered = {row.url_name for row in ROWS}
    missing = sorted((set(url_names()) | EXTRA_NAMES) - covered)
    assert not missing, f"URL patterns with no row in the access matrix: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_row_names_every_role(row):
    assert set(row.expect) == set(ROLES), f"{row.id} must state an outcome for each of {ROLES}"
    assert set(row.expect.values()) <= ALL_OUTCOMES


def outcome_of(response) -> str:
    if response.status_code == 200:
        return OK
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        return LOGIN if location.startswith(reverse(settings.LOGIN_URL)) else REDIRECT
    return {404: NOT_FOUND, 403: FORBIDDEN, 405: BAD_METHOD}.get(response.status_code, str(response.status_code))


CASES = [(row, role) for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{row.id}-{role}" for row, role in CASES])
def test_access(row, role, world, client_for):
    url = reverse(row.url_name, args=row.args(world)) + (f"?{row.query}" if row.query else "")
    client = client_for(role)
    data = row.data(world) if row.data else {}
    response = getattr(client, row.method)(url, data)
    assert outcome_of(response) == row.expect[role], (
        f"{role} {row.method.upper()} {url}: expected {row.expect[role]}, got {response.status_code} "
        f"{response.headers.get('Location', '')}"
    )
