"""The access matrix: for every URL of the project, what each role gets.

Each app lists its rows in `<app>/tests/access_rows.py` as `ROWS = [Row(...), ...]`. A row names a
URL pattern, how to build its arguments from the test world, the HTTP method (and form data), and the
expected outcome for every role in tests.world.ROLES. tests/test_access_matrix.py fails when a URL
pattern has no row, when a row leaves a role out, and when any role gets something else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Outcomes
OK = "ok"  # 200
LOGIN = "login"  # redirected to the login page
NOT_FOUND = "not_found"  # 404: missing and forbidden look the same
FORBIDDEN = "forbidden"  # 403: a page the role may never use, with nothing to hide
REDIRECT = "redirect"  # 302 elsewhere than login: the action was done
BAD_METHOD = "bad_method"  # 405

ALL_OUTCOMES = {OK, LOGIN, NOT_FOUND, FORBIDDEN, REDIRECT, BAD_METHOD}


@dataclass
class Row:
    url_name: str
    expect: dict[str, str]
    args: Callable[[Any], list] = field(default=lambda world: [])
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    query: str = ""
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.method}{':' + self.label if self.label else ''}]"


def everyone(outcome: str, **overrides: str) -> dict[str, str]:
    """Expectations where every role gets `outcome` except those named."""
    from tests.world import ROLES

    expect = {role: outcome for role in ROLES}
    expect.update(overrides)
    return expect


def logged_in(outcome: str, **overrides: str) -> dict[str, str]:
    """Anonymous visitors go to login; every signed-in role gets `outcome` except those named."""
    return everyone(outcome, anonymous=LOGIN, **overrides)
