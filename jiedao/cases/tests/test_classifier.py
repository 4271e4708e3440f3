"""The case classifier (案件分类器): accuracy on the hand-written held-out set, its interface, its commands,
and that its model is a generated file. The model is trained once per session into a temporary DATA_DIR."""

import io
import json
import os
import random
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from jiedao.cases import classifier
from jiedao.cases.classifier import corpus, model
from jiedao.cases.management.commands.classify import EMPTY
from jiedao.cases.management.commands.classify import Command as ClassifyCommand
from jiedao.cases.management.commands.train_classifier import Command as TrainCommand
from jiedao.cases.taxonomy import CLASSIFIED

ROOT = Path(__file__).resolve().parents[3]
DEV = model.HERE / "dev.tsv"


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """Train once into a temporary DATA_DIR; yields (data_dir, metrics)."""
    data_dir = tmp_path_factory.mktemp("classifier-data")
    with override_settings(DATA_DIR=data_dir):
        classifier.reset()
        metrics = classifier.train()
    classifier.reset()
    return data_dir, metrics


@pytest.fixture(autouse=True)
def data_dir(trained, settings):
    """Every test here classifies with the session's model."""
    settings.DATA_DIR = trained[0]
    return trained[0]


def classify_lines(*lines: str) -> list[dict]:
    out = io.StringIO()
    call_command(ClassifyCommand(), "-", "--json", stdin=io.StringIO("".join(f"{s}\n" for s in lines)), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


# Accuracy


def test_the_held_out_set_meets_the_issue_targets(trained):
    heldout = trained[1]["heldout"]
    assert heldout["n"] >= 290
    assert heldout["top1"] >= 0.90, heldout["misses"]
    assert heldout["top3"] >= 0.98, heldout["misses"]


def test_the_held_out_set_has_at_least_ten_texts_of_every_category():
    counts = Counter(category for category, _ in model.read_tsv(model.HELDOUT))
    assert set(counts) == set(CLASSIFIED)
    assert min(counts.values()) >= 10


def test_no_held_out_text_is_in_the_training_corpus():
    generated = {text for _, text in corpus.generate()}
    held = {text for _, text in model.read_tsv(model.HELDOUT)} | {text for _, text in model.read_tsv(DEV)}
    assert not held & generated


def test_the_development_set_stays_above_the_targets():
    result = model.evaluate(classifier.loaded_model(), model.read_tsv(DEV))
    assert result["n"] >= 200
    assert result["top1"] >= 0.90 and result["top3"] >= 0.98, result["misses"]


def test_every_category_is_reachable():
    loaded = classifier.loaded_model()
    assert sorted(loaded.classes) == sorted(CLASSIFIED)
    rows = model.read_tsv(model.HELDOUT)
    suggested = {s.category for s in classifier.classify_many([text for _, text in rows])}
    assert suggested == set(CLASSIFIED)


# Interface


def test_a_suggestion_has_the_code_a_confidence_and_two_other_alternatives_in_order():
    s = classifier.classify("楼上邻居半夜还在装修，电钻声吵得睡不着")
    assert (s.category, s.code) == ("噪音扰民", CLASSIFIED["噪音扰民"])
    assert 0 < s.confidence <= 1
    assert len(s.alternatives) == 2
    names = [name for name, _ in s.alternatives]
    assert s.category not in names and len(set(names)) == 2 and set(names) <= set(CLASSIFIED)
    confidences = [s.confidence] + [p for _, p in s.alternatives]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) <= 1 + 1e-6


@pytest.mark.parametrize("text, expected", [
    ("楼上邻居家的狗整夜叫个不停，吵得我们睡不着觉", "犬只扰民"),
    ("市民来电反映：兰溪路200弄5号楼下有人从窗口拉电线下来给电瓶车充电，要求相关部门尽快处理。", "飞线充电"),
    ("曹杨五村有户人家把电动自行车推进电梯带回家", "电瓶车入梯"),
    ("小区消防通道上停满了私家车", "消防通道占用"),
    ("隔壁独居的阿婆好几天没见了，敲门没人应，报纸堆在门口", "独居老人异常"),
    ("一楼住宅改成了小饭店对外营业", "居改非"),
    ("二房东把一套房子隔成六间，住了十几个人", "群租"),
])
def test_typical_texts_of_confusable_categories(text, expected):
    assert classifier.classify(text).category == expected


def test_html_tags_and_script_content_are_stripped():
    plain = classifier.classify("小区门口垃圾堆了好几天")
    dirty = classifier.classify("<script>alert('电梯坏了')</script><p>小区门口<b>垃圾</b>堆了好几天</p>&nbsp;")
    assert dirty == plain


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None, "<p> </p>", "<script>噪音</script>"])
def test_empty_text_gives_no_suggestion(text):
    assert classifier.classify(text) is None


def test_classify_many_keeps_order_and_matches_classify():
    texts = ["井盖不见了", "", "电梯困人", None, "物业费涨价"]
    many = classifier.classify_many(texts)
    ones = [classifier.classify(t) for t in texts]  # one text at a time takes the hand-written path
    assert [s and (s.code, [n for n, _ in s.alternatives]) for s in many] == \
        [s and (s.code, [n for n, _ in s.alternatives]) for s in ones]
    for a, b in zip(many, ones, strict=True):
        if a is not None:
            assert a.confidence == pytest.approx(b.confidence, abs=1e-6)
            assert [c for _, c in a.alternatives] == pytest.approx([c for _, c in b.alternatives], abs=1e-6)
    assert [s and s.category for s in many] == ["井盖问题", None, "电梯故障", None, "物业纠纷"]


def test_the_one_text_path_gives_the_pipelines_probabilities():
    import numpy as np

    from jiedao.cases.classifier.text import clean

    loaded = classifier.loaded_model()
    texts = [clean(text) for _, text in model.read_tsv(model.HERE / "heldout.tsv")]
    texts += ["", "§§§", "ABC 123"]  # no known n-gram: the intercepts alone decide
    batch = loaded.pipeline.predict_proba(texts)
    one = np.vstack([loaded.probabilities([text]) for text in texts])
    assert one.shape == batch.shape
    assert np.abs(one - batch).max() < 1e-5
    assert (one.argmax(axis=1) == batch.argmax(axis=1)).all()


# Commands


def test_the_command_prints_one_json_line_per_stdin_line(data_dir):
    rows = classify_lines("楼下饭店油烟太大", "", "路灯不亮", "   ")
    assert len(rows) == 4
    assert rows[1] == rows[3] == EMPTY == {"category": None, "code": None, "confidence": 0.0, "alternatives": []}
    first = rows[0]
    assert list(first) == ["category", "code", "confidence", "alternatives"]
    assert (first["category"], first["code"]) == ("餐饮油烟", "S0104")
    assert [list(a) for a in first["alternatives"]] == [["category", "confidence"]] * 2
    assert first["confidence"] >= first["alternatives"][0]["confidence"] >= first["alternatives"][1]["confidence"]
    assert rows[2]["category"] == "路灯损坏"


def test_the_command_batches_stdin_without_losing_lines():
    out = io.StringIO()
    lines = ["电梯坏了", "", "狗叫"] * 5
    call_command(ClassifyCommand(), "-", "--json", "--batch", "4", stdin=io.StringIO("\n".join(lines)), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["category"] for r in rows] == ["电梯故障", None, "犬只扰民"] * 5


def test_the_command_takes_the_text_as_arguments_and_prints_a_readable_line():
    out = io.StringIO()
    call_command(ClassifyCommand(), "楼下", "饭店油烟太大", stdout=out)
    assert out.getvalue().startswith("餐饮油烟（S0104）") and "备选" in out.getvalue()
    out = io.StringIO()
    call_command(ClassifyCommand(), "路灯不亮", "--json", stdout=out)
    assert json.loads(out.getvalue())["category"] == "路灯损坏"


def test_the_command_without_text_explains_what_to_give():
    with pytest.raises(CommandError, match="标准输入"):
        call_command(ClassifyCommand(), stdout=io.StringIO())


def test_the_console_script_reads_stdin(data_dir):
    env = dict(os.environ, JIEDAO_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="jiedao.settings_test")
    done = subprocess.run([sys.executable, "-m", "jiedao.cli", "classify", "--json", "-"], input="电梯困人\n\n",
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["category"] for r in rows] == ["电梯故障", None]


def test_train_classifier_reports_the_held_out_accuracy(tmp_path, monkeypatch):
    monkeypatch.setattr(classifier, "train", lambda path=None: {
        "texts": 100, "categories": 29, "features": 10, "seconds": 1.5, "path": str(path),
        "heldout": {"n": 348, "top1": 0.95, "top3": 0.99, "misses": [("群租", "居改非", "某文字")]},
    })
    out = io.StringIO()
    call_command(TrainCommand(), "--output", str(tmp_path / "m.joblib"), "--misses", stdout=out)
    assert "首选正确率 95.0%" in out.getvalue() and "前三正确率 99.0%" in out.getvalue()
    assert "应为 群租，分为 居改非：某文字" in out.getvalue()


# The model file


def test_the_model_is_generated_under_data_dir_and_not_committed(data_dir):
    assert classifier.model_path() == data_dir / "models" / "classifier.joblib"
    assert classifier.model_path().is_file()
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert not [path for path in tracked.splitlines() if path.endswith(".joblib")]


def test_a_missing_model_is_trained_on_first_use_once(tmp_path, settings, monkeypatch):
    ready = classifier.loaded_model()
    calls = []

    def fake_fit():
        calls.append(1)
        return ready

    monkeypatch.setattr(model, "fit", fake_fit)
    settings.DATA_DIR = tmp_path
    classifier.reset()
    threads = [threading.Thread(target=classifier.classify, args=("电梯坏了",)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    assert (tmp_path / "models" / "classifier.joblib").is_file()
    classifier.reset()


def test_an_unwritable_data_dir_does_not_stop_classification(tmp_path, settings, monkeypatch):
    ready = classifier.loaded_model()
    monkeypatch.setattr(model, "fit", lambda: ready)

    def refuse(*args):
        raise PermissionError("read-only")

    monkeypatch.setattr(model, "save", refuse)
    settings.DATA_DIR = tmp_path
    classifier.reset()
    assert classifier.classify("电梯坏了").category == "电梯故障"
    with pytest.raises(PermissionError):
        classifier.train()
    classifier.reset()


def test_an_out_of_date_model_is_not_loaded(tmp_path):
    stale = model.Model(pipeline=classifier.loaded_model().pipeline, fingerprint="old", metrics={})
    model.save(stale, tmp_path / "m.joblib")
    assert model.load(tmp_path / "m.joblib") is None
    (tmp_path / "broken.joblib").write_bytes(b"not a model")
    assert model.load(tmp_path / "broken.joblib") is None
    assert model.load(tmp_path / "missing.joblib") is None


# The corpus


def test_the_corpus_is_deterministic_and_fully_expanded():
    first = list(corpus.generate(count=50))
    assert first == list(corpus.generate(count=50))
    assert first != list(corpus.generate(count=50, seed=1))
    counts = Counter(category for category, _ in first)
    assert set(counts) == set(CLASSIFIED) and set(counts.values()) == {50}
    leftovers = [text for _, text in first if any(ch in text for ch in "{}[]|")]
    assert not leftovers


def test_every_template_expands_with_known_slots():
    for name in CLASSIFIED:
        parts = corpus.category_parts(name)
        expand = corpus.expander(parts, random.Random(0))
        for slot in ("fact", "short", "effect", "ask"):
            for template in parts[slot]:
                text = expand(template)
                assert text and not any(ch in text for ch in "{}[]|"), (name, template)
