"""Hand-written PostgreSQL queries: the floor the jobs are measured against.

ROLLUP_FLOOR computes the same figures as campaign.rollups for every organization and returns
them to the client (no delete, no insert, no bookkeeping), written independently: pledges are
aggregated per owning organization with FILTER clauses, then summed up to each ancestor through
the materialized path (cut at each step length: an equality join). The benchmark also checks
that its rows equal the stored snapshots.

REMINDER_FLOOR does the reminder job's work for published pledges in one statement: find the
(item, kind, recipient) triples due on a day, insert the reminder keys (ON CONFLICT DO NOTHING),
and insert one notification per person (a digest when several). The benchmark runs it in a
transaction it rolls back.
"""

ROLLUP_FLOOR = """
WITH c AS (
    SELECT p.id, COALESCE(p.owner_org_id, m.organization_id) AS org_id, p.owner_org_id,
           CASE WHEN m.is_active THEN p.owner_member_id END AS member_id,
           (p.status = 'fulfilled' AND p.fulfilled_at < %(end)s) AS done, p.completed_on, p.deadline
    FROM pledges_pledge p LEFT JOIN orgs_member m ON m.id = p.owner_member_id
    WHERE p.campaign_id = %(campaign)s AND p.status IN ('published', 'claimed', 'fulfilled')
      AND p.published_at < %(end)s
), per_org AS (
    SELECT org_id,
           count(*) AS counted,
           count(*) FILTER (WHERE done) AS fulfilled,
           count(*) FILTER (WHERE done AND completed_on <= deadline) AS on_time,
           count(*) FILTER (WHERE NOT done AND deadline < %(day)s) AS overdue,
           bool_or(owner_org_id IS NOT NULL) AS org_pledged,
           count(DISTINCT member_id) AS members_participating
    FROM c GROUP BY org_id
), rated AS (
    SELECT c.org_id, count(*) AS total,
           count(*) FILTER (WHERE r.choice = 'satisfied') AS satisfied,
           count(*) FILTER (WHERE r.choice = 'basically_satisfied') AS basically
    FROM c JOIN pledges_rating r ON r.pledge_id = c.id AND r.created_at < %(end)s
    GROUP BY c.org_id
), people AS (
    SELECT organization_id AS org_id, count(*) AS total FROM orgs_member WHERE is_active GROUP BY organization_id
), own AS (
    SELECT o.path,
           coalesce(a.counted, 0) AS counted, coalesce(a.fulfilled, 0) AS fulfilled,
           coalesce(a.on_time, 0) AS on_time, coalesce(a.overdue, 0) AS overdue,
           (o.is_active AND o.kind IN ('branch', 'general_branch'))::int AS gr_total,
           (o.is_active AND o.kind IN ('branch', 'general_branch') AND coalesce(a.org_pledged, false))::int AS gr_part,
           coalesce(people.total, 0) AS m_total, coalesce(a.members_participating, 0) AS m_part,
           coalesce(rated.total, 0) AS r_total, coalesce(rated.satisfied, 0) AS r_sat,
           coalesce(rated.basically, 0) AS r_basic
    FROM orgs_organization o
    LEFT JOIN per_org a ON a.org_id = o.id
    LEFT JOIN rated ON rated.org_id = o.id
    LEFT JOIN people ON people.org_id = o.id
)
SELECT anc.id, sum(counted), sum(fulfilled), sum(on_time), sum(overdue), sum(gr_total), sum(gr_part),
       sum(m_total), sum(m_part), sum(r_total), sum(r_sat), sum(r_basic)
FROM own
JOIN generate_series(4, 64, 4) AS cut(len) ON cut.len <= length(own.path)
JOIN orgs_organization anc ON anc.path = left(own.path, cut.len)
GROUP BY anc.id
"""

REMINDER_FLOOR = """
WITH due AS (
    SELECT p.id, p.title, %(day)s::date - p.deadline AS late,
           COALESCE(p.owner_org_id, m.organization_id) AS org_id, m.user_id AS member_user
    FROM pledges_pledge p LEFT JOIN orgs_member m ON m.id = p.owner_member_id
    WHERE p.status = 'published' AND p.deadline = ANY(%(deadlines)s)
), keyed AS (
    SELECT due.*, CASE WHEN late <= 0 THEN 'due_' || (-late) ELSE 'overdue' END AS kind FROM due
    UNION ALL SELECT due.*, 'escalate_secretary' FROM due WHERE late >= 7
    UNION ALL SELECT due.*, 'escalate_supervisor' FROM due WHERE late >= 14
), recipients AS (
    SELECT k.id, k.kind, k.title, COALESCE(k.member_user, r.user_id) AS user_id
    FROM keyed k LEFT JOIN orgs_roleassignment r
      ON k.member_user IS NULL AND r.organization_id = k.org_id AND r.role = 'secretary'
    WHERE k.kind NOT LIKE 'escalate%%'
    UNION ALL
    SELECT k.id, k.kind, k.title, r.user_id
    FROM keyed k JOIN orgs_roleassignment r ON r.organization_id = k.org_id AND r.role = 'secretary'
    WHERE k.kind = 'escalate_secretary' AND k.member_user IS NOT NULL
    UNION ALL
    (SELECT DISTINCT ON (k.id) k.id, k.kind, k.title, r.user_id
    FROM keyed k JOIN orgs_organization o ON o.id = k.org_id
    JOIN orgs_organization anc ON o.path LIKE anc.path || '%%'
    JOIN orgs_roleassignment r ON r.organization_id = anc.id AND r.role = 'supervisor'
    WHERE k.kind = 'escalate_supervisor'
    ORDER BY k.id, length(anc.path) DESC)
), inserted AS (
    INSERT INTO notifications_reminder (item_type, item_id, kind, day, recipients, created_at)
    SELECT 'pledge', id, kind, %(day)s, 1, now() FROM keyed
    ON CONFLICT (item_type, item_id, kind, day) DO NOTHING
    RETURNING item_id, kind
), delivered AS (
    SELECT r.user_id, r.title FROM recipients r JOIN inserted i ON i.item_id = r.id AND i.kind = r.kind
    WHERE r.user_id IS NOT NULL
)
INSERT INTO notifications_notification (user_id, kind, title, body, url, created_at)
SELECT user_id, CASE WHEN count(*) > 1 THEN 'digest' ELSE 'deadline_reminder' END,
       count(*) || ' items', string_agg(title, E'\\n'), '', now()
FROM delivered GROUP BY user_id
"""
