"""The logged-in pledge pages: what each person sees, the buttons they get, forms, and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledges.models import Pledge
from pledges.services import lifecycle
from pledges.tests.factories import MemberFactory, PledgeFactory, ProgressUpdateFactory, ReviewFactory

S = Pledge.Status


def today():
    return timezone.localdate()


def page_text(response) -> str:
    return response.content.decode()


def form_data(world, **overrides):
    data = {
        "title": "结对帮扶困难党员",
        "target": "完成 3 户困难党员走访",
        "content": "每月上门一次",
        "deadline": (today() + datetime.timedelta(days=30)).isoformat(),
        "category": Pledge.Category.PEOPLE,
        "channels": [Pledge.Channel.NOTICE_BOARD],
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------- home


@pytest.mark.parametrize(
    ("role", "target"), [("secretary_same", "pledges:branch_home"), ("member", "pledges:my_pledges")]
)
def test_home_sends_people_to_their_page(client_for, role, target):
    response = client_for(role).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


# --------------------------------------------------------------------------- 我的承诺


def test_my_pledges_cards_show_countdown_progress_and_review(world, client_for):
    soon = PledgeFactory(
        owner_member=world.member, published=True, progress=40, deadline=today() + datetime.timedelta(days=5)
    )
    late = PledgeFactory(owner_member=world.member, published=True, deadline=today() - datetime.timedelta(days=3))
    ReviewFactory(pledge=soon, reviewer=world.supervisor_above, comment="进展扎实")
    PledgeFactory(owner_member=world.other_member, published=True, title="别人的承诺")
    response = client_for("member").get(reverse("pledges:my_pledges"))
    text = page_text(response)
    assert response.status_code == 200
    assert text.count('data-testid="pledge-card"') == 2
    assert "别人的承诺" not in text
    assert "还剩 5 天" in text
    assert "已逾期 3 天" in text
    assert 'aria-valuenow="40"' in text
    assert "进展扎实" in text and "周督导" in text
    assert reverse("pledges:progress_add", args=[soon.pk]) in text
    assert reverse("pledges:progress_add", args=[late.pk]) in text


def test_my_pledges_buttons_follow_the_state(world, client_for):
    draft = PledgeFactory(owner_member=world.member)
    submitted = PledgeFactory(owner_member=world.member, submitted=True)
    text = page_text(client_for("member").get(reverse("pledges:my_pledges")))
    assert reverse("pledges:submit", args=[draft.pk]) in text
    assert reverse("pledges:edit", args=[draft.pk]) in text
    assert reverse("pledges:submit", args=[submitted.pk]) not in text
    assert reverse("pledges:progress_add", args=[draft.pk]) not in text


def test_my_pledges_empty_state_says_what_to_do(world, client_for):
    text = page_text(client_for("member").get(reverse("pledges:my_pledges")))
    assert 'data-testid="empty"' in text
    assert reverse("pledges:create") in text


def test_my_pledges_constant_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("member")
    url = reverse("pledges:my_pledges")
    PledgeFactory(owner_member=world.member, published=True)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        pledge = PledgeFactory(owner_member=world.member, published=True)
        ReviewFactory(pledge=pledge)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    with django_assert_max_num_queries(12):
        client.get(url)


# --------------------------------------------------------------------------- branch home


def test_branch_home_counters_waiting_and_members_without_pledge(world, client_for):
    PledgeFactory(owner_member=world.member, submitted=True, title="待审承诺")
    PledgeFactory(
        owner_org=world.branch_a1, published=True, deadline=today() + datetime.timedelta(days=3), title="本周到期"
    )
    PledgeFactory(owner_member=world.other_member, submitted=True, title="别支部的")
    response = client_for("secretary_same").get(reverse("pledges:branch_home"))
    text = page_text(response)
    assert response.status_code == 200
    assert "待审承诺" in text and "本周到期" in text
    assert "别支部的" not in text
    # 李书记 has no pledge yet; 张党员 has one.
    without = text.split('data-testid="without-pledge"')[1].split("</div>")[0]
    assert "李书记" in without and "张党员" not in without
    assert f"status={S.SUBMITTED}" in text
    assert reverse("pledges:bulk_create") in text


def test_branch_home_status_counter_filters_the_list(world, client_for):
    PledgeFactory(owner_member=world.member, submitted=True, title="待审承诺")
    PledgeFactory(owner_org=world.branch_a1, published=True, title="践诺中的")
    url = reverse("pledges:branch_home") + f"?status={S.PUBLISHED}"
    listed = page_text(client_for("secretary_same").get(url)).split('data-testid="branch-list"')[1]
    assert "践诺中的" in listed and "待审承诺" not in listed


def test_branch_home_of_another_branch_is_404(world, client_for):
    response = client_for("secretary_same").get(reverse("pledges:branch_home") + "?org=a2")
    assert response.status_code == 404


def test_branch_home_constant_queries(world, client_for):
    client = client_for("secretary_same")
    url = reverse("pledges:branch_home")
    PledgeFactory(owner_member=world.member, submitted=True)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(12):
        PledgeFactory(owner_member=MemberFactory(organization=world.branch_a1), submitted=True)
        PledgeFactory(owner_org=world.branch_a1, published=True, deadline=today() + datetime.timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --------------------------------------------------------------------------- filing


def test_member_files_own_pledge_and_submits(world, client_for):
    response = client_for("member").post(reverse("pledges:create"), {**form_data(world), "then": "submit"})
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert pledge.owner_member == world.member
    assert pledge.status == S.SUBMITTED
    follow = client_for("member").get(response["Location"])
    assert follow.status_code == 200


def test_secretary_files_for_a_member_as_draft(world, client_for):
    client = client_for("secretary_same")
    page = page_text(client.get(reverse("pledges:create") + f"?owner=member:{world.member.pk}"))
    assert f'value="member:{world.member.pk}" selected' in page
    assert f"member:{world.other_member.pk}" not in page  # never offers another branch's member
    client.post(reverse("pledges:create"), {**form_data(world), "owner": f"member:{world.member.pk}", "then": "draft"})
    pledge = Pledge.objects.get()
    assert (pledge.owner_member, pledge.status, pledge.created_by) == (world.member, S.DRAFT, world.secretary_same.user)


def test_member_cannot_pick_another_owner(world, client_for):
    response = client_for("member").post(
        reverse("pledges:create"), {**form_data(world), "owner": f"org:{world.branch_a1.pk}"}
    )
    assert response.status_code == 200
    assert not Pledge.objects.exists()


def test_vague_target_error_next_to_field_and_typed_text_kept(world, client_for):
    data = form_data(world, title="我的独特标题", target="进一步加强联系群众")
    response = client_for("member").post(reverse("pledges:create"), data)
    text = page_text(response)
    assert response.status_code == 200
    assert "进一步加强" in text and "完成 3 户困难党员走访" in text
    assert 'id="error_1_id_target"' in text
    assert 'value="我的独特标题"' in text
    assert not Pledge.objects.exists()


def test_deadline_outside_campaign_refused_on_the_form(world, client_for):
    data = form_data(world, deadline=(world.campaign.ends_on + datetime.timedelta(days=1)).isoformat())
    response = client_for("member").post(reverse("pledges:create"), data)
    assert response.status_code == 200
    assert world.campaign.ends_on.isoformat() in page_text(response)
    assert not Pledge.objects.exists()


# --------------------------------------------------------------------------- bulk


def bulk_post(world, rows: dict[int, dict], *, submit=False):
    members = list(world.branch_a1.members.filter(is_active=True).order_by("name"))
    data = {
        "rows-TOTAL_FORMS": str(len(members)),
        "rows-INITIAL_FORMS": str(len(members)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "all-channels": [Pledge.Channel.NOTICE_BOARD],
    }
    if submit:
        data["all-submit_now"] = "on"
    for i, member in enumerate(members):
        row = rows.get(member.pk, {})
        data[f"rows-{i}-member"] = str(member.pk)
        data[f"rows-{i}-title"] = row.get("title", "")
        data[f"rows-{i}-target"] = row.get("target", "")
        data[f"rows-{i}-deadline"] = row.get("deadline", world.campaign.ends_on.isoformat())
        data[f"rows-{i}-category"] = row.get("category", Pledge.Category.PEOPLE)
    return data


def test_bulk_form_one_row_per_member_prefilled(world, client_for):
    MemberFactory(organization=world.branch_a1, name="孙党员")
    text = page_text(client_for("secretary_same").get(reverse("pledges:bulk_create")))
    assert text.count('data-testid="bulk-row"') == 3
    assert "孙党员" in text and "赵党员" not in text
    assert f'value="{world.campaign.ends_on.isoformat()}"' in text


def test_bulk_creates_only_filled_rows(world, client_for):
    data = bulk_post(world, {world.member.pk: {"title": "宣讲", "target": "开展 2 次政策宣讲"}}, submit=True)
    response = client_for("secretary_same").post(reverse("pledges:bulk_create"), data)
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.owner_member, pledge.status) == (world.member, S.SUBMITTED)


def test_bulk_all_or_nothing_with_row_errors_and_nothing_lost(world, client_for):
    data = bulk_post(
        world,
        {
            world.member.pk: {"title": "宣讲", "target": "开展 2 次政策宣讲"},
            world.secretary_same.pk: {"title": "服务", "target": "积极参与志愿服务"},
        },
    )
    response = client_for("secretary_same").post(reverse("pledges:bulk_create"), data)
    text = page_text(response)
    assert response.status_code == 200
    assert not Pledge.objects.exists()
    assert "积极参与" in text  # the row's error names the vague phrase
    assert 'value="开展 2 次政策宣讲"' in text and 'value="积极参与志愿服务"' in text
    assert text.count("table-danger") == 1


def test_bulk_half_filled_row_is_an_error(world, client_for):
    data = bulk_post(world, {world.member.pk: {"title": "只有标题"}})
    response = client_for("secretary_same").post(reverse("pledges:bulk_create"), data)
    assert response.status_code == 200
    assert not Pledge.objects.exists()


def test_bulk_empty_table_says_fill_a_row(world, client_for):
    response = client_for("secretary_same").post(reverse("pledges:bulk_create"), bulk_post(world, {}))
    assert response.status_code == 200
    assert not Pledge.objects.exists()


# --------------------------------------------------------------------------- queues


def test_approval_queues_per_approver(world, client_for):
    member_pledge = PledgeFactory(owner_member=world.member, submitted=True, title="党员承诺")
    org_pledge = PledgeFactory(owner_org=world.branch_a1, submitted=True, title="支部承诺")
    secretary = page_text(client_for("secretary_same").get(reverse("pledges:approvals")))
    supervisor = page_text(client_for("supervisor_above").get(reverse("pledges:approvals")))
    sibling = page_text(client_for("supervisor_sibling").get(reverse("pledges:approvals")))
    assert "党员承诺" in secretary and "支部承诺" not in secretary
    assert "支部承诺" in supervisor and "党员承诺" not in supervisor
    assert "党员承诺" not in sibling and "支部承诺" not in sibling
    assert reverse("pledges:approve", args=[member_pledge.pk]) in secretary
    assert reverse("pledges:approve", args=[org_pledge.pk]) in supervisor


def test_approve_from_the_queue_returns_to_it(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, submitted=True)
    queue = reverse("pledges:approvals")
    response = client_for("secretary_same").post(reverse("pledges:approve", args=[pledge.pk]), {"next": queue})
    assert response["Location"] == queue
    pledge.refresh_from_db()
    assert pledge.status == S.PUBLISHED


def test_next_to_another_site_is_ignored(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, submitted=True)
    response = client_for("secretary_same").post(
        reverse("pledges:approve", args=[pledge.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == pledge.get_absolute_url()


def test_return_needs_a_reason(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, submitted=True)
    url = reverse("pledges:return", args=[pledge.pk])
    response = client_for("secretary_same").post(url, {"reason": ""})
    assert response.status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == S.SUBMITTED
    client_for("secretary_same").post(url, {"reason": "请写明户数"})
    pledge.refresh_from_db()
    assert (pledge.status, pledge.return_reason) == (S.RETURNED, "请写明户数")


def test_verification_queue(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, claimed=True, title="已申报完成")
    text = page_text(client_for("secretary_same").get(reverse("pledges:verifications")))
    assert "已申报完成" in text and reverse("pledges:verify", args=[pledge.pk]) in text


def test_queues_constant_queries(world, client_for):
    client = client_for("supervisor_above")
    url = reverse("pledges:approvals")
    PledgeFactory(owner_org=world.branch_a1, submitted=True)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        PledgeFactory(owner_org=world.branch_a2 if i % 2 else world.branch_a1, submitted=True)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --------------------------------------------------------------------------- search


def test_search_filters_with_agreed_parameter_names(world, client_for):
    PledgeFactory(owner_org=world.branch_a1, published=True, title="甲一支部承诺", category=Pledge.Category.SOCIETY)
    PledgeFactory(owner_member=world.other_member, published=True, title="甲二党员承诺")
    PledgeFactory(
        owner_org=world.branch_a2, published=True, title="甲二逾期", deadline=today() - datetime.timedelta(days=1)
    )
    PledgeFactory(owner_org=world.branch_b1, published=True, title="乙镇承诺")
    client = client_for("supervisor_above")

    def titles(query):
        text = page_text(client.get(reverse("pledges:search") + "?" + query))
        results = text.split('data-testid="results"')[1]
        return {t for t in ("甲一支部承诺", "甲二党员承诺", "甲二逾期", "乙镇承诺") if t in results}

    assert titles("") == {"甲一支部承诺", "甲二党员承诺", "甲二逾期"}  # never the other township
    assert titles("org=a2") == {"甲二党员承诺", "甲二逾期"}
    assert titles("org=town-a&kind=member") == {"甲二党员承诺"}
    assert titles("kind=org&category=society") == {"甲一支部承诺"}
    assert titles("overdue=1") == {"甲二逾期"}
    assert titles("q=一村") == {"甲一支部承诺"}  # q also matches the owner's name
    assert titles(f"status={S.PUBLISHED}&campaign={world.campaign.pk}") == {"甲一支部承诺", "甲二党员承诺", "甲二逾期"}


def test_search_outside_the_subtree_is_404(world, client_for):
    response = client_for("supervisor_above").get(reverse("pledges:search") + "?org=b1")
    assert response.status_code == 404


def test_search_constant_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("supervisor_above")
    url = reverse("pledges:search") + "?org=town-a"
    PledgeFactory(owner_org=world.branch_a1, published=True)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(25):
        PledgeFactory(owner_member=world.member if i % 2 else world.other_member, published=True)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    with django_assert_max_num_queries(12):
        client.get(url)


# --------------------------------------------------------------------------- pledge page


def action_names(text: str) -> set[str]:
    return {part.split('"')[0] for part in text.split('data-testid="action-')[1:]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("member", {"submit", "edit"}),
        ("secretary_same", {"submit", "edit"}),
        ("supervisor_above", set()),
    ],
)
def test_draft_page_shows_only_allowed_buttons(world, client_for, role, expected):
    pledge = PledgeFactory(owner_member=world.member)
    response = client_for(role).get(reverse("pledges:detail", args=[pledge.pk]))
    assert action_names(page_text(response)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("member", {"progress", "claim"}),
        ("secretary_same", {"progress", "claim", "withdraw"}),
        ("supervisor_above", set()),
        ("admin", {"withdraw"}),
    ],
)
def test_published_page_shows_only_allowed_buttons(world, client_for, role, expected):
    pledge = PledgeFactory(owner_member=world.member, published=True)
    response = client_for(role).get(reverse("pledges:detail", args=[pledge.pk]))
    assert action_names(page_text(response)) == expected


def test_submitted_org_pledge_buttons(world, client_for):
    pledge = PledgeFactory(owner_org=world.branch_a1, submitted=True)
    url = reverse("pledges:detail", args=[pledge.pk])
    assert action_names(page_text(client_for("supervisor_above").get(url))) == {"approve", "return"}
    assert action_names(page_text(client_for("secretary_same").get(url))) == set()


def test_timeline_newest_first_with_moves_and_progress(world, client_for):
    pledge = lifecycle.pledge_create(
        by=world.member.user,
        owner_member=world.member,
        campaign=world.campaign,
        title="走访",
        content="走访",
        target="完成 3 户走访",
        deadline=today() + datetime.timedelta(days=10),
        category=Pledge.Category.PEOPLE,
    )
    pledge = lifecycle.pledge_submit(pledge=pledge, by=world.member.user)
    pledge = lifecycle.pledge_return(pledge=pledge, by=world.secretary_same.user, reason="请写明时间安排")
    text = page_text(client_for("member").get(reverse("pledges:detail", args=[pledge.pk])))
    timeline = text.split('data-testid="timeline"')[1]
    labels = [str(lifecycle.MOVES[move]) for move in ("return", "submit", "create")]
    assert timeline.index(labels[0]) < timeline.index(labels[1]) < timeline.index(labels[2])
    assert "请写明时间安排" in timeline and "李书记" in timeline


def test_cross_branch_pledge_is_404(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, published=True)
    for role in ("secretary_other", "supervisor_sibling"):
        assert client_for(role).get(reverse("pledges:detail", args=[pledge.pk])).status_code == 404


# --------------------------------------------------------------------------- editing


def test_stale_edit_through_the_page(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, target="完成 3 户困难党员走访")
    url = reverse("pledges:edit", args=[pledge.pk])
    member_form = page_text(client_for("member").get(url))
    assert 'name="version" value="1"' in member_form
    client_for("secretary_same").post(url, form_data(world, target="完成 8 户困难党员走访", version="1"))
    response = client_for("member").post(url, form_data(world, target="完成 4 户困难党员走访", version="1"))
    text = page_text(response)
    assert response.status_code == 200
    assert 'data-testid="stale-changes"' in text
    assert "完成 3 户困难党员走访" in text and "完成 8 户困难党员走访" in text  # before and now
    assert 'name="version" value="2"' in text  # saving again is a knowing decision
    assert "完成 4 户困难党员走访" in text  # what the member typed is still there
    pledge.refresh_from_db()
    assert pledge.target == "完成 8 户困难党员走访"


def test_edit_saves_and_bumps_version(world, client_for):
    pledge = PledgeFactory(owner_member=world.member)
    url = reverse("pledges:edit", args=[pledge.pk])
    response = client_for("member").post(url, form_data(world, title="改过的标题", version=str(pledge.version)))
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.title, pledge.version) == ("改过的标题", 2)


def test_edit_posted_after_the_pledge_was_submitted_keeps_the_text(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, target="完成 3 户困难党员走访")
    url = reverse("pledges:edit", args=[pledge.pk])
    client_for("member").get(url)
    lifecycle.pledge_submit(pledge=pledge, by=world.secretary_same.user)
    response = client_for("member").post(url, form_data(world, target="完成 6 户困难党员走访", version="1"))
    text = page_text(response)
    assert response.status_code == 200
    assert "完成 6 户困难党员走访" in text  # what was typed is still on the page
    assert 'data-testid="save"' not in text
    assert 'data-testid="stale-changes"' in text  # the status change is listed
    pledge.refresh_from_db()
    assert (pledge.target, pledge.status) == ("完成 3 户困难党员走访", S.SUBMITTED)


def test_edit_of_a_published_pledge_is_forbidden(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, published=True)
    assert client_for("member").get(reverse("pledges:edit", args=[pledge.pk])).status_code == 403


# --------------------------------------------------------------------------- escaping

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_xss_in_every_text_field_is_escaped_on_every_page(world, client_for):
    member = MemberFactory(organization=world.branch_a1, name="<script>alert(1)</script>")
    pledge = PledgeFactory(
        owner_member=member,
        claimed=True,
        title=XSS,
        content=XSS,
        target=XSS,
        return_reason=XSS,
        closing_statement=XSS,
        withdraw_reason=XSS,
        explanation=XSS,
        deadline=today() - datetime.timedelta(days=1),
    )
    ProgressUpdateFactory(pledge=pledge, text=XSS)
    PledgeFactory(owner_member=world.member, published=True, title=XSS, target=XSS)
    submitted = PledgeFactory(owner_member=world.member, submitted=True, title=XSS, target=XSS, content=XSS)
    draft = PledgeFactory(owner_member=world.member, title=XSS, target=XSS, content=XSS)
    pages = [
        ("member", reverse("pledges:my_pledges")),
        ("secretary_same", reverse("pledges:branch_home")),
        ("secretary_same", reverse("pledges:verifications")),
        ("secretary_same", reverse("pledges:detail", args=[pledge.pk])),
        ("secretary_same", reverse("pledges:reject_completion", args=[pledge.pk])),
        ("supervisor_above", reverse("pledges:search")),
        ("secretary_same", reverse("pledges:create")),
        ("secretary_same", reverse("pledges:bulk_create")),
        ("secretary_same", reverse("pledges:approvals")),
        ("secretary_same", reverse("pledges:return", args=[submitted.pk])),
        ("member", reverse("pledges:detail", args=[submitted.pk])),
        ("member", reverse("pledges:edit", args=[draft.pk])),
    ]
    for role, url in pages:
        text = page_text(client_for(role).get(url))
        assert "<script>alert" not in text, url
        assert "<img src=x" not in text, url
        assert "&lt;script&gt;" in text, url


def test_submit_message_names_the_approver(world, client_for):
    pledge = PledgeFactory(owner_member=world.member)
    response = client_for("member").post(reverse("pledges:submit", args=[pledge.pk]), follow=True)
    assert "李书记" in page_text(response).split('class="messages"')[1].split("</div>")[0]


def test_submitter_who_approves_is_told_so_and_gets_the_button(world, client_for):
    pledge = PledgeFactory(owner_member=world.member)
    response = client_for("secretary_same").post(reverse("pledges:submit", args=[pledge.pk]), follow=True)
    text = page_text(response)
    assert "审核人" in text.split('class="messages"')[1].split("</div>")[0]
    assert "approve" in action_names(text)
