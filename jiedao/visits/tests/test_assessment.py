"""AI回访评估: the interface others call (assess_note, assess_notes), its follow-up suggestion, the
``jiedao assess-visit`` command's JSON lines, and that its model is a generated file rebuilt when stale.
The model is trained once per session into a temporary DATA_DIR."""

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.test import override_settings

from jiedao.visits import assessment
from jiedao.visits.assessment import TYPES, Assessment, assess_note, assess_notes, corpus, model
from jiedao.visits.management.commands.assess_visit import Command as AssessCommand
from jiedao.visits.management.commands.train_visit_assessment import Command as TrainCommand

ROOT = Path(__file__).resolve().parents[3]
HIGH = "一进门就闻到很重的煤气味，老人自己没感觉。老人独居，腿脚不便，下楼要扶着墙。"
ROUTINE = "王阿姨在家，正在包馄饨，说女儿周末刚来过。身体还可以，燃气用电都看过，没有问题。"


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """Train once into a temporary DATA_DIR; yields (data_dir, metrics)."""
    data_dir = tmp_path_factory.mktemp("assessment-data")
    with override_settings(DATA_DIR=data_dir):
        assessment.reset()
        metrics = assessment.train()
    assessment.reset()
    return data_dir, metrics


@pytest.fixture(autouse=True)
def data_dir(trained, settings):
    """Every test here assesses with the session's model."""
    settings.DATA_DIR = trained[0]
    return trained[0]


def assess_lines(*lines: str) -> list[dict]:
    out = io.StringIO()
    call_command(AssessCommand(), "-", "--json", stdin=io.StringIO("".join(f"{s}\n" for s in lines)), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


# The interface


def test_a_clearly_high_risk_note_is_high_with_its_types_and_evidence_from_the_note():
    a = assess_note(HIGH)
    assert isinstance(a, Assessment)
    assert a.risk == "高"
    assert set(a.types) == {"安全", "健康"}
    assert a.evidence and all(phrase in HIGH for phrase in a.evidence)
    assert any("煤气味" in phrase for phrase in a.evidence)
    assert any("腿脚不便" in phrase for phrase in a.evidence)
    assert a.evidence == sorted(a.evidence, key=HIGH.find)  # in the note's order
    assert 0.5 <= a.confidence <= 1


def test_a_note_is_as_grave_as_its_gravest_sentence():
    # HIGH is a gas smell, then a sentence about the old man's legs: the whole note reads less grave than its
    # first sentence, and the note takes the sentence's P(高)
    found = assessment.loaded_model()
    whole, _ = found.probabilities(found.features([HIGH]))
    first, _ = found.probabilities(found.features([HIGH.split("。")[0] + "。"]))
    a = assess_note(HIGH)
    assert whole[0, 2] < first[0, 2]
    assert a.risk == "高" and a.confidence == pytest.approx(first[0, 2])
    one_sentence = "老人说不想活了，药也不肯吃"  # a comma does not end a sentence: the whole note's figure
    alone, _ = found.probabilities(found.features([one_sentence]))
    assert assess_note(one_sentence).confidence == pytest.approx(alone[0, 2])


@pytest.mark.parametrize(("note", "kind"), [
    ("阿婆家厨房煤气味很重", "安全"),
    ("老人说不想活了", "心理"),
    ("老伯摔倒在地上起不来，没人发现", "健康"),
    ("家里没米了，两天没吃饭", "生活困难"),
])
def test_a_short_note_of_a_plain_danger_is_high(note, kind):
    a = assess_note(note)
    assert a.risk == "高" and kind in a.types


@pytest.mark.parametrize(("note", "risk", "kind"), [
    # a danger present now is 高 whenever it began or however often it comes back (round 8: 最近 read 中)
    ("李阿姨在家，腿脚不便，最近厨房里闻到煤气味，燃气软管发硬开裂。女儿每月来一次。", "高", "安全"),
    ("这几天插座一直冒火花。", "高", "安全"),
    ("上礼拜开始家里就停电了，老人一直点蜡烛。", "高", "安全"),
    ("老伯经常接到电话让他往安全账户转钱，今天又要去银行。", "高", "安全"),
    ("降压药吃完好几天了，这两天头晕。", "高", "健康"),
    # the same words on a danger that is over, and on a concern that can wait
    ("前几天插座冒过火花，电工昨天换了新插座，今天试过正常。", "低", None),
    ("王伯伯一个人住，最近腿脚不如以前，女儿每周来两次。", "中", "健康"),
])
def test_a_danger_is_as_grave_whenever_it_began(note, risk, kind):
    a = assess_note(note)
    assert a.risk == risk and (kind in a.types if kind else a.types == [])


def test_a_routine_note_is_low_with_no_types_and_no_follow_up():
    a = assess_note(ROUTINE)
    assert (a.risk, a.types, a.evidence, a.follow_up) == ("低", [], [], None)
    assert a.confidence >= 0.5


@pytest.mark.parametrize(("note", "risk", "types"), [
    ("老伴走了半年了，阿姨一个人在家闷得慌，说着说着就哭了，建议多来陪陪她。", "中", ["心理"]),
    ("楼道三楼转角堆了好多纸板箱和旧家具，影响通行，已劝说住户清理。", "中", ["环境"]),
    ("户主下岗在家，老婆生病，孩子读书，开销很紧，想申请低保。", "中", ["生活困难"]),
    ("老人说不想活了，活着拖累子女，已通知她女儿和街道心理咨询师。", "高", ["心理"]),
])
def test_notes_of_each_kind_get_their_risk_and_type(note, risk, types):
    a = assess_note(note)
    assert (a.risk, a.types) == (risk, types)
    assert a.evidence and all(phrase in note for phrase in a.evidence)


def test_a_high_note_suggests_a_task_within_three_days_and_for_safety_a_case_draft():
    a = assess_note("楼道里有人用飞线给电瓶车充电，电线从三楼窗户吊下来，插头就放在纸板箱上。")
    assert a.risk == "高" and "安全" in a.types
    assert a.follow_up is not None and a.follow_up.task_within_days == 3
    draft = a.follow_up.case_draft
    assert draft is not None
    assert (draft.category, draft.code) == ("飞线充电", "S0802")
    assert draft.description.startswith("走访发现：") and "飞线" in draft.description


def test_a_case_draft_without_a_fitting_category_has_none():
    a = assess_note("一进门就闻到很重的煤气味，已开窗关总阀，通知燃气公司上门检修。")
    assert a.risk == "高" and a.types == ["安全"]
    draft = a.follow_up.case_draft
    assert draft is not None and (draft.category, draft.code) == (None, None)


def test_a_high_note_of_health_alone_suggests_a_task_but_no_case():
    a = assess_note("上门发现老人跌坐在卫生间地上起不来，已经坐了一晚上，立即叫了救护车。")
    assert a.risk == "高" and a.types == ["健康"]
    assert a.follow_up is not None and a.follow_up.case_draft is None


def test_a_middle_note_suggests_nothing():
    assert assess_note("烟感报警器灯不亮了，估计没电，已联系物业换电池。").follow_up is None


@pytest.mark.parametrize("note", [
    "冬天冷，老两口在房间里生了个煤球炉子，窗户关得紧紧的，老太太说一早起来头昏想吐。",  # carbon monoxide
    "李老伯瘫痪在床，一直是老伴照顾，老伴前天住院了，家里没人做饭。",  # 失能, the carer gone
    "楼上的小媳妇怀孕三十四周，今天说下面有点出血，老公在外地。",  # bleeding in late pregnancy
])
def test_a_danger_told_without_a_danger_word_is_read_from_the_situation(note):
    a = assess_note(note)
    assert a.risk == "高"
    assert len(a.evidence) >= 2 and all(phrase in note for phrase in a.evidence)


def test_a_worry_about_later_is_not_a_danger_now():
    note = "老两口的儿子智力残疾，跟他们住，药按时吃，情绪稳定，老人担心以后自己走了他没人管。"
    assert assess_note(note).risk == "中"


def test_a_negated_or_solved_problem_is_not_evidence():
    a = assess_note("没有闻到煤气味，楼道无堆物，上个月说的漏水已经由物业修好了。")
    assert (a.risk, a.types, a.evidence) == ("低", [], [])


def test_an_empty_note_is_low_and_finds_nothing():
    assert assess_note("  ") == assessment.EMPTY and assess_note(None).types == []


def test_html_is_removed_and_evidence_comes_from_the_text():
    a = assess_note("<p>一进门就闻到很重的<b>煤气味</b></p><script>alert(1)</script>")
    assert a.risk == "高" and a.evidence == ["一进门就闻到很重的煤气味"]


def test_the_batch_answers_each_note_in_order_as_one_at_a_time_would():
    batch = assess_notes([HIGH, ROUTINE, "", HIGH])
    assert [a.risk for a in batch] == ["高", "低", "低", "高"]
    assert batch[0] == assess_note(HIGH) and batch[1] == assess_note(ROUTINE)
    assert all(set(a.types) <= set(TYPES) for a in batch)


def test_every_evidence_phrase_is_a_substring_of_its_note_and_types_fit_the_risk():
    notes = [note for path in (*model.HAND[:2], model.HELDOUT) for _, _, note in model.read_tsv(path)]
    for note, a in zip(notes, assess_notes(notes), strict=True):
        assert all(phrase and phrase in note for phrase in a.evidence), note
        assert (a.risk == "低") == (a.types == []), note
        assert set(a.evidence) == {p for phrases in a.evidence_by_type.values() for p in phrases}
        assert (a.follow_up is not None) == (a.risk == "高")


def test_the_batch_is_well_above_two_hundred_notes_a_second():
    notes = [f"{note}（{i}）" for i, (_, _, note) in enumerate(model.read_tsv(model.HAND[0]) * 4)]
    assess_notes(notes[:10])
    started = time.perf_counter()
    assess_notes(notes)
    assert len(notes) / (time.perf_counter() - started) >= 200


# The command


def test_the_command_prints_one_json_object_per_line_in_order():
    rows = assess_lines(HIGH, "", ROUTINE)
    assert len(rows) == 3
    assert set(rows[0]) == {"risk", "types", "confidence", "evidence"}
    assert rows[0]["risk"] == "高" and set(rows[0]["types"]) == {"健康", "安全"}
    assert all(phrase in HIGH for phrase in rows[0]["evidence"])
    assert rows[1] == {"risk": "低", "types": [], "confidence": 1.0, "evidence": []}
    assert rows[2]["risk"] == "低" and rows[2]["types"] == [] and rows[2]["evidence"] == []


def test_the_command_answers_a_note_given_as_arguments_in_words():
    out = io.StringIO()
    call_command(AssessCommand(), "楼道里飞线给电瓶车充电，插头就放在纸箱上", stdout=out)
    assert out.getvalue().startswith("风险 高") and "飞线充电" in out.getvalue()


def test_jiedao_assess_visit_reads_stdin_in_a_real_process(data_dir):
    env = dict(os.environ, JIEDAO_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="jiedao.settings_test")
    done = subprocess.run([sys.executable, "-m", "jiedao.cli", "assess-visit", "--json", "-"],
                          input=f"{HIGH}\n\n{ROUTINE}\n", capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120, check=True)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["risk"] for r in rows] == ["高", "低", "低"]


def test_train_visit_assessment_reports_the_held_out_figures(tmp_path, monkeypatch):
    figures = {"n": 172, "accuracy": 0.9, "high_recall": 0.96, "macro_f1": 0.85, "type_f1": {},
               "misses": [("高", ["安全"], "中", ["安全"], "某条记录")]}
    monkeypatch.setattr(assessment, "train", lambda path=None: {
        "notes": 100, "hand_notes": 7, "features": 10, "seconds": 1.5, "path": str(path), "heldout": figures,
        "dev": figures | {"n": 494, "accuracy": 0.99, "trained_on": True}})
    monkeypatch.setattr(assessment, "cross_validate", lambda: {"all": figures | {"n": 494, "accuracy": 0.95}})
    out = io.StringIO()
    call_command(TrainCommand(), "--output", str(tmp_path / "m.joblib"), "--misses", "--cv", stdout=out)
    text = out.getvalue()
    assert "100 条生成记录和 7 条手写记录" in text
    assert "留出集 172 条：风险准确率 90.0%" in text and "高风险召回率 96.0%" in text and "类型宏平均 F1 0.850" in text
    assert "开发集（已参与训练） 494 条：风险准确率 99.0%" in text
    assert "开发集（留一写作者验证） 494 条：风险准确率 95.0%" in text
    assert text.count("应为 高 安全，评为 中 安全：某条记录") == 1  # the held-out misses only


# The model file


def test_the_held_out_notes_are_never_trained_on_and_the_development_notes_are():
    generated = {n.text for n in corpus.generate()}
    held = {note for _, _, note in model.read_tsv(model.HELDOUT)}
    hand = {note for _, _, note in model.hand_rows()}
    assert model.HELDOUT.name == "heldout2.tsv" and len(held) >= 150
    assert not held & generated and not held & hand
    assert model.HELDOUT.name not in model.SOURCES  # a change to the held-out set never retrains the model
    development = {note for files in model.WRITERS.values() for name in files
                   for _, _, note in model.read_tsv(model.HERE / name)}
    assert hand == development and len(hand) >= 400
    assert {name for files in model.WRITERS.values() for name in files} <= set(model.SOURCES)


def test_the_held_out_labels_follow_the_rules_format():
    for risk, types, note in model.read_tsv(model.HELDOUT):
        assert risk in assessment.LEVELS and set(types) <= set(TYPES) and note
        assert (risk == "低") == (types == []), note


def test_the_later_held_out_sets_are_not_trained_on_and_follow_the_rules_format():
    trained = {name for files in model.WRITERS.values() for name in files}
    later = sorted(p for p in model.HERE.glob("heldout*.tsv") if p.name not in trained and p != model.HELDOUT)
    assert {p.name for p in later} >= {"heldout12.tsv", "heldout16.tsv"}
    hand = {note for _, _, note in model.hand_rows()}
    for path in later:
        rows = model.read_tsv(path)
        # only a stock phrase may be a training writer's too (一切正常。 is in train_f.tsv, heldout14 and 16)
        assert len(rows) == 240 and all(len(n) <= 6 for n in {note for _, _, note in rows} & hand), path.name
        assert [sum(r == level for r, _, _ in rows) for level in ("高", "中", "低")] == [60, 84, 96], path.name
        assert all(set(types) <= set(TYPES) and (risk == "低") == (types == []) for risk, types, _ in rows)


# The targets of issue 15, on the held-out set (heldout2.tsv): notes no one tuned on.


def test_the_held_out_figures_meet_the_targets(trained):
    held = trained[1]["heldout"]
    assert held["n"] >= 150
    assert held["accuracy"] >= 0.85
    assert held["high_recall"] >= 0.95
    assert held["macro_f1"] >= 0.80


def test_the_development_figures_are_of_notes_it_was_trained_on(trained):
    assert trained[1]["dev"]["trained_on"] is True
    assert trained[1]["hand_notes"] == len(model.hand_rows())


def test_cross_validation_holds_out_one_writer_at_a_time_and_never_trains_on_a_note_it_assesses(monkeypatch):
    ready = assessment.loaded_model()
    trained_on = []

    def fake_fit(*, hand):
        trained_on.append({note for _, _, note in hand})
        return ready

    assessed = []
    real_assess = assessment._assess

    def spy(found, texts):
        assessed.append(set(texts))
        return real_assess(found, texts)

    monkeypatch.setattr(model, "fit", fake_fit)
    monkeypatch.setattr(assessment, "_assess", spy)
    figures = assessment.cross_validate()
    everything = {note for _, _, note in model.hand_rows()}
    assert len(trained_on) == len(assessed) == len(model.WRITERS) >= 6
    for files, hand, texts in zip(model.WRITERS.values(), trained_on, assessed, strict=True):
        own = {note for name in files for _, _, note in model.read_tsv(model.HERE / name)}
        assert texts == own  # the writer's notes, all of them
        assert hand == everything - own  # and every other writer's, none of theirs
    assert figures["all"]["n"] == len(model.hand_rows())
    assert sum(figures[writer]["n"] for writer in model.WRITERS) == figures["all"]["n"]


def test_high_needs_its_threshold_and_to_be_no_less_likely_than_low():
    types = np.array([0.9, 0.1, 0.1, 0.1, 0.1])
    assert model.decide(np.array([0.1, 0.6, model.HIGH_THRESHOLD]), types)[0] == "高"  # recall first
    assert model.decide(np.array([0.1, 0.6, model.HIGH_THRESHOLD - 0.01]), types)[0] == "中"
    assert model.decide(np.array([0.45, 0.15, 0.40]), types)[0] == "低"  # 低 likelier: not 高
    assert model.decide(np.array([0.40, 0.20, 0.40]), types)[0] == "高"
    assert model.decide(np.array([0.40, 0.20, 0.40]), types)[1] == ["健康"]
    assert model.decide(np.array([0.5, 0.3, 0.2]), types) == ("低", [], 0.5)


def test_only_a_sentence_that_names_a_danger_can_make_a_note_graver():
    # 已联系其子女 alone reads as 高 (said mostly after a danger in the hand-written notes); a routine note that
    # ends with it keeps the whole note's figure
    found = assessment.loaded_model()
    routine = "王阿姨在家，刚吃过饭。家里收拾得整整齐齐。已联系其子女。"
    alone, _ = found.probabilities(found.features(["已联系其子女。"]))
    whole, _ = found.probabilities(found.features([routine]))
    risk, _ = found.assess([routine])
    assert alone[0, 2] > whole[0, 2] and risk[0, 2] == pytest.approx(whole[0, 2])


def test_the_corpus_is_deterministic_and_fully_expanded():
    first = list(corpus.generate(count=300))
    assert first == list(corpus.generate(count=300))
    assert first != list(corpus.generate(count=300, seed=1))
    assert not [n.text for n in first if any(ch in n.text for ch in "{}[]|")]
    assert {n.risk for n in first} == {"低", "中", "高"}
    assert all((n.risk == "低") == (n.types == ()) for n in first)


def test_the_model_is_generated_under_data_dir_and_not_committed(data_dir):
    assert assessment.model_path() == data_dir / "models" / "visit_assessment.joblib"
    assert assessment.model_path().is_file()
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert not [path for path in tracked.splitlines() if path.endswith(".joblib")]


def test_a_stale_model_file_is_rebuilt_on_first_use_once(tmp_path, settings, monkeypatch):
    ready = assessment.loaded_model()
    stale = model.Model(vectoriser=ready.vectoriser, risk=ready.risk, types=ready.types, fingerprint="old",
                        metrics={})
    model.save(stale, tmp_path / "models" / "visit_assessment.joblib")
    assert model.load(tmp_path / "models" / "visit_assessment.joblib") is None
    calls = []

    def fake_fit():
        calls.append(1)
        return model.Model(vectoriser=ready.vectoriser, risk=ready.risk, types=ready.types,
                           fingerprint=model.fingerprint(), metrics={})

    monkeypatch.setattr(model, "fit", fake_fit)
    settings.DATA_DIR = tmp_path
    assessment.reset()
    threads = [threading.Thread(target=assess_note, args=(HIGH,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    rebuilt = model.load(tmp_path / "models" / "visit_assessment.joblib")
    assert rebuilt is not None and rebuilt.fingerprint == model.fingerprint()
    assessment.reset()


def test_an_unreadable_or_missing_model_file_is_not_loaded(tmp_path):
    (tmp_path / "broken.joblib").write_bytes(b"not a model")
    assert model.load(tmp_path / "broken.joblib") is None
    assert model.load(tmp_path / "missing.joblib") is None


def test_the_fingerprint_follows_the_corpus_sources(monkeypatch, tmp_path):
    before = model.fingerprint()
    changed = tmp_path / "corpus.py"
    changed.write_text((model.HERE / "corpus.py").read_text() + "\n# changed\n")
    monkeypatch.setattr(model, "HERE", tmp_path)
    for name in model.SOURCES:
        if name != "corpus.py":
            (tmp_path / name).write_bytes((Path(corpus.__file__).parent / name).read_bytes())
    assert model.fingerprint() != before


def test_an_unwritable_data_dir_does_not_stop_assessment(tmp_path, settings, monkeypatch):
    ready = assessment.loaded_model()
    monkeypatch.setattr(model, "fit", lambda: ready)

    def refuse(*args):
        raise PermissionError("read-only")

    monkeypatch.setattr(model, "save", refuse)
    settings.DATA_DIR = tmp_path
    assessment.reset()
    assert assess_note(HIGH).risk == "高"
    with pytest.raises(PermissionError):
        assessment.train()
    assessment.reset()
