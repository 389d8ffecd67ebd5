import numpy as np
import pytest

from bot.embedding.embedder import Embedder
from bot.embedding.encoder import NumpyBertEncoder
from bot.embedding.model import bundled_model_path

QUESTIONS = [
    "Who is the head of Roscosmos?",
    "x",
    "What did Jean-Yves Le Gall say about fifty years of French–Russian cooperation in space, and why?",
    "Ünïcödé, emoji 🚀 and 中文 mixed in one question",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
]


def test_numpy_encoder_matches_sentence_transformers():
    embedder = Embedder()
    fast = NumpyBertEncoder(bundled_model_path()).encode(QUESTIONS)
    reference = embedder.encode_reference(QUESTIONS)
    assert fast.shape == reference.shape == (len(QUESTIONS), 384)
    assert np.abs(fast - reference).max() < 1e-4
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)


def test_fast_query_path_answers_like_the_full_pipeline(bot):
    from bot import Bot

    full = Bot(source=bot.source, index=bot.index_dir)
    full.embedder.fast_queries = False  # questions through sentence-transformers (torch)
    questions = ["Who is the head of Roscosmos?", "When did Thomas Pesquet return to Earth?",
                 "What did the two agency heads review?", "Who won the 2016 Tour de France?"]
    for fast, slow in zip(bot.ask_many(questions), full.ask_many(questions)):
        assert full.embedder.query_encoder is None
        assert [c.text for c in fast.citations + fast.closest] == [c.text for c in slow.citations + slow.closest]
        for a, b in zip(fast.citations + fast.closest, slow.citations + slow.closest):
            assert abs(a.score - b.score) < 1e-4
        assert abs(fast.confidence - slow.confidence) < 1e-4


def test_words_take_the_numpy_path_at_any_count_with_the_same_vectors():
    embedder = Embedder()
    words = [f"word{i}" for i in range(600)] + ["launch", "co-operation", "astronaut’s"]
    fast = embedder.encode_words(words)
    assert fast.shape == (len(words), 384)
    assert np.abs(fast - embedder.encode_reference(words)).max() < 1e-4


def test_word_vectors_embed_each_word_once(monkeypatch):
    embedder = Embedder()
    words = ["warranty", "extended", "warranty"]
    first = embedder.word_vectors(words)
    assert first.shape == (3, 384) and np.abs(first - embedder.encode_words(words)).max() < 1e-6
    monkeypatch.setattr(embedder, "encode_words", lambda new: pytest.fail(f"embedded again: {new}"))
    assert np.array_equal(embedder.word_vectors(["extended", "warranty"]), first[[1, 0]])
    assert embedder.word_vectors([]).shape == (0, 384)


def test_token_states_match_sentence_transformers_token_embeddings():
    embedder = Embedder()
    fast = NumpyBertEncoder(bundled_model_path()).token_states(QUESTIONS)
    reference = embedder.transformer.encode(QUESTIONS, output_value="token_embeddings")
    assert len(fast) == len(QUESTIONS)
    for states, ref in zip(fast, reference):
        ref = ref.numpy()[1:-1]  # [CLS] and [SEP] left out
        ref = ref / np.linalg.norm(ref, axis=1, keepdims=True)
        assert states.shape == ref.shape and states.shape[1] == 384
        assert np.abs(states - ref).max() < 1e-4
    assert NumpyBertEncoder(bundled_model_path()).token_states([]) == []
    # another model than a plain BERT folder: sentence-transformers gives the same rows
    embedder.__dict__["numpy_model"] = None
    for states, ref in zip(embedder.token_states(QUESTIONS[:2]), fast[:2]):
        assert np.abs(states - ref).max() < 1e-4


def test_vectors_and_token_states_come_from_one_pass_as_apart():
    embedder = Embedder()
    vectors, states = embedder.encode_with_states(QUESTIONS)
    assert np.abs(vectors - embedder.encode_queries(QUESTIONS)).max() < 1e-5
    for together, apart in zip(states, embedder.token_states(QUESTIONS)):
        assert together.shape == apart.shape and np.abs(together - apart).max() < 1e-5
    empty, none = embedder.encode_with_states([])
    assert empty.shape == (0, 384) and none == []


def test_token_states_are_kept_for_the_latest_texts_used(monkeypatch):
    import bot.embedding.embedder as embedder_module

    embedder = Embedder()
    calls = []
    real = embedder.token_states
    monkeypatch.setattr(embedder, "token_states", lambda texts: calls.append(list(texts)) or real(texts))
    monkeypatch.setattr(embedder_module, "STATE_CACHE", 3)
    first = embedder.states(QUESTIONS[:2] + QUESTIONS[:1])
    assert calls == [QUESTIONS[:2]]  # the missing ones in one batch, each once
    assert all(np.abs(a - b).max() < 2e-3 for a, b in zip(first, real(QUESTIONS[:2] + QUESTIONS[:1])))
    assert first[0].dtype == np.float32  # kept in float16, handed out in float32
    calls.clear()
    embedder.states(QUESTIONS[:2])
    assert calls == []
    embedder.states([QUESTIONS[2], QUESTIONS[3]])  # four texts for three places: the least recently used leaves
    embedder.states(QUESTIONS[:2])
    assert calls == [QUESTIONS[2:4], QUESTIONS[:1]]  # "x" was used after "Who is…": kept
    vectors, states = embedder.encode_with_states(["Who heads CNES?"])  # one pass gives the vectors and keeps these
    calls.clear()
    assert np.abs(embedder.states(["Who heads CNES?"])[0] - states[0]).max() < 2e-3 and calls == []
    assert len(embedder.pieces("Who heads CNES?")) == len(states[0])
