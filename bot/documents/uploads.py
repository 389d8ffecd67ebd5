"""Accept a document a user uploads: checked by content and size, kept inside the source folder."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from bot.documents.documents import SUFFIXES, DocumentError, parse_document

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class UploadError(ValueError):
    """An upload that was refused, with the reason for the user."""


def safe_name(name: str) -> str:
    """The file's own name only (no folders), with unusual characters replaced."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    base = _SAFE.sub("_", base).lstrip(".")
    if not base or base in (".", ".."):
        raise UploadError("the file has no usable name")
    return base[:120]


def save_upload(data: bytes, name: str, source: Path, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Check an uploaded document and write it into ``source``; returns its path."""
    filename = safe_name(name)
    kind = SUFFIXES.get(Path(filename).suffix.lower())
    if kind is None:
        allowed = ", ".join(sorted(SUFFIXES))
        raise UploadError(f"{filename}: unsupported file type; use one of {allowed}")
    if len(data) > max_bytes:
        raise UploadError(f"{filename}: the file is larger than {max_bytes // (1024 * 1024)} MiB")
    try:
        parse_document(filename, data, kind)
    except DocumentError as err:
        raise UploadError(f"{filename}: {err}") from None
    target = (source / filename).resolve()
    if target.parent != source.resolve():
        raise UploadError(f"{filename}: the name points outside the documents folder")
    try:
        source.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=source, prefix=".upload-")
    except OSError as err:
        raise UploadError(f"{filename}: could not be saved ({err.strerror or err})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except OSError as err:  # a full disk: the half-written copy goes, the documents stay as they were
        os.unlink(tmp)
        raise UploadError(f"{filename}: could not be saved ({err.strerror or err})") from None
    return target
