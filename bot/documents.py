"""Read the documents of a source folder, reporting the ones that cannot be read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".txt": "text", ".md": "markdown"}
MAX_BYTES = 20 * 1024 * 1024


class DocumentError(ValueError):
    """A document that cannot be read, with the reason in words."""


@dataclass(frozen=True, slots=True)
class Document:
    """One document: its path relative to the source folder and its text."""

    doc: str
    text: str
    sha256: str
    kind: str

    @property
    def title(self) -> str:
        """The first non-empty line, trimmed (a title block in most documents)."""
        for line in self.text.splitlines():
            if line.strip():
                return " ".join(line.lstrip("#> \t").split())
        return self.doc


@dataclass(frozen=True, slots=True)
class Problem:
    """A document left out of the index, and why."""

    doc: str
    reason: str


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes) -> str:
    """Decode UTF-8 text, refusing binary data and other encodings clearly."""
    if not data.strip():
        raise DocumentError("the file is empty")
    if b"\x00" in data[:8192]:
        raise DocumentError("the file is binary, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(
            f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: Path, root: Path) -> Document:
    """Read one document; raise ``DocumentError`` saying why it cannot be used."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(f"unsupported file type {path.suffix!r}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    data = path.read_bytes()
    return Document(path.relative_to(root).as_posix(), decode_text(data), sha256_bytes(data), kind)


def list_sources(root: Path) -> list[Path]:
    """Every file with a known document suffix below ``root``, in a stable order."""
    if not root.is_dir():
        raise FileNotFoundError(f"source folder {root} does not exist")
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def load_folder(root: Path) -> tuple[list[Document], list[Problem]]:
    """Read every document below ``root``; unreadable ones become ``Problem`` entries."""
    docs, problems = [], []
    for path in list_sources(root):
        try:
            docs.append(read_document(path, root))
        except (DocumentError, OSError) as err:
            problems.append(Problem(path.relative_to(root).as_posix(), str(err)))
    return docs, problems
