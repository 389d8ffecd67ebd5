"""``qabot bench rerank``: fit the reranker (boosted trees over ``rerank.RERANK_FEATURES``) on users' questions.

Every answerable turn of every development set (``weights.question_sets``: paraphrases, short forms, typos;
conversations asked in order) is answered with the reranker off; each of its ``rerank.DEPTH`` best candidates
is a row, labelled by whether it holds one of the expected phrases. The token match's weights
(``token_match.TokenMatch``) are fitted first, each fold of sets' rows reading weights fitted on the other folds
(``token_weights.cross_fitted``); ``--install`` writes those fitted on every question into
``token_weights.json``. Each set's figures (how often the first
sentence holds the answer, before and after re-ordering) come from trees fitted on the other sets' rows;
``--install`` writes the trees fitted on all of them into ``rerank_model.json`` and, fitted on the same rows
without the token match, the plain trees that order conversation turns and large corpora into
``rerank_model_plain.json``. The figure that counts is the served one: single questions ordered by the full
trees, conversation turns by the plain ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from bot.benchmarks.token_weights import Asked, cross_fitted
from bot.benchmarks.token_weights import fit as fit_weights
from bot.benchmarks.trees import RANKING_TREES, UNDECIDED, answered, exported_trees, fit_trees
from bot.evaluation.evaluate import matches
from bot.ranking.rerank import MODEL_FILE, PLAIN_FEATURES, PLAIN_MODEL_FILE, RERANK_FEATURES
from bot.ranking.retrieval import RetrievalConfig
from bot.ranking.token_match import WEIGHTS_FILE, TokenMatch, cosine_table

Row = tuple[str, int, list[float], float, bool]  # set, question number, features, label, a conversation turn


def candidate_rows(args) -> tuple[list[Row], list[Asked]]:
    """The ten best candidates of every answerable question of the development sets, labelled, and each
    question's token evidence (what the token match's weights are fitted on)."""
    from bot.answering.pipeline import Bot
    from bot.benchmarks.weights import question_sets

    rows: list[Row] = []
    tokens: list[Asked] = []
    asked = 0
    for name, (folder, items) in question_sets(args, answerable_only=False, follow_ups=True).items():
        bot = Bot(source=folder, index=Path(args.index or "runs/rerank-index") / name,
                  config=RetrievalConfig(rerank=False), decline=UNDECIDED)
        for it, ranking in answered(bot, items):
            if not (it.get("answerable") and it.get("expect")) or ranking is None or not ranking.candidates:
                continue
            units = bot.retriever.units([hit.unit for hit in ranking.hits[: len(ranking.candidates)]])
            turn = (it.get("turn") or 0) > 1
            labels = [float(matches(unit.text, it["expect"])) for unit in units]
            rows += [(name, asked, row, label, turn) for row, label in zip(ranking.candidates, labels)]
            states = bot.retriever.embedder.states([ranking.query] + [unit.text for unit in units])
            tokens.append(Asked(states[0], cosine_table(states[0], states[1:]), np.array(labels)))
            asked += 1
        print(f"\r{name}: {asked} questions", end="", file=sys.stderr)
    print(file=sys.stderr)
    return rows, tokens


def token_column(rows: list[Row], tokens: list[Asked]) -> tuple[np.ndarray, TokenMatch]:
    """The token match feature of every row, as the served reranker reads it (its lead over the best candidate's),
    by weights fitted on the other folds of sets, and the weights fitted on every question."""
    set_of = {r[1]: r[0] for r in rows}
    column = []
    for scores in cross_fitted(tokens, [set_of[q] for q in range(len(tokens))]):
        column += [float(s - scores.max()) for s in scores]
    return np.array(column), fit_weights(tokens)


def first_right(question: np.ndarray, label: np.ndarray, score: np.ndarray) -> int:
    """How many questions have a right sentence first when each question's candidates are ordered by ``score``
    (a tie keeps the fused order)."""
    right = 0
    for q in np.unique(question):
        mine = np.flatnonzero(question == q)
        right += int(label[mine[np.argmax(score[mine])]])
    return right


def run(args) -> dict:
    rows, tokens = candidate_rows(args)
    if len({r[0] for r in rows}) < 3:
        raise SystemExit("bench rerank: each set is scored by trees fitted on the others, so it needs three sets or "
                         "more (tests/data and ../shared/eval beside the clone)")
    sets, question = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    x, y, turn = np.array([r[2] for r in rows]), np.array([r[3] for r in rows]), np.array([r[4] for r in rows])
    x[:, RERANK_FEATURES.index("token_match")], weights = token_column(rows, tokens)
    plain = x[:, : len(PLAIN_FEATURES)]
    fused = -x[:, RERANK_FEATURES.index("place")]
    per_set = {}
    for name in sorted(set(sets)):
        mine = sets == name
        full_p = fit_trees(x[~mine], y[~mine], settings=RANKING_TREES).predict_proba(x[mine])[:, 1]
        plain_p = fit_trees(plain[~mine], y[~mine], settings=RANKING_TREES).predict_proba(plain[mine])[:, 1]
        single, follow = ~turn[mine], turn[mine]
        q, label = question[mine], y[mine]
        per_set[name] = {"questions": len(np.unique(q)), "turns": len(np.unique(q[follow])),
                         "before": first_right(q, label, fused[mine]),
                         "left_out": first_right(q, label, full_p),
                         "plain": first_right(q, label, plain_p),
                         "served": first_right(q[single], label[single], full_p[single])
                         + first_right(q[follow], label[follow], plain_p[follow]),
                         "turns_served": first_right(q[follow], label[follow], plain_p[follow])}
    total = {k: sum(v[k] for v in per_set.values()) for k in next(iter(per_set.values()))}
    print(f"first sentence right, left out: {total['before']} → {total['served']} of {total['questions']} "
          f"(turns {total['turns_served']} of {total['turns']}; every question by the full trees "
          f"{total['left_out']}, by the plain {total['plain']})", file=sys.stderr)
    plain_trees = exported_trees(fit_trees(plain, y, settings=RANKING_TREES), PLAIN_FEATURES)
    report = {**exported_trees(fit_trees(x, y, settings=RANKING_TREES), RERANK_FEATURES), "plain": plain_trees,
              "left_out": per_set, "total": total}
    if getattr(args, "install", False):
        MODEL_FILE.write_text(json.dumps({k: report[k] for k in ("features", "baseline", "trees")}) + "\n")
        PLAIN_MODEL_FILE.write_text(json.dumps(plain_trees) + "\n")
        weights.save(WEIGHTS_FILE)
    return report
