"""Boosted regression trees walked in NumPy: the form in which the decline model and the reranker are shipped
(fitted with scikit-learn's ``HistGradientBoostingClassifier`` by ``qabot bench``, exported to JSON), so answering
never imports scikit-learn."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree: node ``i`` sends a row to ``left[i]`` when its ``feature[i]`` is at most
    ``split[i]``, else to ``right[i]``; a leaf (``left[i] == -1``) adds ``value[i]`` to the logit."""

    feature: tuple[int, ...]
    split: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]


def read_trees(data: dict, features: tuple[str, ...], path: object) -> tuple[float, tuple[Tree, ...]]:
    """The baseline and trees of an exported model, checked to be fitted on ``features``."""
    if tuple(data["features"]) != features:
        raise ValueError(f"{path} was fitted on features {data['features']}, not {list(features)}")
    return float(data["baseline"]), tuple(Tree(*(tuple(t[k]) for k in Tree.__slots__)) for t in data["trees"])


class Forest:
    """Trees walked for many rows at once, all trees side by side in NumPy arrays (a tree's nodes padded to
    the largest tree's count)."""

    def __init__(self, baseline: float, trees: tuple[Tree, ...]):
        self.baseline = baseline
        size = max((len(t.left) for t in trees), default=1)

        def packed(name: str, fill: float, dtype) -> np.ndarray:
            out = np.full((len(trees), size), fill, dtype)
            for i, tree in enumerate(trees):
                out[i, : len(tree.left)] = getattr(tree, name)
            return out

        self.feature, self.split = packed("feature", 0, np.int64), packed("split", 0.0, np.float64)
        self.left, self.right = packed("left", -1, np.int64), packed("right", -1, np.int64)
        self.value = packed("value", 0.0, np.float64)

    def logits(self, x: np.ndarray) -> np.ndarray:
        """The summed leaves plus the baseline, for each row of ``x``."""
        tree = np.arange(len(self.left))[:, None]
        node = np.zeros((len(self.left), len(x)), np.int64)
        row = np.arange(len(x))[None, :]
        while True:
            inner = self.left[tree, node] >= 0
            if not inner.any():
                break
            goes_left = x[row, self.feature[tree, node]] <= self.split[tree, node]
            node = np.where(inner, np.where(goes_left, self.left[tree, node], self.right[tree, node]), node)
        return self.baseline + self.value[tree, node].sum(axis=0)

    def probability(self, x: list[float]) -> float:
        """The probability the trees give one row of features."""
        z = float(self.logits(np.array([x], np.float64))[0])
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
