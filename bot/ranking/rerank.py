"""Re-order a ranking's best sentences by how likely each one answers the question.

The fused score adds up its terms and rules whatever the question; boosted trees over each of the ``DEPTH`` best
candidates' evidence (``RERANK_FEATURES``: its fused score, place and lead; cosine and BM25 and their places
among the candidates; the rules' net effect; its length, word coverage and answer type; where it stands in its
document and beside the best one; what it names; the question's shape; and, in a conversation, how far it
stands from the last answer's sentence; how closely its words meet the question's, word by word, against the
best of the candidates) read that evidence by kind of question
and candidate. Fitted by ``qabot bench rerank --install`` on users' questions, each development set scored by
trees that never saw it; shipped in ``rerank_model.json`` and walked in NumPy, the ten candidates at once.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.ranking.trees import Forest, read_trees

MODEL_FILE = Path(__file__).with_name("rerank_model.json")
# without "token_match", for conversation turns and corpora past ``retrieval.TOKEN_LIMIT`` sentences: fitted by
# ``qabot bench rerank --install`` on the same rows as ``MODEL_FILE``'s trees
PLAIN_MODEL_FILE = Path(__file__).with_name("rerank_model_plain.json")
DEPTH = 10  # candidates re-ordered: the answer is among the fused ten best for 97% of users' questions
RERANK_FEATURES = ("place", "fused", "fused_lead", "cosine", "bm25", "lexical", "dense", "rules", "numbers",
                   "heading", "cosine_place", "bm25_place", "words", "coverage", "type_offered", "same_document",
                   "beside_best", "position", "question_word", "answer_type", "yes_no", "question_words",
                   "names_person", "names_place", "gives_reason", "type_missing", "cosine_lead", "bm25_lead",
                   "from_last", "token_match")
PLAIN_FEATURES = RERANK_FEATURES[:-1]


class Reranker(Forest):
    """Boosted trees over ``RERANK_FEATURES``: the larger a candidate's logit, the likelier it answers."""

    @classmethod
    def load(cls, path: Path = MODEL_FILE, features: tuple[str, ...] = RERANK_FEATURES) -> Reranker:
        return cls(*read_trees(json.loads(path.read_text()), features, path))

    def order(self, rows: list[list[float]]) -> list[int]:
        """The candidates' positions, the likeliest answer first (a tie keeps the fused order)."""
        return [int(i) for i in np.argsort(-self.logits(np.array(rows)), kind="stable")]


@lru_cache(maxsize=2)
def shipped(plain: bool = False) -> Reranker:
    """The reranker of ``rerank_model.json`` (``plain``: of ``rerank_model_plain.json``), read once per process."""
    return Reranker.load(PLAIN_MODEL_FILE, PLAIN_FEATURES) if plain else Reranker.load()
