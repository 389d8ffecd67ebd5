"""``qabot bench perf``: speed and memory figures, measured in one run on one machine state."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
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


def index_rate(data_dir: Path, limit: int | None) -> dict:
    """Index-building rate through the product against the bare batched encode of the same sentences."""
    from bot import Bot
    from bot.benchmarks.bench import reqa_index
    from bot.benchmarks.reqa import load_reqa

    data = load_reqa(data_dir)
    if limit:
        kept, left = {}, limit
        for doc, units in data.units_by_doc.items():
            if left <= 0:
                break
            kept[doc], left = units[:left], left - len(units)
        data.units_by_doc = kept
        data.ids = data.ids[: sum(len(u) for u in kept.values())]
    bot = Bot()
    texts = [u.text for units in data.units_by_doc.values() for u in units]
    model = bot.embedder.transformer
    t = time.perf_counter()
    model.encode(texts, batch_size=bot.embedder.batch_size, normalize_embeddings=True)
    bare = len(texts) / (time.perf_counter() - t)
    index, seconds = reqa_index(data, bot.embedder)
    rate = len(texts) / seconds
    bot.use_index(index)
    questions = [q["question"] for q in data.questions]
    t = time.perf_counter()
    bot.ask_many(questions)
    eval_rate = len(questions) / (time.perf_counter() - t)
    figures = {"sentences": len(texts), "index_sentences_per_s": rate, "bare_encode_sentences_per_s": bare,
               "index_over_bare": rate / bare, "eval_questions": len(questions), "eval_questions_per_s": eval_rate}
    return figures, index.vectors, bot.embedder.encode_queries(questions[:200])


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
    structure, so no approximate index reaches a useful recall on them (see the README).
    """
    import faiss

    from bot.store.vectors import build_vector_index

    rng = np.random.default_rng(seed)
    dim = base.shape[1]
    vectors = synthetic(base, n, rng)
    queries = len(probes)
    rss0 = _rss_mb()
    t = time.perf_counter()
    index, kind = build_vector_index(vectors)
    build_s = time.perf_counter() - t
    memory = _rss_mb() - rss0
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
    results["index"], base, probes = index_rate(Path(args.data or DEFAULT_REQA), args.limit)
    size = args.scale if getattr(args, "scale", None) else (20_000 if small else 1_000_000)
    results["scale"] = scale(size, base, probes)
    results["threads"] = threads()
    print(table(results), file=sys.stderr)
    return results


def table(r: dict) -> str:
    w, c, i, s = r["warm"], r["cold"], r["index"], r["scale"]
    rows = [
        ("ask_ms p50 / p95 (warm, release)", f"{w['ask_ms']['p50']:.1f} / {w['ask_ms']['p95']:.1f}"),
        ("encode_ms p50 (bare SentenceTransformer)", f"{w['encode_ms']['p50']:.1f}"),
        ("ask_over_encode", f"{w['ask_over_encode']:.2f}"),
        ("cold_start_s (qabot ask, index built)", f"{c['cold_start_s']:.2f}"),
        ("import sentence_transformers (s)", f"{c['import_sentence_transformers_s']:.2f}"),
        (f"index_sentences_per_s ({i['sentences']} ReQA sentences)", f"{i['index_sentences_per_s']:.0f}"),
        ("bare encode sentences/s (same sentences)", f"{i['bare_encode_sentences_per_s']:.0f}"),
        ("index_over_bare", f"{i['index_over_bare']:.2f}"),
        (f"eval_questions_per_s (ask_many, {i['eval_questions']} ReQA questions)", f"{i['eval_questions_per_s']:.0f}"),
        (f"{s['vectors']:,} vectors: index", s["index"]),
        ("  build_s / index memory MB", f"{s['build_s']:.1f} / {s['index_memory_mb']:.0f}"),
        ("  search_ms p50 / p95", f"{s['search_ms_p50']:.2f} / {s['search_ms_p95']:.2f}"),
        ("  recall@10 vs exact", f"{s['recall_at_10']:.3f}"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)
