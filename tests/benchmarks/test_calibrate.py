import json
from argparse import Namespace

import numpy as np
import pytest

from bot.benchmarks.calibrate import (
    KINDS,
    MAX_FALSE_REFUSAL,
    OFF_TOPIC,
    balanced_threshold,
    choose_threshold,
    exported,
    fit_trees,
    reword,
    run,
)
from bot.ranking.decline import FEATURES, DeclineModel
from tests.benchmarks.test_bench import needs_reqa
from tests.conftest import REQA


def test_exported_trees_score_as_scikit_learn_does(tmp_path):
    """The installed model is scikit-learn's boosted trees, walked in plain Python at run time: the same
    probabilities, on rows with ties at split values and both signs."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, len(FEATURES))).round(1)
    y = (x[:, 0] - x[:, 3] * x[:, 5] + 0.5 * (x[:, 7] > 0) + rng.logistic(size=600) * 0.5 > 0).astype(float)
    fitted = fit_trees(x, y, np.where(x[:, 1] > 1, 0.1, 1.0))
    path = tmp_path / "model.json"
    path.write_text(json.dumps(exported(fitted, 0.4)))
    model = DeclineModel.load(path)
    assert model.threshold == 0.4 and len(model.trees) == fitted.n_iter_
    ours = [model.score(list(row)) for row in x]
    np.testing.assert_allclose(ours, fitted.predict_proba(x)[:, 1], atol=1e-9)


def test_choose_threshold_keeps_false_refusals_within_the_limit():
    p = np.array([0.02, 0.3, 0.5, 0.7, 0.9, 0.05, 0.2, 0.6])
    y = np.array([1, 1, 1, 1, 1, 0, 0, 0], float)
    assert choose_threshold(p, y, max_false_refusal=0.0) == 0.02
    assert choose_threshold(p, y, max_false_refusal=0.2) == 0.3
    assert choose_threshold(p, y, max_false_refusal=0.4) == 0.5


@pytest.mark.parametrize(
    ("question", "replaced"),
    [
        ("Which NFL team represented the AFC at Super Bowl 50?", 2),  # 6 content words
        ("How much did the ExoMars probe cost?", 1),
        ("What is it?", 0),
    ],
)
def test_reword_replaces_a_third_of_the_content_words(question, replaced):
    import random
    import re

    reworded = reword(question, random.Random(0))
    new = re.findall(r"qzx[a-j]", reworded)
    assert len(new) == replaced
    kept = [w for w in reworded.split() if not re.match(r"qzx[a-j]", w)]
    assert all(w in question.split() for w in kept) and len(kept) == len(question.split()) - replaced


def test_stale_model_file_is_a_clear_error(tmp_path):
    path = tmp_path / "decline_model.json"
    path.write_text(json.dumps({"features": ["cosine"], "baseline": 0, "trees": [], "threshold": 0.5}))
    with pytest.raises(ValueError, match=r"was fitted on features \['cosine'\], not \["):
        DeclineModel.load(path)


@pytest.fixture
def few_articles(tmp_path):
    """The first 30 sentences of 6 ReQA articles and 10 questions answered in each."""
    by_doc: dict[str, list[str]] = {}
    for line in (REQA / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        by_doc.setdefault(json.loads(line)["doc"], []).append(line)
    corpus = [line for lines in list(by_doc.values())[:6] for line in lines[:30]]
    doc_of = {row["id"]: row["doc"] for row in map(json.loads, corpus)}
    questions, per_doc = [], {}
    for line in (REQA / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        answers = json.loads(line)["answers"]
        doc = doc_of.get(answers[0])
        if set(answers) <= doc_of.keys() and per_doc.get(doc, 0) < 10:
            per_doc[doc] = per_doc.get(doc, 0) + 1
            questions.append(line)
    (tmp_path / "corpus.jsonl").write_text("\n".join(corpus) + "\n", encoding="utf-8")
    (tmp_path / "questions.jsonl").write_text("\n".join(questions) + "\n", encoding="utf-8")
    return tmp_path


@needs_reqa
def test_calibrate_smoke(few_articles, tmp_path):
    report = run(Namespace(data=str(few_articles), cache=str(tmp_path / "cache"), install=False))
    assert report["features"] == list(FEATURES) and report["trees"]
    assert tuple(report["test"]) == KINDS
    assert all(0 <= kind["declined"] <= 1 for kind in report["test"].values())
    assert report["test"]["answerable"]["n"] > 0 and report["test"]["gold removed"]["n"] > 0
    assert list((tmp_path / "cache").glob("reqa-*.npz"))


def test_calibrate_on_users_questions(tmp_path, monkeypatch, user_sets):
    """``--users``: every turn of each set (conversations in order) scored by a fit that saw neither its
    documents nor its questions, ``OFF_TOPIC`` of the other sets' questions as off-topic rows, then one fit on
    all, written where ``DeclineModel.load`` reads it."""
    import bot.benchmarks.calibrate as calibrate

    sets = user_sets
    monkeypatch.setattr(calibrate, "MODEL_FILE", tmp_path / "model.json")
    report = run(Namespace(users=True, index=str(tmp_path / "index"), install=True))
    assert report["features"] == list(FEATURES) and report["trees"]
    assert set(report["left_out"]) == set(sets)
    assert sum(1 for _, rows in sets.values() for r in rows if r.get("conv")) > 0  # conversations took part
    for name, figures in report["left_out"].items():
        own = len(sets[name][1])
        others = sum(1 for n, (_, rows) in sets.items() if n != name for r in rows
                     if r.get("answerable") and (r.get("turn") or 0) <= 1)
        assert figures["answerable"]["n"] + figures["unanswerable"]["n"] == own
        assert figures["off-topic"]["n"] == min(OFF_TOPIC, others)
    answerable = [f["answerable"] for f in report["left_out"].values()]
    refused = sum(f["n"] * f["declined"] for f in answerable) / sum(f["n"] for f in answerable)
    assert refused <= MAX_FALSE_REFUSAL + 1e-9  # the threshold keeps left-out false refusals within the limit
    installed = DeclineModel.load(tmp_path / "model.json")
    assert installed.threshold == report["threshold"] and len(installed.trees) == len(report["trees"])
    assert len(report["prior"]) == 385 and installed.prior is not None  # 384 weights and the intercept


def test_the_question_prior_of_each_row_comes_from_sets_apart_from_its_own(monkeypatch):
    """A row is scored by a prior fitted on neither its documents' set nor its question's (their own questions
    asked of their own documents): sets would otherwise score their own rows from memory."""
    import bot.benchmarks.calibrate as calibrate

    rng = np.random.default_rng(0)
    docs = np.repeat(np.array(["a", "b", "c", "d"]), 40)
    origin = docs.copy()
    origin[:10] = "b"  # off-topic rows: b's questions asked of a's documents
    y = np.tile([1.0, 0.0], 80)
    vectors = rng.normal(size=(160, 8)) + 2 * y[:, None]  # answerable questions lean one way
    fitted_on = []
    real = calibrate.fit_prior
    monkeypatch.setattr(calibrate, "fit_prior", lambda v, labels: fitted_on.append(
        {tuple(row) for row in v}) or real(v, labels))
    column = calibrate.prior_left_out(docs, origin, vectors, y)
    rows_of = {name: {tuple(row) for row in vectors[(docs == name) & (origin == name)]} for name in "abcd"}
    assert [len(seen) for seen in fitted_on] == [120, 80, 110, 110, 110]  # a's own rows, a's from b, b, c, d
    assert not fitted_on[1] & (rows_of["a"] | rows_of["b"])  # a's rows asked from b: neither set's questions
    assert np.corrcoef(column, y)[0, 1] > 0.5  # and still read the lean
    assert calibrate.prior_left_out(docs[:40], origin[:40], vectors[:40], y[:40]).tolist() == [0.0] * 40  # no fit


def test_balanced_threshold_takes_the_middle_of_equal_trade_offs():
    p = np.array([0.5, 0.6, 0.7, 0.8, 0.1, 0.2, 0.55])
    y = np.array([1, 1, 1, 1, 0, 0, 0], float)
    assert balanced_threshold(p, y, max_false_refusal=0.0) == 0.35  # 0.21-0.50 decline 2 of 3: the middle
    assert balanced_threshold(p, y, max_false_refusal=0.25) == 0.58  # 0.56-0.60: all 3 declined, 1 of 4 refused
