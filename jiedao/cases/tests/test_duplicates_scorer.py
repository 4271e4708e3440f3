"""The duplicate scorer (疑似重复评分): its figures on the hand-written held-out pairs, its text features, its
learned weights, its commands, and that it is a generated file rebuilt when stale."""

import datetime as dt
import io
import shutil
import threading

import pytest
from django.conf import settings
from django.core.management import call_command

from jiedao.cases import classifier, duplicates
from jiedao.cases.classifier import corpus
from jiedao.cases.classifier import model as classifier_model
from jiedao.cases.duplicates import model
from jiedao.cases.duplicates.features import Side, cosine
from jiedao.cases.management.commands.train_classifier import Command as TrainClassifier
from jiedao.cases.management.commands.train_duplicates import Command as TrainDuplicates

HELDOUT = model.read_heldout(model.HELDOUT)


@pytest.fixture(scope="module")
def loaded():
    """The scorer and text space of the DATA_DIR (trained here when missing or stale), and the classifier."""
    scorer, space = duplicates.loaded()
    return scorer, space, classifier.loaded_model()


# The held-out pairs


def test_the_held_out_pairs_meet_the_issue_targets(loaded):
    scorer, space, reader = loaded
    result = model.evaluate(scorer, space, reader, HELDOUT)
    assert result["same"]["n"] >= 40 and result["different"]["n"] >= 40
    assert result["same"]["flagged"] >= 0.80, result["same"]["wrong"]
    assert result["different"]["flagged"] <= 0.10, result["different"]["wrong"]


def test_the_held_out_pairs_span_channels_and_categories_and_are_not_generated_text(loaded):
    _scorer, _space, reader = loaded
    same = [p for p in HELDOUT if p.same]
    assert {p.channel_a for p in same} | {p.channel_b for p in same} == {"hotline", "patrol", "resident", "sensor"}
    assert sum("sensor" in (p.channel_a, p.channel_b) for p in same) >= 8
    texts = [t for p in HELDOUT for t in (p.text_a, p.text_b)]
    suggested = model.suggestions(reader, texts)
    assert len({suggested[t]["category"] for t in texts}) >= 20
    assert all(p.text_a != p.text_b for p in HELDOUT)
    generated = {text for _, text in corpus.generate()}
    assert not set(texts) & generated


# The features


def test_the_text_space_reads_texts_as_the_classifier_does(loaded):
    _scorer, space, reader = loaded
    analyse = reader.pipeline.named_steps["tfidf"].build_analyzer()
    texts = [t for p in HELDOUT for t in (p.text_a, p.text_b)]
    texts += [t for _, t in classifier_model.read_tsv(classifier_model.HERE / "dev.tsv")]
    assert all(space.grams(t) == analyse(t) for t in texts)
    lamp = space.profile("小区门口的路灯坏了，晚上一片漆黑")
    assert cosine(lamp, lamp) == pytest.approx(1.0)
    assert cosine(lamp, space.profile("大门口那盏灯不亮了")) > cosine(lamp, space.profile("楼下饭店油烟很大"))
    assert space.profile("灯").characters == 1 and space.profile("<b>路灯</b>!!").characters == 2


def side(space, text, category, *, building=1, metres=0.0, hours=0.0, confirmed=False):
    at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC) - dt.timedelta(hours=hours)
    categories = {category: 1.0} if confirmed else {category: 0.9}
    return Side(building_id=building, lat=31.23 + metres / 111_320, lon=121.40, at=at, category=category,
                categories=categories, profile=space.profile(text))


def test_the_learned_weights_point_the_way_the_pairs_say(loaded):
    """Nearer, sooner, the same category and closer words each make one incident likelier."""
    scorer, space, _reader = loaded
    assert scorer.metrics["weights"].keys() == set(duplicates.FEATURES)
    new = side(space, "小区门口的路灯坏了", "路灯损坏")

    def p(**kwargs) -> float:
        kwargs.setdefault("text", "大门口那盏灯晚上不亮")
        kwargs.setdefault("category", "路灯损坏")
        return scorer.probability(duplicates.pair_features(new, side(space, **kwargs))[0])

    base = p()
    assert base >= scorer.threshold
    assert p(building=2, metres=140) < p(building=2, metres=20) < base
    assert p(hours=150) < p(hours=5) < base
    assert p(category="道路破损", confirmed=True) < scorer.threshold <= base
    assert p(text="门口那根路灯坏了") > p(text="大门口那个东西晚上不行")


def test_a_pair_left_out_by_its_ceiling_could_not_have_reached_the_threshold(loaded):
    """Intake scores a pair's text only when its place, time and category leave the threshold within reach
    (``Scorer.ceiling``): the ceiling is never under what the whole pair scores, so no flag is lost."""
    scorer, space, _reader = loaded
    new = side(space, "小区门口的路灯坏了，晚上很黑", "路灯损坏")
    texts = ["大门口那盏灯晚上不亮", "楼下饭店油烟很大", "门口路面坏了一个坑", "路灯"]
    pruned = 0
    for text in texts:
        for category, confirmed in (("路灯损坏", False), ("道路破损", True), ("餐饮油烟", False)):
            for metres, hours in ((0, 0.5), (60, 20), (150, 160)):
                other = side(space, text, category, building=2 if metres else 1, metres=metres, hours=hours,
                             confirmed=confirmed)
                whole = scorer.probability(duplicates.pair_features(new, other)[0])
                without, facts = duplicates.pair_features(new, other, text=False)
                ceiling = scorer.ceiling(without, duplicates.TEXT_FEATURE)
                assert ceiling >= whole - 1e-12
                completed, completed_facts = duplicates.with_text(new, other, without, facts)
                assert scorer.probability(completed) == pytest.approx(whole)
                assert completed_facts == duplicates.pair_features(new, other)[1]
                pruned += ceiling < scorer.threshold
    assert pruned  # some pairs are ruled out before their text is read


# The generated file


def test_the_scorer_is_generated_under_data_dir_and_rebuilt_when_stale(loaded, tmp_path):
    scorer, _space, reader = loaded
    assert duplicates.model_path() == settings.DATA_DIR / "models" / "duplicates.joblib"
    assert duplicates.model_path().is_file()
    assert model.load(duplicates.model_path(), expected=model.fingerprint(reader)) is not None
    assert model.load(duplicates.model_path(), expected="another classifier") is None
    broken = tmp_path / "broken.joblib"
    broken.write_bytes(b"not a scorer")
    assert model.load(broken, expected=scorer.fingerprint) is None
    assert model.load(tmp_path / "missing.joblib", expected=scorer.fingerprint) is None


def test_a_missing_scorer_is_trained_on_first_use_once(loaded, tmp_path, settings, monkeypatch):
    scorer, _space, _reader = loaded
    (tmp_path / "models").mkdir()
    shutil.copy(classifier.model_path(), tmp_path / "models" / "classifier.joblib")  # the same classifier
    calls = []

    def fake_fit(reader):
        calls.append(reader)
        return scorer

    monkeypatch.setattr(model, "fit", fake_fit)
    settings.DATA_DIR = tmp_path
    classifier.reset()
    duplicates.reset()
    try:
        threads = [threading.Thread(target=duplicates.loaded) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(calls) == 1 and (tmp_path / "models" / "duplicates.joblib").is_file()
    finally:
        classifier.reset()
        duplicates.reset()


# The commands


METRICS = {"pairs": 6000, "seconds": 4.2, "threshold": 0.5, "path": "/x/duplicates.joblib",
           "heldout": {"same": {"n": 50, "flagged": 0.84, "wrong": [(0.41, "甲", "乙")]},
                       "different": {"n": 43, "flagged": 0.023, "wrong": [(0.97, "丙", "丁")]}}}


def test_train_duplicates_reports_the_held_out_shares(monkeypatch):
    monkeypatch.setattr(duplicates, "train", lambda path=None: METRICS | {"path": str(path)})
    out = io.StringIO()
    call_command(TrainDuplicates(), "--output", "/tmp/d.joblib", "--wrong", stdout=out)
    text = out.getvalue()
    assert "同一事件 50 对，标记 84.0%（目标 ≥ 80%）" in text and "同地不同问题 43 对，标记 2.3%（目标 ≤ 10%）" in text
    assert "漏标 0.41：甲 ｜ 乙" in text and "误标 0.97：丙 ｜ 丁" in text and "/tmp/d.joblib" in text


def test_train_classifier_trains_the_scorer_after_it_unless_saved_elsewhere(monkeypatch):
    trained = []
    monkeypatch.setattr(classifier, "train", lambda path=None: {
        "texts": 100, "categories": 29, "features": 10, "seconds": 1.5, "path": str(path), "heldout": None})
    monkeypatch.setattr(duplicates, "train", lambda path=None: trained.append(path) or METRICS)
    out = io.StringIO()
    call_command(TrainClassifier(), stdout=out)
    assert trained == [None] and "疑似重复样本对 6,000 对" in out.getvalue()
    call_command(TrainClassifier(), "--output", "/tmp/c.joblib", stdout=io.StringIO())
    assert trained == [None]
