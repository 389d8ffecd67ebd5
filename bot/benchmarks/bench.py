"""``qabot bench``: retrieval quality and short answers on ReQA, decline calibration, speed and load figures."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.evaluation.metrics import first_relevant_rank, ranking_metrics
from bot.ranking.retrieval import LexicalTerm, RetrievalConfig
from bot.store.milvus import StoreError

DEFAULT_REQA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "reqa-squad"

_PLAIN = dict(w_document=0.0, w_neighbour=0.0, heading_penalty=0.0, number_bonus=0.0, type_penalty=0.0)
METHODS = {
    "bm25-default": lambda c: replace(c, lexical=(LexicalTerm(0, 0, 1.2, 0.75, 1.0),), w_dense=0.0, **_PLAIN),
    "bm25-tuned": lambda c: replace(c, lexical=c.lexical[:1], w_dense=0.0, **_PLAIN),
    "dense": lambda c: replace(c, lexical=(), **_PLAIN),
    "hybrid-plain": lambda c: replace(c, lexical=(LexicalTerm(0, 0, 0.1, 0.5, 0.7),), **_PLAIN),
    "hybrid-context": lambda c: replace(c, heading_penalty=0.0, number_bonus=0.0, type_penalty=0.0),
    "hybrid-numbers": lambda c: replace(c, heading_penalty=0.0, type_penalty=0.0),
    "hybrid-headings": lambda c: replace(c, type_penalty=0.0),
    "hybrid-clauses": lambda c: c,  # on an index with clause vectors, which the product keeps to small corpora
    "hybrid": lambda c: c,
}
WITH_CLAUSES = {"hybrid-clauses"}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d"), "omp_threads": os.environ.get("OMP_NUM_THREADS")}


def reqa_index(data, embedder, clauses: bool = False):
    """Index the ReQA corpus with the product's indexer (``clauses``: with clause vectors whatever its
    size); returns the index and seconds taken."""
    from bot.store.indexer import CLAUSE_LIMIT, Indexer

    started = time.perf_counter()
    indexer = Indexer(embedder, clause_limit=None if clauses else CLAUSE_LIMIT)
    index = indexer.build_units(data.units_by_doc, {doc: doc for doc in data.units_by_doc})
    return index, time.perf_counter() - started


def bench_reqa(args) -> dict:
    """Index the corpus, rank every question, write P@1, MRR@100, R@k, timings and rankings."""
    from bot import Bot
    from bot.benchmarks.reqa import load_reqa

    data = load_reqa(Path(args.data or DEFAULT_REQA), args.limit)
    methods = list(METHODS) if args.method == "all" else [args.method]
    bot = Bot()
    index, index_seconds = reqa_index(data, bot.embedder)
    results = {"benchmark": "reqa-squad", "n_questions": len(data.questions), "n_candidates": len(data.ids),
               "machine": machine(), "index_seconds": index_seconds,
               "index_sentences_per_s": len(data.ids) / index_seconds, "methods": {}}
    if WITH_CLAUSES & set(methods):
        clause_index, results["clause_index_seconds"] = reqa_index(data, bot.embedder, clauses=True)
    for method in methods:
        bot.config = METHODS[method](RetrievalConfig())
        bot.use_index(clause_index if method in WITH_CLAUSES else index)
        started = time.perf_counter()
        rankings = bot.retriever.rank_many([q["question"] for q in data.questions], k=100)
        seconds = time.perf_counter() - started
        ranked = [[data.ids[h.unit] for h in r.hits] for r in rankings]
        ranks = [first_relevant_rank(r, set(q["answers"]), 100) for r, q in zip(ranked, data.questions)]
        m = ranking_metrics(ranks, ks=(5, 10, 100))
        results["methods"][method] = {
            "config": _config(bot.config),
            "p_at_1": m["p_at_1"], "mrr_at_100": m["mrr"], "r_at_5": m["recall_at_5"],
            "r_at_10": m["recall_at_10"], "r_at_100": m["recall_at_100"],
            "seconds": seconds, "questions_per_s": len(ranked) / seconds,
            "stage_ms_per_question": dict(bot.retriever.timings),
        }
        print(f"{method:>14}: P@1 {m['p_at_1']:.4f}  MRR@100 {m['mrr']:.4f}  R@5 {m['recall_at_5']:.4f}  "
              f"({len(ranked) / seconds:.0f} questions/s)", file=sys.stderr)
        if method == methods[-1]:
            results["rankings"] = {q["id"]: r for q, r in zip(data.questions, ranked)}
    return results


def _config(config) -> dict:
    from dataclasses import asdict

    return asdict(config)


def _runner(what: str):
    if what == "reqa":
        return bench_reqa
    from importlib import import_module

    module = {"calibrate": "bot.benchmarks.calibrate", "rerank": "bot.benchmarks.rerank", "perf": "bot.benchmarks.perf",
              "load": "bot.benchmarks.loadtest", "spans": "bot.benchmarks.spans",
              "weights": "bot.benchmarks.weights", "store": "bot.benchmarks.store",
              "ray": "bot.benchmarks.cluster"}[what]
    return import_module(module).run


def main(args) -> int:
    try:
        results = _runner(args.what)(args)
    except (FileNotFoundError, StoreError) as err:
        print(f"qabot bench: {err}", file=sys.stderr)
        return 2
    text = json.dumps(results, indent=1, default=_default)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
    summary = {k: v for k, v in results.items() if k != "rankings"}
    print(json.dumps(summary, indent=1, default=_default)[:4000])
    return 0


def _default(value):
    if isinstance(value, np.floating | np.integer):
        return value.item()
    raise TypeError(type(value))
