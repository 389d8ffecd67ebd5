"""Lexical scoring: BM25 over Snowball-stemmed word tokens (bm25s)."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import numpy as np

from bot.documents.terms import _stemmer, tokenize  # noqa: F401 (the ranking's tokens)


@lru_cache(maxsize=1)
def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    return bm25s


STOPWORDS = sorted(set("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing done down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
off on once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what
when where which while who whom whose why will with would you your yours yourself yourselves much many
happen happened happens say says said tell told mean means also
""".split()))


def content_tokens(text: str) -> list[str]:
    """The stemmed tokens of ``text`` without stopwords, question words and generic question verbs."""
    return tokenize([text], stopwords=STOPWORDS)[0]


_SENTENCE_WORDS = re.compile(r"[^\W\d_][\w'’\-]{2,}")


def sentence_words(sentence: str) -> list[str]:
    """The distinct words of ``sentence`` (three letters or more), lower-cased and sorted."""
    return sorted({w.lower() for w in _SENTENCE_WORDS.findall(sentence)})


def paraphrase_credit(cosines: np.ndarray) -> np.ndarray:
    """How far a question word counts as said by a sentence, from its cosine to the sentence's closest word:
    not at all up to 0.35, fully from 0.6 ("come back" for "return")."""
    return np.clip((cosines - 0.35) / 0.25, 0.0, 1.0)


class BM25Scorer:
    """BM25 scores of every sentence for a question."""

    def __init__(self, texts: list[str], k1: float, b: float, method: str = "lucene"):
        self.size = len(texts)
        self.model = _bm25s().BM25(k1=k1, b=b, method=method, backend="numpy")
        self._df = np.zeros(0, np.int64)
        if texts:
            self.model.index(tokenize(texts), show_progress=False)
            self._df = np.diff(self.model.scores["indptr"])

    def knows(self, token: str) -> bool:
        return token in self.model.vocab_dict

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
        df = self._df[column]
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))
