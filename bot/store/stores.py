"""Where an index lives, chosen by a URI: the embedded folder store (the default) or Milvus.

``open_store(None, folder)`` and ``open_store("PATH", …)`` give the folder store; ``"milvus:PATH.db"`` or a
path ending ``.db`` milvus-lite on that file; ``"http://…"``/``"https://…"`` a Milvus server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from bot.documents.documents import Document, load_folder
from bot.embedding.embedder import Embedder
from bot.store.indexer import Indexer, IndexReport, skipped_entries, vectors_match
from bot.store.milvus import MilvusStore, StoreError
from bot.store.store import IndexStore, IndexWriteError, StoredIndex

log = logging.getLogger(__name__)

__all__ = ["FolderStore", "Index", "MilvusStore", "Store", "StoreError", "is_milvus", "open_store"]


class Index(Protocol):
    """One generation of an index, as answering reads it."""

    manifest: dict

    @property
    def docs(self) -> list[str]: ...

    @property
    def documents(self) -> Mapping[str, Document]: ...


class Store(Protocol):
    """Read and update the generations of one index."""

    uri: str

    def read_manifest(self) -> dict | None:
        """The manifest of the generation in use (``None``: no index yet)."""

    def read(self) -> Index | None:
        """The generation in use, ready to answer from (``None``: no index yet)."""

    def update(self, source: Path, previous: Index | None, embedder: Embedder, progress: bool = False,
               must_save: bool = True) -> tuple[Index, IndexReport]:
        """Index the documents of ``source`` over ``previous`` (``None``: from scratch), re-embedding only the
        changed ones, and make the result the generation in use."""

    def generation(self) -> str | None:
        """A token naming the generation in use, watched for another writer's swap (``None``: not watched)."""


class FolderStore(IndexStore):
    """The embedded store: an index folder of files (FAISS and numpy), loaded whole into the process."""

    @property
    def uri(self) -> str:
        return str(self.folder)

    def update(self, source: Path, previous: StoredIndex | None, embedder: Embedder, progress: bool = False,
               must_save: bool = True) -> tuple[StoredIndex, IndexReport]:
        """When the new generation cannot be saved, raise ``IndexWriteError`` (``must_save``) or log the error
        and return it to be answered from memory."""
        if previous is not None and not vectors_match(previous.manifest, embedder):
            previous = None
        documents, problems = load_folder(source, previous.documents if previous else None)
        index, report = Indexer(embedder, progress).build(documents, previous)
        report.problems = problems
        index.manifest["skipped"] = skipped_entries(source, problems)
        if report.changed or previous is None or previous.manifest.get("skipped") != index.manifest["skipped"]:
            try:
                self.write(index)
            except IndexWriteError as err:
                if must_save:
                    raise
                log.error("%s; answering from the index in memory", err)
        else:
            self.sweep()  # unchanged: what a killed writer left is removed all the same
        return index, report

    def generation(self) -> str | None:
        return None


def is_milvus(uri: str) -> bool:
    return uri.startswith(("milvus:", "http://", "https://")) or uri.partition("#")[0].endswith(".db")


def open_store(uri: str | None, folder: Path, fingerprint: str | None = None) -> Store:
    """The store ``uri`` names (``None``: the folder store on ``folder``); ``fingerprint``: the model's, which a
    Milvus index must have been built with."""
    if uri is None:
        return FolderStore(folder)
    if is_milvus(uri):
        return MilvusStore(uri, fingerprint)
    return FolderStore(Path(uri))
