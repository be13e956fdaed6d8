"""A large synthetic district for the benchmark, generated inside PostgreSQL with set-based SQL.

About 1,500 organizations (district → 41 committees → 6 general branches each → 5 branches each),
50,000 members, 200,000 pledges in every state, progress updates, leader reviews and public
ratings. Pseudo-random but deterministic: values come from integer hashes of row numbers, so two
generations give the same district. Only the organization tree (1,500 rows) is built in Python;
everything else is INSERT … SELECT over generate_series.

A marker table (bench_marker) records what was generated; `manage.py bench` reuses the data
when the marker matches VERSION.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction

VERSION = "bench-v1"
COMMITTEES = 41
GENERAL_BRANCHES_PER_COMMITTEE = 6
BRANCHES_PER_GENERAL_BRANCH = 5
MEMBERS = 50_000
PLEDGES_PER_MEMBER = 3
PLEDGES_PER_GRASSROOTS_ORG = 34
CAMPAIGN_START = datetime.date(2026, 1, 1)
CAMPAIGN_END = datetime.date(2026, 12, 31)
BENCH_DAY = datetime.date(2026, 7, 1)

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(n: int) -> str:
    """Treebeard's path step for the n-th child (1-based): base 36, 4 characters."""
    digits = ""
    while n:
        n, rem = divmod(n, 36)
        digits = ALPHABET[rem] + digits
    return digits.rjust(4, "0")


def marker() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_marker') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT version, organizations, members, pledges, campaign_id FROM bench_marker LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    keys = ("version", "organizations", "members", "pledges", "campaign_id")
    return dict(zip(keys, row, strict=True))


def _columns(model, values: dict[str, str]) -> tuple[str, str, list]:
    """Column list and SELECT expressions for `model`: `values` (column → SQL) plus each other
    column's model default, so fields added later by other apps do not break the generator."""
    from django.db.models.fields import NOT_PROVIDED

    columns, exprs, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in values:
            exprs.append(values[field.column])
        elif field.null and field.default is NOT_PROVIDED:
            exprs.append("NULL")
        else:
            default = field.get_default()
            exprs.append("%s")
            params.append(field.get_db_prep_save(default, connection))
    return ", ".join(columns), ", ".join(exprs), params


def _insert(cursor, model, values: dict[str, str], tail: str, tail_params: list | None = None) -> int:
    columns, exprs, params = _columns(model, values)
    cursor.execute(
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) SELECT {exprs} {tail}",
        params + (tail_params or []),
    )
    return cursor.rowcount


def _tree() -> list[tuple]:
    """(path, depth, numchild, name, code, kind, sector) for the whole tree."""
    rows = [("0001", 1, COMMITTEES, "基准区委", "bench", "district", "")]
    sectors = ["village", "community", "government", "institution", "state_enterprise", "school", "hospital"]
    for c in range(1, COMMITTEES + 1):
        cpath = "0001" + _step(c)
        sector = sectors[c % len(sectors)]
        rows.append((cpath, 2, GENERAL_BRANCHES_PER_COMMITTEE, f"第{c}党委", f"b{c}", "committee", sector))
        for g in range(1, GENERAL_BRANCHES_PER_COMMITTEE + 1):
            gpath = cpath + _step(g)
            rows.append(
                (gpath, 3, BRANCHES_PER_GENERAL_BRANCH, f"第{c}党委第{g}党总支", f"b{c}-{g}", "general_branch", sector)
            )
            for b in range(1, BRANCHES_PER_GENERAL_BRANCH + 1):
                rows.append((gpath + _step(b), 4, 0, f"第{c}党委第{g}总支第{b}支部", f"b{c}-{g}-{b}", "branch", sector))
    return rows


@transaction.atomic
def generate(stdout=None) -> dict:
    """Build the district in this (empty or bench-only) PostgreSQL database. Returns the sizes."""
    from campaign.models import Campaign
    from orgs.models import Member, Organization, RoleAssignment, User
    from pledges.models import Pledge, ProgressUpdate, Rating, Review

    say = (lambda text: stdout.write(text)) if stdout else (lambda text: None)
    start = CAMPAIGN_START.isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        Campaign.objects.filter(is_current=True).update(is_current=False)
        campaign = Campaign.objects.create(
            name="基准测试活动",
            theme="拉高标杆追赶跨越",
            starts_on=CAMPAIGN_START,
            ends_on=CAMPAIGN_END,
            is_current=True,
        )

        tree = _tree()
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(tree))
        cursor.execute(
            "CREATE TEMP TABLE bench_tree (path varchar, depth int, numchild int, name varchar, code varchar, "
            f"kind varchar, sector varchar) ON COMMIT DROP; INSERT INTO bench_tree VALUES {values}",
            [value for row in tree for value in row],
        )
        _insert(
            cursor,
            Organization,
            {
                "path": "t.path",
                "depth": "t.depth",
                "numchild": "t.numchild",
                "name": "t.name",
                "code": "t.code",
                "kind": "t.kind",
                "sector": "t.sector",
                "is_active": "true",
            },
            "FROM bench_tree t ORDER BY t.path",
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_grassroots ON COMMIT DROP AS "
            "SELECT row_number() OVER (ORDER BY path) - 1 AS n, id AS org_id FROM orgs_organization "
            "WHERE path LIKE '0001%%' AND kind IN ('branch', 'general_branch')"
        )
        cursor.execute("SELECT count(*) FROM bench_grassroots")
        grassroots = cursor.fetchone()[0]
        say(f"  {len(tree)} organizations")

        # People: members (with logins), a secretary per grass-roots organization, supervisors.
        _insert(
            cursor,
            User,
            {
                "password": "'!'",
                "username": "'bench-m' || i",
                "full_name": "'党员' || i",
                "is_active": "true",
                "date_joined": f"'{start}'::timestamptz",
            },
            "FROM generate_series(1, %s) i",
            [MEMBERS],
        )
        _insert(
            cursor,
            Member,
            {
                "name": "'党员' || i",
                "user_id": "u.id",
                "organization_id": "g.org_id",
                "is_active": "(i %% 97) <> 0",
                "position": f"CASE WHEN i <= {grassroots} THEN 'secretary' ELSE 'member' END",
            },
            "FROM generate_series(1, %s) i JOIN orgs_user u ON u.username = 'bench-m' || i "
            "JOIN bench_grassroots g ON g.n = (i - 1) %% %s",
            [MEMBERS, grassroots],
        )
        _insert(
            cursor,
            RoleAssignment,
            {
                "role": "'secretary'",
                "organization_id": "m.organization_id",
                "user_id": "m.user_id",
                "created_at": "now()",
            },
            "FROM orgs_member m WHERE m.position = 'secretary'",
        )
        _insert(
            cursor,
            User,
            {
                "password": "'!'",
                "username": "'bench-s' || o.code",
                "full_name": "'督导' || o.code",
                "is_active": "true",
                "date_joined": f"'{start}'::timestamptz",
            },
            "FROM orgs_organization o WHERE o.kind IN ('district', 'committee') AND o.path LIKE '0001%%'",
        )
        _insert(
            cursor,
            RoleAssignment,
            {"role": "'supervisor'", "organization_id": "o.id", "user_id": "u.id", "created_at": "now()"},
            "FROM orgs_organization o JOIN orgs_user u ON u.username = 'bench-s' || o.code",
        )
        say(f"  {MEMBERS} members, {grassroots} secretaries")

        # Pledges: three per member and 34 per grass-roots organization, in every state.
        status = (
            "CASE WHEN h < 10 THEN 'draft' WHEN h < 15 THEN 'submitted' WHEN h < 20 THEN 'withdrawn' "
            "WHEN h < 60 THEN 'published' WHEN h < 65 THEN 'claimed' ELSE 'fulfilled' END"
        )
        pledge_values = {
            "title": "'承诺 ' || seq",
            "content": "'为群众办实事'",
            "target": "'完成 3 件实事'",
            "deadline": f"'{start}'::date + (seq * 7 %% 360)::int",
            "category": "(ARRAY['development', 'society', 'people'])[1 + seq %% 3]",
            "channels": "'[\"notice_board\"]'::jsonb",
            "progress": "CASE WHEN h >= 65 THEN 100 WHEN h >= 20 THEN (seq * 13) %% 100 ELSE 0 END",
            "status": status,
            "created_at": f"'{start}'::timestamptz",
            "updated_at": f"'{start}'::timestamptz",
            "published_at": f"CASE WHEN h >= 15 THEN '{start}'::timestamptz + ((seq * 11) %% 150) * interval '1 day' "
            "+ interval '9 hours' END",
            "completed_on": f"CASE WHEN h >= 60 THEN '{start}'::date + ((seq * 7 %% 360) - 10 + (seq %% 14))::int END",
            "fulfilled_at": f"CASE WHEN h >= 65 THEN '{start}'::timestamptz + ((seq * 7 %% 360) - 8 + (seq %% 14)) "
            "* interval '1 day' + interval '15 hours' END",
            "campaign_id": str(campaign.pk),
            "created_by_id": "created_by",
        }
        member_pledges = _insert(
            cursor,
            Pledge,
            {**pledge_values, "owner_member_id": "member_id"},
            "FROM (SELECT m.id AS member_id, m.user_id AS created_by, m.id * 3 + k AS seq, "
            "((m.id * 3 + k) * 37 + k * 11) %% 100 AS h "
            "FROM orgs_member m CROSS JOIN generate_series(1, %s) k) s",
            [PLEDGES_PER_MEMBER],
        )
        org_pledges = _insert(
            cursor,
            Pledge,
            {**pledge_values, "owner_org_id": "org_id"},
            "FROM (SELECT g.org_id, r.user_id AS created_by, 1000000 + g.n * 100 + k AS seq, "
            "((g.n * 100 + k) * 37 + k * 11) %% 100 AS h "
            "FROM bench_grassroots g "
            "JOIN orgs_roleassignment r ON r.organization_id = g.org_id AND r.role = 'secretary' "
            "CROSS JOIN generate_series(1, %s) k) s",
            [PLEDGES_PER_GRASSROOTS_ORG],
        )
        say(f"  {member_pledges + org_pledges} pledges")

        updates = _insert(
            cursor,
            ProgressUpdate,
            {
                "percent": "LEAST(100, p.progress * k / 2)",
                "text": "'完成阶段任务'",
                "created_by_id": "p.created_by_id",
                "pledge_id": "p.id",
                "created_at": "p.published_at + k * interval '10 days'",
            },
            "FROM pledges_pledge p CROSS JOIN generate_series(1, 2) k "
            "WHERE p.status IN ('published', 'claimed', 'fulfilled') AND p.campaign_id = %s",
            [campaign.pk],
        )
        reviews = _insert(
            cursor,
            Review,
            {
                "reviewer_title": "'组织委员'",
                "grade": "(ARRAY['excellent', 'good', 'fair', 'poor'])[1 + p.id %% 4]",
                "comment": "'进展扎实'",
                "created_at": "p.published_at + interval '20 days'",
                "campaign_id": "p.campaign_id",
                "pledge_id": "p.id",
                "reviewer_id": "u.id",
            },
            "FROM pledges_pledge p JOIN orgs_user u ON u.username = 'bench-sbench' "
            "WHERE p.status IN ('published', 'claimed', 'fulfilled') AND p.id %% 10 = 0 AND p.campaign_id = %s",
            [campaign.pk],
        )
        ratings = _insert(
            cursor,
            Rating,
            {
                "choice": "(ARRAY['satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied'])"
                "[1 + (p.id + k) %% 4]",
                "browser_token": "'bench-' || k",
                "pledge_id": "p.id",
                "created_at": "COALESCE(p.fulfilled_at, p.published_at) + k * interval '1 day'",
            },
            "FROM pledges_pledge p CROSS JOIN generate_series(1, 3) k "
            "WHERE p.status IN ('published', 'claimed', 'fulfilled') AND (p.id + k) %% 3 <> 0 AND p.campaign_id = %s",
            [campaign.pk],
        )
        say(f"  {updates} progress updates, {reviews} reviews, {ratings} ratings")

        sizes = {"organizations": len(tree), "members": MEMBERS, "pledges": member_pledges + org_pledges}
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_marker (version text, organizations int, members int, pledges int, "
            "campaign_id bigint, created_at timestamptz DEFAULT now()); DELETE FROM bench_marker; "
            "INSERT INTO bench_marker (version, organizations, members, pledges, campaign_id) "
            "VALUES (%s, %s, %s, %s, %s)",
            [VERSION, sizes["organizations"], sizes["members"], sizes["pledges"], campaign.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return sizes


def wipe() -> None:
    """Empty every table of a bench-only database (before a rebuild)."""
    with connection.cursor() as cursor:
        tables = [
            "pledges_rating",
            "pledges_review",
            "pledges_evidence",
            "pledges_progressupdate",
            "pledges_historicalpledge",
            "pledges_pledge",
            "notifications_notification",
            "notifications_reminder",
            "campaign_orgsnapshot",
            "campaign_jobrun",
            "orgs_roleassignment",
            "orgs_member",
            "orgs_organization",
            "campaign_campaign",
        ]
        existing = [t for t in tables if t in connection.introspection.table_names(cursor)]
        cursor.execute(f"TRUNCATE {', '.join(existing)}, orgs_user RESTART IDENTITY CASCADE")
        cursor.execute("DROP TABLE IF EXISTS bench_marker")
