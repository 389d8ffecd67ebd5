"""The FAISS index over sentence vectors: exact while small, HNSW past a size."""

from __future__ import annotations

import numpy as np

EXACT_LIMIT = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def build_vector_index(vectors: np.ndarray, exact_limit: int = EXACT_LIMIT) -> tuple[object, str]:
    """Inner-product index over unit vectors (inner product = cosine)."""
    import faiss

    dim = vectors.shape[1]
    if len(vectors) <= exact_limit:
        index = faiss.IndexFlatIP(dim)
        kind = "flat"
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        kind = "hnsw"
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, np.float32))
    if kind == "hnsw":
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index, kind
