"""The index on disk: vectors, sentence units and a manifest, written atomically.

Layout of an index folder::

    CURRENT              name of the generation in use (replaced atomically)
    .lock                held while a generation is written
    gen-<id>/manifest.json, units.jsonl, vectors.npy, faiss.index,
             clauses.npy, clause_owner.npy   (clause vectors and their sentence)

A writer builds a new generation beside the old one and then swaps
``CURRENT``, so a crash at any point leaves the previous index usable. Every
file's sha256 is in the manifest and checked at load; nothing is unpickled.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.documents.hashing import file_sha256
from bot.documents.sentences import Unit

FORMAT_VERSION = 3
FILES = ("units.jsonl", "vectors.npy", "faiss.index", "clauses.npy", "clause_owner.npy")


class IndexCorrupt(RuntimeError):
    """The index on disk cannot be trusted; it should be rebuilt."""


@dataclass(slots=True)
class StoredIndex:
    """An index in memory: units in document order, their vectors, and the vectors of their
    clauses (``clause_owner``: the unit of each clause, ascending)."""

    manifest: dict
    units: list[Unit]
    vectors: np.ndarray
    faiss_index: object
    clause_vectors: np.ndarray
    clause_owner: np.ndarray

    @property
    def docs(self) -> list[str]:
        return list(self.manifest["documents"])


class IndexStore:
    """Read and write the generations of one index folder."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    @property
    def current(self) -> Path | None:
        pointer = self.folder / "CURRENT"
        if not pointer.is_file():
            return None
        return self.folder / pointer.read_text().strip()

    def read_manifest(self) -> dict | None:
        """The manifest of the generation in use, or ``None`` when there is no index."""
        gen = self.current
        if gen is None:
            return None
        try:
            manifest = json.loads((gen / "manifest.json").read_text())
        except (OSError, ValueError) as err:
            raise IndexCorrupt(f"index manifest unreadable in {gen}: {err}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
            raise IndexCorrupt(f"index manifest in {gen} has an unknown format")
        return manifest

    def read(self) -> StoredIndex | None:
        """Load and verify the index; ``None`` when absent, ``IndexCorrupt`` when damaged."""
        manifest = self.read_manifest()
        if manifest is None:
            return None
        gen = self.current
        for name in FILES:
            path = gen / name
            if not path.is_file():
                raise IndexCorrupt(f"index file {name} is missing")
            if file_sha256(path) != manifest["files"].get(name):
                raise IndexCorrupt(f"index file {name} does not match its checksum")
        try:
            units = [Unit(**json.loads(line)) for line in (gen / "units.jsonl").open(encoding="utf-8")]
            vectors = np.load(gen / "vectors.npy", allow_pickle=False)
            clause_vectors = np.load(gen / "clauses.npy", allow_pickle=False)
            clause_owner = np.load(gen / "clause_owner.npy", allow_pickle=False)
            import faiss

            index = faiss.read_index(str(gen / "faiss.index"))
        except Exception as err:  # any parse failure means the files cannot be trusted
            raise IndexCorrupt(f"index files unreadable: {err}") from None
        if not (len(units) == len(vectors) == index.ntotal == manifest["count"]):
            raise IndexCorrupt("index files disagree on the number of sentences")
        if sum(d["units"] for d in manifest["documents"].values()) != len(units):
            raise IndexCorrupt("index files disagree on the number of sentences per document")
        if clause_vectors.ndim != 2 or (len(clause_vectors) and clause_vectors.shape[1] != vectors.shape[1]):
            raise IndexCorrupt("index clause vectors have the wrong shape")
        if len(clause_owner) != len(clause_vectors) or (
            len(clause_owner) and (clause_owner.min() < 0 or clause_owner.max() >= len(units)
                                   or (np.diff(clause_owner) < 0).any())):
            raise IndexCorrupt("index clause files disagree with the sentences")
        return StoredIndex(manifest, units, vectors, index, clause_vectors, clause_owner)

    def write(self, index: StoredIndex) -> None:
        """Write a new generation and make it current in one atomic step."""
        import faiss

        self.folder.mkdir(parents=True, exist_ok=True)
        with self.lock():
            gen = self.folder / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
            gen.mkdir()
            with (gen / "units.jsonl").open("w", encoding="utf-8") as out:
                for unit in index.units:
                    out.write(json.dumps(unit.to_dict(), ensure_ascii=False) + "\n")
            np.save(gen / "vectors.npy", np.ascontiguousarray(index.vectors, np.float32), allow_pickle=False)
            faiss.write_index(index.faiss_index, str(gen / "faiss.index"))
            np.save(gen / "clauses.npy", np.ascontiguousarray(index.clause_vectors, np.float32), allow_pickle=False)
            np.save(gen / "clause_owner.npy", np.ascontiguousarray(index.clause_owner, np.int64), allow_pickle=False)
            index.manifest = {**index.manifest, "format": FORMAT_VERSION, "count": len(index.units),
                              "files": {name: file_sha256(gen / name) for name in FILES}}
            _write_atomic(gen / "manifest.json", json.dumps(index.manifest, indent=1, ensure_ascii=False))
            _fsync_dir(gen)
            _write_atomic(self.folder / "CURRENT", gen.name)
            self._remove_old(keep=gen.name)

    @contextmanager
    def lock(self):
        """An exclusive lock on the folder, so two writers never interleave."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_old(self, keep: str) -> None:
        for path in self.folder.glob("gen-*"):
            if path.name != keep:
                shutil.rmtree(path, ignore_errors=True)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    for child in path.iterdir():
        with child.open("rb") as handle:
            os.fsync(handle.fileno())
