"""Training, evaluating, saving and loading the visit assessment's model.

Two models, their probabilities averaged (``Model``): one on TF-IDF of character 1–3-grams (the classifier's
normalisation: NFKC, lower case, digits → 0, punctuation → space) alone; one on the same n-grams and, beside
them, the lexicon's cue counts per (type, level) (lexicon.py), which carry the negation and solved-problem rules
the n-grams cannot see, and its state counts (lexicon.STATES: a danger word's clause resolved, past,
persisting, someone else's; safeguards in place). Until round 7 the cued model was the only one; holding out
one writer's notes at a time showed that it leaned on the lexicon and missed the dangers a new writer tells in
other words, which the plain model finds (docs/visit-assessment.md, "Round 7"). Each is:

- for the risk (风险等级): a multinomial logistic regression over 低 / 中 / 高; 高 is given from
  ``HIGH_THRESHOLD`` of its probability rather than only when it is the likeliest, because missing a
  high-risk household is the costly error (issue 15: recall of 高 ≥ 0.95), if 高 is no less likely than 低; a
  note's P(高) is the highest of the whole note's and of its sentences that name a danger (``Model.assess``);
- for the types (风险类型): one binary logistic regression per type, a type given from ``TYPE_THRESHOLD``.

Training notes: the generated corpus (corpus.py) and the hand-written notes of ``WRITERS``, each counted
``HAND_WEIGHT`` times. The held-out set is heldout2.tsv: never trained on; the weights and the thresholds were
chosen on the development notes, a writer's notes assessed by a model trained without them
(``assessment.cross_validate``), never on it.
"""

import hashlib
import os
import re
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from jiedao.cases.classifier import text as _text
from jiedao.cases.classifier.text import normalise
from jiedao.visits.assessment import corpus, lexicon
from jiedao.visits.assessment.lexicon import CUES, LEVELS, TYPES

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout2.tsv"  # the held-out set: hand-written, never trained on (docs/visit-assessment.md)
# The hand-written notes trained on, beside the generated ones, by writer: no writer saw another's notes
# (dev.tsv and heldout.tsv share one). The held-out sets among them were each scored once before they became
# development data (docs/visit-assessment.md, "History"); the train_* sets were written to be trained on, but
# train_g.tsv (good practice told with danger words) is not: trained on, it made dangers read 低 (Round 8), and
# it measures false alarms instead.
WRITERS: dict[str, tuple[str, ...]] = {
    "dev": ("dev.tsv", "heldout.tsv"),
    "heldout3": ("heldout3.tsv",),
    "heldout4": ("heldout4.tsv",),
    "heldout5": ("heldout5.tsv",),
    "heldout6": ("heldout6.tsv",),
    "heldout7": ("heldout7.tsv",),
    "heldout8": ("heldout8.tsv",),
    "heldout9": ("heldout9.tsv",),
    "heldout10": ("heldout10.tsv",),
    "heldout11": ("heldout11.tsv",),
    "train_a": ("train_a.tsv",),  # veteran 居委 staff, long notes in part Shanghainese, the elderly
    "train_b": ("train_b.tsv",),  # 网格员 typing on a phone: terse, shorthand, typos
    "train_c": ("train_c.tsv",),  # forms, 公文 wording, 回访 of closed cases, relayed reports
    "train_d": ("train_d.tsv",),  # hard cases: dangers told calmly, danger words that are no danger now
    "train_e": ("train_e.tsv",),  # families, disability, psychiatric illness, the types' pairs
    "train_f": ("train_f.tsv",),  # dangers told with when and how often, one among routine findings, short notes
}
HAND = tuple(HERE / name for files in WRITERS.values() for name in files)
FORMAT = 4  # bump when the saved bundle's layout changes
SOURCES = ("corpus.py", "phrases.py", "lexicon.py", "model.py",
           *(name for files in WRITERS.values() for name in files))  # what it is built from

HIGH_THRESHOLD = 0.25  # P(高) from which a note is 高 (recall first), if not less likely than 低
TYPE_THRESHOLD = 0.45  # P(type) from which a type is given
CUE_WEIGHT = 0.5  # scale of a cue count feature beside the l2-normed TF-IDF row (the cued model)
STATE_WEIGHT = 0.5  # scale of a state count feature (lexicon.STATES)
CUE_CAP = 2  # more than two clauses with cues of one kind say no more than two
C = 1.0  # inverse regularisation of the logistic regressions: the generated notes are separable, keep it firm
HAND_WEIGHT = 30.0  # a hand-written note counts as this many generated ones


def fingerprint() -> str:
    """What the saved model was built from: the sources above, the text normalisation it shares with the case
    classifier and the scikit-learn version. A model whose fingerprint differs is rebuilt."""
    digest = hashlib.sha256(f"{FORMAT}:{sklearn.__version__}".encode())
    for path in [HERE / name for name in SOURCES] + [Path(_text.__file__)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CUE_KEYS = list(CUES)


def cue_matrix(hits_per_note: list[list[lexicon.Hit]]) -> sp.csr_matrix:
    """One row per note: the count of clauses with a cue of each (type, level), capped and scaled."""
    rows, cols, values = [], [], []
    index = {key: j for j, key in enumerate(CUE_KEYS)}
    for i, hits in enumerate(hits_per_note):
        counts: dict[int, int] = {}
        for hit in hits:
            j = index[(hit.type, hit.level)]
            counts[j] = counts.get(j, 0) + 1
        for j, n in counts.items():
            rows.append(i)
            cols.append(j)
            values.append(CUE_WEIGHT * min(n, CUE_CAP))
    return sp.csr_matrix((values, (rows, cols)), shape=(len(hits_per_note), len(CUE_KEYS)), dtype=np.float32)


def state_matrix(texts: list[str]) -> sp.csr_matrix:
    """One row per note: how many of its clauses say each of lexicon.STATES (resolved, past, persists,
    elsewhere, safeguard), capped and scaled like the cue counts: whether a danger its words name is there."""
    rows, cols, values = [], [], []
    for i, text in enumerate(texts):
        for j, n in enumerate(lexicon.state_counts(text).values()):
            if n:
                rows.append(i)
                cols.append(j)
                values.append(STATE_WEIGHT * min(n, CUE_CAP))
    return sp.csr_matrix((values, (rows, cols)), shape=(len(texts), len(lexicon.STATES)), dtype=np.float32)


@dataclass
class Model:
    """The fitted vectoriser and classifiers, with what they were built from and how well they did. Two models,
    whose probabilities are averaged: one on the n-grams alone, one on the n-grams and the lexicon's counts
    (cues and states). The cued one knows the words of a danger (电线冒烟, 煤气味) from few examples; alone it
    leans on them and misses a danger told in other words, which the plain one, free of them, learns from the
    n-grams (docs/visit-assessment.md, "Round 7")."""

    vectoriser: TfidfVectorizer
    risk: tuple[LogisticRegression, LogisticRegression]  # (plain, cued)
    types: tuple[list[LogisticRegression], list[LogisticRegression]]  # (plain, cued), one per TYPES, in order
    fingerprint: str
    metrics: dict

    def features(self, texts: list[str], hits: list[list[lexicon.Hit]] | None = None) -> tuple[sp.csr_matrix, ...]:
        """(the plain model's features, the cued model's) of ``texts``; ``hits`` their lexicon.hits if known."""
        with sklearn.config_context(assume_finite=True):
            return _features(self.vectoriser.transform(texts), texts, hits)

    def probabilities(self, features: tuple[sp.csr_matrix, ...]) -> tuple[np.ndarray, np.ndarray]:
        """(risk probabilities in LEVELS order, one row a note; type probabilities in TYPES order), each the mean
        of the two models'."""
        risks, kinds = [], []
        with sklearn.config_context(assume_finite=True):
            for matrix, risk, types in zip(features, self.risk, self.types, strict=True):
                order = [list(risk.classes_).index(level) for level in LEVELS]
                risks.append(risk.predict_proba(matrix)[:, order])
                kinds.append(np.column_stack([model.predict_proba(matrix)[:, 1] for model in types]))
        return sum(risks) / len(risks), sum(kinds) / len(kinds)

    def plain_types(self, texts: list[str]) -> np.ndarray:
        """The plain model's type probabilities alone (no lexicon, so cheap), to rank a note's clauses."""
        with sklearn.config_context(assume_finite=True):
            features = self.vectoriser.transform(texts)
            return np.column_stack([model.predict_proba(features)[:, 1] for model in self.types[0]])

    def assess(self, texts: list[str], hits: list[list[lexicon.Hit]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``probabilities`` of whole notes, but a note's P(高) is the highest of the note's and of each of its
        sentences that name a danger (a 高 cue of the lexicon): a note is as grave as its gravest finding, and a
        danger told among routine findings (a gas smell, then the mobility of the old man who did not notice it)
        is not averaged away by them. A note that is 高 by one sentence has that sentence's types beside its own
        (the gas smell's 安全). Only such sentences: alone, a sentence like 已联系其子女 or 过几天再来看看, said
        mostly after a danger in the hand-written notes, reads as 高 too (one demo note in six became 高)."""
        risk, types = self.probabilities(self.features(texts, hits))
        sentences = [(i, sentence) for i, text in enumerate(texts) for sentence in _sentences(text)]
        # each distinct sentence read once (设施正常。… recur), and only those that name a danger scored
        read = {sentence: lexicon.hits(sentence) for sentence in dict.fromkeys(s for _, s in sentences)}
        danger = {sentence: found for sentence, found in read.items() if any(hit.level == "高" for hit in found)}
        parts = [(i, sentence) for i, sentence in sentences if sentence in danger]
        if not parts:
            return risk, types
        distinct = {sentence: row for row, sentence in enumerate(danger)}
        sentence_risk, sentence_types = self.probabilities(self.features(list(danger), list(danger.values())))
        gravest: dict[int, int] = {}  # note → the row of its sentence with the highest P(高)
        for i, sentence in parts:
            row = distinct[sentence]
            if i not in gravest or sentence_risk[row, 2] > sentence_risk[gravest[i], 2]:
                gravest[i] = row
        for i, row in gravest.items():
            if sentence_risk[row, 2] > risk[i, 2]:
                risk[i, 2] = sentence_risk[row, 2]
                if risk[i, 2] >= HIGH_THRESHOLD:
                    types[i] = np.maximum(types[i], sentence_types[row])
        return risk, types


def _features(tfidf: sp.csr_matrix, texts: list[str],
              hits: list[list[lexicon.Hit]] | None = None) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    hits = [lexicon.hits(text) for text in texts] if hits is None else hits
    return tfidf, sp.hstack([tfidf, cue_matrix(hits), state_matrix(texts)], format="csr")


# A sentence: up to and with 。！？； or up to a line break (a comma does not end one: "煤气味，老人没感觉" is
# one finding).
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


def _sentences(text: str) -> list[str]:
    """The sentences of a note of more than one, each of at least 4 characters; [] for a one-sentence note."""
    found = [part.strip() for part in _SENTENCE.findall(text)]
    found = [part for part in found if len(part) >= 4]
    return found if len(found) > 1 else []


def decide(risk_p: np.ndarray, type_p: np.ndarray) -> tuple[str, list[str], float]:
    """The risk, the types and the confidence from one note's probabilities."""
    if risk_p[2] >= HIGH_THRESHOLD and risk_p[2] >= risk_p[0]:  # likely enough, and not less likely than 低
        risk = "高"
    else:
        risk = "中" if risk_p[1] > risk_p[0] else "低"
    confidence = float(risk_p[LEVELS.index(risk)])
    if risk == "低":
        return risk, [], confidence
    types = [kind for kind, p in zip(TYPES, type_p, strict=True) if p >= TYPE_THRESHOLD]
    if not types:
        types = [TYPES[int(np.argmax(type_p))]]
    return risk, types, confidence


def hand_rows() -> list[tuple[str, list[str], str]]:
    """The hand-written notes trained on (HAND): (risk, types, note) rows."""
    return [row for path in HAND if path.exists() for row in read_tsv(path)]


def fit(*, seed: int = corpus.SEED, count: int = corpus.COUNT,
        hand: list[tuple[str, list[str], str]] | None = None) -> Model:
    """Generate the corpus and train on it and on the hand-written notes ``hand`` (default: ``hand_rows()``)."""
    started = time.perf_counter()
    notes = list(corpus.generate(count=count, seed=seed))
    hand = hand_rows() if hand is None else hand
    texts = [n.text for n in notes] + [note for _, _, note in hand]
    risks = [n.risk for n in notes] + [risk for risk, _, _ in hand]
    kinds = [set(n.types) for n in notes] + [set(types) for _, types, _ in hand]
    weights = np.array([1.0] * len(notes) + [HAND_WEIGHT] * len(hand))
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                                 preprocessor=normalise, dtype=np.float32)
    features = _features(vectoriser.fit_transform(texts), texts)
    risk, types = [], []
    for matrix in features:
        risk.append(LogisticRegression(C=C, solver="newton-cg", max_iter=300).fit(matrix, risks, sample_weight=weights))
        types.append([LogisticRegression(C=C, solver="newton-cg", max_iter=300).fit(
            matrix, [kind in found for found in kinds], sample_weight=weights) for kind in TYPES])
    trained = Model(vectoriser=vectoriser, risk=(risk[0], risk[1]), types=(types[0], types[1]),
                    fingerprint=fingerprint(), metrics={})
    trained.metrics = {
        "notes": len(notes),
        "hand_notes": len(hand),
        "features": features[1].shape[1],
        "seconds": round(time.perf_counter() - started, 2),
    }
    return trained


def read_tsv(path: Path) -> list[tuple[str, list[str], str]]:
    """(risk, types, note) rows of a ``risk<TAB>types<TAB>note`` file (types comma-separated, ``-`` none)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            risk, types, note = line.split("\t", 2)
            rows.append((risk.strip(), [] if types.strip() == "-" else types.strip().split(","), note.strip()))
    return rows


def evaluate(assessments: list, rows: list[tuple[str, list[str], str]]) -> dict:
    """Risk accuracy (风险等级准确率), recall of 高 (高风险召回率), F1 of each type and their macro average
    (风险类型宏平均 F1), over rows and the assessments made of their notes (in order); and the misses."""
    if not rows:
        return {"n": 0}
    hits = [a.risk == risk for a, (risk, _, _) in zip(assessments, rows, strict=True)]
    high = [a.risk == "高" for a, (risk, _, _) in zip(assessments, rows, strict=True) if risk == "高"]
    f1 = {}
    for kind in TYPES:
        tp = sum(kind in a.types and kind in t for a, (_, t, _) in zip(assessments, rows, strict=True))
        fp = sum(kind in a.types and kind not in t for a, (_, t, _) in zip(assessments, rows, strict=True))
        fn = sum(kind not in a.types and kind in t for a, (_, t, _) in zip(assessments, rows, strict=True))
        f1[kind] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    misses = [(risk, types, a.risk, list(a.types), note)
              for a, (risk, types, note) in zip(assessments, rows, strict=True)
              if a.risk != risk or set(a.types) != set(types)]
    return {
        "n": len(rows),
        "accuracy": sum(hits) / len(rows),
        "high_recall": sum(high) / len(high) if high else 1.0,
        "type_f1": f1,
        "macro_f1": sum(f1.values()) / len(f1),
        "misses": misses,
    }


def save(model: Model, path: Path) -> None:
    """Write atomically (a temporary file renamed into place), so a reader never sees half a model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".visit-assessment-", suffix=".tmp")
    os.close(fd)
    try:
        joblib.dump(model, tmp, compress=3)
        os.chmod(tmp, 0o644)  # not secret; the server may run as another user than the command
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path) -> Model | None:
    """The model saved at ``path``, or None when there is none, it is unreadable, or it is out of date."""
    if not path.exists():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a model from another scikit-learn version fails the fingerprint
            model = joblib.load(path)
    except Exception:  # any unreadable file is simply rebuilt
        return None
    if not isinstance(model, Model) or model.fingerprint != fingerprint():
        return None
    return model
