"""The cue lexicon of the visit assessment (lexicon.py): pure functions, no model, no database."""

import pytest

from jiedao.visits.assessment import lexicon


def _found(note: str) -> set[tuple[str, str]]:
    return {(hit.type, hit.level) for hit in lexicon.hits(note)}


@pytest.mark.parametrize("note", [
    "厨房天花板渗水的事，物业上礼拜来修好了，这几天没再滴",  # a topic, then its fix
    "上个月有人冒充银行打电话要转账，阿姨当场挂掉，卡里钱都在",  # a past event turned away
    "楼道里堆纸箱的问题，楼组长讲过以后都清掉了",
    "马桶堵过一次，师傅疏通后没再返水",  # told as past with 过一次
    "前阵子老伴和儿子常吵架，社工调解过，现在和好了",
])
def test_a_problem_told_as_over_gives_no_cue(note):
    assert _found(note) == set()
    assert lexicon.state_counts(note)["resolved"] >= 1


def test_a_new_problem_after_a_turn_still_counts():
    note = "上次漏水的事，物业已经修好了，但今天一进门就闻到煤气味"
    assert ("安全", "高") in _found(note)
    assert ("环境", "中") not in _found(note)  # the leak is over


def test_a_problem_said_now_is_not_over_because_something_else_was_fixed():
    note = "楼道里堆满了纸箱，顶到了电表箱，门口的灯物业已经换好了"
    assert ("环境", "中") in _found(note)


def test_a_discharge_or_a_move_is_not_an_end_of_being_alone():
    assert ("健康", "高") in _found("老人刚出院了，一个人在家没人照顾")
    assert ("健康", "高") in _found("儿子搬到外地去了，老人卧床没人照顾")


def test_a_problem_that_goes_on_is_not_over():
    note = "上个月的漏水还在滴，物业已经处理过一次"
    assert ("环境", "中") in _found(note)


@pytest.mark.parametrize(("note", "expected"), [
    ("推销员讲合同签好了，一直催着老人去银行取钱付尾款", ("安全", "高")),  # fraud told as a purchase
    ("女婿喝了酒，把老人反锁在阳台上，过了半天才放出来", ("安全", "高")),  # locked in: violence
    ("女婿喝了酒，把老人反锁在阳台上，过了半天才放出来", ("心理", "高")),
    ("这家人上周被房东赶出来，这几天睡在地下通道里", ("生活困难", "高")),  # without a roof now
    ("楼上的水顺着墙流到了插座上，一插电就冒火花", ("安全", "高")),  # water onto a socket
])
def test_dangers_told_as_everyday_events_are_cues(note, expected):
    assert expected in _found(note)


def test_locking_oneself_in_is_not_violence():
    found = _found("孩子考试没考好，把自己锁在房间里不出来")
    assert ("心理", "中") in found and ("安全", "高") not in found


def test_an_organ_is_not_dirt():
    assert ("环境", "中") not in _found("心脏支架放了好几年，按时吃药")
