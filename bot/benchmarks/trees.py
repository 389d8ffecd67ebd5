"""What the two tree models' fitters share (``calibrate`` for declining, ``rerank`` for ordering): the
trees' settings and fit, their export to the JSON that ``bot.ranking.trees`` walks, and the development
questions answered as the bot answers them."""

from __future__ import annotations

import numpy as np

from bot.ranking.decline import DeclineModel
from bot.ranking.retrieval import Ranking

# Swept left out. All rows fit: early stopping held back a random tenth, and its seed moved the reranker's left-out
# figure by up to 9; without it, 150 trees put 2,392 of 3,129 first (2,370 with it; 60 trees 2,308, 100 2,321 of 3,036)
TREES = {"max_depth": 4, "learning_rate": 0.1, "max_iter": 150, "min_samples_leaf": 30, "early_stopping": False}
# the reranker's: deeper, slower-learning trees (47 sets left out, served first right 3,145 → 3,160 of 3,966; depth 6
# 3,157, depth 8 3,156; depth 3 at the old rate 3,136; 0.17 → 0.34 ms to order ten candidates). The decline model
# keeps TREES: rate 0.05 and 300 trees moved its unanswerable declined 0.657 → 0.661 left out, noise
RANKING_TREES = {**TREES, "max_depth": 5, "learning_rate": 0.05, "max_iter": 300}


def fit_trees(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, settings: dict = TREES):
    """Gradient-boosted trees (``settings``) on rows ``x`` labelled ``y``: the fitted scikit-learn classifier."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**settings, random_state=0).fit(x, y, sample_weight=weight)


def exported_trees(model, features: tuple[str, ...]) -> dict:
    """A fitted classifier's baseline and trees as the JSON model files hold them (``trees.read_trees``)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({"feature": [int(f) for f in nodes["feature_idx"]],
                      "split": [float(t) for t in nodes["num_threshold"]],
                      "left": [-1 if is_leaf else int(n) for n, is_leaf in zip(nodes["left"], leaf)],
                      "right": [-1 if is_leaf else int(n) for n, is_leaf in zip(nodes["right"], leaf)],
                      "value": [float(v) for v in nodes["value"]]})
    return {"features": list(features), "baseline": float(np.ravel(model._baseline_prediction)[0]), "trees": trees}


UNDECIDED = DeclineModel(0.0, (), 0.5)  # what the fitters answer with: the rankings do not depend on it


def answered(bot, items: list[dict]) -> list[tuple[dict, Ranking | None]]:
    """Each question of a set with the ranking behind its answer: single questions in one batch, each
    conversation's turns asked in order in a conversation of their own."""
    single = [it for it in items if not it.get("conv")]
    out = list(zip(single, bot.answer_many([it["question"] for it in single])[1]))
    for conv in dict.fromkeys(it["conv"] for it in items if it.get("conv")):
        conversation = bot.conversation()
        for it in sorted((it for it in items if it.get("conv") == conv), key=lambda it: it.get("turn") or 0):
            conversation.ask(it["question"])
            out.append((it, conversation.last_ranking))
    return out
