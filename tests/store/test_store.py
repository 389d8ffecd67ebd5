import json
import shutil

import numpy as np
import pytest

from bot import Bot
from bot.store.store import FORMAT_VERSION, IndexStore
from tests.conftest import ROOT


@pytest.fixture
def fresh(tmp_path, bot):
    """A private copy of the session's built index and source, to damage at will."""
    source, index = tmp_path / "source", tmp_path / "index"
    shutil.copytree(bot.source, source)
    shutil.copytree(bot.index_dir, index)
    return Bot(source=source, index=index)


def test_fresh_index_loads_without_embedding(fresh):
    assert fresh.status().fresh
    fresh.load()
    assert fresh.last_report is None  # loaded, not rebuilt


def test_missing_index_is_built(tmp_path, source_dir):
    b = Bot(source=source_dir, index=tmp_path / "none")
    assert b.status().reason == "no index yet"
    b.load()
    assert b.last_report.added == ["cnes-maks-2017.txt"]
    assert IndexStore(tmp_path / "none").read() is not None


def test_index_folder_keeps_its_readme(tmp_path, source_dir):
    """The repository's index/ holds a tracked README.md: building, rebuilding and loading leave it alone."""
    folder = tmp_path / "index"
    folder.mkdir()
    shutil.copy(ROOT / "index" / "README.md", folder / "README.md")
    readme = (folder / "README.md").read_bytes()
    b = Bot(source=source_dir, index=folder)
    assert b.status().reason == "no index yet"
    b.load()
    assert b.last_report.added == ["cnes-maks-2017.txt"]
    b.reindex(force=True)  # a second generation replaces the first: old gen-* folders are removed
    assert len(list(folder.glob("gen-*"))) == 1
    assert (folder / "README.md").read_bytes() == readme
    again = Bot(source=source_dir, index=folder)
    assert again.status().fresh and again.ask("Who is the head of Roscosmos?").citations
    assert again.last_report is None  # loaded as it was, not rebuilt


def test_stale_index_reembeds_only_the_changed_document(fresh):
    (fresh.source / "extra.txt").write_text("The comet was named after a cat.", encoding="utf-8")
    assert fresh.status().reason == "the documents changed since the index was built"
    fresh.load()
    report = fresh.last_report
    assert (report.added, report.unchanged, report.embedded) == (["extra.txt"], ["cnes-maks-2017.txt"], 1)
    (fresh.source / "extra.txt").unlink()
    report = Bot(source=fresh.source, index=fresh.index_dir).reindex()
    assert (report.removed, report.embedded) == (["extra.txt"], 0)


def test_an_index_of_an_older_version_is_rebuilt(fresh, caplog):
    """Format 3 had a bare generation name in CURRENT and no documents.jsonl."""
    store = IndexStore(fresh.index_dir)
    gen = store.current
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["format"] = 3
    (gen / "manifest.json").write_text(json.dumps(manifest))
    (gen / "documents.jsonl").unlink()
    (fresh.index_dir / "CURRENT").write_text(gen.name)
    assert "holds no checksum (an index of an older version)" in fresh.status().reason
    assert fresh.ask("Who is the head of Roscosmos?").top.line == 6
    assert fresh.last_report.embedded > 0 and store.read().manifest["format"] == FORMAT_VERSION


def test_model_hash_mismatch_means_stale(fresh):
    store = IndexStore(fresh.index_dir)
    index = store.read()
    index.manifest["model_hash"] = "0" * 64
    store.write(index)
    assert fresh.status().reason == "the index was built with another model"
    fresh.load()
    assert fresh.last_report.embedded == fresh.last_report.sentences > 0


def test_write_is_atomic_generation_swap(fresh):
    store = IndexStore(fresh.index_dir)
    before = store.current
    index = store.read()
    store.write(index)
    after = store.current
    assert after != before and not before.exists()
    assert np.array_equal(store.read().vectors, index.vectors)
    assert sorted(p.name for p in fresh.index_dir.iterdir() if not p.name.startswith(".")) == [
        "CURRENT", after.name]


def test_index_folder_holds_no_pickles(fresh):
    for path in IndexStore(fresh.index_dir).current.iterdir():
        assert path.suffix in {".json", ".jsonl", ".npy", ".index"}
        if path.suffix == ".npy":
            np.load(path, allow_pickle=False)
