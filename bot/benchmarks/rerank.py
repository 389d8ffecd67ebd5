"""``qabot bench rerank``: fit the reranker (boosted trees over ``rerank.RERANK_FEATURES``) on users' questions.

Every answerable turn of every development set (``weights.question_sets``: paraphrases, short forms, typos;
conversations asked in order) is answered with the reranker off; each of its ``rerank.DEPTH`` best candidates
is a row, labelled by whether it holds one of the expected phrases. Each set's figures (how often the first
sentence holds the answer, before and after re-ordering) come from trees fitted on the other sets' rows;
``--install`` writes the trees fitted on all of them into ``rerank_model.json`` (``rerank_model_plain.json``, for
conversation turns and large corpora, is the fit of the features before the token match, kept).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from bot.benchmarks.trees import UNDECIDED, answered, exported_trees, fit_trees
from bot.evaluation.evaluate import matches
from bot.ranking.rerank import MODEL_FILE, RERANK_FEATURES
from bot.ranking.retrieval import RetrievalConfig

Row = tuple[str, int, list[float], float]  # set, question number, features, label


def candidate_rows(args) -> list[Row]:
    """The ten best candidates of every answerable question of the development sets, labelled."""
    from bot.answering.pipeline import Bot
    from bot.benchmarks.weights import question_sets

    rows: list[Row] = []
    asked = 0
    for name, (folder, items) in question_sets(args, answerable_only=False, follow_ups=True).items():
        bot = Bot(source=folder, index=Path(args.index or "runs/rerank-index") / name,
                  config=RetrievalConfig(rerank=False), decline=UNDECIDED)
        for it, ranking in answered(bot, items):
            if not (it.get("answerable") and it.get("expect")) or ranking is None or not ranking.candidates:
                continue
            units = bot.retriever.units([hit.unit for hit in ranking.hits])
            rows += [(name, asked, row, float(matches(unit.text, it["expect"])))
                     for row, unit in zip(ranking.candidates, units)]
            asked += 1
        print(f"\r{name}: {asked} questions", end="", file=sys.stderr)
    print(file=sys.stderr)
    return rows


def first_right(question: np.ndarray, label: np.ndarray, score: np.ndarray) -> int:
    """How many questions have a right sentence first when each question's candidates are ordered by ``score``
    (a tie keeps the fused order)."""
    right = 0
    for q in np.unique(question):
        mine = np.flatnonzero(question == q)
        right += int(label[mine[np.argmax(score[mine])]])
    return right


def run(args) -> dict:
    rows = candidate_rows(args)
    if len({r[0] for r in rows}) < 3:
        raise SystemExit("bench rerank: each set is scored by trees fitted on the others, so it needs three sets or "
                         "more (tests/data and ../shared/eval beside the clone)")
    sets, question = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    x, y = np.array([r[2] for r in rows]), np.array([r[3] for r in rows])
    fused = -x[:, RERANK_FEATURES.index("place")]
    per_set = {}
    for name in sorted(set(sets)):
        mine = sets == name
        p = fit_trees(x[~mine], y[~mine]).predict_proba(x[mine])[:, 1]
        per_set[name] = {"questions": len(np.unique(question[mine])), "before": first_right(question[mine], y[mine],
                                                                                              fused[mine]),
                         "left_out": first_right(question[mine], y[mine], p)}
    total = {k: sum(v[k] for v in per_set.values()) for k in ("questions", "before", "left_out")}
    print(f"first sentence right, left out: {total['before']} → {total['left_out']} of {total['questions']}",
          file=sys.stderr)
    report = {**exported_trees(fit_trees(x, y), RERANK_FEATURES), "left_out": per_set, "total": total}
    if getattr(args, "install", False):
        MODEL_FILE.write_text(json.dumps({k: report[k] for k in ("features", "baseline", "trees")}) + "\n")
    return report
