import os

import numpy as np
import pytest

from bot.embedding.embedder import Embedder
from bot.embedding.onnx_encoder import ENCODER, TOLERANCE

pytest.importorskip("onnxruntime", reason="onnxruntime is not installed: documents go through sentence-transformers")

TEXTS = [
    "Who is the head of Roscosmos?",
    "x",
    "The two agency heads reviewed fifty years of French–Russian cooperation in space, which began in 1966 "
    "when General de Gaulle visited the Baikonur cosmodrome, and planned the next missions.",
    "Ünïcödé, emoji 🚀 and 中文 mixed in one sentence",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
    "",
] + [f"Sentence number {i} says something {'rather ' * (i % 7)}different." for i in range(150)]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_onnx_vectors_match_sentence_transformers_within_the_stated_tolerance(embedder):
    assert embedder.encoder == ENCODER
    fast = embedder.encode_documents(TEXTS)  # batches of mixed lengths: padding must not leak in
    reference = embedder.encode_reference(TEXTS)
    assert fast.shape == reference.shape == (len(TEXTS), 384) and fast.dtype == np.float32
    assert np.abs(fast - reference).max() < TOLERANCE
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    alone = embedder.encode_documents(TEXTS[2:3])  # batch-mates change nothing
    assert np.abs(alone[0] - fast[2]).max() < TOLERANCE


def test_without_the_fast_path_sentence_transformers_embeds_and_says_so():
    embedder = Embedder(fast_documents=False)
    assert embedder.encoder == "sentence-transformers" and embedder.document_encoder is None


def test_the_index_records_its_encoder_and_another_encoder_makes_it_stale(source_dir, tmp_path):
    from bot import Bot

    bot = Bot(source=source_dir, index=tmp_path / "index")
    bot.reindex()
    manifest = bot.store.read_manifest()
    assert manifest["encoder"] == ENCODER and bot.status().fresh
    other = Bot(source=source_dir, index=tmp_path / "index")
    other.embedder.fast_documents = False
    assert other.status().reason == "the index was built by another encoder"
    report = other.reindex()  # nothing kept: every sentence embedded again by the other encoder
    assert report.embedded == report.sentences > 0
    assert other.store.read_manifest()["encoder"] == "sentence-transformers"


def test_sessions_side_by_side_give_one_sessions_vectors(embedder):
    from bot.embedding.onnx_encoder import BATCH, OnnxBertEncoder

    pooled = embedder.document_encoder
    assert len(pooled.sessions) == (os.cpu_count() or 1)
    alone = OnnxBertEncoder(embedder.spec.path, embedder.fingerprint, embedder.numpy_model.max_length, threads=1)
    texts = TEXTS * 2  # several batches a session
    assert len(texts) > 2 * BATCH
    assert np.array_equal(pooled.encode(texts), alone.encode(texts))  # each batch on one thread either way
    assert pooled.encode([]).shape == (0, 384)


def test_onnx_token_states_match_numpys_in_one_pass_with_the_vectors(embedder):
    from bot.embedding.encoder import NumpyBertEncoder

    texts = TEXTS[:4] + TEXTS[6:40]  # mixed lengths in one batch: padding must not leak into the states
    reference = NumpyBertEncoder(embedder.spec.path).token_states(texts)
    vectors, states = embedder.document_encoder.encode_with_states(texts)
    assert np.abs(vectors - embedder.encode_documents(texts)).max() < TOLERANCE
    for fast, ref in zip(states, reference):
        assert fast.shape == ref.shape and np.abs(fast - ref).max() < 1e-5
    assert embedder._states_encoder(len(texts)) is embedder.document_encoder  # many texts: every core
    assert type(embedder._states_encoder(1)).__name__ == "OnnxBertEncoder"  # one question: one thread
    few = embedder.token_states(texts[:3])
    assert all(np.abs(a - b).max() < 1e-5 for a, b in zip(few, reference[:3]))
    empty, none = embedder.document_encoder.encode_with_states([])
    assert empty.shape == (0, 384) and none == []
