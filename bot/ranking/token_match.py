"""The token match: how closely a sentence's words meet the question's, word by word.

Each of the question's tokens (the model's last layer, normalised) takes its best cosine to one of the sentence's
tokens (late interaction, as ColBERT scores); the match is their weighted mean, a token weighing
``softplus(a · token + b)``, so that "the", "what" or "?" count for little and the words that carry the question
for much. ``a`` and ``b`` are fitted by ``qabot bench rerank --install`` on users' questions and shipped in
``token_weights.json`` (as the reranker's feature in place of the plain mean, left out by folds of sets: first right
2,947 → 3,007 of 3,780); without the file, or for a model of another width, every token weighs the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("token_weights.json")


def best_cosines(asked: np.ndarray, state: np.ndarray) -> np.ndarray:
    """For each of the question's token vectors (``asked``), its best cosine to one of the sentence's (``state``)."""
    return (asked @ state.T).max(1) if len(state) else np.zeros(len(asked), np.float32)


def cosine_table(asked: np.ndarray, states: list[np.ndarray]) -> np.ndarray:
    """``best_cosines`` of each sentence (its token vectors in ``states``): sentences × the question's tokens."""
    return np.array([best_cosines(asked, state) for state in states], np.float32).reshape(len(states), len(asked))


@dataclass(frozen=True, eq=False)
class TokenMatch:
    """The weighted token match (``weights``: ``a``, one per dimension of the model's vectors; ``bias``: ``b``;
    ``weights`` None: every token weighs the same)."""

    weights: np.ndarray | None = None
    bias: float = 0.0

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> TokenMatch:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text())
        return cls(np.array(data["weights"], np.float32), float(data["bias"]))

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        path.write_text(json.dumps({"weights": [float(w) for w in self.weights], "bias": self.bias}) + "\n")

    def token_weights(self, asked: np.ndarray) -> np.ndarray:
        """How much each of the question's tokens counts."""
        if self.weights is None or asked.shape[1] != len(self.weights):
            return np.ones(len(asked), np.float32)
        return np.logaddexp(0.0, asked @ self.weights + self.bias)

    def scores(self, asked: np.ndarray, states: list[np.ndarray]) -> np.ndarray:
        """The match of each sentence (its token vectors in ``states``) to the question's tokens ``asked``."""
        return self.weighted(asked, cosine_table(asked, states))

    def weighted(self, asked: np.ndarray, best: np.ndarray) -> np.ndarray:
        """Each sentence's match from its best cosines (``best``: sentences × the question's tokens ``asked``)."""
        if not len(asked):
            return np.zeros(len(best), np.float32)
        weights = self.token_weights(asked)
        return (best @ (weights / weights.sum())).astype(np.float32)


@lru_cache(maxsize=1)
def shipped() -> TokenMatch:
    """The token match of ``token_weights.json``, read once per process."""
    return TokenMatch.load()
