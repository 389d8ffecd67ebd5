import json
from argparse import Namespace

import numpy as np
import pytest

from bot.benchmarks.rerank import first_right, run
from bot.benchmarks.token_weights import cross_fitted
from bot.benchmarks.trees import RANKING_TREES, exported_trees, fit_trees
from bot.ranking.rerank import MODEL_FILE, PLAIN_FEATURES, PLAIN_MODEL_FILE, RERANK_FEATURES, Reranker
from bot.ranking.token_match import TokenMatch


def test_reranker_trees_score_as_scikit_learn_does(tmp_path):
    """The shipped reranker is scikit-learn's boosted trees, walked for all candidates at once in NumPy: the
    same logits and, one row at a time, probabilities, on rows with ties at split values and both signs (trees of
    the reranker's depth and number)."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(800, len(RERANK_FEATURES))).round(1)
    y = (x[:, 1] + x[:, 4] * x[:, 13] - 0.5 * (x[:, 0] > 0) + rng.logistic(size=800) * 0.5 > 0).astype(float)
    fitted = fit_trees(x, y, settings=RANKING_TREES)
    path = tmp_path / "rerank.json"
    path.write_text(json.dumps(exported_trees(fitted, RERANK_FEATURES)))
    reranker = Reranker.load(path)
    np.testing.assert_allclose(reranker.logits(x), fitted.decision_function(x), atol=1e-9)
    walked = [reranker.probability(list(r)) for r in x[:50]]
    np.testing.assert_allclose(walked, fitted.predict_proba(x[:50])[:, 1], atol=1e-9)
    rows = [list(r) for r in x[:10]]
    assert reranker.order(rows) == list(np.argsort(-fitted.decision_function(x[:10]), kind="stable"))


def test_shipped_trees_are_fitted_with_the_ranking_settings():
    """Both shipped tree models hold ``RANKING_TREES``' number of trees, none deeper than its depth."""
    for path in (MODEL_FILE, PLAIN_MODEL_FILE):
        trees = json.loads(path.read_text())["trees"]
        assert len(trees) == RANKING_TREES["max_iter"], path
        for tree in trees:
            depth = {0: 0}
            for node, (left, right) in enumerate(zip(tree["left"], tree["right"])):
                if left >= 0:
                    depth[left] = depth[right] = depth[node] + 1
            assert max(depth.values()) <= RANKING_TREES["max_depth"], path


def test_a_model_fitted_on_other_features_is_a_clear_error(tmp_path):
    path = tmp_path / "rerank.json"
    path.write_text(json.dumps({"features": ["place"], "baseline": 0, "trees": []}))
    with pytest.raises(ValueError, match=r"was fitted on features \['place'\], not \["):
        Reranker.load(path)


def test_shipped_reranker_loads():
    from bot.ranking.rerank import shipped

    assert len(shipped().left) >= 50 and len(shipped(plain=True).left) >= 50


def test_first_right_counts_each_question_once_by_its_best_scored_candidate():
    question = np.array([0, 0, 0, 1, 1])
    label = np.array([0, 1, 0, 1, 0], float)
    assert first_right(question, label, np.array([3.0, 2.0, 1.0, 1.0, 0.0])) == 1
    assert first_right(question, label, np.array([1.0, 2.0, 1.0, 0.0, 1.0])) == 1
    assert first_right(question, label, np.array([1.0, 2.0, 1.0, 1.0, 1.0])) == 2  # a tie keeps the fused order


def test_rerank_fits_on_users_questions(tmp_path, monkeypatch, user_sets):
    """Every answerable turn's ten best candidates (reranker off, conversations in order) are rows; each set is
    scored by trees fitted on the others; ``--install`` writes the trees fitted on all where ``shipped`` reads,
    and the token match's weights (the rows' token match read by weights fitted on other folds of sets)."""
    import bot.benchmarks.rerank as rerank

    sets = user_sets
    monkeypatch.setattr(rerank, "MODEL_FILE", tmp_path / "model.json")
    monkeypatch.setattr(rerank, "PLAIN_MODEL_FILE", tmp_path / "plain.json")
    monkeypatch.setattr(rerank, "WEIGHTS_FILE", tmp_path / "weights.json")
    fitted = []
    monkeypatch.setattr(rerank, "cross_fitted", lambda tokens, sets: fitted.append(sets) or cross_fitted(tokens, sets))
    report = run(Namespace(index=str(tmp_path / "index"), install=True))
    assert report["features"] == list(RERANK_FEATURES) and report["trees"]
    assert report["plain"]["features"] == list(PLAIN_FEATURES) and report["plain"]["trees"]
    assert set(report["left_out"]) == set(sets)
    for name, figures in report["left_out"].items():
        answerable = sum(1 for r in sets[name][1] if r.get("answerable") and r.get("expect"))
        assert figures["questions"] == answerable  # follow-ups included
        for key in ("before", "left_out", "plain", "served"):
            assert 0 <= figures[key] <= answerable
        assert figures["turns_served"] <= figures["turns"] <= answerable
    assert sum(f["turns"] for f in report["left_out"].values()) > 0  # the sets hold conversations
    assert Reranker.load(tmp_path / "model.json").value.shape[0] == len(report["trees"])
    plain = Reranker.load(tmp_path / "plain.json", PLAIN_FEATURES)
    assert plain.value.shape[0] == len(report["plain"]["trees"])
    assert len(fitted) == 1 and set(fitted[0]) == set(sets)  # one set per question, every set's questions
    assert len(TokenMatch.load(tmp_path / "weights.json").weights) == 384


def test_rerank_needs_three_sets(tmp_path, monkeypatch):
    import bot.benchmarks.weights as weights

    monkeypatch.setattr(weights, "question_sets", lambda args, answerable_only=True, follow_ups=False: {})
    with pytest.raises(SystemExit, match="three sets"):
        run(Namespace(index=str(tmp_path / "index"), install=False))
