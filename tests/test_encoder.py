import numpy as np

from bot.embedder import Embedder
from bot.encoder import NumpyBertEncoder
from bot.model import bundled_model_path

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
    reference = embedder.encode_documents(QUESTIONS)
    assert fast.shape == reference.shape == (len(QUESTIONS), 384)
    assert np.abs(fast - reference).max() < 1e-4
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
