"""Dashboard timings for `manage.py bench` (called by campaign/management/commands/bench.py).

On the synthetic district (bench DB only):
- "dashboard_root" / "dashboard_township": server-side p50 and p95 of the whole request (Django test
  client: middleware, queries, template) over repeated requests, the query count of one request, and
  `floor_ms`, the time of hand-written SQL fetching the same numbers (snapshots of the unit and its
  children, the trend, the category and sector aggregates, the grass-roots units without a pledge),
  with `ratio` = p50 / floor.
- "load": gunicorn with 2 workers on this database and `wrk` for 30 s, logged in as the district
  supervisor (a session cookie), alternating the district dashboard and a public board.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

REQUESTS = 40
WARM_UP = 3
LOAD_SECONDS = 30
BENCH_USERNAME = "bench_district_supervisor"
TARGETS = {"p95_ms": 300, "queries": 20, "ratio": 5}

FLOOR_SQL = [
    # The unit's trend (and today's figures: its last row).
    """SELECT day, counted, fulfilled, fulfilled_on_time, overdue, grassroots_total, grassroots_participating,
              members_total, members_participating, ratings_total, ratings_satisfied, ratings_basically_satisfied
       FROM campaign_orgsnapshot WHERE campaign_id = %(campaign)s AND organization_id = %(org)s AND day <= %(day)s
       ORDER BY day""",
    # The children and their figures of the day.
    """SELECT o.id, o.code, o.name, s.counted, s.fulfilled, s.fulfilled_on_time, s.overdue, s.grassroots_total,
              s.grassroots_participating, s.members_total, s.members_participating, s.ratings_total,
              s.ratings_satisfied, s.ratings_basically_satisfied
       FROM orgs_organization o
       LEFT JOIN campaign_orgsnapshot s ON s.organization_id = o.id AND s.campaign_id = %(campaign)s AND s.day = %(day)s
       WHERE o.path LIKE %(prefix)s AND o.depth = %(child_depth)s AND o.is_active ORDER BY o.path""",
    # Grass-roots units without a public pledge of their own (first 50).
    """SELECT o.id, o.code, o.name FROM orgs_organization o
       WHERE o.path LIKE %(prefix)s AND o.kind IN ('branch', 'general_branch') AND o.is_active
         AND NOT EXISTS (SELECT 1 FROM pledges_pledge p WHERE p.owner_org_id = o.id AND p.campaign_id = %(campaign)s
                         AND p.status IN ('published', 'claimed', 'fulfilled'))
       ORDER BY o.path LIMIT 50""",
    # Counted pledges by sector: each organization's own figures (its subtree's minus its children's).
    """WITH sub AS (
           SELECT o.path, o.sector, s.counted, s.fulfilled, s.overdue
           FROM campaign_orgsnapshot s JOIN orgs_organization o ON o.id = s.organization_id
           WHERE s.campaign_id = %(campaign)s AND s.day = %(day)s AND o.path LIKE %(prefix)s),
       kids AS (
           SELECT substr(path, 1, length(path) - 4) AS parent, sum(counted) AS counted,
                  sum(fulfilled) AS fulfilled, sum(overdue) AS overdue
           FROM sub GROUP BY 1)
       SELECT p.sector, sum(p.counted - coalesce(k.counted, 0)), sum(p.fulfilled - coalesce(k.fulfilled, 0)),
              sum(p.overdue - coalesce(k.overdue, 0))
       FROM sub p LEFT JOIN kids k ON k.parent = p.path GROUP BY p.sector""",
]


# Counted pledges by category: the whole campaign for the only root, else the subtree's
# organizations' and members' pledges, each through its index.
CATEGORY_ALL_SQL = """SELECT category, count(*), count(*) FILTER (WHERE status = 'fulfilled'),
       count(*) FILTER (WHERE status <> 'fulfilled' AND deadline < %(day)s)
    FROM pledges_pledge WHERE campaign_id = %(campaign)s AND status IN ('published', 'claimed', 'fulfilled')
    GROUP BY category"""
CATEGORY_SUBTREE_SQL = """SELECT category, count(*), count(*) FILTER (WHERE status = 'fulfilled'),
       count(*) FILTER (WHERE status <> 'fulfilled' AND deadline < %(day)s)
    FROM (SELECT p.category, p.status, p.deadline FROM pledges_pledge p
          WHERE p.owner_org_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(prefix)s)
            AND p.campaign_id = %(campaign)s AND p.status IN ('published', 'claimed', 'fulfilled')
          UNION ALL
          SELECT p.category, p.status, p.deadline FROM pledges_pledge p
          WHERE p.owner_member_id IN (SELECT m.id FROM orgs_member m
                                      JOIN orgs_organization o ON o.id = m.organization_id
                                      WHERE o.path LIKE %(prefix)s)
            AND p.campaign_id = %(campaign)s AND p.status IN ('published', 'claimed', 'fulfilled')) x
    GROUP BY category"""


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _supervisor(root):
    """A supervisor of the whole synthetic district (created once, in the bench database only)."""
    from orgs.models import RoleAssignment, User

    user, _ = User.objects.get_or_create(username=BENCH_USERNAME, defaults={"full_name": "基准测试督导"})
    RoleAssignment.objects.get_or_create(user=user, role=RoleAssignment.Role.SUPERVISOR, organization=root)
    return user


def _floor_ms(org, campaign, day) -> float:
    params = {
        "campaign": campaign.pk,
        "org": org.pk,
        "day": day,
        "prefix": org.path + "%",
        "child_depth": org.depth + 1,
    }

    from orgs.models import Organization

    only_root = org.depth == 1 and not Organization.objects.filter(depth=1).exclude(pk=org.pk).exists()
    statements = [*FLOOR_SQL, CATEGORY_ALL_SQL if only_root else CATEGORY_SUBTREE_SQL]

    def once() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    for _ in range(WARM_UP):
        once()
    return statistics.median(once() for _ in range(REQUESTS // 2))


def _page(client: Client, org, campaign, day) -> dict:
    url = reverse("campaign:dashboard", args=[org.code])
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    from . import selectors

    shown_day = selectors.trend(org, campaign)[-1].day
    key = selectors.category_cache_key(org, campaign, shown_day)
    cold = []  # the category breakdown (a live aggregate over pledges) recomputed: not from the cache
    for _ in range(REQUESTS // 4):
        cache.delete(key)
        started = time.perf_counter()
        client.get(url)
        cold.append((time.perf_counter() - started) * 1000)
    cache.delete(key)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p50 = statistics.median(timings)
    floor = _floor_ms(org, campaign, shown_day)
    return {
        "p50_ms": round(p50, 1),
        "p95_ms": round(_percentile(timings, 95), 1),
        "queries": len(queries.captured_queries),
        "floor_ms": round(floor, 1),
        "ratio": round(p50 / floor, 2) if floor else None,
        "cold_p50_ms": round(statistics.median(cold), 1),
        "cold_p95_ms": round(_percentile(cold, 95), 1),
        "cold_ratio": round(statistics.median(cold) / floor, 2) if floor else None,
        "organization": org.code,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def _wrk(wrk: str, url: str, cookie: str, script: str) -> subprocess.Popen:
    return subprocess.Popen(
        [wrk, "-t1", "-c4", f"-d{LOAD_SECONDS}s", "--timeout", "10s", "-s", script, "-H", f"Cookie: {cookie}", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wrk_result(process: subprocess.Popen) -> dict | None:
    out, err = process.communicate(timeout=LOAD_SECONDS + 60)
    line = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        return None
    requests, duration_us, p95_us, status_errors, socket_errors = (int(v) for v in line.split()[1:])
    seconds = duration_us / 1e6
    return {
        "rps": round(requests / seconds, 1),
        "p95_ms": round(p95_us / 1000, 1),
        "errors": status_errors + socket_errors,
        "seconds": round(seconds, 1),
        "requests": requests,
    }


def _load(client: Client, root, board_org, stdout) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        message = "wrk is not installed (apt-get install wrk): the load run is skipped."
        stdout.write(message)
        return {"skipped": message}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    dashboard = reverse("campaign:dashboard", args=[root.code])
    board = reverse("board:board", args=[board_org.code])
    server = subprocess.Popen(
        [gunicorn, "campaign.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "AXES_ENABLED": "0"},
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        request = urllib.request.Request(
            base + dashboard, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200 or response.url != base + dashboard:
                return {"skipped": f"the dashboard answered {response.status} at {response.url}"}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        stdout.write(
            f"Load: wrk for {LOAD_SECONDS} s on {dashboard} and {board} at once "
            "(4 connections each; gunicorn, 2 workers)…"
        )
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        runs = {
            "dashboard": _wrk(wrk, base + dashboard, cookie, script.name),
            "board": _wrk(wrk, base + board, cookie, script.name),
        }
        parts = {name: _wrk_result(process) for name, process in runs.items()}
        os.unlink(script.name)
        if any(part is None for part in parts.values()):
            return {"skipped": "wrk gave no result"}
        return {
            "rps": round(sum(p["rps"] for p in parts.values()), 1),
            "p95_ms": max(p["p95_ms"] for p in parts.values()),
            "errors": sum(p["errors"] for p in parts.values()),
            "seconds": max(p["seconds"] for p in parts.values()),
            "dashboard": {**parts["dashboard"], "url": dashboard},
            "board": {**parts["board"], "url": board},
            "workers": 2,
        }
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def run(*, campaign, day, stdout) -> dict:
    from orgs.models import Organization

    root = Organization.objects.filter(depth=1).order_by("path").first()
    township = Organization.objects.filter(depth=2, path__startswith=root.path).order_by("-numchild", "path").first()
    board_org = (
        Organization.objects.grassroots()
        .filter(path__startswith=root.path, pledges__campaign=campaign)
        .order_by("path")
        .first()
    )
    client = Client()
    client.force_login(_supervisor(root))
    results = {
        "dashboard_root": _page(client, root, campaign, day),
        "dashboard_township": _page(client, township, campaign, day),
    }
    results["load"] = _load(client, root, board_org, stdout)
    _report(results, stdout)
    return results


def _report(results: dict, stdout) -> None:
    for key in ("dashboard_root", "dashboard_township"):
        r = results[key]
        met = (
            r["p95_ms"] < TARGETS["p95_ms"]
            and r["queries"] < TARGETS["queries"]
            and (r["ratio"] or 0) <= TARGETS["ratio"]
        )
        verdict = "meets" if met else "MISSES"
        stdout.write(
            f"{key:19} p50 {r['p50_ms']:.1f} ms · p95 {r['p95_ms']:.1f} ms · {r['queries']} queries · "
            f"floor {r['floor_ms']:.1f} ms · ratio {r['ratio']} · "
            f"uncached p50 {r['cold_p50_ms']:.1f} / p95 {r['cold_p95_ms']:.1f} ms "
            f"({verdict} p95 < {TARGETS['p95_ms']} ms, < {TARGETS['queries']} queries, ratio ≤ {TARGETS['ratio']})"
        )
    load = results["load"]
    if "skipped" in load:
        stdout.write(f"load                {load['skipped']}")
    else:
        stdout.write(
            f"load                {load['rps']} requests/s · p95 {load['p95_ms']} ms · "
            f"{load['errors']} errors · {load['seconds']} s "
            f"(dashboard {load['dashboard']['rps']} /s, p95 {load['dashboard']['p95_ms']} ms; "
            f"board {load['board']['rps']} /s, p95 {load['board']['p95_ms']} ms)"
        )
