"""Rank source sentences for questions: dense and BM25 evidence, fused.

For each question the candidates are the union of the best sentences by
dense cosine (FAISS) and by BM25. A candidate's dense score adds, with small
weights, the cosine of its neighbouring sentences and of its document's title,
so a sentence that continues a topic ("he", "this mission") keeps its
context. Each method's scores are z-normalised over the candidates and summed
with tuned weights (``RetrievalConfig``; see the README for how they were chosen).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.embedder import Embedder
from bot.lexical import BM25Scorer, tokenize
from bot.store import StoredIndex


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    """Weights of the fused score, tuned on ReQA questions outside the reported sample."""

    k1: float = 0.5
    b: float = 0.75
    candidates: int = 100
    w_dense: float = 1.0
    w_bm25: float = 0.8
    w_prev: float = 0.15
    w_next: float = 0.05
    w_title: float = 0.15


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked sentence (index into the units) with the evidence behind its rank."""

    unit: int
    score: float
    cosine: float
    bm25: float


@dataclass(frozen=True, slots=True)
class Ranking:
    """The ranked hits of one question and the question-level evidence."""

    query: str
    hits: list[Hit]
    tokens: list[str]
    coverage: float
    corpus_coverage: float


class Retriever:
    """Hybrid dense + BM25 ranking over one ``StoredIndex``."""

    def __init__(self, index: StoredIndex, embedder: Embedder, config: RetrievalConfig = RetrievalConfig()):
        self.index = index
        self.embedder = embedder
        self.config = config
        self.bm25 = BM25Scorer([u.text for u in index.units], config.k1, config.b)
        self._neighbours()

    def _neighbours(self) -> None:
        units = self.index.units
        n = len(units)
        doc_ids = {doc: i for i, doc in enumerate(self.index.docs)}
        self.doc_of = np.array([doc_ids[u.doc] for u in units], np.int64)
        same_prev = np.zeros(n, bool)
        same_prev[1:] = self.doc_of[1:] == self.doc_of[:-1]
        self.prev = np.where(same_prev, np.arange(n) - 1, -1)
        same_next = np.zeros(n, bool)
        same_next[:-1] = same_prev[1:]
        self.next = np.where(same_next, np.arange(n) + 1, -1)
        self.unit_tokens = None

    def rank_many(self, queries: list[str], k: int = 10) -> list[Ranking]:
        """Rank sentences for many questions in one pass (the native case)."""
        if not queries:
            return []
        vectors = self.embedder.encode_queries(queries)
        return [self._rank(q, v, k) for q, v in zip(queries, vectors)]

    def rank(self, query: str, k: int = 10) -> Ranking:
        return self.rank_many([query], k)[0]

    def _rank(self, query: str, qvec: np.ndarray, k: int) -> Ranking:
        n = len(self.index.units)
        tokens = tokenize([query])[0]
        if n == 0:
            return Ranking(query, [], tokens, 0.0, 0.0)
        cfg = self.config
        depth = min(cfg.candidates, n)
        bm25 = self.bm25.scores(tokens)
        _, dense_ids = self.index.faiss_index.search(qvec[None, :].astype(np.float32), depth)
        lexical_ids = np.argpartition(-bm25, depth - 1)[:depth] if depth < n else np.arange(n)
        cand = np.unique(np.concatenate([dense_ids[0][dense_ids[0] >= 0], lexical_ids[bm25[lexical_ids] > 0]]))
        cos = self.index.vectors[cand] @ qvec
        dense = cos + cfg.w_title * (self.index.title_vectors[self.doc_of[cand]] @ qvec)
        dense += cfg.w_prev * self._neighbour_cos(self.prev[cand], qvec)
        dense += cfg.w_next * self._neighbour_cos(self.next[cand], qvec)
        fused = cfg.w_dense * _zscore(dense) + cfg.w_bm25 * _zscore(bm25[cand])
        order = np.argsort(-fused, kind="stable")[:k]
        hits = [Hit(int(cand[i]), float(fused[i]), float(cos[i]), float(bm25[cand[i]])) for i in order]
        coverage = self._coverage(tokens, hits[0].unit) if hits else 0.0
        return Ranking(query, hits, tokens, coverage, self._corpus_coverage(tokens))

    def _neighbour_cos(self, ids: np.ndarray, qvec: np.ndarray) -> np.ndarray:
        out = np.zeros(len(ids), np.float32)
        has = ids >= 0
        out[has] = self.index.vectors[ids[has]] @ qvec
        return out

    def _weights(self, tokens: list[str]) -> dict[str, float]:
        unseen = float(np.log(1 + (len(self.index.units) + 0.5) / 0.5))
        return {t: (self.bm25.idf(t) or unseen) for t in set(tokens)}

    def _coverage(self, tokens: list[str], unit: int) -> float:
        """Share of the question's IDF mass that the sentence (with its context) contains."""
        weights = self._weights(tokens)
        total = sum(weights.values())
        if not total:
            return 0.0
        present = set(tokenize([self.index.units[unit].text])[0])
        return sum(w for t, w in weights.items() if t in present) / total

    def _corpus_coverage(self, tokens: list[str]) -> float:
        """Share of the question's IDF mass found anywhere in the documents."""
        weights = self._weights(tokens)
        total = sum(weights.values())
        if not total:
            return 0.0
        return sum(w for t, w in weights.items() if t in self.bm25.model.vocab_dict) / total


def _zscore(x: np.ndarray) -> np.ndarray:
    if len(x) < 2:
        return np.zeros_like(x, dtype=np.float32)
    std = float(x.std())
    return (x - x.mean()) / (std if std > 1e-6 else 1.0)
