from tests.access import OK, Row, everyone, logged_in

ROWS = [
    Row("pledges:my_pledges", logged_in(OK)),
    Row("pledges:branch_home", logged_in(OK)),
    Row("pledges:search", logged_in(OK)),
    Row("board:board", everyone(OK), args=lambda w: [w.branch_a1.code]),
]


def _draft_of_member(world):
    from pledges.models import Pledge

    pledge = Pledge.objects.create(
        campaign=world.campaign,
        owner_member=world.member,
        title="走访困难党员",
        content="走访本村困难党员",
        target="完成 3 户困难党员走访",
        deadline=world.campaign.ends_on,
        category=Pledge.Category.PEOPLE,
        created_by=world.member.user,
    )
    return [pledge.pk]


ROWS.append(
    Row(
        "pledges:detail",
        logged_in(OK, secretary_other="not_found", supervisor_sibling="not_found"),
        args=_draft_of_member,
    )
)
