import json
import shutil

import numpy as np
import pytest

from bot import Bot
from bot.documents.clauses import clauses
from bot.documents.documents import load_folder
from bot.store.indexer import Indexer
from bot.store.store import IndexCorrupt, IndexStore


def test_long_sentences_have_their_clauses_embedded(bot):
    index = bot.load()
    owner = index.clause_owner
    assert index.manifest["clauses"] and len(owner) == len(index.clause_vectors) > 0
    assert (np.diff(owner) >= 0).all()
    texts = [c for unit in index.units for c in clauses(unit.text)]
    assert [index.units[i].text for i in owner] == [u.text for u in index.units for _ in clauses(u.text)]
    np.testing.assert_allclose(index.clause_vectors, bot.embedder.encode_documents(texts), atol=1e-5)


def test_unchanged_documents_keep_their_clause_vectors(tmp_path, bot):
    source = tmp_path / "source"
    shutil.copytree(bot.source, source)
    (source / "extra.txt").write_text(
        "The comet, which was found by an amateur astronomer in a small village, was named after her cat, "
        "a grey tabby that liked to sleep on the telescope.", encoding="utf-8")
    grown = Bot(source=source, index=tmp_path / "index")
    shutil.copytree(bot.index_dir, grown.index_dir)
    report = grown.reindex()
    assert (report.added, report.embedded, report.clauses_embedded) == (["extra.txt"], 1, 2)
    before, after = bot.load(), grown.load()
    n = len(before.clause_owner)
    assert np.array_equal(after.clause_vectors[:n], before.clause_vectors)
    assert np.array_equal(after.clause_owner[:n], before.clause_owner)
    assert (after.clause_owner[n:] == len(before.units)).all() and len(after.clause_owner) > n


def test_no_clauses_past_the_limit_and_back(source_dir, bot):
    documents, _ = load_folder(source_dir)
    large, _ = Indexer(bot.embedder, clause_limit=5).build(documents)
    assert not large.manifest["clauses"] and len(large.clause_owner) == 0
    small, report = Indexer(bot.embedder).build(documents, previous=large)
    assert (report.embedded, report.clauses_embedded) == (0, len(small.clause_owner)) and small.manifest["clauses"]
    np.testing.assert_allclose(small.clause_vectors, bot.load().clause_vectors, atol=1e-6)


@pytest.mark.parametrize("owner", [[-1], [10**6], "descending"])
def test_clause_owner_out_of_order_or_range_is_corrupt(tmp_path, bot, owner):
    folder = tmp_path / "index"
    shutil.copytree(bot.index_dir, folder)
    store = IndexStore(folder)
    index = store.read()
    index.clause_owner = (index.clause_owner[::-1].copy() if owner == "descending"
                          else np.array(owner * len(index.clause_owner), np.int64))
    store.write(index)  # checksums now match the bad arrays
    with pytest.raises(IndexCorrupt, match="index clause files disagree with the sentences"):
        store.read()


def test_clause_files_round_trip(tmp_path, bot):
    folder = tmp_path / "index"
    shutil.copytree(bot.index_dir, folder)
    index = IndexStore(folder).read()
    assert np.array_equal(index.clause_vectors, bot.load().clause_vectors)
    manifest = json.loads((IndexStore(folder).current / "manifest.json").read_text())
    assert {"clauses.npy", "clause_owner.npy"} <= set(manifest["files"])
