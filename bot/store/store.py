"""The index on disk: vectors, sentence units, document texts and a manifest, written atomically.

Layout of an index folder::

    CURRENT              "<generation> <sha256 of its manifest.json>" (replaced atomically)
    .lock                held while a generation is written
    gen-<id>/manifest.json, units.jsonl, documents.jsonl, vectors.npy, faiss.index,
             clauses.npy, clause_owner.npy   (clause vectors and their sentence)

A writer builds a new generation beside the old one and then swaps
``CURRENT``, so a crash or a full disk at any point leaves the previous index
usable. ``CURRENT`` checksums the manifest and the manifest every other file,
so any damaged byte is found at load; nothing is unpickled.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from bot.documents.documents import Document
from bot.documents.hashing import file_sha256, sha256_bytes
from bot.documents.sentences import Unit

log = logging.getLogger(__name__)

FORMAT_VERSION = 7  # 5: irregular verbs read as the verb in the stored tokens; 6: plain text cut into pages;
# 7: a memo's address fields one unit each, more sentences joined across page breaks, clauses with their subject
FILES = ("units.jsonl", "documents.jsonl", "vectors.npy", "faiss.index", "clauses.npy", "clause_owner.npy")
POINTER, LOCK, MANIFEST = "CURRENT", ".lock", "manifest.json"
INDEX_FILES = (POINTER, LOCK, MANIFEST, *FILES)  # every file of an index; all but the lock hold data
DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # EFBIG: a file-size limit, the same to a writer
_GENERATION = re.compile(r"gen-\d{14}-\d+-\d+")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class IndexCorrupt(RuntimeError):
    """The index on disk cannot be trusted; it should be rebuilt."""


class IndexWriteError(RuntimeError):
    """A new generation could not be written; the previous one is still current."""


@dataclass(slots=True)
class StoredIndex:
    """An index in memory: units in document order, their vectors, the vectors of their clauses
    (``clause_owner``: the unit of each clause, ascending) and the documents' extracted text (empty for
    corpora indexed as ready-split units)."""

    manifest: dict
    units: list[Unit]
    vectors: np.ndarray
    faiss_index: object
    clause_vectors: np.ndarray
    clause_owner: np.ndarray
    documents: dict[str, Document] = field(default_factory=dict)

    @property
    def docs(self) -> list[str]:
        return list(self.manifest["documents"])


class IndexStore:
    """Read and write the generations of one index folder."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    @property
    def current(self) -> Path | None:
        """The generation in use; ``None`` when there is no index, ``IndexCorrupt`` when the pointer is bad."""
        found = self._pointer()
        return found[0] if found else None

    def _pointer(self) -> tuple[Path, str] | None:
        """The generation ``CURRENT`` names and the sha256 of its manifest."""
        pointer = self.folder / POINTER
        try:
            raw = pointer.read_bytes()
        except FileNotFoundError:
            if any(self.folder.glob("gen-*")):
                raise IndexCorrupt(f"index pointer {pointer} is missing") from None
            return None
        except OSError as err:
            raise IndexCorrupt(f"index pointer {pointer} is unreadable ({err.strerror or err})") from None
        fields = raw.decode("ascii", "replace").split()
        if len(fields) == 1 and _GENERATION.fullmatch(fields[0]):
            raise IndexCorrupt(f"index pointer {pointer} holds no checksum (an index of an older version)")
        if len(fields) != 2 or not _SHA256.fullmatch(fields[1]):
            raise IndexCorrupt(f"index pointer {pointer} is damaged: it does not hold a generation and a checksum")
        name = fields[0]
        gen = self.folder / name
        named = _GENERATION.fullmatch(name) is not None  # then only a symlink can lead outside
        outside = gen.resolve().parent != self.folder.resolve() if named else "/" in name or name == ".."
        if outside:
            raise IndexCorrupt(f"index pointer {pointer} names {name!r}, which lies outside {self.folder}")
        if not named:
            raise IndexCorrupt(f"index pointer {pointer} names {name!r}, which is not a generation")
        if not gen.is_dir():
            raise IndexCorrupt(f"index pointer {pointer} names {name}, which does not exist")
        return gen, fields[1]

    def read_manifest(self) -> dict | None:
        """The verified manifest of the generation in use, or ``None`` when there is no index."""
        found = self._pointer()
        return self._manifest(*found) if found else None

    @staticmethod
    def _manifest(gen: Path, digest: str) -> dict:
        path = gen / MANIFEST
        data = _read_bytes(path)
        if sha256_bytes(data) != digest:
            raise IndexCorrupt(f"index file {path} does not match its checksum")
        try:
            manifest = json.loads(data)
        except ValueError as err:
            raise IndexCorrupt(f"index file {path} is not JSON ({err})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
            raise IndexCorrupt(f"index file {path} has an unknown format")
        if not (isinstance(manifest.get("files"), dict) and isinstance(manifest.get("documents"), dict)):
            raise IndexCorrupt(f"index file {path} lacks its file checksums or documents")
        return manifest

    def read(self) -> StoredIndex | None:
        """Load and verify the index; ``None`` when absent, ``IndexCorrupt`` naming the file when damaged."""
        found = self._pointer()
        if found is None:
            return None
        gen = found[0]
        manifest = self._manifest(*found)
        for name in FILES:
            path = gen / name
            if not path.exists():
                raise IndexCorrupt(f"index file {path} is missing")
            try:
                digest = file_sha256(path)
            except OSError as err:
                raise IndexCorrupt(f"index file {path} is unreadable ({err.strerror or err})") from None
            if digest != manifest["files"].get(name):
                raise IndexCorrupt(f"index file {path} does not match its checksum")
        try:
            return _check(manifest, gen)
        except IndexCorrupt:
            raise
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:  # checksummed, yet not ours
            raise IndexCorrupt(f"index files in {gen} unreadable: {err}") from None

    def write(self, index: StoredIndex) -> None:
        """Write a new generation and make it current in one atomic step; ``IndexWriteError`` (the disk is
        full, …) leaves the previous generation current."""
        with self.lock():
            gen = self.folder / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
            try:
                gen.mkdir()
                self._write_files(gen, index)
                manifest = json.dumps(index.manifest, indent=1, ensure_ascii=False).encode("utf-8")
                _write_atomic(gen / MANIFEST, manifest)
                _fsync_dir(gen)
                pointer = self.folder / POINTER
                if pointer.is_dir() and not pointer.is_symlink():
                    log.warning("index pointer %s is a folder; replacing it", pointer)
                    shutil.rmtree(pointer)
                _write_atomic(pointer, f"{gen.name} {sha256_bytes(manifest)}\n".encode("ascii"))
                _fsync_dir(self.folder)
            except OSError as err:
                _remove(gen)
                raise IndexWriteError(f"could not write the index in {self.folder}: {_why(err)}") from err
            self._remove_old(keep=gen.name)

    @staticmethod
    def _write_files(gen: Path, index: StoredIndex) -> None:
        import faiss

        with _created(gen / "units.jsonl") as out:
            for unit in index.units:
                out.write((json.dumps(unit.to_dict(), ensure_ascii=False) + "\n").encode("utf-8"))
        with _created(gen / "documents.jsonl") as out:
            for doc in index.documents.values():
                line = {"doc": doc.doc, "text": doc.text, "page_starts": doc.page_starts}
                out.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
        _save_npy(gen / "vectors.npy", np.asarray(index.vectors, np.float32))
        with _created(gen / "faiss.index") as out:  # through Python, so a full disk raises OSError(ENOSPC)
            faiss.write_index(index.faiss_index, faiss.PyCallbackIOWriter(out.write))
        _save_npy(gen / "clauses.npy", np.asarray(index.clause_vectors, np.float32))
        _save_npy(gen / "clause_owner.npy", np.asarray(index.clause_owner, np.int64))
        index.manifest = {**index.manifest, "format": FORMAT_VERSION, "count": len(index.units),
                          "files": {name: file_sha256(gen / name) for name in FILES}}

    @contextmanager
    def lock(self) -> Iterator[None]:
        """An exclusive lock on the folder, so two writers never interleave. The lock file holds nothing;
        one that cannot be opened (a folder in its place, no permission) is mended."""
        path = self.folder / LOCK
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = _open_lock(path)
        except OSError as err:
            raise IndexWriteError(f"could not lock the index with {path}: {_why(err)}") from err
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def sweep(self) -> None:
        """Remove the generations a writer killed before its clean-up left beside the current one; a folder
        that cannot be locked (read-only) keeps them."""
        current = self.current
        if current is None or all(p.name == current.name for p in self.folder.glob("gen-*")):
            return
        try:
            with self.lock():
                if self.current == current:  # no writer swapped a new one in meanwhile
                    self._remove_old(keep=current.name)
        except IndexWriteError as err:
            log.warning("old index generations kept: %s", err)

    def _remove_old(self, keep: str) -> None:
        for path in self.folder.glob("gen-*"):
            if path.name != keep:
                _remove(path)


def _check(manifest: dict, gen: Path) -> StoredIndex:
    """Parse a generation whose checksums matched, and check that its files agree with each other."""
    import faiss

    units = [Unit(**entry) for entry in _jsonl(gen / "units.jsonl")]
    documents = {}
    for entry in _jsonl(gen / "documents.jsonl"):
        info = manifest["documents"][entry["doc"]]
        starts = tuple(entry["page_starts"]) if entry["page_starts"] is not None else None
        documents[entry["doc"]] = Document(entry["doc"], entry["text"], info["sha256"], info["kind"], starts)
    mapped = "r" if manifest.get("vector_index") == "compressed" else None  # compressed: exact vectors stay on disk
    vectors = np.load(gen / "vectors.npy", allow_pickle=False, mmap_mode=mapped)
    clause_vectors = np.load(gen / "clauses.npy", allow_pickle=False)
    clause_owner = np.load(gen / "clause_owner.npy", allow_pickle=False)
    index = faiss.read_index(str(gen / "faiss.index"))
    if not (len(units) == len(vectors) == index.ntotal == manifest["count"]):
        raise IndexCorrupt("index files disagree on the number of sentences")
    if sum(d["units"] for d in manifest["documents"].values()) != len(units):
        raise IndexCorrupt("index files disagree on the number of sentences per document")
    if any(u.doc in documents and u.end > len(documents[u.doc].text) for u in units):
        raise IndexCorrupt("index sentences point beyond their document's text")
    if clause_vectors.ndim != 2 or (len(clause_vectors) and clause_vectors.shape[1] != vectors.shape[1]):
        raise IndexCorrupt("index clause vectors have the wrong shape")
    if len(clause_owner) != len(clause_vectors) or (
        len(clause_owner) and (clause_owner.min() < 0 or clause_owner.max() >= len(units)
                               or (np.diff(clause_owner) < 0).any())):
        raise IndexCorrupt("index clause files disagree with the sentences")
    return StoredIndex(manifest, units, vectors, index, clause_vectors, clause_owner, documents)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise IndexCorrupt(f"index file {path} is missing") from None
    except OSError as err:
        raise IndexCorrupt(f"index file {path} is unreadable ({err.strerror or err})") from None


def _why(err: OSError) -> str:
    if err.errno in DISK_FULL:
        return f"the disk is full ({err.strerror})"
    return str(err)


def _open_lock(path: Path) -> BinaryIO:
    try:
        return path.open("ab")  # appending: never truncates the file another writer holds
    except OSError as err:
        log.warning("index lock file %s cannot be opened (%s); mending it", path, err.strerror or err)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        os.chmod(path, 0o644)
    return path.open("ab")


@contextmanager
def _created(path: Path) -> Iterator[BinaryIO]:
    """A new file, flushed to disk when the block ends."""
    with path.open("xb") as out:
        yield out
        out.flush()
        os.fsync(out.fileno())


def _save_npy(path: Path, array: np.ndarray) -> None:
    """``np.save`` without pickles, written through Python so that a full disk raises ``OSError(ENOSPC)``."""
    array = np.ascontiguousarray(array)
    with _created(path) as out:
        np.lib.format.write_array_header_1_0(out, np.lib.format.header_data_from_array_1_0(array))
        out.write(array.reshape(-1).view(np.uint8).data)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
