import json

import numpy as np
import pytest

from bot.store import vectors as vector_index
from tests.conftest import DEV, needs_shared


def _answers(bot, questions: list[str]) -> list[tuple]:
    return [(a.short, a.text, [c.text for c in a.citations], [round(c.score, 5) for c in a.citations], a.error)
            for a in bot.ask_many(questions)]


@needs_shared
def test_the_compressed_index_answers_the_release_as_the_exact_one(source_dir, tmp_path, monkeypatch):
    from bot import Bot
    from bot.ranking import retrieval
    from bot.ranking.retrieval import RetrievalConfig

    questions = [json.loads(line)["question"] for line in DEV.read_text().splitlines() if line.strip()]
    # both through the candidate path of a large index (the product's candidates from the vector index,
    # re-scored on the exact vectors); only the vector index differs (flat or compressed)
    monkeypatch.setattr(retrieval, "EXACT_SCAN", 0)
    monkeypatch.setattr(retrieval, "DENSE_SAMPLE", 10)
    config = RetrievalConfig()
    exact = Bot(source=source_dir, index=tmp_path / "exact", config=config)
    exact.load()
    monkeypatch.setattr(vector_index, "COMPRESS_LIMIT", 10)
    compressed = Bot(source=source_dir, index=tmp_path / "compressed", config=config)
    compressed.reindex()
    reloaded = Bot(source=source_dir, index=tmp_path / "compressed", config=config)  # vectors memory-mapped
    index = reloaded.load()
    assert exact.load().manifest["vector_index"] == "flat" and index.manifest["vector_index"] == "compressed"
    assert isinstance(index.vectors, np.memmap) and len(index.units) > 10
    assert _answers(reloaded, questions) == _answers(compressed, questions) == _answers(exact, questions)


def test_compressed_search_finds_the_exact_neighbours_after_re_ranking():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((300, 384)).astype(np.float32)
    vectors = base[rng.integers(0, 300, 9_000)] + rng.standard_normal((9_000, 384)).astype(np.float32) * 0.3
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index, kind = vector_index.build_vector_index(vectors, compress_limit=1_000)
    assert kind == "compressed" and index.ntotal == len(vectors)
    queries = vectors[:50] + rng.standard_normal((50, 384)).astype(np.float32) * 0.1
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    found = vector_index.search_reranked(index, vectors, queries, 10, depth=100)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)])
    assert recall >= 0.9


@pytest.mark.parametrize("n", [2, 7, 300])
def test_tiny_corpora_build_a_compressed_index_too(n):
    vectors = np.random.default_rng(n).standard_normal((n, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index, kind = vector_index.build_vector_index(vectors, compress_limit=1)
    assert kind == "compressed" and index.ntotal == n
    found = vector_index.search_reranked(index, vectors, vectors[:2], min(n, 5), depth=n)
    assert list(found[:, 0]) == [0, 1]
