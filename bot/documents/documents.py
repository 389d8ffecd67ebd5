"""Read the documents of a source folder, reporting the ones that cannot be read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.documents.documents_errors import DocumentError
from bot.documents.hashing import sha256_bytes

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".pdf": "pdf", ".html": "html",
            ".htm": "html"}
MAX_BYTES = 50 * 1024 * 1024

__all__ = ["Document", "DocumentError", "Problem", "load_folder", "read_document", "list_sources"]


@dataclass(frozen=True, slots=True)
class Document:
    """One document: its path relative to the source folder and its text."""

    doc: str
    text: str
    sha256: str
    kind: str
    page_starts: tuple[int, ...] | None = None

    def page_of(self, offset: int) -> int | None:
        """1-based page of a character offset, or ``None`` for formats without pages."""
        if self.page_starts is None:
            return None
        from bisect import bisect_right

        return bisect_right(self.page_starts, offset)

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


def read_document(path: Path, root: Path, known: Document | None = None) -> Document:
    """Read one document; raise ``DocumentError`` saying why it cannot be used. ``known`` (the document
    as read before) is returned as it is when the file has not changed, so it is not parsed again."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(f"unsupported file type {path.suffix!r}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    data = path.read_bytes()
    if known is not None and known.kind == kind and known.sha256 == sha256_bytes(data):
        return known
    return parse_document(path.relative_to(root).as_posix(), data, kind)


def parse_document(doc: str, data: bytes, kind: str) -> Document:
    """A document from its bytes; the type is checked against the content, not only the name."""
    from bot.documents import extract

    digest = sha256_bytes(data)
    if kind == "pdf":
        text, pages = extract.pdf_text(data)
        return Document(doc, text, digest, kind, pages)
    if data.startswith(b"%PDF-"):
        raise DocumentError(f"the file is a PDF but is named {doc.rsplit('.', 1)[-1]!r}")
    text = decode_text(data)
    if kind == "html":
        return Document(doc, extract.html_text(text), digest, kind)
    if kind == "markdown":
        return Document(doc, extract.markdown_text(text), digest, kind)
    text, pages = extract.paged_text(text)
    return Document(doc, text, digest, kind, pages)


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


def load_folder(root: Path, known: Mapping[str, Document] | None = None) -> tuple[list[Document], list[Problem]]:
    """Read every document below ``root``; unreadable ones become ``Problem`` entries. ``known``: documents
    read before, by name, reused when their file is unchanged."""
    docs, problems = [], []
    for path in list_sources(root):
        doc = path.relative_to(root).as_posix()
        try:
            docs.append(read_document(path, root, (known or {}).get(doc)))
        except (DocumentError, OSError) as err:
            problems.append(Problem(doc, str(err)))
    return docs, problems
