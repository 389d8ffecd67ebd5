"""The ``Bot``: documents in, cited answers out."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.answering.answer import Answer, Citation
from bot.answering.questions import QuestionError, clean_question
from bot.documents.documents import Problem
from bot.documents.hashing import sha256_bytes
from bot.embedding.embedder import Embedder
from bot.ranking.answer_type import answers_header
from bot.ranking.decline import DeclineModel, WordMatcher
from bot.ranking.engine import ranker
from bot.ranking.retrieval import Boost, Fusion, Ranking, RetrievalConfig
from bot.ranking.span import find_span
from bot.store.indexer import IndexReport
from bot.store.store import IndexCorrupt
from bot.store.stores import Index, open_store

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]  # the repository: bot/answering/pipeline.py
REFRESH_SECONDS = 2.0  # how often a shared store (Milvus) is asked whether another writer swapped a generation
SUPPORT_MARGIN = 0.35
MAX_CITATIONS = 3
CLOSEST = 3


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """Whether the index on disk matches the documents and the model."""

    fresh: bool
    reason: str


class Bot:
    """Answer questions about a folder of documents with cited source sentences."""

    def __init__(
        self,
        source: str | Path | None = None,
        index: str | Path | None = None,
        model: str | None = None,
        config: RetrievalConfig = RetrievalConfig(),
        decline: DeclineModel | None = None,
        progress: bool = False,
        embedder: Embedder | None = None,
        store: str | None = None,
    ):
        """``embedder``: a loaded one to share between bots (``model`` is then ignored); ``store``: where the
        index lives (see ``open_store``: ``milvus:PATH.db``, ``http://host:19530``; default the ``index``
        folder)."""
        self.source = Path(source) if source is not None else ROOT / "source"
        self.index_dir = Path(index) if index is not None else ROOT / "index"
        self.embedder = embedder or Embedder(model)
        self.config = config
        self.decline = decline or DeclineModel.load()
        self.word_matcher = WordMatcher(self.embedder)
        self.progress = progress
        self.store = open_store(store, self.index_dir, self.embedder.fingerprint)
        self.problems: list[Problem] = []
        self.last_report: IndexReport | None = None
        self._retriever: Fusion | None = None  # the index in use is its .index
        self._generation: str | None = None  # the store's generation the retriever answers from
        self._checked = 0.0
        self._lock = threading.RLock()  # held while loading or building, never while answering

    # -- the index ---------------------------------------------------------
    def status(self) -> IndexStatus:
        """Compare the index manifest with the documents and the model."""
        try:
            manifest = self.store.read_manifest()
        except IndexCorrupt as err:
            return IndexStatus(False, str(err))
        reason = self._stale(manifest)
        return IndexStatus(reason is None, reason or "up to date")

    def _stale(self, manifest: dict | None) -> str | None:
        """Why the index with this manifest must be rebuilt; ``None`` when it is up to date."""
        if manifest is None:
            return "no index yet"
        if manifest.get("model_hash") != self.embedder.fingerprint:
            return "the index was built with another model"
        if manifest.get("encoder") != self.embedder.encoder:
            return "the index was built by another encoder"
        indexed = {doc: info["sha256"] for doc, info in manifest["documents"].items()}
        indexed.update({doc: info["sha256"] for doc, info in manifest.get("skipped", {}).items()})
        if self._source_hashes() != indexed:
            return "the documents changed since the index was built"
        return None

    def _source_hashes(self) -> dict[str, str]:
        from bot.documents.documents import list_sources

        hashes = {}
        for path in list_sources(self.source):
            try:
                hashes[path.relative_to(self.source).as_posix()] = sha256_bytes(path.read_bytes())
            except OSError:
                continue
        return hashes

    def load(self) -> Index:
        """The index in use: loaded, or (re)built first when missing, stale or damaged."""
        return self._serving().index

    def _serving(self) -> Fusion:
        """The retriever in use; questions go on being answered by it while a new index is built. A shared
        store's generation is checked every ``REFRESH_SECONDS``: one swapped in by another server is loaded."""
        retriever = self._retriever
        watched = retriever is not None and self._generation is not None
        if watched and time.monotonic() - self._checked > REFRESH_SECONDS:
            self._checked = time.monotonic()
            if self.store.generation() != self._generation:
                with self._lock:
                    self._retriever = None
                retriever = None
        if retriever is None:
            with self._lock:
                if self._retriever is None:
                    self._load()
                retriever = self._retriever
        return retriever

    def _load(self) -> None:
        try:
            index = self.store.read()
            reason = self._stale(index.manifest if index else None)
        except IndexCorrupt as err:
            index = None
            log.warning("the index cannot be used: %s; rebuilding it from %s", err, self.source)
        else:
            if reason is None:
                self._set_index(index)
                return
            log.info("indexing %s: %s", self.source, reason)
        self._build(index, must_save=False)

    def reindex(self, force: bool = False) -> IndexReport:
        """Index the source folder, re-embedding and re-reading only the documents that changed.
        ``IndexWriteError`` (the disk is full, …) when the new index cannot be saved: the index in use then
        keeps answering."""
        with self._lock:
            previous = None
            if not force:
                try:
                    previous = self.store.read()
                except IndexCorrupt as err:
                    log.warning("the index cannot be used: %s; embedding everything again", err)
            return self._build(previous, must_save=True)

    def _build(self, previous: Index | None, must_save: bool) -> IndexReport:
        """Index the source folder over ``previous`` and answer from the result. When it cannot be saved,
        raise (``must_save``) or log the error and answer from memory."""
        index, report = self.store.update(self.source, previous, self.embedder, self.progress, must_save)
        self._set_index(index)
        self.last_report = report
        return report

    def use_index(self, index: Index) -> None:
        """Answer from an index built elsewhere (a benchmark corpus), without disk."""
        self._set_index(index)

    def _set_index(self, index: Index) -> None:
        self.problems = [Problem(doc, info["reason"]) for doc, info in index.manifest.get("skipped", {}).items()]
        self._generation = self.store.generation()
        self._checked = time.monotonic()
        self._retriever = ranker(index, self.embedder, self.config)

    @property
    def retriever(self) -> Fusion:
        return self._serving()

    def document_text(self, doc: str) -> str:
        """The text that citations of ``doc`` point into, as extracted when it was indexed (kept with the
        index: a PDF is not parsed again)."""
        document = self.load().documents.get(doc)
        if document is None:
            raise KeyError(f"no document {doc!r} in the index")
        return document.text

    @property
    def documents(self) -> list[str]:
        return self.load().docs

    # -- answering ---------------------------------------------------------
    def ask(self, question: str) -> Answer:
        """Answer one question."""
        return self.ask_many([question])[0]

    def ask_many(self, questions: list[str]) -> list[Answer]:
        """Answer many questions in one batched pass."""
        return self.answer_many(questions)[0]

    def answer_many(
        self, questions: list[str], queries: list[str] | None = None, depth: int = 10,
        boosts: list[Boost | None] | None = None, vectors: np.ndarray | None = None,
    ) -> tuple[list[Answer], list[Ranking | None]]:
        """Answers and the rankings behind them; ``queries`` overrides what is searched,
        ``boosts`` raises chosen sentences of each question and ``vectors`` are the searched texts'
        vectors when already encoded (see ``Fusion.rank_many``)."""
        started = time.perf_counter()
        answers: list[Answer | None] = [None] * len(questions)
        todo, cleaned = [], []
        for i, question in enumerate(questions):
            try:
                cleaned.append(clean_question(queries[i] if queries else question))
                todo.append(i)
            except QuestionError as err:
                answers[i] = Answer(str(question)[:200], str(err), [], True, "", error=str(err))
        retriever = self._serving()  # one index for the whole batch, even if a new one is swapped in meanwhile
        rankings = retriever.rank_many(cleaned, k=depth, boosts=[boosts[i] for i in todo] if boosts else None,
                                       vectors=None if vectors is None else vectors[todo])
        stages = dict(retriever.timings)
        self.word_matcher.prepare_many([(r, retriever.top_text(r)) for r in rankings])
        rankings = self._read_in_context(rankings, retriever)
        for i, ranking in zip(todo, rankings):
            t0 = time.perf_counter()
            answers[i] = self._compose(questions[i], ranking, retriever)
            answers[i].timings = {**stages, "decide_ms": (time.perf_counter() - t0) * 1000}
        total = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
        for answer in answers:
            answer.timings["total_ms"] = total
        by_question: list[Ranking | None] = [None] * len(questions)
        for i, ranking in zip(todo, rankings):
            by_question[i] = ranking
        return answers, by_question

    def _read_in_context(self, rankings: list[Ranking], retriever: Fusion) -> list[Ranking]:
        """Rankings whose best sentence opens with a pronoun, its cosine and coverage taken over the sentence
        read after its antecedent when that is closer to the question (dev sets: one more follow-up answered
        each, no loss)."""
        todo = {i: retriever.antecedent(r.hits[0].unit) for i, r in enumerate(rankings) if r.hits}
        todo = {i: f"{before} {retriever.top_text(rankings[i])}" for i, before in todo.items() if before}
        if not todo:
            return rankings
        read = self.embedder.encode_queries(list(todo.values()))
        out = list(rankings)
        for i, v in zip(todo, read):
            top = out[i].hits[0]
            coverage, missing = retriever.coverage(out[i].query, todo[i])
            if coverage <= out[i].coverage:
                coverage, missing = out[i].coverage, out[i].missing
            out[i] = replace(out[i], hits=[replace(top, cosine=max(top.cosine, float(v @ out[i].vector))),
                                           *out[i].hits[1:]], coverage=coverage, missing=missing)
        return out

    def _compose(self, question: str, ranking: Ranking, retriever: Fusion) -> Answer:
        units = retriever.units([h.unit for h in ranking.hits])
        cites = [self._citation(unit, h.score) for unit, h in zip(units, ranking.hits)]
        sentence, document = (units[0].text, retriever.joined(units[0].doc)) if units else ("", "")
        confidence = self.decline.probability(ranking, sentence, self.word_matcher, document)
        if not cites or (confidence < self.decline.threshold and not ranking.placed
                         and not answers_header(ranking.query, sentence)):
            return Answer(question, self._decline_text(cites[:CLOSEST], retriever.index), [], True, ranking.query,
                          confidence, closest=cites[:CLOSEST])
        best = ranking.hits[0].score
        kept = [c for c, h in zip(cites, ranking.hits) if h.score >= best - SUPPORT_MARGIN][:MAX_CITATIONS]
        text = "\n".join(f"[{i}] {c.text}" for i, c in enumerate(kept, 1))
        kept[0], short = self._pointed(ranking.query, kept[0])
        return Answer(question, text, kept, False, ranking.query, confidence, short=short)

    def _pointed(self, query: str, cite: Citation) -> tuple[Citation, str | None]:
        """``cite`` with the span of the words that answer ``query``, and those words exactly as the document
        has them, when they can be told."""
        found = find_span(query, cite.text)
        if found is None:
            return cite, None
        try:
            text = self.document_text(cite.doc)
        except KeyError:  # an index built from no files (a benchmark corpus)
            return cite, None
        raw = text[cite.start:cite.end]
        if " ".join(raw.split()) != cite.text:
            return cite, None
        start, end = found if raw == cite.text else _unfolded(raw, found)
        span = (cite.start + start, cite.start + end)
        return replace(cite, span=span), text[span[0]:span[1]]

    @staticmethod
    def _decline_text(closest: list[Citation], index: Index) -> str:
        what = "document does" if len(index.docs) == 1 else "documents do"
        text = f"The {what} not say."
        if closest:
            text += " The closest passages are:\n" + "\n".join(f"- {c.text} ({c.location})" for c in closest)
        return text

    @staticmethod
    def _citation(unit, score: float) -> Citation:
        return Citation(unit.doc, unit.text, unit.start, unit.end, unit.line, round(score, 4), unit.page)

    def conversation(self):
        """A new conversation: follow-up questions are read against earlier turns."""
        from bot.answering.conversation import Conversation

        return Conversation(self)


def _unfolded(raw: str, span: tuple[int, int]) -> tuple[int, int]:
    """Offsets in ``raw`` of ``span``, given in ``" ".join(raw.split())``."""
    starts = [i for i, ch in enumerate(raw) if not ch.isspace() and (i == 0 or raw[i - 1].isspace())]
    folded, places = 0, []  # places[k]: where the k-th character of the folded text stands in raw
    for n, begin in enumerate(starts):
        if n:
            places.append(begin - 1)
            folded += 1
        i = begin
        while i < len(raw) and not raw[i].isspace():
            places.append(i)
            i += 1
    return places[span[0]], places[span[1] - 1] + 1


_default: Bot | None = None


def ask(question: str) -> Answer:
    """Answer over the repository's ``source/`` and ``index/``."""
    global _default
    if _default is None:
        _default = Bot()
    return _default.ask(question)
