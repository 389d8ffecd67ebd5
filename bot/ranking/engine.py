"""Ranking over an index on Milvus: the engine finds the candidates, ``Fusion`` ranks them.

Per question, Milvus gives the dense top-``candidates`` and the sentences holding the question's stems (its
BM25 search, at most ``lexical_limit``, best first). Every lexical term of the fused score is then computed
here, exactly as the embedded store computes it, from those sentences' tokens and the corpus summary kept
with the manifest (document frequencies per neighbour window, lengths): a window's score needs only the
matching sentences in it and its length. While every matching sentence comes back (fewer than
``lexical_limit``), the BM25 terms and their standardisation equal the embedded store's; past that they are
computed over the best ``lexical_limit``. The dense term's corpus distribution comes from every vector while
the index holds at most ``DENSE_SAMPLE`` sentences (loaded once per generation, with the clause vectors),
from a fixed random sample past that, as in the embedded store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cached_property

import numpy as np

from bot.documents.sentences import Unit
from bot.documents.terms import is_heading, window_name
from bot.embedding.embedder import Embedder
from bot.ranking.retrieval import DENSE_SAMPLE, DenseField, Evidence, Fusion, RetrievalConfig, Retriever, _top
from bot.ranking.spelling import Speller
from bot.store.milvus import POSITION_BITS, MilvusIndex, StoreError

LEXICAL_LIMIT = 16_384  # sentences per BM25 search (Milvus's largest result)
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

    def score(self, tf: Mapping[str, int], length: int, tokens: list[str]) -> float:
        norm = self.k1 * (1 - self.b + self.b * length / self.avgdl)
        return sum(self.idf(t) * tf[t] / (tf[t] + norm) for t in tokens if tf.get(t))


class MilvusRetriever(Fusion):
    """Hybrid dense + BM25 ranking over one version of a Milvus index, candidates from the engine."""

    def __init__(self, index: MilvusIndex, embedder: Embedder, config: RetrievalConfig = RetrievalConfig(),
                 lexical_limit: int = LEXICAL_LIMIT):
        super().__init__(embedder, config)
        self.index, self.lexical_limit = index, lexical_limit
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
                 boost: Mapping[int, float] | None) -> Evidence | None:
        if not self.size:
            return None
        cfg = self.config
        known = [t for t in tokens if self.sentences.df.get(t)]
        matched = {}  # id -> (token counts of the question's stems, length)
        if known:
            wanted = set(known)
            for row in self.index.search_lexical(sorted(wanted), self.lexical_limit, ["tokens", "length"]):
                tf = Counter(t for t in row["tokens"].split() if t in wanted)
                if tf:
                    matched[row["id"]] = (tf, row["length"])
        sentence = {uid: self.sentences.score(tf, length, known) for uid, (tf, length) in matched.items()}
        lexical_ids = np.fromiter(sentence, np.int64, len(sentence))
        scores = np.fromiter(sentence.values(), np.float64, len(sentence))
        best = lexical_ids[_top(scores, min(cfg.candidates, len(scores)))] if len(scores) else lexical_ids
        dense_ids = self.index.search_dense(qvec, cfg.candidates)
        cand = np.unique(np.concatenate([np.array(dense_ids, np.int64), best, np.fromiter(boost or (), np.int64)]))
        lexical = self._lexical(known, cand, matched, sentence)
        dense, cosine = self._dense(qvec, cand)
        units = self.units(cand.tolist())
        numbers = [t for t in set(tokens) if t[:1].isdigit()]
        has_numbers = [bool(numbers) and all(matched.get(int(u), (Counter(), 0))[0].get(t) for t in numbers)
                       for u in cand]
        return Evidence(cand, lexical, dense, cosine,
                        np.array([sentence.get(int(u), 0.0) for u in cand], np.float32),
                        np.array(has_numbers, np.float32), np.array([is_heading(u.text) for u in units], bool),
                        lambda unit: self._units[unit].text if unit in self._units else self.unit(unit).text)

    def _lexical(self, tokens: list[str], cand: np.ndarray, matched: dict, sentence: dict) -> np.ndarray:
        """The weighted, standardised BM25 terms of the candidates (windows and document)."""
        total = np.zeros(len(cand), np.float32)
        lengths = self._window_lengths(matched)
        for term, scorer in self.terms:
            scores = sentence if scorer is self.sentences else self._windows(term.before, term.after, tokens,
                                                                               scorer, matched, lengths)
            total += term.weight * self._standardised(scores, cand)
        if self.config.w_document and self.doc_count > 1:
            total += self.config.w_document * self._document_term(tokens, cand, matched)
        return total

    def _standardised(self, scores: dict[int, float], cand: np.ndarray) -> np.ndarray:
        """Candidates' scores standardised against the ``bm25_depth`` best of the corpus (the sentences not
        in ``scores`` score 0)."""
        depth = min(self.config.bm25_depth, self.size)
        values = np.fromiter(scores.values(), np.float32, len(scores))
        if len(values) >= depth:
            top = np.partition(values, len(values) - depth)[-depth:]
        else:
            top = np.concatenate([values, np.zeros(depth - len(values), np.float32)])
        mine = np.array([scores.get(int(u), 0.0) for u in cand], np.float32)
        return (mine - top.mean()) / max(float(top.std()), 1e-6)

    def _window_lengths(self, matched: dict) -> dict[int, int]:
        """The token lengths of the sentences within the widest window of a matching one."""
        reach = max([max(t.before, t.after) for t, _ in self.terms] + [0])
        lengths = {uid: length for uid, (_, length) in matched.items()}
        near = {u for uid in matched for step in range(-2 * reach, 2 * reach + 1)
                if (u := self._step(uid, step)) >= 0} - lengths.keys()
        if near:
            lengths |= {uid: row["length"] for uid, row in self.index.fetch(sorted(near), ["length"]).items()}
        return lengths

    def _step(self, unit: int, step: int) -> int:
        position = (unit & _MASK) + step
        return unit + step if 0 <= position < self.doc_units_of.get(unit >> POSITION_BITS, 0) else -1

    def _windows(self, before: int, after: int, tokens: list[str], scorer: _Lexical, matched: dict,
                 lengths: dict[int, int]) -> dict[int, float]:
        """The window BM25 of every sentence whose window holds a matching sentence."""
        out = {}
        holders = {u for uid in matched for step in range(-after, before + 1) if (u := self._step(uid, step)) >= 0}
        for unit in holders:
            members = [u for step in range(-before, after + 1) if (u := self._step(unit, step)) >= 0]
            tf = Counter()
            for member in members:
                if member in matched:
                    tf.update(matched[member][0])
            out[unit] = scorer.score(tf, sum(lengths.get(m, 0) for m in members), tokens)
        return out

    def _document_term(self, tokens: list[str], cand: np.ndarray, matched: dict) -> np.ndarray:
        """BM25 of the candidates' documents, standardised over every document."""
        counts: dict[int, Counter] = {}
        for uid, (tf, _) in matched.items():
            counts.setdefault(uid >> POSITION_BITS, Counter()).update(tf)
        scores = np.zeros(max(self.doc_count, 1), np.float32)
        for key, tf in counts.items():
            scores[self.doc_slot[key]] = self.documents.score(tf, self.doc_length[key], tokens)
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
