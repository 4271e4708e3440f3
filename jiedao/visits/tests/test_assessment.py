"""AI回访评估: the interface others call (assess_note, assess_notes), its follow-up suggestion and the
``jiedao assess-visit`` command's JSON lines."""

import io
import json

from django.core.management import call_command

from jiedao.visits.assessment import TYPES, Assessment, assess_note, assess_notes
from jiedao.visits.management.commands.assess_visit import Command as AssessCommand

HIGH = "一进门就闻到很重的煤气味，老人自己没感觉。老人独居，腿脚不便，下楼要扶着墙。"
ROUTINE = "王阿姨在家，正在包馄饨，说女儿周末刚来过。身体还可以，燃气用电都看过，没有问题。"


def assess_lines(*lines: str) -> list[dict]:
    out = io.StringIO()
    call_command(AssessCommand(), "-", "--json", stdin=io.StringIO("".join(f"{s}\n" for s in lines)), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_clearly_high_risk_note_is_high_with_its_types_and_evidence_from_the_note():
    a = assess_note(HIGH)
    assert isinstance(a, Assessment)
    assert a.risk == "高"
    assert set(a.types) == {"安全", "健康"}
    assert a.evidence and all(phrase in HIGH for phrase in a.evidence)
    assert any("煤气味" in phrase for phrase in a.evidence)
    assert any("腿脚不便" in phrase for phrase in a.evidence)
    assert 0 <= a.confidence <= 1


def test_a_routine_note_is_low_with_no_types_and_no_follow_up():
    a = assess_note(ROUTINE)
    assert (a.risk, a.types, a.evidence, a.follow_up) == ("低", [], [], None)


def test_a_high_note_suggests_a_task_within_three_days_and_for_safety_a_case_draft():
    a = assess_note("楼道里有人用飞线给电瓶车充电，电线从三楼窗户吊下来，插头就放在纸板箱上。")
    assert a.risk == "高"
    assert a.follow_up is not None and a.follow_up.task_within_days == 3
    draft = a.follow_up.case_draft
    assert draft is not None
    assert (draft.category, draft.code) == ("飞线充电", "S0802")
    assert "飞线" in draft.description


def test_a_high_note_of_health_alone_suggests_a_task_but_no_case():
    a = assess_note("上门发现老人跌坐在卫生间地上起不来，已经坐了一晚上，立即叫了救护车。")
    assert a.risk == "高" and a.types == ["健康"]
    assert a.follow_up is not None and a.follow_up.case_draft is None


def test_a_negated_or_solved_problem_is_not_evidence():
    a = assess_note("没有闻到煤气味，楼道无堆物，上个月说的漏水已经由物业修好了。")
    assert (a.risk, a.types) == ("低", [])


def test_an_empty_note_is_low_and_finds_nothing():
    assert assess_note("  ").risk == "低" and assess_note(None).types == []


def test_the_batch_answers_each_note_in_order():
    batch = assess_notes([HIGH, ROUTINE, "", HIGH])
    assert [a.risk for a in batch] == ["高", "低", "低", "高"]
    assert batch[0] == assess_note(HIGH)
    assert all(set(a.types) <= set(TYPES) for a in batch)


def test_the_command_prints_one_json_object_per_line_in_order():
    rows = assess_lines(HIGH, "", ROUTINE)
    assert len(rows) == 3
    assert set(rows[0]) == {"risk", "types", "confidence", "evidence"}
    assert rows[0]["risk"] == "高" and set(rows[0]["types"]) == {"健康", "安全"}
    assert all(phrase in HIGH for phrase in rows[0]["evidence"])
    assert rows[1] == {"risk": "低", "types": [], "confidence": rows[1]["confidence"], "evidence": []}
    assert rows[2]["risk"] == "低" and rows[2]["types"] == []


def test_the_command_answers_a_note_given_as_arguments_in_words():
    out = io.StringIO()
    call_command(AssessCommand(), "楼道里飞线给电瓶车充电", stdout=out)
    assert out.getvalue().startswith("风险 高") and "飞线充电" in out.getvalue()
