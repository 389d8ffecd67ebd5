"""Lexical scoring: BM25 over stemmed, stopword-free tokens (bm25s)."""

from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lowercased word tokens, English stopwords removed, Snowball-stemmed."""
    import bm25s

    return bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )


class BM25Scorer:
    """BM25 scores of every sentence for a question."""

    def __init__(self, texts: list[str], k1: float, b: float, method: str = "lucene"):
        import bm25s

        self.size = len(texts)
        self.model = bm25s.BM25(k1=k1, b=b, method=method, backend="numpy")
        if texts:
            self.model.index(tokenize(texts), show_progress=False)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """One score per sentence; zeros when no token is in the vocabulary."""
        if not self.size:
            return np.zeros(0, np.float32)
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return np.zeros(self.size, np.float32)
        return np.asarray(self.model.get_scores(known), np.float32)

    def idf(self, token: str) -> float:
        """Inverse document frequency of a token (0 when unseen)."""
        column = self.model.vocab_dict.get(token)
        if column is None:
            return 0.0
        df = self._doc_freq[column]
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))

    @property
    def _doc_freq(self) -> np.ndarray:
        if not hasattr(self, "_df"):
            indptr = self.model.scores["indptr"]
            self._df = np.diff(indptr)
        return self._df
