"""Sentence embeddings: ONNX Runtime for documents (sentence-transformers as the reference and fallback),
a light NumPy path for questions."""

from __future__ import annotations

import os
from collections import OrderedDict
from functools import cached_property

import numpy as np

from bot.embedding.model import ModelSpec, resolve_model

LARGE_BATCH = 512
WORD_BATCH = 32  # words by length, 32 at a time: little padding (150 words in 0.18 s, not 0.43 s at 256)
WORD_CACHE = 200_000  # single words' vectors kept between questions
STATE_CACHE = 2_048  # texts' token vectors kept, the latest used (float16: about 25 KB each, 50 MB in all)


class Embedder:
    """Normalised sentence embeddings from one model, loaded on first use.

    Documents are embedded in batches by an ONNX Runtime export of the network (``fast_documents``; a
    plain BERT model folder and onnxruntime needed) or else by sentence-transformers; ``encoder`` names
    which, and the index records it. Questions go through a NumPy copy of the same network when the model
    allows it, which starts in a fraction of the time. All three give the same vectors (within 1e-6).
    ``batch_size`` is sentence-transformers' and NumPy's batch; ONNX Runtime's is its ``BATCH``.
    """

    def __init__(self, model: str | None = None, batch_size: int = 64, fast_queries: bool = True,
                 fast_documents: bool = True):
        self.model = model
        self.batch_size = batch_size
        self.fast_queries = fast_queries
        self.fast_documents = fast_documents

    @cached_property
    def spec(self) -> ModelSpec:
        """The resolved model; the bundled one has its files verified here."""
        return resolve_model(self.model)

    @property
    def fingerprint(self) -> str:
        return self.spec.fingerprint

    @cached_property
    def transformer(self):
        """The sentence-transformers model (imports torch: seconds)."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        spec = self.spec
        return SentenceTransformer(str(spec.path or spec.name), device="cpu")

    @cached_property
    def numpy_model(self):
        """The NumPy copy of the network, or None when the model is not a plain BERT folder."""
        from bot.embedding.encoder import NumpyBertEncoder, UnsupportedModel

        if self.spec.path is not None:
            try:
                return NumpyBertEncoder(self.spec.path)
            except (UnsupportedModel, FileNotFoundError, KeyError):
                pass
        return None

    @cached_property
    def query_encoder(self):
        """The NumPy encoder, or None (the transformer) when ``fast_queries`` is off or the model is not a
        plain BERT."""
        return self.numpy_model if self.fast_queries else None

    @cached_property
    def encoder(self) -> str:
        """What embeds documents, as the index manifest records it: ONNX Runtime for a plain BERT model
        folder when onnxruntime is installed, else sentence-transformers. Decided without loading either."""
        from importlib.util import find_spec

        from bot.embedding.onnx_encoder import ENCODER

        fast = self.fast_documents and self.numpy_model is not None  # not tied to how questions are embedded
        return ENCODER if fast and find_spec("onnxruntime") is not None else "sentence-transformers"

    @cached_property
    def document_encoder(self):
        """The ONNX Runtime encoder, or ``None`` (sentence-transformers then)."""
        if self.encoder == "sentence-transformers":
            return None
        from bot.embedding.onnx_encoder import OnnxBertEncoder

        return OnnxBertEncoder(self.spec.path, self.fingerprint, self.numpy_model.max_length)

    def encode_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embed document sentences in batches (ONNX Runtime, else sentence-transformers)."""
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        if self.document_encoder is not None:
            return self.document_encoder.encode(list(texts))
        return self.encode_reference(texts, progress)

    def encode_reference(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embed with sentence-transformers itself: the reference the other encoders are tested against."""
        vectors = self.transformer.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions: a few by the question encoder (``question_encoder``: no torch to import), more by
        the document encoder (ONNX Runtime on every core: from 16 texts on, a half to a quarter of NumPy's CPU
        per text; sentence-transformers: from ``LARGE_BATCH``). The same vectors within 1e-6."""
        if self.query_encoder is not None and len(texts) < self._numpy_limit:
            return self._query_batches(list(texts))
        return self.encode_documents(texts)

    @property
    def _numpy_limit(self) -> int:
        from bot.embedding.encoder import SMALL_BATCH

        return SMALL_BATCH + 1 if self.encoder != "sentence-transformers" else LARGE_BATCH

    @cached_property
    def _query_batches(self):
        """Questions asked at the same time from several threads (the served page) share forward passes, in
        batches small enough for the encoder's one-thread path."""
        from bot.embedding.batching import SharedBatches
        from bot.embedding.encoder import SMALL_BATCH

        encoder = self.question_encoder
        return SharedBatches(lambda texts: encoder.encode(texts, batch_size=self.batch_size), max_items=SMALL_BATCH)

    @cached_property
    def question_encoder(self):
        """What encodes a few questions: ONNX Runtime on one thread when documents are embedded with it and its
        graph is already exported (10 ms a question against 15-18 ms in NumPy, on this machine), else NumPy."""
        from bot.embedding.onnx_encoder import ENCODER, OnnxBertEncoder, export_path

        if self.encoder == ENCODER and export_path(self.fingerprint).exists():
            return OnnxBertEncoder(self.spec.path, self.fingerprint, self.numpy_model.max_length, threads=1)
        return self.query_encoder

    def encode_with_states(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Questions' vectors (``encode_queries``) and token vectors (``token_states``) from one forward pass: a few
        by the question encoder, more by the document encoder when it is ONNX Runtime's (every core). The token
        vectors are kept for ``states``."""
        encoder = self._states_encoder(len(texts))
        if encoder is not None:
            vectors, states = encoder.encode_with_states(list(texts))
        else:
            vectors, states = self.encode_queries(texts), self.token_states(texts)
        self._keep(texts, states)
        return vectors, states

    def states(self, texts: list[str]) -> list[np.ndarray]:
        """``token_states``, each text's computed once and kept (the ``STATE_CACHE`` latest used), the missing
        ones in one batch."""
        cache = self._state_cache
        found = {}
        for text in dict.fromkeys(texts):
            if text in cache:
                cache.move_to_end(text)
                found[text] = cache[text]
        new = [t for t in dict.fromkeys(texts) if t not in found]
        if new:
            states = self.token_states(new)
            self._keep(new, states)
            found.update((t, state.astype(np.float16)) for t, state in zip(new, states))
        return [found[text].astype(np.float32) for text in texts]

    def _keep(self, texts: list[str], states: list[np.ndarray]) -> None:
        cache = self._state_cache
        for text, state in zip(texts, states):
            cache[text] = state.astype(np.float16)
            cache.move_to_end(text)
        while len(cache) > STATE_CACHE:
            cache.popitem(last=False)

    @cached_property
    def _state_cache(self) -> OrderedDict[str, np.ndarray]:
        return OrderedDict()

    def pieces(self, text: str) -> list[str]:
        """The tokenizer's word pieces of ``text`` that ``token_states`` gives vectors for, in order."""
        encoder = self.query_encoder
        if encoder is not None:
            return encoder.tokenizer.encode(text).tokens[1:-1]
        return self.transformer.tokenizer.tokenize(text)[: self.transformer.max_seq_length - 2]

    def token_states(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's last-layer token vectors, normalised, without [CLS] and [SEP]: by the encoders above, or
        by sentence-transformers for a model that is not a plain BERT."""
        encoder = self._states_encoder(len(texts))
        if encoder is not None:
            return encoder.token_states(list(texts))
        from bot.embedding.encoder import normalised

        states = self.transformer.encode(list(texts), output_value="token_embeddings", show_progress_bar=False)
        return [normalised(np.asarray(state.float().numpy() if hasattr(state, "numpy") else state, np.float32)[1:-1])
                for state in states]

    def _states_encoder(self, count: int):
        """What gives ``count`` texts' token states: None when the model is not a plain BERT."""
        if self.query_encoder is None:
            return None
        if count >= self._numpy_limit and self.encoder != "sentence-transformers":
            return self.document_encoder
        return self.question_encoder

    def encode_words(self, words: list[str]) -> np.ndarray:
        """Embed single words: by the question encoder at any count (on a few tokens it beats
        sentence-transformers' batches), or as questions once the document encoder's session is open (a batch
        run: half of NumPy's CPU per word); opening it for one question's words would cost more than it saves."""
        if self.query_encoder is not None and "document_encoder" not in self.__dict__:
            return self.question_encoder.encode(list(words), batch_size=WORD_BATCH)
        return self.encode_queries(words)

    def word_vectors(self, words: list[str]) -> np.ndarray:
        """``encode_words``, each word embedded once and kept (up to ``WORD_CACHE`` words)."""
        cache = self._words
        known = {w: v for w in set(words) if (v := cache.get(w)) is not None}
        new = [w for w in dict.fromkeys(words) if w not in known]
        if new:
            if len(cache) + len(new) > WORD_CACHE:
                cache.clear()
            for word, vector in zip(new, self.encode_words(new)):
                cache[word] = known[word] = vector
        return np.array([known[w] for w in words]) if words else np.zeros((0, self.dimension), np.float32)

    @cached_property
    def _words(self) -> dict[str, np.ndarray]:
        return {}

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The whole words of the model's tokenizer: English words a typo is not."""
        encoder = self.query_encoder
        tokenizer = encoder.tokenizer if encoder is not None else self.transformer.tokenizer
        return frozenset(w for w in tokenizer.get_vocab() if w.isalpha())

    @cached_property
    def dimension(self) -> int:
        encoder = self.query_encoder
        if encoder is not None:
            return int(encoder.w["embeddings.word_embeddings.weight"].shape[1])
        return int(self.transformer.get_sentence_embedding_dimension())
