"""The ``Bot``: documents in, cited answers out."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answering.answer import Answer, Citation
from bot.answering.questions import QuestionError, clean_question
from bot.documents.documents import DocumentError, Problem, load_folder, read_document
from bot.documents.hashing import sha256_bytes
from bot.embedding.embedder import Embedder
from bot.ranking.decline import DeclineModel, WordMatcher
from bot.ranking.retrieval import Ranking, RetrievalConfig, Retriever
from bot.ranking.span import find_span
from bot.store.indexer import Indexer, IndexReport
from bot.store.store import IndexCorrupt, IndexStore, StoredIndex

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]  # the repository: bot/answering/pipeline.py
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
    ):
        self.source = Path(source) if source is not None else ROOT / "source"
        self.index_dir = Path(index) if index is not None else ROOT / "index"
        self.embedder = Embedder(model)
        self.config = config
        self.decline = decline or DeclineModel.load()
        self.word_matcher = WordMatcher(self.embedder)
        self.progress = progress
        self.store = IndexStore(self.index_dir)
        self.problems: list[Problem] = []
        self.last_report: IndexReport | None = None
        self._index: StoredIndex | None = None
        self._retriever: Retriever | None = None
        self._texts: dict[str, str | None] = {}
        self._lock = threading.RLock()

    # -- the index ---------------------------------------------------------
    def status(self) -> IndexStatus:
        """Compare the index manifest with the documents and the model."""
        try:
            manifest = self.store.read_manifest()
        except IndexCorrupt as err:
            return IndexStatus(False, str(err))
        if manifest is None:
            return IndexStatus(False, "no index yet")
        if manifest.get("model_hash") != self.embedder.fingerprint:
            return IndexStatus(False, "the index was built with another model")
        indexed = {doc: info["sha256"] for doc, info in manifest["documents"].items()}
        indexed.update({doc: info["sha256"] for doc, info in manifest.get("skipped", {}).items()})
        if self._source_hashes() != indexed:
            return IndexStatus(False, "the documents changed since the index was built")
        return IndexStatus(True, "up to date")

    def _source_hashes(self) -> dict[str, str]:
        from bot.documents.documents import list_sources

        hashes = {}
        for path in list_sources(self.source):
            try:
                hashes[path.relative_to(self.source).as_posix()] = sha256_bytes(path.read_bytes())
            except OSError:
                continue
        return hashes

    def load(self) -> StoredIndex:
        """Load the index, (re)building it first when missing, stale or corrupt."""
        with self._lock:
            if self._index is None:
                self._load()
        return self._index

    def _load(self) -> None:
        status = self.status()
        if not status.fresh:
            log.info("indexing %s: %s", self.source, status.reason)
            self.reindex()
            return
        try:
            self._set_index(self.store.read())
        except IndexCorrupt as err:
            log.warning("index is corrupt (%s); rebuilding", err)
            self.reindex()

    def reindex(self, force: bool = False) -> IndexReport:
        """Index the source folder, re-embedding only the documents that changed."""
        with self._lock:
            return self._reindex(force)

    def _reindex(self, force: bool) -> IndexReport:
        documents, self.problems = load_folder(self.source)
        previous = None
        if not force:
            try:
                previous = self.store.read()
                if previous and previous.manifest.get("model_hash") != self.embedder.fingerprint:
                    previous = None
            except IndexCorrupt as err:
                log.warning("previous index unusable (%s); embedding everything", err)
        index, report = Indexer(self.embedder, self.progress).build(documents, previous)
        report.problems = list(self.problems)
        index.manifest["skipped"] = self._skipped()
        if report.changed or previous is None or previous.manifest.get("skipped") != index.manifest["skipped"]:
            self.store.write(index)
        self._set_index(index)
        self.last_report = report
        return report

    def _skipped(self) -> dict[str, dict]:
        """The unreadable documents, keyed by content so an unchanged one is not read again."""
        out = {}
        for problem in self.problems:
            try:
                digest = sha256_bytes((self.source / problem.doc).read_bytes())
            except OSError:
                continue
            out[problem.doc] = {"sha256": digest, "reason": problem.reason}
        return out

    def use_index(self, index: StoredIndex) -> None:
        """Answer from an index built elsewhere (a benchmark corpus), without disk."""
        self._set_index(index)

    def _set_index(self, index: StoredIndex) -> None:
        self.problems = [Problem(doc, info["reason"]) for doc, info in index.manifest.get("skipped", {}).items()]
        self._index = index
        self._texts = {}
        self._retriever = Retriever(index, self.embedder, self.config)

    @property
    def retriever(self) -> Retriever:
        self.load()
        return self._retriever

    def document_text(self, doc: str) -> str:
        """The text that citations of ``doc`` point into."""
        if doc not in self.load().manifest["documents"]:
            raise KeyError(f"no document {doc!r} in the index")
        return read_document(self.source / doc, self.source).text

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
        self, questions: list[str], queries: list[str] | None = None, depth: int = 10
    ) -> tuple[list[Answer], list[Ranking | None]]:
        """Answers and the rankings behind them; ``queries`` overrides what is searched."""
        started = time.perf_counter()
        answers: list[Answer | None] = [None] * len(questions)
        todo, cleaned = [], []
        for i, question in enumerate(questions):
            try:
                cleaned.append(clean_question(queries[i] if queries else question))
                todo.append(i)
            except QuestionError as err:
                answers[i] = Answer(str(question)[:200], str(err), [], True, "", error=str(err))
        retriever = self.retriever
        rankings = retriever.rank_many(cleaned, k=depth)
        stages = dict(retriever.timings)
        self.word_matcher.prepare_many([(r, retriever.top_text(r)) for r in rankings])
        for i, ranking in zip(todo, rankings):
            t0 = time.perf_counter()
            answers[i] = self._compose(questions[i], ranking)
            answers[i].timings = {**stages, "decide_ms": (time.perf_counter() - t0) * 1000}
        total = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
        for answer in answers:
            answer.timings["total_ms"] = total
        by_question: list[Ranking | None] = [None] * len(questions)
        for i, ranking in zip(todo, rankings):
            by_question[i] = ranking
        return answers, by_question

    def _compose(self, question: str, ranking: Ranking) -> Answer:
        units = self._index.units
        cites = [self._citation(units[h.unit], h.score) for h in ranking.hits]
        confidence = self.decline.probability(ranking, self._retriever.top_text(ranking), self.word_matcher)
        if not cites or confidence < self.decline.threshold:
            return Answer(question, self._decline_text(cites[:CLOSEST]), [], True, ranking.query,
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
        text = self._text_of(cite.doc)
        raw = text[cite.start:cite.end] if text is not None else ""
        if " ".join(raw.split()) != cite.text:  # no file behind the index (a benchmark corpus), or changed since
            return cite, None
        start, end = found if raw == cite.text else _unfolded(raw, found)
        span = (cite.start + start, cite.start + end)
        return replace(cite, span=span), text[span[0]:span[1]]

    def _text_of(self, doc: str) -> str | None:
        """``document_text``, kept until the index changes; None for an index built from no files (a benchmark
        corpus) or a file gone since."""
        if doc not in self._texts:
            try:
                self._texts[doc] = self.document_text(doc)
            except (KeyError, OSError, DocumentError):
                self._texts[doc] = None
        return self._texts[doc]

    def _decline_text(self, closest: list[Citation]) -> str:
        what = "document does" if len(self._index.docs) == 1 else "documents do"
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
