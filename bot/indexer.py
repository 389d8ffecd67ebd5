"""Build an index from documents, re-embedding only what changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from bot.documents import Document, Problem
from bot.embedder import Embedder
from bot.sentences import Unit, split_sentences
from bot.store import FORMAT_VERSION, StoredIndex
from bot.vectors import build_vector_index


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
            f"{self.embedded} embedded in {self.seconds:.1f} s"
        )


def document_units(document: Document) -> list[Unit]:
    """Split a document into its cited units."""
    spans = split_sentences(document.text, markdown=document.kind == "markdown")
    return [Unit(document.doc, s.start, s.end, s.line, s.text, document.page_of(s.start)) for s in spans]


class Indexer:
    """Turn documents (or ready-split units) into a ``StoredIndex``."""

    def __init__(self, embedder: Embedder, progress: bool = False):
        self.embedder = embedder
        self.progress = progress

    def build(
        self, documents: list[Document], previous: StoredIndex | None = None
    ) -> tuple[StoredIndex, IndexReport]:
        """Index ``documents``, reusing ``previous`` vectors of unchanged documents."""
        started = time.perf_counter()
        report = IndexReport()
        reuse = self._reusable(previous)
        old_docs = set(previous.manifest["documents"]) if previous else set()
        units_by_doc, vectors_by_doc, meta = {}, {}, {}
        to_embed: list[str] = []
        for document in documents:
            meta[document.doc] = {"sha256": document.sha256, "kind": document.kind, "title": document.title}
            kept = reuse.get(document.doc)
            if kept and kept[0] == document.sha256:
                units_by_doc[document.doc], vectors_by_doc[document.doc] = kept[1], kept[2]
                report.unchanged.append(document.doc)
                continue
            (report.updated if document.doc in old_docs else report.added).append(document.doc)
            units_by_doc[document.doc] = document_units(document)
            to_embed.append(document.doc)
        report.removed = sorted(old_docs - set(meta))
        fresh = [u.text for doc in to_embed for u in units_by_doc[doc]]
        vectors = self.embedder.encode_documents(fresh, progress=self.progress)
        offset = 0
        for doc in to_embed:
            count = len(units_by_doc[doc])
            vectors_by_doc[doc] = vectors[offset : offset + count]
            offset += count
        index = self.assemble(units_by_doc, vectors_by_doc, meta)
        report.sentences, report.embedded = len(index.units), len(fresh)
        report.seconds = time.perf_counter() - started
        return index, report

    def build_units(self, units_by_doc: dict[str, list[Unit]], titles: dict[str, str]) -> StoredIndex:
        """Index units split elsewhere (a benchmark corpus), one title per document."""
        texts = [u.text for units in units_by_doc.values() for u in units]
        vectors = self.embedder.encode_documents(texts, progress=self.progress)
        vectors_by_doc, offset = {}, 0
        for doc, units in units_by_doc.items():
            vectors_by_doc[doc] = vectors[offset : offset + len(units)]
            offset += len(units)
        meta = {doc: {"sha256": "", "kind": "units", "title": titles.get(doc, doc)} for doc in units_by_doc}
        return self.assemble(units_by_doc, vectors_by_doc, meta)

    def assemble(self, units_by_doc: dict, vectors_by_doc: dict, meta: dict) -> StoredIndex:
        """Join per-document units and vectors into one index."""
        docs = list(meta)
        dim = self.embedder.dimension
        units = [u for doc in docs for u in units_by_doc[doc]]
        parts = [vectors_by_doc[doc] for doc in docs if len(vectors_by_doc[doc])]
        vectors = np.concatenate(parts).astype(np.float32) if parts else np.zeros((0, dim), np.float32)
        for doc in docs:
            meta[doc]["units"] = len(units_by_doc[doc])
        manifest = {
            "format": FORMAT_VERSION,
            "model": self.embedder.spec.name,
            "model_hash": self.embedder.fingerprint,
            "dimension": dim,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "documents": meta,
        }
        faiss_index, kind = build_vector_index(vectors)
        manifest["vector_index"] = kind
        return StoredIndex(manifest, units, vectors, faiss_index)

    @staticmethod
    def _reusable(previous: StoredIndex | None) -> dict[str, tuple[str, list[Unit], np.ndarray]]:
        if previous is None:
            return {}
        out, offset = {}, 0
        for doc, info in previous.manifest["documents"].items():
            count = info["units"]
            out[doc] = (info["sha256"], previous.units[offset : offset + count],
                        previous.vectors[offset : offset + count])
            offset += count
        return out
