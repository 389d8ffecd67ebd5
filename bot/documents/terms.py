"""The words of sentences as ranking counts them: stemmed tokens, headings, and the per-document facts an
index keeps about them (the tokens of each sentence's neighbour windows, the words the speller learns)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
WORD = re.compile(r"[^\W\d_]+")  # a word the speller learns
_SENTENCE_END = re.compile(r"[.!\u2026:;][\"'\u201d\u2019)\]]*$")
_LABELLED = re.compile(r"^[^:]{1,40}:\s+\S")  # "Weight: 180 g", "Date: 4 November 2024": a fact, not a heading
# The sentence windows (neighbours before, after) whose BM25 statistics an index keeps: those of the ranking
WINDOWS = ((0, 0), (1, 0), (2, 0), (0, 1))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str], stopwords: list[str] | None = None) -> list[list[str]]:
    """Lowercased, stemmed word tokens without ``stopwords``: what ``bm25s.tokenize`` gives
    (tested for parity), without its per-call overhead on the query path."""
    stop = frozenset(stopwords or ())
    stem = _stemmer().stemWords
    return [stem([w for w in _TOKEN.findall(text.lower()) if w not in stop]) for text in texts]


def is_heading(text: str) -> bool:
    """A title, heading or question line: names a topic, rarely answers."""
    if text.endswith("?"):
        return True
    return not _SENTENCE_END.search(text) and not _LABELLED.match(text)


def sections(heading: np.ndarray, doc_of: np.ndarray) -> np.ndarray:
    """For each unit, the nearest heading before it in its document (-1 when none)."""
    out = np.full(len(heading), -1, np.int64)
    last = -1
    for i in range(len(heading)):
        if i and doc_of[i] != doc_of[i - 1]:
            last = -1
        out[i] = last
        if heading[i]:
            last = i
    return out


def window_name(before: int, after: int) -> str:
    return f"window_{before}_{after}"


def windows(tokens: list[list[str]], before: int, after: int) -> list[list[str]]:
    """The tokens of each sentence of one document joined with ``before``/``after`` neighbours."""
    n = len(tokens)
    return [[t for j in range(max(0, i - before), min(n, i + after + 1)) for t in tokens[j]] for i in range(n)]


def document_facts(texts: list[str]) -> dict:
    """What an index keeps about one document's sentences (in order) for ranking without reading them all:
    per window of ``WINDOWS`` the token set of each window and their total length, the document's token
    set and length, and its word counts."""
    tokens = tokenize(texts)
    facts = {}
    for before, after in WINDOWS:
        joined = windows(tokens, before, after)
        facts[window_name(before, after)] = ([set(w) for w in joined], sum(len(w) for w in joined))
    facts["document"] = ([{t for sentence in tokens for t in sentence}], sum(len(s) for s in tokens))
    facts["words"] = Counter(w.lower() for text in texts for w in WORD.findall(text))
    return facts
