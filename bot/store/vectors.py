"""The FAISS index over sentence vectors: exact while small, HNSW past a size, compressed past a larger one.

Up to ``EXACT_LIMIT`` vectors every one is scored (``IndexFlatIP``); up to ``COMPRESS_LIMIT`` an HNSW
graph over the float vectors (about 1.7 GB per million, float vectors included); beyond, an inverted file
of 4-bit product-quantised codes scanned with SIMD (``IVF<n>_HNSW32,PQ192x4fs``: 96 bytes a vector plus
its 8-byte id, 1.04 GB for ten million), whose candidates are re-scored on the exact vectors; those stay
on disk (``vectors.npy``, memory-mapped) and only the candidates' rows are read. 8-bit PQ was measured
too: its codebook training alone took over 15 minutes on 200,000 vectors here.
"""

from __future__ import annotations

import numpy as np

EXACT_LIMIT = 200_000
COMPRESS_LIMIT = 2_000_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
RERANK_DEPTH = 300  # candidates a compressed index hands over for exact re-scoring (100 gave recall@10 0.84 at 10M)
NPROBE = 24  # inverted lists visited per search (64 lifted recall@10 at 10M only 0.836 -> 0.843; see README)
TRAIN_PER_LIST = 32  # training vectors per inverted list (faiss warns below 39; 32 is enough for IVF)
TRAIN_MAX = 65_536  # training sample cap: k-means time grows with it, quality barely
PQ_MIN = 1_000  # fewer vectors than this: 8-bit scalar codes (a 16-centroid codebook needs samples)
KMEANS_ITERATIONS = 10
ADD_CHUNK = 250_000


def ivf_lists(n: int) -> int:
    """Inverted lists for ``n`` vectors: about 0.65·√n (2,048 for ten million: the cap), no more than the
    training sample allows."""
    return int(max(1, min(round(0.65 * np.sqrt(n)), min(n, TRAIN_MAX) // TRAIN_PER_LIST)))


def build_vector_index(vectors: np.ndarray, exact_limit: int | None = None,
                       compress_limit: int | None = None) -> tuple[object, str]:
    """Inner-product index over unit vectors (inner product = cosine); ``vectors`` may be memory-mapped.
    The limits default to ``EXACT_LIMIT`` and ``COMPRESS_LIMIT`` (read when called)."""
    import faiss

    exact_limit = EXACT_LIMIT if exact_limit is None else exact_limit
    compress_limit = COMPRESS_LIMIT if compress_limit is None else compress_limit
    n, dim = vectors.shape
    if n > max(compress_limit, 1):
        return build_compressed(vectors), "compressed"
    if n <= exact_limit:
        index, kind = faiss.IndexFlatIP(dim), "flat"
    else:
        index, kind = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT), "hnsw"
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    if n:
        index.add(np.ascontiguousarray(vectors, np.float32))
    if kind == "hnsw":
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index, kind


def build_compressed(vectors: np.ndarray, seed: int = 0) -> object:
    """IVF-PQ over ``vectors`` (any array of rows, a memory-mapped one too), trained on a sample and
    filled in chunks, so the vectors are read once and never held whole in memory."""
    import faiss

    n, dim = vectors.shape
    lists = ivf_lists(n)
    codes = f"PQ{dim // 2}x4fs" if n >= PQ_MIN and dim % 2 == 0 else "SQ8"
    index = faiss.index_factory(dim, f"IVF{lists}_HNSW32,{codes}", faiss.METRIC_INNER_PRODUCT)
    ivf = faiss.downcast_index(faiss.extract_index_ivf(index))
    ivf.cp.niter = KMEANS_ITERATIONS
    if codes != "SQ8":
        ivf.pq.cp.niter = KMEANS_ITERATIONS
    rows = np.sort(np.random.default_rng(seed).choice(n, min(n, TRAIN_MAX), replace=False))
    index.train(np.ascontiguousarray(vectors[rows], np.float32))
    for start in range(0, n, ADD_CHUNK):
        index.add(np.ascontiguousarray(vectors[start : start + ADD_CHUNK], np.float32))
    ivf.nprobe = min(NPROBE, lists)
    faiss.downcast_index(ivf.quantizer).hnsw.efSearch = max(HNSW_EF_SEARCH, 2 * ivf.nprobe)
    return index


def search_depth(index, depth: int) -> int:
    """How many candidates to ask ``index`` for when ``depth`` are wanted: more from a compressed index, whose
    4-bit codes order them coarsely, for the exact vectors to re-score."""
    import faiss

    try:
        faiss.extract_index_ivf(index)
    except RuntimeError:
        return depth
    return max(depth, RERANK_DEPTH)


def search_reranked(index, vectors: np.ndarray, queries: np.ndarray, k: int, depth: int = 100) -> np.ndarray:
    """The ``k`` best rows for each query: ``depth`` candidates from ``index`` (more from a compressed one:
    ``search_depth``) re-scored on the exact ``vectors``; the retriever takes its dense candidates so. A flat
    or HNSW index already scores its candidates on the exact vectors: its own order stands."""
    wanted = max(depth, k)
    asked = search_depth(index, wanted)
    _, found = index.search(np.ascontiguousarray(queries, np.float32), asked)
    if asked == wanted:
        return found[:, :k].astype(np.int64, copy=False)
    out = np.full((len(queries), k), -1, np.int64)
    for row, (query, cand) in enumerate(zip(queries, found)):
        cand = np.sort(cand[cand >= 0])
        scores = vectors[cand] @ query
        out[row, : min(k, len(cand))] = cand[np.argsort(-scores, kind="stable")[:k]]
    return out
