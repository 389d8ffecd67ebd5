"""Document sentences embedded by a pool of Ray actors, each loading the verified model once."""

from __future__ import annotations

import numpy as np

from bot.embedding.embedder import Embedder
from bot.evaluation.progress import Progress
from bot.store.milvus import StoreError


class EmbedBatch:
    """A Ray Data stateful transform: loads the model (hash-verified) once, then embeds batches of sentences."""

    def __init__(self, model: str | None, fingerprint: str):
        self.embedder = Embedder(model)
        if self.embedder.fingerprint != fingerprint:  # a worker whose model files differ from the driver's
            raise StoreError(f"the model on this worker ({self.embedder.fingerprint[:12]}) is not the "
                             f"driver's ({fingerprint[:12]})")

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"row": batch["row"], "vector": self.embedder.encode_documents(batch["text"].tolist())}


class RayEmbedder(Embedder):
    """An ``Embedder`` whose ``encode_documents`` runs on ``workers`` Ray actors (``ray.data`` ``map_batches``
    with ``EmbedBatch``, ``batch_size`` sentences a call); questions and words are embedded here as usual.
    Ray must be initialised (see ``ray_session``). A killed actor is restarted and its batches run again
    (Ray Data's actor pools retry by default: ``max_restarts=-1``, ``max_task_retries=-1``)."""

    def __init__(self, model: str | None = None, workers: int = 2, batch_size: int = 256, progress: bool = True):
        super().__init__(model)
        self.workers, self.ray_batch, self.show = workers, batch_size, progress

    def encode_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        import ray.data

        from bot.cluster.session import worker_cpus

        rows = ray.data.from_items([{"row": i, "text": text} for i, text in enumerate(texts)])
        vectors = rows.map_batches(
            EmbedBatch, fn_constructor_kwargs={"model": self.model, "fingerprint": self.fingerprint},
            batch_size=self.ray_batch, batch_format="numpy", num_cpus=worker_cpus(self.workers),
            compute=ray.data.ActorPoolStrategy(size=self.workers))
        out = np.zeros((len(texts), self.dimension), np.float32)
        done = np.zeros(len(texts), bool)
        meter = Progress(len(texts), "sentences", quiet=not (self.show or progress))
        for batch in vectors.iter_batches(batch_format="numpy", batch_size=None):
            out[batch["row"]] = batch["vector"]
            done[batch["row"]] = True
            meter.advance(len(batch["row"]))
        meter.close()
        if not done.all():
            raise RuntimeError(f"{int((~done).sum())} sentences came back from Ray without a vector")
        return out
