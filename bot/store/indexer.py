"""Build an index from documents, re-embedding only what changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.documents.clauses import clauses_of
from bot.documents.documents import Document, Problem
from bot.documents.hashing import sha256_bytes
from bot.documents.sentences import Unit, split_sentences
from bot.embedding.embedder import Embedder
from bot.store.store import FORMAT_VERSION, StoredIndex
from bot.store.vectors import build_vector_index


@dataclass(slots=True)
class IndexReport:
    """What an indexing run did, document by document."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sentences: int = 0
    embedded: int = 0
    clauses_embedded: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.problems)} skipped",
        ]
        return (
            f"{', '.join(parts)}; {self.sentences} sentences indexed, "
            f"{self.embedded} embedded (and {self.clauses_embedded} clauses) in {self.seconds:.1f} s"
        )


def document_units(document: Document) -> list[Unit]:
    """Split a document into its cited units."""
    spans = split_sentences(document.text, markdown=document.kind == "markdown")
    return [Unit(document.doc, s.start, s.end, s.line, s.text, document.page_of(s.start)) for s in spans]


CLAUSE_LIMIT = 5_000  # past this many sentences, clauses are not embedded (see README: they cost 1.7x)
Clauses = tuple[np.ndarray, np.ndarray]  # (sentence of each clause within its document, clause vectors)


class Indexer:
    """Turn documents (or ready-split units) into a ``StoredIndex``.

    Long sentences' clauses are embedded too while the index holds at most
    ``clause_limit`` sentences (``None``: always).
    """

    def __init__(self, embedder: Embedder, progress: bool = False, clause_limit: int | None = CLAUSE_LIMIT):
        self.embedder = embedder
        self.progress = progress
        self.clause_limit = clause_limit

    def build(
        self, documents: list[Document], previous: StoredIndex | None = None
    ) -> tuple[StoredIndex, IndexReport]:
        """Index ``documents``, reusing ``previous`` vectors of unchanged documents."""
        started = time.perf_counter()
        report = IndexReport()
        reuse = self._reusable(previous)
        old_docs = set(previous.manifest["documents"]) if previous else set()
        units_by_doc, vectors_by_doc, clauses_by_doc, meta = {}, {}, {}, {}
        to_embed: list[str] = []
        for document in documents:
            meta[document.doc] = {"sha256": document.sha256, "kind": document.kind, "title": document.title}
            kept = reuse.get(document.doc)
            if kept and kept[0] == document.sha256:
                units_by_doc[document.doc], vectors_by_doc[document.doc] = kept[1], kept[2]
                if kept[3] is not None:
                    clauses_by_doc[document.doc] = kept[3]
                report.unchanged.append(document.doc)
                continue
            (report.updated if document.doc in old_docs else report.added).append(document.doc)
            units_by_doc[document.doc] = document_units(document)
            to_embed.append(document.doc)
        report.removed = sorted(old_docs - set(meta))
        with_clauses = self._with_clauses(sum(len(units) for units in units_by_doc.values()))
        clause_docs = [doc for doc in units_by_doc if with_clauses and doc not in clauses_by_doc]
        fresh, new_clauses, report.embedded, report.clauses_embedded = self.embed(units_by_doc, to_embed, clause_docs)
        vectors_by_doc.update(fresh)
        clauses_by_doc.update(new_clauses)
        index = self.assemble(units_by_doc, vectors_by_doc, meta, clauses_by_doc if with_clauses else None)
        index.documents = {document.doc: document for document in documents}
        report.sentences = len(index.units)
        report.seconds = time.perf_counter() - started
        return index, report

    def _with_clauses(self, sentences: int) -> bool:
        return self.clause_limit is None or sentences <= self.clause_limit

    def embed(self, units_by_doc: dict, docs: list[str], clause_docs: list[str]) -> tuple[dict, dict, int, int]:
        """Embed, in one call of the embedder, the sentences of ``docs`` and the clauses of ``clause_docs``; returns
        their vectors by document, clauses by document, and how many sentences and clauses were embedded."""
        owners, parts = {}, []
        for doc in clause_docs:
            owner, found = clauses_of([u.text for u in units_by_doc[doc]])
            owners[doc] = np.array(owner, np.int64)
            parts += found
        texts = [u.text for doc in docs for u in units_by_doc[doc]]
        vectors = self.embedder.encode_documents(texts + parts, progress=self.progress)
        sizes = [len(units_by_doc[doc]) for doc in docs] + [len(owners[doc]) for doc in clause_docs]
        pieces = np.split(vectors, np.cumsum(sizes)[:-1]) if sizes else []
        vectors_by_doc = dict(zip(docs, pieces[: len(docs)]))
        clauses_by_doc = {doc: (owners[doc], piece) for doc, piece in zip(clause_docs, pieces[len(docs) :])}
        return vectors_by_doc, clauses_by_doc, len(texts), len(parts)

    def build_units(self, units_by_doc: dict[str, list[Unit]], titles: dict[str, str]) -> StoredIndex:
        """Index units split elsewhere (a benchmark corpus), one title per document."""
        docs = list(units_by_doc)
        with_clauses = self._with_clauses(sum(len(units) for units in units_by_doc.values()))
        vectors_by_doc, clauses_by_doc, _, _ = self.embed(units_by_doc, docs, docs if with_clauses else [])
        meta = {doc: {"sha256": "", "kind": "units", "title": titles.get(doc, doc)} for doc in units_by_doc}
        return self.assemble(units_by_doc, vectors_by_doc, meta, clauses_by_doc if with_clauses else None)

    def assemble(self, units_by_doc: dict, vectors_by_doc: dict, meta: dict,
                 clauses_by_doc: dict[str, Clauses] | None = None) -> StoredIndex:
        """Join per-document units, vectors and clause vectors (``None``: no clauses) into one index."""
        docs = list(meta)
        dim = self.embedder.dimension
        units = [u for doc in docs for u in units_by_doc[doc]]
        parts = [vectors_by_doc[doc] for doc in docs if len(vectors_by_doc[doc])]
        vectors = np.concatenate(parts).astype(np.float32) if parts else np.zeros((0, dim), np.float32)
        owners, clause_parts, offset = [], [], 0
        for doc in docs:
            meta[doc]["units"] = len(units_by_doc[doc])
            if clauses_by_doc is not None and len(clauses_by_doc[doc][0]):
                owners.append(clauses_by_doc[doc][0] + offset)
                clause_parts.append(clauses_by_doc[doc][1])
            offset += len(units_by_doc[doc])
        clause_owner = np.concatenate(owners).astype(np.int64) if owners else np.zeros(0, np.int64)
        clause_vectors = (np.concatenate(clause_parts).astype(np.float32) if clause_parts
                          else np.zeros((0, dim), np.float32))
        manifest = {
            "format": FORMAT_VERSION,
            "model": self.embedder.spec.name,
            "model_hash": self.embedder.fingerprint,
            "encoder": self.embedder.encoder,
            "dimension": dim,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "clauses": clauses_by_doc is not None,
            "documents": meta,
        }
        faiss_index, kind = build_vector_index(vectors)
        manifest["vector_index"] = kind
        return StoredIndex(manifest, units, vectors, faiss_index, clause_vectors, clause_owner)

    @staticmethod
    def _reusable(previous: StoredIndex | None) -> dict[str, tuple[str, list[Unit], np.ndarray, Clauses | None]]:
        if previous is None:
            return {}
        out, offset = {}, 0
        owner = previous.clause_owner
        for doc, info in previous.manifest["documents"].items():
            count = info["units"]
            kept = None
            if previous.manifest.get("clauses"):
                lo, hi = np.searchsorted(owner, [offset, offset + count])
                kept = (owner[lo:hi] - offset, previous.clause_vectors[lo:hi])
            out[doc] = (info["sha256"], previous.units[offset : offset + count],
                        previous.vectors[offset : offset + count], kept)
            offset += count
        return out


def skipped_entries(source: Path, problems: list[Problem]) -> dict[str, dict]:
    """The unreadable documents, keyed by content so an unchanged one is not read again."""
    out = {}
    for problem in problems:
        try:
            digest = sha256_bytes((source / problem.doc).read_bytes())
        except OSError:
            continue
        out[problem.doc] = {"sha256": digest, "reason": problem.reason}
    return out


def vectors_match(manifest: dict, embedder: Embedder) -> bool:
    """Whether an index's vectors were made by this model and encoder, so those of unchanged documents can be
    kept."""
    return (manifest.get("model_hash"), manifest.get("encoder")) == (embedder.fingerprint, embedder.encoder)
