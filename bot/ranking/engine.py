"""Ranking over an index on Milvus: the engine finds the candidates, ``Fusion`` ranks them.

Per question, Milvus gives the dense top-``candidates`` and the sentences holding the question's stems (its
BM25 search, best first, at most ``lexical_limit`` of them). Every lexical term of the fused score is then
computed here, as the embedded store computes it, from those sentences' stem counts and the corpus summary
kept with the manifest (document frequencies per neighbour window, lengths): a window's score needs only the
matching sentences in it and its length. While every matching sentence comes back (at most
``lexical_limit``), the BM25 terms and their standardisation equal the embedded store's; past that they are
computed over the engine's best. The dense term's corpus distribution comes from every vector while the
index holds at most ``DENSE_SAMPLE`` sentences (loaded once per generation, with the clause vectors), from a
fixed random sample past that, as in the embedded store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bot.documents.sentences import Unit
from bot.documents.terms import is_heading, window_name
from bot.embedding.embedder import Embedder
from bot.ranking.retrieval import DENSE_SAMPLE, Boost, DenseField, Evidence, Fusion, RetrievalConfig, Retriever, _top
from bot.ranking.spelling import Speller
from bot.store.milvus import POSITION_BITS, MilvusIndex, StoreError

UNIT_CACHE = 100_000
_MASK = (1 << POSITION_BITS) - 1
_UNIT_FIELDS = ["doc", "start", "end", "line", "text", "page"]


class _Lexical:
    """BM25 (bm25s's Lucene variant) of windows of sentences, from their tokens and corpus statistics."""

    def __init__(self, stats: dict, size: int, k1: float, b: float):
        self.df, self.size, self.k1, self.b = stats["df"], size, k1, b
        self.avgdl = stats["length"] / size if size else 1.0

    def idf(self, token: str) -> float:
        df = self.df.get(token)
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5))) if df else 0.0

    def scores(self, tf: np.ndarray, lengths: np.ndarray, query: _Query) -> np.ndarray:
        """The BM25 of windows with these counts of the question's stems (rows) and token lengths."""
        if not len(tf):
            return np.zeros(0, np.float32)
        weight = np.array([self.idf(t) for t in query.stems]) * query.counts
        norm = self.k1 * (1 - self.b + self.b * lengths / self.avgdl)
        return ((tf / (tf + norm[:, None])) @ weight).astype(np.float32)


@dataclass(slots=True)
class _Query:
    """The question's known stems (each once, and how often the question has it)."""

    stems: list[str]
    counts: np.ndarray


@dataclass(slots=True)
class _Matched:
    """The sentences holding a stem of the question (ascending ids): counts of each stem, token lengths."""

    ids: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray

    def find(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For ``ids``, whether each is matched and its row (valid where matched)."""
        at = np.searchsorted(self.ids, ids)
        at = np.minimum(at, max(len(self.ids) - 1, 0))
        hit = (self.ids[at] == ids) if len(self.ids) else np.zeros(len(ids), bool)
        return hit, at


class MilvusRetriever(Fusion):
    """Hybrid dense + BM25 ranking over one version of a Milvus index, candidates from the engine."""

    def __init__(self, index: MilvusIndex, embedder: Embedder, config: RetrievalConfig = RetrievalConfig()):
        super().__init__(embedder, config)
        self.index = index
        summary = index.summary
        self.size = summary.get("units", 0)
        try:
            self.terms = [(t, _Lexical(summary[window_name(t.before, t.after)], self.size, t.k1, t.b))
                          for t in config.lexical if t.weight]
        except KeyError as err:
            raise StoreError(f"the index at {index.store.uri} keeps no statistics for the window {err}") from None
        plain = [scorer for t, scorer in self.terms if not t.before and not t.after]
        self.sentences = plain[0] if plain else _Lexical(summary["window_0_0"], self.size, 1.2, 0.75)
        documents = index.manifest["documents"]
        self.doc_count = summary.get("documents", len(documents))
        self.documents = _Lexical(summary["document"], self.doc_count, config.document_k1, config.document_b)
        self.doc_slot = {info["key"]: i for i, info in enumerate(documents.values())}
        self.doc_units_of = {info["key"]: info["units"] for info in documents.values()}
        self.doc_length = {info["key"]: info["tokens"] for info in documents.values()}
        self._units: dict[int, Unit] = {}

    # -- what Fusion asks of a store -------------------------------------------------
    def unit(self, unit: int) -> Unit:
        return self.units([unit])[0]

    def units(self, units: Sequence[int]) -> list[Unit]:
        missing = [u for u in units if u not in self._units]
        if missing:
            if len(self._units) > UNIT_CACHE:
                self._units.clear()
            for uid, row in self.index.fetch(missing, _UNIT_FIELDS).items():
                page = row["page"] if row["page"] >= 0 else None
                self._units[uid] = Unit(row["doc"], row["start"], row["end"], row["line"], row["text"], page)
        return [self._units[u] for u in units]

    def doc_units(self, doc: str) -> list[int]:
        return self.index.doc_ids(doc)

    def neighbour(self, unit: int, step: int) -> int:
        position = (unit & _MASK) + step
        return unit + step if 0 <= position < self.doc_units_of.get(unit >> POSITION_BITS, 0) else -1

    def position(self, unit: int) -> int:
        return unit & _MASK

    def idf(self, token: str) -> float:
        return self.sentences.idf(token)

    @cached_property
    def speller(self) -> Speller:
        return Speller([], self.embedder.vocabulary, counts=self.index.summary.get("words", {}))

    # -- the candidates --------------------------------------------------------------
    @cached_property
    def _dense_all(self) -> tuple[dict[int, int], DenseField] | None:
        """Every vector, its neighbours and clauses, while the index is small (positions by id); else None."""
        if self.size > DENSE_SAMPLE:
            return None
        ids, vectors, links = [], [], []
        for batch in self.index.rows(["id", "vector", "prev", "next", "section"]):
            for row in batch:
                ids.append(int(row["id"]))
                vectors.append(row["vector"])
                links.append((row["prev"], row["next"], row["section"]))
        order = np.argsort(ids)
        ids = np.array(ids, np.int64)[order]
        position = {int(u): i for i, u in enumerate(ids)}
        place = np.vectorize(lambda u: position.get(int(u), -1), otypes=[np.int64])
        links = np.array(links, np.int64).reshape(-1, 3)[order]
        vectors = np.array(vectors, np.float32).reshape(len(ids), -1)
        owners, clause_vectors = self.index.clauses()
        keep = np.argsort(place(owners), kind="stable") if len(owners) else owners
        clause_owner = place(owners[keep]) if len(owners) else owners
        field = DenseField(self.config, vectors, *(place(links[:, i]) if len(ids) else links[:, i] for i in range(3)),
                           clause_vectors[keep] if len(owners) else clause_vectors, clause_owner)
        return position, field

    @cached_property
    def _sample(self) -> np.ndarray:
        """The plain vectors standing for the corpus's cosine distribution past ``DENSE_SAMPLE`` sentences."""
        fraction = min(1.0, 1.2 * DENSE_SAMPLE / max(self.size, 1))
        vectors = [row["vector"] for batch in self.index.rows(["vector"], fraction) for row in batch]
        return np.array(vectors[:DENSE_SAMPLE], np.float32)

    def evidence(self, query: str, tokens: list[str], qvec: np.ndarray, cosines: np.ndarray | None,
                 boost: Boost | None) -> Evidence | None:
        if not self.size:
            return None
        cfg = self.config
        counts = Counter(t for t in tokens if self.sentences.df.get(t))
        stems = sorted(counts)
        known = _Query(stems, np.array([counts[t] for t in stems], np.float64))
        matched = self._matched(known)
        sentence = self.sentences.scores(matched.tf, matched.lengths, known)
        best = matched.ids[_top(sentence, min(cfg.candidates, len(sentence)))] if len(sentence) else matched.ids
        dense_ids = self.index.search_dense(qvec, cfg.candidates)
        boosted = np.fromiter(boost.units if boost else (), np.int64)
        cand = np.unique(np.concatenate([np.array(dense_ids, np.int64), best, boosted]))
        hit, at = matched.find(cand)
        lexical = self._lexical(known, cand, matched, sentence)
        dense, cosine = self._dense(qvec, cand)
        units = self.units(cand.tolist())
        numbers = [stems.index(t) for t in set(tokens) if t[:1].isdigit() and t in counts]
        has_numbers = hit & (matched.tf[at][:, numbers] > 0).all(1) if numbers and len(matched.ids) else None
        if has_numbers is None or len(numbers) < len({t for t in tokens if t[:1].isdigit()}):
            has_numbers = np.zeros(len(cand), bool)
        return Evidence(cand, lexical, dense, cosine, np.where(hit, sentence[at] if len(sentence) else 0, 0),
                        has_numbers.astype(np.float32), np.array([is_heading(u.text) for u in units], bool),
                        lambda unit: self._units[unit].text if unit in self._units else self.unit(unit).text)

    def _matched(self, query: _Query) -> _Matched:
        """The engine's sentences holding a stem of the question, with their counts of each."""
        limit = self.config.lexical_limit
        rows = self.index.search_lexical(query.stems, limit, ["tokens", "length"]) if query.stems else []
        column = {t: j for j, t in enumerate(query.stems)}
        tf = np.zeros((len(rows), len(column)), np.float64)
        for i, row in enumerate(rows):
            for token in row["tokens"].split():
                j = column.get(token)
                if j is not None:
                    tf[i, j] += 1
        ids = np.array([row["id"] for row in rows], np.int64)
        lengths = np.array([row["length"] for row in rows], np.float64)
        keep = tf.any(1) if len(rows) else np.zeros(0, bool)
        order = np.argsort(ids[keep])
        return _Matched(ids[keep][order], tf[keep][order], lengths[keep][order])

    def _lexical(self, query: _Query, cand: np.ndarray, matched: _Matched, sentence: np.ndarray) -> np.ndarray:
        """The weighted, standardised BM25 terms of the candidates (windows and document)."""
        total = np.zeros(len(cand), np.float32)
        reach = max([t.before + t.after for t, _ in self.terms] + [0])
        lengths = self._lengths(matched, reach)
        for term, scorer in self.terms:
            if scorer is self.sentences:
                ids, scores = matched.ids, sentence
            else:
                ids, scores = self._windows(term.before, term.after, query, scorer, matched, lengths)
            total += term.weight * self._standardised(ids, scores, cand)
        if self.config.w_document and self.doc_count > 1:
            total += self.config.w_document * self._document_term(query, cand, matched)
        return total

    def _standardised(self, ids: np.ndarray, scores: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """Candidates' scores (``scores`` of ascending ``ids``; 0 for the others) standardised against the
        ``bm25_depth`` best of the corpus."""
        depth = min(self.config.bm25_depth, self.size)
        if len(scores) >= depth:
            top = np.partition(scores, len(scores) - depth)[-depth:]
        else:
            top = np.concatenate([scores, np.zeros(depth - len(scores), np.float32)])
        at = np.minimum(np.searchsorted(ids, cand), max(len(ids) - 1, 0))
        mine = np.where(ids[at] == cand, scores[at], 0).astype(np.float32) if len(ids) else np.zeros(len(cand))
        return (mine - top.mean()) / max(float(top.std()), 1e-6)

    def _within(self, ids: np.ndarray, step: int) -> np.ndarray:
        """Whether the sentence ``step`` away from each of ``ids`` is in the same document."""
        keys, slot = np.unique(ids >> POSITION_BITS, return_inverse=True)
        sizes = np.array([self.doc_units_of.get(int(k), 0) for k in keys], np.int64)[slot]
        position = (ids & _MASK) + step
        return (position >= 0) & (position < sizes)

    def _lengths(self, matched: _Matched, reach: int) -> tuple[np.ndarray, np.ndarray]:
        """Ascending ids and token lengths of the sentences within ``reach`` of a matching one."""
        near = [matched.ids[self._within(matched.ids, step)] + step for step in range(-reach, reach + 1) if step]
        others = np.setdiff1d(np.concatenate(near) if near else np.zeros(0, np.int64), matched.ids)
        rows = self.index.fetch(others, ["length"]) if len(others) else {}
        ids = np.concatenate([matched.ids, np.fromiter(rows, np.int64, len(rows))])
        values = np.concatenate([matched.lengths, np.array([r["length"] for r in rows.values()], np.float64)])
        order = np.argsort(ids)
        return ids[order], values[order]

    def _windows(self, before: int, after: int, query: _Query, scorer: _Lexical, matched: _Matched,
                 lengths: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The window BM25 of every sentence whose window holds a matching sentence (ascending ids)."""
        holders = np.unique(np.concatenate([matched.ids[self._within(matched.ids, -step)] - step
                                            for step in range(-before, after + 1)] or [np.zeros(0, np.int64)]))
        tf = np.zeros((len(holders), matched.tf.shape[1]), np.float64)
        size = np.zeros(len(holders), np.float64)
        length_ids, length_values = lengths
        for step in range(-before, after + 1):
            inside = self._within(holders, step)
            member = holders + step
            hit, at = matched.find(member)
            hit &= inside
            tf[hit] += matched.tf[at[hit]]
            where = np.minimum(np.searchsorted(length_ids, member), max(len(length_ids) - 1, 0))
            size += np.where(inside & (length_ids[where] == member), length_values[where], 0) if len(length_ids) else 0
        return holders, scorer.scores(tf, size, query)

    def _document_term(self, query: _Query, cand: np.ndarray, matched: _Matched) -> np.ndarray:
        """BM25 of the candidates' documents, standardised over every document."""
        keys = matched.ids >> POSITION_BITS
        unique, slot = np.unique(keys, return_inverse=True)
        tf = np.zeros((len(unique), matched.tf.shape[1]), np.float64)
        np.add.at(tf, slot, matched.tf)
        lengths = np.array([self.doc_length[int(k)] for k in unique], np.float64)
        scores = np.zeros(max(self.doc_count, 1), np.float32)
        scores[[self.doc_slot[int(k)] for k in unique]] = self.documents.scores(tf, lengths, query)
        z = (scores - scores.mean()) / max(float(scores.std()), 1e-6)
        return z[[self.doc_slot[int(u) >> POSITION_BITS] for u in cand]]

    def _dense(self, qvec: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The candidates' standardised dense term and clause-boosted cosine."""
        small = self._dense_all
        if small is not None:
            position, field = small
            local = np.array([position[int(u)] for u in cand], np.int64)
            cos_all = field.vectors @ qvec
            best_clause = field.best_clause(qvec)
            return (field.dense(qvec, cos_all, local, best_clause),
                    field.boosted(cos_all[local], best_clause, local))
        rows = self.index.fetch(cand, ["vector", "prev", "next", "section"])
        around = {int(rows[int(u)][side]) for u in cand for side in ("prev", "next", "section")} - {-1}
        extra = self.index.fetch(sorted(around - set(rows)), ["vector"])
        ids = [int(u) for u in cand] + sorted(extra)
        position = {u: i for i, u in enumerate(ids)}
        vectors = np.array([(rows.get(u) or extra[u])["vector"] for u in ids], np.float32)
        links = np.full((len(ids), 3), -1, np.int64)
        for i, u in enumerate(cand):
            links[i] = [position.get(int(rows[int(u)][side]), -1) for side in ("prev", "next", "section")]
        field = DenseField(self.config, vectors, links[:, 0], links[:, 1], links[:, 2],
                           np.zeros((0, vectors.shape[1]), np.float32), np.zeros(0, np.int64), self._sample)
        local = np.arange(len(cand))
        return field.dense(qvec, None, local, None), vectors[local] @ qvec


def ranker(index, embedder: Embedder, config: RetrievalConfig = RetrievalConfig()) -> Fusion:
    """The ranker of one generation: in memory for the folder store's, candidates from Milvus for Milvus's."""
    if isinstance(index, MilvusIndex):
        return MilvusRetriever(index, embedder, config)
    return Retriever(index, embedder, config)
