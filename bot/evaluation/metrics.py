"""Ranking and decline metrics shared by the evaluator and the benchmarks."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

import numpy as np

# The figures a run is summarised by: in the terminal, in report.html and in --compare.
SUMMARY_KEYS = ("n", "p_at_1", "mrr", "recall_at_3", "followup_p_at_1", "decline_recall",
                "decline_precision", "false_refusal_rate", "span_coverage", "span_em", "span_f1")


def first_relevant_rank(ranked: Sequence[str], relevant: set[str], depth: int = 100) -> int | None:
    """1-based rank of the first relevant item within ``depth``, or ``None``."""
    for rank, item in enumerate(ranked[:depth], 1):
        if item in relevant:
            return rank
    return None


def ranking_metrics(ranks: Sequence[int | None], ks: Sequence[int] = (3, 5, 10, 100)) -> dict[str, float]:
    """P@1, MRR (0 beyond the cut-off) and R@k from first-relevant ranks."""
    n = len(ranks)
    if not n:
        return {"n": 0, "p_at_1": 0.0, "mrr": 0.0, **{f"recall_at_{k}": 0.0 for k in ks}}
    arr = np.array([r if r is not None else 0 for r in ranks], dtype=float)
    found = arr > 0
    out = {
        "n": n,
        "p_at_1": float(np.mean(arr == 1)),
        "mrr": float(np.mean(np.where(found, 1.0 / np.where(found, arr, 1), 0.0))),
    }
    for k in ks:
        out[f"recall_at_{k}"] = float(np.mean(found & (arr <= k)))
    return out


def decline_metrics(answerable: Sequence[bool], declined: Sequence[bool]) -> dict[str, float]:
    """How well declining separates unanswerable from answerable questions."""
    a = np.asarray(answerable, bool)
    d = np.asarray(declined, bool)
    unans = ~a
    return {
        "decline_recall": float(d[unans].mean()) if unans.any() else float("nan"),
        "decline_precision": float(unans[d].mean()) if d.any() else float("nan"),
        "false_refusal_rate": float(d[a].mean()) if a.any() else float("nan"),
    }


def risk_coverage(confidence: Sequence[float], correct: Sequence[bool]) -> list[tuple[float, float, float]]:
    """(threshold, coverage, risk) as the answering threshold moves over every confidence."""
    conf = np.asarray(confidence, float)
    ok = np.asarray(correct, bool)
    order = np.argsort(-conf, kind="stable")
    points = []
    for i in range(1, len(order) + 1):
        kept = order[:i]
        points.append((float(conf[order[i - 1]]), i / len(order), float(1 - ok[kept].mean())))
    return points


def squad_normalize(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in string.punctuation)
    return " ".join(re.sub(r"\b(?:a|an|the)\b", " ", text).split())


def exact_match(given: str, gold: str) -> float:
    """1.0 when the two answers are equal after ``squad_normalize``."""
    return float(squad_normalize(given) == squad_normalize(gold))


def token_f1(given: str, gold: str) -> float:
    """SQuAD's token F1 between two answers."""
    a, b = squad_normalize(given).split(), squad_normalize(gold).split()
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)
