"""Bulk document embedding with ONNX Runtime: the same network as sentence-transformers, faster.

The model is exported once from the verified weights (torch, eager attention: the default attention
exports wrong vectors) to an ONNX file cached under ``QABOT_CACHE`` (default ``~/.cache/qabot``),
named by the model's fingerprint; ONNX Runtime then runs it with all its graph optimisations. Texts
are sorted by token count and cut into batches of ``BATCH`` so that padding is small; for many texts,
one single-threaded session per core takes the next batch as it finishes the last (on this 2-core machine,
shared with other work, 1.4 times the rate of one session on both cores over batches of 64, whose threads
wait for each other at every operator). In float32, as the reference: the vectors match sentence-transformers'
within ``TOLERANCE`` (measured: 2e-7). Dynamic int8 quantisation was measured too and rejected: it moves
vectors by up to 0.03 in cosine (per-channel weights) and changes release answers.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from bot.embedding.encoder import padded, text_states

ENCODER = "onnxruntime-fp32-v1"  # recorded in the index manifest; bump when the vectors change
GRAPH = 2  # the export's outputs (2: the token states beside the embedding); bump when they change
TOLERANCE = 1e-5  # largest difference allowed to sentence-transformers' vectors, per coordinate
MAX_SESSIONS = 8  # past this many cores, each session runs on several threads instead
BATCH = 32  # texts a forward pass: 1.2 times the rate of 64 here (measured under load)


def cache_dir() -> Path:
    return Path(os.environ.get("QABOT_CACHE") or Path.home() / ".cache" / "qabot")


def export_path(fingerprint: str) -> Path:
    """Where the export of the model with this fingerprint is cached."""
    return cache_dir() / f"{fingerprint[:32]}-{ENCODER}-g{GRAPH}.onnx"


def export(folder: Path, path: Path) -> None:
    """Write the ONNX graph of the BERT model in ``folder`` to ``path``: its outputs are the embedding (mean pooling
    and L2 norm included) and the last layer's token states."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = model

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1), hidden

    ids = torch.ones(2, 16, dtype=torch.int64)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with torch.no_grad():
            torch.onnx.export(Pooled().eval(), (ids, ids), str(tmp), input_names=["input_ids", "attention_mask"],
                              output_names=["embedding", "states"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                            "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"},
                                            "states": {0: "batch", 1: "tokens"}})
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class OnnxBertEncoder:
    """Encode many texts with an ONNX export of a BERT sentence-transformers model."""

    def __init__(self, folder: Path, fingerprint: str, max_length: int, threads: int | None = None):
        """``threads``: the cores to use (default all; one for a question, as the server answers side by side):
        one single-threaded session per core runs batches side by side, at most ``MAX_SESSIONS`` of them."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = export_path(fingerprint)
        if not path.exists():
            export(folder, path)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        cores = threads or os.cpu_count() or 1
        count = min(cores, MAX_SESSIONS)  # each holds its own copy of the weights (90 MB for MiniLM)
        options.intra_op_num_threads = max(1, cores // count)
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.sessions = [ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
                         for _ in range(count)]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.no_padding()

    def encode(self, texts: list[str], batch_size: int = BATCH) -> np.ndarray:
        """Normalised embeddings, one row per text."""
        return self._encode(texts, batch_size, states=False)[0]

    def token_states(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's last-layer token vectors, normalised, without [CLS] and [SEP]."""
        return self.encode_with_states(texts)[1]

    def encode_with_states(self, texts: list[str], batch_size: int = BATCH) -> tuple[np.ndarray, list[np.ndarray]]:
        """``encode`` and ``token_states`` of the texts from one forward pass."""
        return self._encode(texts, batch_size, states=True)

    def _encode(self, texts: list[str], batch_size: int, states: bool) -> tuple[np.ndarray, list[np.ndarray]]:
        encodings = self.tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        batches = iter([order[start : start + batch_size] for start in range(0, len(order), batch_size)])
        out = np.empty((len(texts), self.sessions[0].get_outputs()[0].shape[1]), np.float32)
        tokens: list[np.ndarray] = [out[:0]] * len(texts)
        outputs = ["embedding", "states"] if states else ["embedding"]
        lock = threading.Lock()

        def work(session) -> None:
            while True:
                with lock:
                    chunk = next(batches, None)
                if chunk is None:
                    return
                ids, mask = padded([encodings[j].ids for j in chunk])
                result = session.run(outputs, {"input_ids": ids, "attention_mask": mask})
                out[chunk] = result[0]
                if states:
                    for j, rows in zip(chunk, text_states(result[1], mask)):
                        tokens[j] = rows

        workers = min(len(self.sessions), -(-len(order) // batch_size))
        if workers <= 1:
            work(self.sessions[0])
        else:
            with ThreadPoolExecutor(workers) as pool:
                for done in [pool.submit(work, session) for session in self.sessions[:workers]]:
                    done.result()
        return out, tokens
