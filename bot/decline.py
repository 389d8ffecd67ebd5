"""Decide from the retrieval evidence whether the documents answer a question.

A logistic model over four features of a ranking: the best sentence's plain
cosine, the share of the question's IDF mass that sentence contains, the share
found anywhere in the documents, and the fused-score gap to the runner-up.
The coefficients are fitted by ``qabot bench calibrate`` on ReQA SQuAD
(answerable questions, questions whose gold sentences were removed, and
questions asked of other articles), not on the release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.retrieval import Ranking


@dataclass(frozen=True, slots=True)
class DeclineModel:
    """Logistic coefficients and the probability below which the bot declines."""

    bias: float = -6.0
    w_cosine: float = 8.0
    w_coverage: float = 3.0
    w_corpus_coverage: float = 2.0
    w_gap: float = 0.5
    threshold: float = 0.5

    def features(self, ranking: Ranking) -> tuple[float, float, float, float]:
        hits = ranking.hits
        if not hits:
            return (0.0, 0.0, 0.0, 0.0)
        gap = hits[0].score - hits[1].score if len(hits) > 1 else 1.0
        return (hits[0].cosine, ranking.coverage, ranking.corpus_coverage, gap)

    def probability(self, ranking: Ranking) -> float:
        """How likely the top sentence answers the question."""
        if not ranking.hits:
            return 0.0
        cosine, coverage, corpus, gap = self.features(ranking)
        z = (self.bias + self.w_cosine * cosine + self.w_coverage * coverage
             + self.w_corpus_coverage * corpus + self.w_gap * gap)
        return 1.0 / (1.0 + math.exp(-z))

    def answers(self, ranking: Ranking) -> bool:
        return self.probability(ranking) >= self.threshold
