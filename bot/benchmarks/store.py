"""``qabot bench store --store URI``: the embedded store and a Milvus store side by side, in one run.

On ReQA SQuAD: each store's index rate (the same sentence vectors: the embedded store's build, Milvus's
insert) and, per question through the whole answering path (``Bot.answer_many``), ask p50/p95, P@1 and MRR.
Then ``--scale`` synthetic sentence vectors (as in ``bench perf``) in a bare Milvus collection: insert rate,
search p50/p95 and recall@10 against exact search.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from bot.benchmarks.perf import _pct, synthetic

BATCH = 2_000


def _ask(bot, questions: list[dict], position: dict[int, int], ids: list[str]) -> dict:
    """Every question through ``answer_many`` one at a time: latency and ranking quality."""
    from bot.evaluation.metrics import first_relevant_rank, ranking_metrics

    times, ranks = [], []
    for q in questions:
        t = time.perf_counter()
        _, rankings = bot.answer_many([q["question"]], depth=100)
        times.append((time.perf_counter() - t) * 1000)
        ranked = [ids[position[h.unit]] for h in rankings[0].hits] if rankings[0] else []
        ranks.append(first_relevant_rank(ranked, set(q["answers"]), 100))
    m = ranking_metrics(ranks, ks=(10, 100))
    return {"ask_ms_p50": _pct(times, 50), "ask_ms_p95": _pct(times, 95), "p_at_1": m["p_at_1"],
            "mrr_at_100": m["mrr"], "r_at_10": m["recall_at_10"], "questions": len(questions)}


def reqa(uri: str, data_dir: Path, limit: int | None) -> tuple[dict, np.ndarray, np.ndarray]:
    """Both stores on ReQA; also the corpus vectors and 100 question vectors, for ``scale``."""
    from bot import Bot
    from bot.benchmarks.bench import reqa_index
    from bot.benchmarks.reqa import load_reqa
    from bot.documents.documents import Document
    from bot.store.milvus import POSITION_BITS, MilvusStore

    data = load_reqa(data_dir, limit)
    bot = Bot()
    index, seconds = reqa_index(data, bot.embedder)
    n = len(data.ids)
    out = {"sentences": n, "embedded": {"index_s": seconds, "index_sentences_per_s": n / seconds}}
    bot.use_index(index)
    out["embedded"] |= _ask(bot, data.questions, {i: i for i in range(n)}, data.ids)
    print(f"embedded: {out['embedded']}", file=sys.stderr)

    store = MilvusStore(uri, bot.embedder.fingerprint)
    t = time.perf_counter()
    writer = store.writer(bot.embedder)
    offset, position = 0, {}
    for doc, units in data.units_by_doc.items():
        writer.add(Document(doc, "", "", "units"), units, index.vectors[offset:offset + len(units)])
        position |= {((writer.next_key - 1) << POSITION_BITS) + i: offset + i for i in range(len(units))}
        offset += len(units)
    writer.commit({})
    insert_s = time.perf_counter() - t
    embed_s = seconds  # the same vectors: what the embedded build spent is the embedding, as a Milvus run would
    out["milvus"] = {"insert_s": insert_s, "insert_sentences_per_s": n / insert_s,
                     "index_sentences_per_s": n / (embed_s + insert_s)}
    milvus = Bot(store=uri, embedder=bot.embedder)
    milvus.use_index(store.read())
    out["milvus"] |= _ask(milvus, data.questions, position, data.ids)
    print(f"milvus: {out['milvus']}", file=sys.stderr)
    return out, index.vectors, bot.embedder.encode_queries([q["question"] for q in data.questions[:100]])


def scale(uri: str, n: int, base: np.ndarray, probes: np.ndarray) -> dict:
    """``n`` synthetic vectors into a bare collection (milvus's AUTOINDEX, inner product): insert rate, search
    latency and recall@10 against exact search over the same vectors."""
    from pymilvus import DataType

    from bot.store.milvus import MilvusStore

    client = MilvusStore(uri).client
    name = f"qabot_bench_{n}"
    if client.has_collection(name):
        client.drop_collection(name)
    schema = client.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=base.shape[1])
    params = client.prepare_index_params()
    params.add_index("vector", index_type="AUTOINDEX", metric_type="IP")
    client.create_collection(name, schema=schema, index_params=params)
    vectors = synthetic(base, n, np.random.default_rng(0))
    t = time.perf_counter()
    for start in range(0, n, BATCH):
        block = vectors[start:start + BATCH]
        client.insert(name, [{"id": start + i, "vector": v} for i, v in enumerate(block.tolist())])
    client.flush(name)
    insert_s = time.perf_counter() - t
    truth = np.argsort(-(probes @ vectors.T), axis=1)[:, :10]
    times, hits = [], 0
    for probe, true in zip(probes, truth):
        t = time.perf_counter()
        found = client.search(name, data=[probe.tolist()], anns_field="vector", limit=10,
                              search_params={"metric_type": "IP"})
        times.append((time.perf_counter() - t) * 1000)
        hits += len({h["id"] for h in found[0]} & set(true.tolist()))
    client.drop_collection(name)
    return {"vectors": n, "insert_s": insert_s, "insert_vectors_per_s": n / insert_s,
            "search_ms_p50": _pct(times, 50), "search_ms_p95": _pct(times, 95),
            "recall_at_10": hits / (10 * len(probes))}


def run(args) -> dict:
    from bot.benchmarks.bench import DEFAULT_REQA, machine
    from bot.store.stores import is_milvus

    uri = args.store
    if not uri or not is_milvus(uri):
        raise FileNotFoundError("bench store needs --store milvus:PATH.db or http(s)://… (a Milvus store)")
    data_dir = Path(args.data or DEFAULT_REQA)
    results = {"machine": machine(), "store": uri}
    results["reqa"], base, probes = reqa(uri, data_dir, args.limit)
    results["scale"] = scale(uri, args.scale or 1_000_000, base, probes)
    print(f"scale: {results['scale']}", file=sys.stderr)
    return results
