import math
import random

import pytest

from bot.evaluation.metrics import decline_metrics, first_relevant_rank, ranking_metrics, risk_coverage


def synthetic_run(seed: int = 7, queries: int = 200, docs: int = 60):
    rng = random.Random(seed)
    qrels, run = {}, {}
    for q in range(queries):
        relevant = set(rng.sample(range(docs), rng.choice([1, 1, 2, 3])))
        ranking = rng.sample(range(docs), docs)
        qrels[f"q{q}"] = {f"d{d}": 1 for d in relevant}
        run[f"q{q}"] = [f"d{d}" for d in ranking]
    return qrels, run


def test_ranking_metrics_match_ranx():
    ranx = pytest.importorskip("ranx")
    qrels, run = synthetic_run()
    depth = 50
    ranks = [first_relevant_rank(run[q], set(qrels[q]), depth) for q in qrels]
    ours = ranking_metrics(ranks, ks=(5, 10))
    scored = {q: {d: float(len(docs) - i) for i, d in enumerate(docs[:depth])} for q, docs in run.items()}
    theirs = ranx.evaluate(ranx.Qrels(qrels), ranx.Run(scored), ["precision@1", "mrr", "hit_rate@5", "hit_rate@10"])
    assert ours["p_at_1"] == pytest.approx(theirs["precision@1"], abs=1e-9)
    assert ours["mrr"] == pytest.approx(theirs["mrr"], abs=1e-9)
    assert ours["recall_at_5"] == pytest.approx(theirs["hit_rate@5"], abs=1e-9)
    assert ours["recall_at_10"] == pytest.approx(theirs["hit_rate@10"], abs=1e-9)


def test_ranking_metrics_by_hand():
    m = ranking_metrics([1, 2, None, 4], ks=(3,))
    assert m == {"n": 4, "p_at_1": 0.25, "mrr": pytest.approx((1 + 0.5 + 0 + 0.25) / 4), "recall_at_3": 0.5}
    assert first_relevant_rank(["a", "b", "c"], {"c"}, depth=2) is None


def test_decline_metrics_by_hand():
    m = decline_metrics(answerable=[True, True, False, False, False], declined=[True, False, True, True, False])
    assert m == {"decline_recall": pytest.approx(2 / 3), "decline_precision": pytest.approx(2 / 3),
                 "false_refusal_rate": 0.5}
    assert math.isnan(decline_metrics([True], [False])["decline_recall"])


def test_risk_coverage_is_monotone_in_coverage():
    points = risk_coverage([0.9, 0.8, 0.3, 0.1], [True, True, False, True])
    assert [p[1] for p in points] == [0.25, 0.5, 0.75, 1.0]
    assert [p[2] for p in points] == [0.0, 0.0, pytest.approx(1 / 3), 0.25]


def test_squad_answer_measures():
    from bot.evaluation.metrics import exact_match, squad_normalize, token_f1

    assert squad_normalize("The  Denver Broncos!") == "denver broncos"
    assert exact_match("the Broncos", "Broncos.") == 1.0
    assert token_f1("Denver Broncos", "the Broncos") == pytest.approx(2 / 3)
    assert token_f1("", "Broncos") == 0.0
