import json
from argparse import Namespace

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from bot.benchmarks.calibrate import (
    KINDS,
    USER_FEATURES,
    balanced_threshold,
    choose_threshold,
    fit_logistic,
    predict,
    reword,
    run,
)
from bot.ranking.decline import FEATURES, DeclineModel
from tests.benchmarks.test_bench import needs_reqa
from tests.conftest import REQA


@pytest.mark.parametrize("l2", [1e-3, 1.0, 10.0])
def test_fit_logistic_matches_scikit_learn(l2):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x @ [1.5, -2.0, 0.5] + 0.3 + rng.logistic(size=400) > 0).astype(float)
    ours = fit_logistic(x, y, l2=l2)
    ref = LogisticRegression(C=1 / l2, tol=1e-10, max_iter=10_000).fit(x, y)
    np.testing.assert_allclose(ours, np.r_[ref.intercept_, ref.coef_[0]], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(predict(ours, x), ref.predict_proba(x)[:, 1], atol=1e-5)


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
    path.write_text(json.dumps({"features": ["cosine"], "bias": 0, "weights": [1], "threshold": 0.5}))
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
    assert report["features"] == list(FEATURES) and len(report["weights"]) == len(FEATURES)
    assert tuple(report["test"]) == KINDS
    assert all(0 <= kind["declined"] <= 1 for kind in report["test"].values())
    assert report["test"]["answerable"]["n"] > 0 and report["test"]["gold removed"]["n"] > 0
    assert list((tmp_path / "cache").glob("reqa-*.npz"))


def test_calibrate_on_users_questions(tmp_path, monkeypatch):
    """``--users``: each set scored by a refit that saw neither its documents nor its questions, then one refit
    on all; only the bias and ``USER_FEATURES`` move."""
    import bot.benchmarks.weights as weights
    from tests.conftest import RELEASE, ROOT

    data = ROOT / "tests" / "data"
    sets = {}
    for name, doc, questions in (("heldout", RELEASE, data / "release_heldout.jsonl"),
                                 ("probe", RELEASE, data / "release_probe.jsonl"),
                                 ("other", data / "other" / "harbour-library.txt",
                                  data / "other" / "harbour-library.jsonl")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / doc.name).write_bytes(doc.read_bytes())
        rows = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines()]
        sets[name] = (folder, [r for r in rows if (r.get("turn") or 1) == 1])
    monkeypatch.setattr(weights, "question_sets", lambda args, answerable_only=True: sets)
    report = run(Namespace(users=True, index=str(tmp_path / "index"), install=False))
    installed = DeclineModel.load()
    assert report["features"] == list(FEATURES) and len(report["weights"]) == len(FEATURES)
    for feature, before, after in zip(FEATURES, installed.weights, report["weights"]):
        assert (before == after) is (feature not in USER_FEATURES)
    assert set(report["left_out"]) == set(sets)
    for name, figures in report["left_out"].items():
        own = sum(1 for r in sets[name][1])
        others = sum(1 for n, (_, rows) in sets.items() if n != name for r in rows if r.get("answerable"))
        assert figures["answerable"]["n"] + figures["unanswerable"]["n"] == own
        assert figures["off-topic"]["n"] == others
    answerable = [f["answerable"] for f in report["left_out"].values()]
    refused = sum(f["n"] * f["declined"] for f in answerable) / sum(f["n"] for f in answerable)
    assert refused <= 0.03 + 1e-9  # the threshold keeps left-out false refusals within the limit


def test_balanced_threshold_takes_the_middle_of_equal_trade_offs():
    p = np.array([0.5, 0.6, 0.7, 0.8, 0.1, 0.2, 0.55])
    y = np.array([1, 1, 1, 1, 0, 0, 0], float)
    assert balanced_threshold(p, y, max_false_refusal=0.0) == 0.35  # 0.21-0.50 decline 2 of 3: the middle
    assert balanced_threshold(p, y, max_false_refusal=0.25) == 0.58  # 0.56-0.60: all 3 declined, 1 of 4 refused


def test_install_sets_the_type_missing_weight(tmp_path, monkeypatch):
    """The installed model's ``type_missing`` weight is the one swept on the development sets, whatever a fit gave."""
    import bot.benchmarks.calibrate as calibrate

    monkeypatch.setattr(calibrate, "MODEL_FILE", tmp_path / "model.json")
    report = {"features": list(FEATURES), "bias": -1.0, "weights": [0.5] * len(FEATURES), "threshold": 0.2}
    calibrate._install(Namespace(install=True), report)
    written = DeclineModel.load(tmp_path / "model.json")
    at = FEATURES.index("type_missing")
    assert written.weights[at] == calibrate.TYPE_MISSING == DeclineModel.load().weights[at]
    assert [w for i, w in enumerate(written.weights) if i != at] == [0.5] * (len(FEATURES) - 1)
