"""The quality gate: which targets pass, which are flagged, and what the message says."""

import pytest

from pledges.services import quality


@pytest.mark.parametrize(
    "target",
    [
        "完成 3 户困难党员走访",
        "走访困难党员三户",
        "开展两次政策宣讲",
        "组织志愿服务十二场",
        "村集体收入提高 10%",
        "完成５次走访",  # full-width digit
        "建成村级便民服务站",
        "制定村务公开管理制度",
        "建立困难群众帮扶台账",
        "文化广场年底前投入使用",
        "进一步加强联系群众，走访 20 户",  # a slogan with a number is fine
    ],
)
def test_measurable_targets_pass(target):
    assert quality.target_problems(target) == []


@pytest.mark.parametrize(
    ("target", "phrase"),
    [
        ("进一步加强联系群众", "进一步加强"),
        ("努力提高服务水平", "努力提高"),
        ("积极参与社区活动", "积极参与"),
        ("全面提升党建工作质量", "全面提升"),
    ],
)
def test_vague_phrases_are_named(target, phrase):
    [message] = quality.target_problems(target)
    assert phrase in message
    assert "完成 3 户困难党员走访" in message  # and an example of what to write instead


@pytest.mark.parametrize("target", ["做好群众工作", "统一思想，提高认识", "服务好群众"])
def test_no_number_no_deliverable_is_flagged(target):
    [message] = quality.target_problems(target)
    assert "完成 3 户困难党员走访" in message


def test_bare_one_inside_a_word_is_not_a_number():
    assert not quality.has_number("进一步统一思想")
    assert quality.has_number("开展一次主题党日")


def test_normalize_ignores_width_case_spaces_and_punctuation():
    assert quality.normalize(" 完成３户 走访！") == quality.normalize("完成3户走访")
    assert quality.normalize("ABC") == quality.normalize("abc")
