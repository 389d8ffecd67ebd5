import shutil

import pytest

from bot.embedding.model import PUBLISHED_SHA256, ModelIntegrityError, bundled_model_path, resolve_model, verify_files


def test_bundled_model_matches_published_hashes():
    assert verify_files(bundled_model_path()) == PUBLISHED_SHA256
    spec = resolve_model()
    assert spec.path == bundled_model_path() and len(spec.fingerprint) == 64


@pytest.mark.parametrize("name", sorted(PUBLISHED_SHA256))
def test_tampered_file_is_refused_by_name(tmp_path, name):
    folder = tmp_path / "model"
    shutil.copytree(bundled_model_path(), folder)
    with (folder / name).open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelIntegrityError, match=f"^model file {name} does not match its published sha256"):
        verify_files(folder)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ModelIntegrityError, match="^model file model.safetensors is missing"):
        verify_files(tmp_path)
