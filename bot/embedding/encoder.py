"""A NumPy forward pass of a BERT sentence encoder for the query path.

Importing sentence-transformers (torch and transformers) takes seconds; this
encoder needs only ``tokenizers``, ``safetensors`` and NumPy, so the first
answer comes fast. It computes what the sentence-transformers model computes
(BERT, mean pooling, L2 normalisation) and is tested against it.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

SMALL_BATCH = 8


@contextmanager
def _blas_threads(limit: int | None):
    """One BLAS thread for a few short texts: thread hand-offs cost more than the maths."""
    if limit is None:
        yield
        return
    with _controller().limit(limits=limit, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class UnsupportedModel(ValueError):
    """The model folder is not a BERT encoder with mean pooling."""


class NumpyBertEncoder:
    """Encode short texts with a BERT sentence-transformers model in NumPy."""

    def __init__(self, folder: Path, max_length: int | None = None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        if config.get("model_type") != "bert" or not _mean_pooling(folder):
            raise UnsupportedModel(f"{folder} is not a BERT model with mean pooling")
        self.heads = config["num_attention_heads"]
        self.eps = config.get("layer_norm_eps", 1e-12)
        self.layers = config["num_hidden_layers"]
        st_config = folder / "sentence_bert_config.json"
        limit = json.loads(st_config.read_text()).get("max_seq_length") if st_config.exists() else None
        self.max_length = max_length or limit or config["max_position_embeddings"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.no_padding()
        weights = load_file(str(folder / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in weights.items()}
        for name in [k for k in self.w if k.startswith("encoder.") and k.endswith(".weight") and self.w[k].ndim == 2]:
            self.w[name] = np.ascontiguousarray(self.w[name].T)  # (in, out): one BLAS call per linear

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Normalised embeddings, one row per text."""
        if not texts:
            return np.zeros((0, self.w["embeddings.word_embeddings.weight"].shape[1]), np.float32)
        with _blas_threads(1 if len(texts) <= SMALL_BATCH else None):
            return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out = np.empty((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), np.float32)
        for i in range(0, len(order), batch_size):
            chunk = order[i : i + batch_size]
            out[chunk] = self._forward([encodings[j].ids for j in chunk])
        return out

    def token_states(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's last-layer token vectors, normalised, without [CLS] and [SEP] (one row per token)."""
        return self.encode_with_states(texts)[1]

    def encode_with_states(self, texts: list[str], batch_size: int = 64) -> tuple[np.ndarray, list[np.ndarray]]:
        """``encode`` and ``token_states`` of the texts from one forward pass."""
        vectors = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), np.float32)
        states: list[np.ndarray] = [np.zeros((0, vectors.shape[1]), np.float32)] * len(texts)
        encodings = self.tokenizer.encode_batch(list(texts)) if texts else []
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        with _blas_threads(1 if len(texts) <= SMALL_BATCH else None):
            for i in range(0, len(order), batch_size):
                chunk = order[i : i + batch_size]
                x, mask = self._states([encodings[j].ids for j in chunk])
                vectors[chunk] = _pooled(x, mask)
                for j, rows in zip(chunk, text_states(x, mask)):
                    states[j] = rows
        return vectors, states

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        return _pooled(*self._states(batch))

    def _states(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The last layer's token states of a batch of token ids, and its mask."""
        ids, mask = padded(batch, np.float32)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for layer in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{layer}.")
        return x, mask

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        b, n, d = x.shape
        h = self.heads

        def heads(name: str) -> np.ndarray:
            return self._linear(x, p + f"attention.self.{name}").reshape(b, n, h, d // h).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 1, 3, 2)
        scores /= np.float32(np.sqrt(d // h))
        scores += bias
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
        out = self._linear(context, p + "attention.output.dense")
        out += x
        x = self._norm(out, p + "attention.output.LayerNorm")
        out = self._linear(_gelu(self._linear(x, p + "intermediate.dense")), p + "output.dense")
        out += x
        return self._norm(out, p + "output.LayerNorm")

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        weight = self.w[name + ".weight"]
        out = x.reshape(-1, x.shape[-1]) @ weight
        out += self.w[name + ".bias"]
        return out.reshape(*x.shape[:-1], weight.shape[1])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        """Layer normalisation, in place of ``x``."""
        x -= x.mean(-1, keepdims=True)
        var = np.square(x).mean(-1, keepdims=True)
        var += np.float32(self.eps)
        x /= np.sqrt(var, out=var)
        x *= self.w[name + ".weight"]
        x += self.w[name + ".bias"]
        return x


def _pooled(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The normalised mean of each text's token states (sentence-transformers' mean pooling)."""
    return normalised((x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9))


def text_states(x: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
    """Each text's token states in a padded batch (``x``, ``mask``), normalised, without [CLS] and [SEP]."""
    return [normalised(row[1 : max(int(length) - 1, 1)]) for row, length in zip(x, mask.sum(1))]


def normalised(rows: np.ndarray) -> np.ndarray:
    """``rows`` scaled to unit length, each one."""
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def padded(batch: list[list[int]], mask_dtype=np.int64) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of several texts padded to the longest, and the attention mask marking the real tokens."""
    width = max(len(seq) for seq in batch)
    ids = np.zeros((len(batch), width), np.int64)
    mask = np.zeros((len(batch), width), mask_dtype)
    for row, seq in enumerate(batch):
        ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1
    return ids, mask


def _mean_pooling(folder: Path) -> bool:
    pooling = folder / "1_Pooling" / "config.json"
    if not pooling.exists():
        return False
    config = json.loads(pooling.read_text())
    return bool(config.get("pooling_mode_mean_tokens")) and not any(
        config.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens")
    )


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU with erf, via Abramowitz–Stegun 7.1.26 (error below 1.5e-7), in place of ``x`` (each step as the
    plain expression would take it, in fewer arrays)."""
    z = np.abs(x)
    z /= np.float32(np.sqrt(2.0))
    t = z * np.float32(0.3275911)
    t += 1.0
    np.divide(1.0, t, out=t)
    poly = t * 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += c
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    z *= poly
    np.subtract(1.0, z, out=z)
    z *= np.sign(x)
    z += 1.0
    x *= 0.5
    x *= z
    return x
