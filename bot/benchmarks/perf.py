"""``qabot bench perf``: speed and memory figures, measured in one run on one machine state."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

QUESTIONS = [
    "Who is the head of Roscosmos?", "Where is the MAKS air show held?", "When did Thomas Pesquet return to Earth?",
    "What did the two agency heads review?", "Which instrument will fly to Mercury?",
    "What is planned for the second half of the year?", "What did Jean-Yves Le Gall say?",
    "Who won the 2016 Tour de France?",
]


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def _timed_build(vectors, memory_mb: Callable[[], float]) -> tuple[object, str, float, float]:
    """The vector index of ``vectors``, its kind, build seconds and the memory (MB, by ``memory_mb``) it added."""
    from bot.store.vectors import build_vector_index

    before = memory_mb()
    t = time.perf_counter()
    index, kind = build_vector_index(vectors)
    return index, kind, time.perf_counter() - t, memory_mb() - before


def warm_ask(bot, repeats: int) -> dict:
    """ask() on single questions against the bare sentence-transformers encode of the same questions."""
    model = bot.embedder.transformer
    bot.ask(QUESTIONS[0])
    model.encode([QUESTIONS[0]], normalize_embeddings=True)
    ask_ms, encode_ms = [], []
    for _ in range(repeats):
        for q in QUESTIONS:
            t = time.perf_counter()
            bot.ask(q)
            ask_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            model.encode([q], normalize_embeddings=True)
            encode_ms.append((time.perf_counter() - t) * 1000)
    return {"ask_ms": {"p50": _pct(ask_ms, 50), "p95": _pct(ask_ms, 95)},
            "encode_ms": {"p50": _pct(encode_ms, 50), "p95": _pct(encode_ms, 95)},
            "ask_over_encode": _pct(ask_ms, 50) / _pct(encode_ms, 50), "n": len(ask_ms)}


def cold_start(source: Path, index: Path, runs: int) -> dict:
    """A new process from start to the printed answer, and the bare sentence-transformers import."""
    python = sys.executable
    ask = [python, "-m", "bot", "ask", QUESTIONS[0], "--source", str(source), "--index", str(index)]
    bare = [python, "-c", "import sentence_transformers"]
    subprocess.run(ask, capture_output=True, check=True)  # index built, files in the page cache
    times = {"ask": [], "import": []}
    for _ in range(runs):
        for key, cmd in (("ask", ask), ("import", bare)):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times[key].append(time.perf_counter() - t)
    return {"cold_start_s": statistics.median(times["ask"]),
            "import_sentence_transformers_s": statistics.median(times["import"])}


FOLDER_SENTENCES = 3_000  # a typical user's folder: small enough for clause vectors


def _first(data, count: int):
    """The ReQA corpus cut to its first ``count`` sentences."""
    from copy import copy

    kept, left = {}, count
    for doc, units in data.units_by_doc.items():
        if left <= 0:
            break
        kept[doc], left = units[:left], left - len(units)
    out = copy(data)
    out.units_by_doc = kept
    out.ids = data.ids[: sum(len(u) for u in kept.values())]
    return out


def versus_bare(data, embedder, rounds: int) -> tuple[dict, object]:
    """``qabot index``'s indexer (clause vectors when the corpus is small enough, as the product does)
    against a bare batched ``SentenceTransformer.encode`` of the same sentences, interleaved ``rounds``
    times in this process; both models loaded and warm first. Rates from the median times."""
    from bot.benchmarks.bench import reqa_index

    texts = [u.text for units in data.units_by_doc.values() for u in units]
    model = embedder.transformer
    model.encode(texts[:64], batch_size=embedder.batch_size)
    embedder.encode_documents(texts[:64])
    bare, fast = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True)
        bare.append(time.perf_counter() - t)
        index, seconds = reqa_index(data, embedder)
        fast.append(seconds)
    rate, bare_rate = len(texts) / statistics.median(fast), len(texts) / statistics.median(bare)
    return {"sentences": len(texts), "clauses": len(index.clause_vectors), "encoder": embedder.encoder,
            "rounds": rounds, "index_sentences_per_s": rate, "bare_encode_sentences_per_s": bare_rate,
            "index_over_bare": rate / bare_rate}, index


def index_rate(data_dir: Path, limit: int | None) -> tuple[dict, dict, np.ndarray, np.ndarray]:
    """Index-building rate through the product against the bare batched encode, on the ReQA corpus (or its
    first ``limit`` sentences) and on a folder-sized part of it; then ``ask_many`` over its questions."""
    from bot import Bot
    from bot.benchmarks.reqa import load_reqa

    data = load_reqa(data_dir)
    if limit:
        data = _first(data, limit)
    bot = Bot()
    folder, _ = versus_bare(_first(data, min(FOLDER_SENTENCES, limit or FOLDER_SENTENCES)), bot.embedder, 2)
    figures, index = versus_bare(data, bot.embedder, 1)
    bot.use_index(index)
    questions = [q["question"] for q in data.questions]
    t = time.perf_counter()
    bot.ask_many(questions)
    figures.update(eval_questions=len(questions), eval_questions_per_s=len(questions) / (time.perf_counter() - t))
    return figures, folder, index.vectors, bot.embedder.encode_queries(questions[:200])


def synthetic(base: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` unit vectors shaped like real sentence embeddings: blends of two real ones plus noise."""
    out = np.empty((n, base.shape[1]), np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        a, b = rng.integers(0, len(base), m), rng.integers(0, len(base), m)
        mix = rng.uniform(0.0, 0.4, (m, 1)).astype(np.float32)
        block = (1 - mix) * base[a] + mix * base[b]
        block += rng.standard_normal(block.shape, dtype=np.float32) * np.float32(0.02)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def scale(n: int, base: np.ndarray, probes: np.ndarray, seed: int = 0) -> dict:
    """Build the vector index the product picks for ``n`` vectors; search time and recall@10 vs exact.

    The vectors are blends of real MiniLM sentence embeddings (``synthetic``) and the probes are
    real question embeddings: uniformly random unit vectors in 384 dimensions have no neighbourhood
    structure, so no approximate index reaches a useful recall on them (see the README). Past
    ``COMPRESS_LIMIT`` the vectors are generated in chunks to a file and never held whole in memory.
    """
    from bot.store.vectors import COMPRESS_LIMIT

    if n > COMPRESS_LIMIT:
        return scale_on_disk(n, base, probes, seed)
    import faiss

    rng = np.random.default_rng(seed)
    dim = base.shape[1]
    vectors = synthetic(base, n, rng)
    queries = len(probes)
    index, kind, build_s, memory = _timed_build(vectors, _rss_mb)
    exact = faiss.IndexFlatIP(dim)
    exact.add(vectors)
    _, truth = exact.search(probes, 10)
    times, hits = [], 0
    for i in range(queries):
        t = time.perf_counter()
        _, found = index.search(probes[i : i + 1], 10)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(set(found[0]) & set(truth[i]))
    return {"vectors": n, "index": kind, "build_s": build_s, "index_memory_mb": memory,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "search_ms_p50": _pct(times, 50), "search_ms_p95": _pct(times, 95), "recall_at_10": hits / (10 * queries)}


CHUNK = 250_000


class RowFile:
    """The rows of a float32 ``.npy`` file, read on demand with plain reads (never mapped, so nothing
    read stays counted in the process's memory)."""

    def __init__(self, path: Path):
        self.path = path
        with path.open("rb") as handle:
            np.lib.format.read_magic(handle)
            self.shape, _, _ = np.lib.format.read_array_header_1_0(handle)
            self.offset = handle.tell()
        self.row_bytes = self.shape[1] * 4

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key) -> np.ndarray:
        with self.path.open("rb") as handle:
            if isinstance(key, slice):
                start, stop, _ = key.indices(self.shape[0])
                handle.seek(self.offset + start * self.row_bytes)
                return np.fromfile(handle, np.float32, (stop - start) * self.shape[1]).reshape(-1, self.shape[1])
            out = np.empty((len(key), self.shape[1]), np.float32)
            for i, row in enumerate(key):
                handle.seek(self.offset + int(row) * self.row_bytes)
                handle.readinto(out[i].data)
            return out


def write_synthetic(path: Path, base: np.ndarray, n: int, rng: np.random.Generator) -> None:
    """``synthetic`` vectors written chunk by chunk to a ``.npy`` file."""
    with path.open("wb") as out:
        np.lib.format.write_array_header_1_0(out, {"descr": "<f4", "fortran_order": False, "shape": (n, base.shape[1])})
        for start in range(0, n, CHUNK):
            out.write(synthetic(base, min(CHUNK, n - start), rng).data)


def exact_top(rows: RowFile, probes: np.ndarray, k: int) -> np.ndarray:
    """Exact inner-product top ``k`` over the file, one chunk in memory at a time."""
    best_s = np.full((len(probes), k), -np.inf, np.float32)
    best_i = np.zeros((len(probes), k), np.int64)
    for start in range(0, len(rows), CHUNK):
        scores = probes @ rows[start : start + CHUNK].T
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        s = np.concatenate([best_s, np.take_along_axis(scores, top, 1)], 1)
        i = np.concatenate([best_i, top + start], 1)
        keep = np.argsort(-s, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(s, keep, 1), np.take_along_axis(i, keep, 1)
    return best_i


def scale_on_disk(n: int, base: np.ndarray, probes: np.ndarray, seed: int = 0, depth: int = 100) -> dict:
    """The compressed index at ``n`` vectors: built from a file of vectors, searched with ``depth``
    candidates re-scored on the exact vectors memory-mapped from that file (as the product stores them)."""
    import tempfile

    import faiss

    from bot.store.vectors import search_depth, search_reranked

    folder = Path(os.environ.get("QABOT_BENCH_TMP") or tempfile.gettempdir())
    with tempfile.TemporaryDirectory(dir=folder, prefix="qabot-scale-") as tmp:
        path = Path(tmp) / "vectors.npy"
        t = time.perf_counter()
        write_synthetic(path, base, n, np.random.default_rng(seed))
        generate_s = time.perf_counter() - t
        rows = RowFile(path)
        index, kind, build_s, memory = _timed_build(rows, _anon_mb)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        serialized = faiss.serialize_index(index).nbytes / 2**20
        truth = exact_top(rows, probes, 10)
        vectors = np.load(path, mmap_mode="r")
        search_reranked(index, vectors, probes[:20], 10, depth)  # first touches of the file
        times, hits = [], 0
        for i in range(len(probes)):
            t = time.perf_counter()
            found = search_reranked(index, vectors, probes[i : i + 1], 10, depth)
            times.append((time.perf_counter() - t) * 1000)
            hits += len(set(found[0]) & set(truth[i]))
        del vectors
    return {"vectors": n, "index": kind, "generate_s": generate_s, "build_s": build_s, "index_memory_mb": memory,
            "index_file_mb": serialized, "peak_rss_mb": peak, "rerank_depth": search_depth(index, depth),
            "search_ms_p50": _pct(times, 50), "search_ms_p95": _pct(times, 95),
            "recall_at_10": hits / (10 * len(probes))}


def _anon_mb() -> float:
    """Anonymous resident memory (what the index holds; pages of mapped files excluded)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return _rss_mb()


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def threads() -> dict:
    import torch
    from threadpoolctl import threadpool_info

    return {"torch_threads": torch.get_num_threads(),
            "blas_threads": max((i["num_threads"] for i in threadpool_info()), default=None),
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS")}


def run(args) -> dict:
    from bot import Bot
    from bot.benchmarks.bench import DEFAULT_REQA, machine

    bot = Bot()
    bot.load()
    small = bool(getattr(args, "limit", None))
    results = {"machine": machine()}
    results["warm"] = warm_ask(bot, repeats=2 if small else 10)
    results["cold"] = cold_start(bot.source, bot.index_dir, runs=1 if small else 5)
    results["index"], results["folder"], base, probes = index_rate(Path(args.data or DEFAULT_REQA), args.limit)
    results["threads"] = threads()
    print(json.dumps(results, default=float), file=sys.stderr, flush=True)  # kept should the scale part fail
    size = args.scale if getattr(args, "scale", None) else (20_000 if small else 1_000_000)
    results["scale"] = scale(size, base, probes)
    print(table(results), file=sys.stderr)
    return results


def table(r: dict) -> str:
    w, c, i, f, s = r["warm"], r["cold"], r["index"], r["folder"], r["scale"]
    rows = [
        ("ask_ms p50 / p95 (warm, release)", f"{w['ask_ms']['p50']:.1f} / {w['ask_ms']['p95']:.1f}"),
        ("encode_ms p50 (bare SentenceTransformer)", f"{w['encode_ms']['p50']:.1f}"),
        ("ask_over_encode", f"{w['ask_over_encode']:.2f}"),
        ("cold_start_s (qabot ask, index built)", f"{c['cold_start_s']:.2f}"),
        ("import sentence_transformers (s)", f"{c['import_sentence_transformers_s']:.2f}"),
        (f"index_sentences_per_s ({i['sentences']} ReQA sentences, {i['encoder']})",
         f"{i['index_sentences_per_s']:.0f}"),
        ("bare encode sentences/s (same sentences)", f"{i['bare_encode_sentences_per_s']:.0f}"),
        ("index_over_bare", f"{i['index_over_bare']:.2f}"),
        (f"index_sentences_per_s ({f['sentences']}-sentence folder, {f['clauses']} clauses)",
         f"{f['index_sentences_per_s']:.0f}"),
        ("bare encode sentences/s (same sentences)", f"{f['bare_encode_sentences_per_s']:.0f}"),
        ("index_over_bare (folder)", f"{f['index_over_bare']:.2f}"),
        (f"eval_questions_per_s (ask_many, {i['eval_questions']} ReQA questions)", f"{i['eval_questions_per_s']:.0f}"),
        (f"{s['vectors']:,} vectors: index", s["index"]),
        ("  build_s / index memory MB / peak RSS MB",
         f"{s['build_s']:.1f} / {s['index_memory_mb']:.0f} / {s['peak_rss_mb']:.0f}"),
        ("  search_ms p50 / p95", f"{s['search_ms_p50']:.2f} / {s['search_ms_p95']:.2f}"),
        ("  recall@10 vs exact", f"{s['recall_at_10']:.3f}"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)
