"""The quality gate against vague pledges (笼统, 可操作性不强). Used by the forms and the services.

The rule, in short:

1. The measurable target (预期目标) must be checkable by a third party. It passes when it has
   - a number: Arabic digits (half- or full-width) or a percentage, e.g. "走访 5 户", "提高 10%"; or
   - a Chinese numeral followed by a measure word, e.g. "三户", "两次", "十二名" (a bare 一 in
     "进一步" or "统一" does not count); or
   - a concrete deliverable: something that exists when the pledge is kept, e.g. "建成…", "制定…制度",
     "建立…台账", "编制…方案", "…投入使用", "…竣工".
   A target that fails names the missing part and gives an example; when it leans on a slogan such
   as "进一步加强" or "积极参与" the message names that phrase too.
2. The deadline lies inside the campaign, and a new deadline is not in the past.
3. Title and target do not repeat another pledge of the same owner in the same campaign, compared
   after normalisation (full-/half-width, case, spaces and punctuation ignored).
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
MEASURE_WORDS = "个户次项份名人位场条篇期件台套座处家所间米元亩株棵批辆盏块组支队门节课堂期天周月年小时公里平方"
NUMBER_RE = re.compile(rf"\d|%|％|[{CN_DIGITS}]+\s*[{MEASURE_WORDS}]")

DELIVERABLE_RES = [
    re.compile(pattern)
    for pattern in (
        r"建成",
        r"完成.{0,20}(建设|改造|修缮|硬化|安装|编制|制定|验收)",
        r"(建立|健全|完善|制定|出台|修订|印发|编制).{0,15}(制度|机制|台账|档案|方案|规划|办法|细则|公约|手册|清单)",
        r"台账",
        r"(投入使用|竣工|通车|通水|通电|挂牌|开通|验收合格)",
    )
]

VAGUE_PHRASES = (
    "进一步加强",
    "进一步提高",
    "进一步提升",
    "进一步改善",
    "努力提高",
    "努力提升",
    "努力做好",
    "积极参与",
    "积极配合",
    "大力推进",
    "大力加强",
    "不断提升",
    "不断提高",
    "切实加强",
    "全面提升",
    "全面加强",
    "力争",
)

_PUNCT_CATEGORIES = ("P", "S", "Z")


def normalize(text: str) -> str:
    """Text as compared for repeats: NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith(_PUNCT_CATEGORIES))


def has_number(text: str) -> bool:
    return bool(NUMBER_RE.search(unicodedata.normalize("NFKC", text or "")))


def has_deliverable(text: str) -> bool:
    return any(pattern.search(text or "") for pattern in DELIVERABLE_RES)


def is_measurable(text: str) -> bool:
    return has_number(text) or has_deliverable(text)


def vague_phrases_in(text: str) -> list[str]:
    return [phrase for phrase in VAGUE_PHRASES if phrase in (text or "")]


def target_problems(target: str) -> list[str]:
    """Messages for a target that names neither a number nor a concrete deliverable (empty when fine)."""
    if not (target or "").strip() or is_measurable(target):
        return []
    vague = vague_phrases_in(target)
    if vague:
        return [
            _(
                "“%(phrase)s” alone cannot be checked. Say what will be done and how much, "
                "for example: “完成 3 户困难党员走访” instead of “进一步加强联系群众”."
            )
            % {"phrase": vague[0]}
        ]
    return [
        _(
            "The target needs a measurable number or a concrete result, "
            "for example: “完成 3 户困难党员走访” or “建立村务公开台账”."
        )
    ]


def deadline_problems(deadline: datetime.date | None, campaign, *, is_new: bool = True) -> list[str]:
    if deadline is None or campaign is None:
        return []
    problems = []
    if not campaign.contains(deadline):
        problems.append(
            _("The deadline must lie inside the campaign, between %(start)s and %(end)s.")
            % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()}
        )
    if is_new and deadline < timezone.localdate():
        problems.append(_("The deadline has already passed; choose a day from today on."))
    return problems


def repeat_problems(*, campaign, owner_org, owner_member, title: str, target: str, exclude_pk=None) -> dict:
    """Field → messages when title or target repeats another pledge of the same owner in the campaign."""
    from pledges.models import Pledge

    if campaign is None or (owner_org is None and owner_member is None):
        return {}
    others = Pledge.objects.filter(campaign=campaign).exclude(status=Pledge.Status.WITHDRAWN)
    others = others.filter(owner_org=owner_org) if owner_org is not None else others.filter(owner_member=owner_member)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    title_key, target_key = normalize(title), normalize(target)
    problems: dict[str, list[str]] = {}
    for other_title, other_target in others.values_list("title", "target"):
        if title_key and normalize(other_title) == title_key and "title" not in problems:
            problems["title"] = [
                _("This owner already has a pledge titled “%(title)s” in this campaign; give this one its own title.")
                % {"title": other_title}
            ]
        if target_key and normalize(other_target) == target_key and "target" not in problems:
            problems["target"] = [
                _("This target repeats another pledge of the same owner in this campaign; set a different target.")
            ]
    return problems


def pledge_problems(
    *,
    campaign,
    owner_org=None,
    owner_member=None,
    title: str,
    target: str,
    deadline: datetime.date | None,
    exclude_pk=None,
    deadline_is_new: bool = True,
) -> dict[str, list[str]]:
    """All quality-gate messages for a pledge, by form field name (empty dict: the pledge passes)."""
    problems: dict[str, list[str]] = {}
    if found := target_problems(target):
        problems["target"] = found
    if found := deadline_problems(deadline, campaign, is_new=deadline_is_new):
        problems["deadline"] = found
    for name, messages in repeat_problems(
        campaign=campaign,
        owner_org=owner_org,
        owner_member=owner_member,
        title=title,
        target=target,
        exclude_pk=exclude_pk,
    ).items():
        problems.setdefault(name, []).extend(messages)
    return problems
