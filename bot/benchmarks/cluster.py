"""``qabot bench ray``: local Ray with 1 and 2 workers against the single-process path, in one run.

On the first ``--scale`` sentences of the ReQA SQuAD corpus (whole articles; default 1,000) and the first
``--limit`` questions about them (default 320): sentences per second embedding the corpus for an index (the
product's ``Indexer``, sentences and clauses), questions per second answering them (``evaluate.run`` against
``RayRunner``), and Ray's fixed costs: start-up, and a one-item job (actors started, model loaded, scheduled).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

WORKERS = (1, 2)


def _corpus(args):
    from bot.benchmarks.bench import DEFAULT_REQA
    from bot.benchmarks.reqa import load_reqa
    from bot.evaluation.evalio import Item

    data = load_reqa(Path(args.data) if args.data else DEFAULT_REQA)
    size, units_by_doc, text_of = args.scale or 1_000, {}, {}
    ids = iter(data.ids)
    for doc, units in data.units_by_doc.items():
        if sum(map(len, units_by_doc.values())) >= size:
            break
        units_by_doc[doc] = units
        text_of |= {next(ids): unit.text for unit in units}
    items = [Item(q["id"], q["question"], [text_of[a] for a in q["answers"]], True)
             for q in data.questions if all(a in text_of for a in q["answers"])][: args.limit or 320]
    return units_by_doc, items


def _timed(call) -> tuple[object, float]:
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started


def run(args) -> dict:
    from bot import Bot
    from bot.benchmarks.bench import machine
    from bot.cluster.embedder import RayEmbedder
    from bot.cluster.evaluate import RayRunner
    from bot.cluster.session import ray_session
    from bot.embedding.embedder import Embedder
    from bot.evaluation.evaluate import run as evaluate
    from bot.store.indexer import Indexer
    from bot.store.stores import FolderStore

    units_by_doc, items = _corpus(args)
    titles = {doc: doc for doc in units_by_doc}
    sentences = sum(map(len, units_by_doc.values()))
    out = {"machine": machine(), "load_average_at_start": os.getloadavg()[0], "sentences": sentences,
           "documents": len(units_by_doc), "questions": len(items)}
    embedder = Embedder()
    _, out["model_load_s"] = _timed(lambda: embedder.transformer)
    index, seconds = _timed(lambda: Indexer(embedder, clause_limit=None).build_units(units_by_doc, titles))
    texts = sentences + len(index.clause_owner)
    out["texts_embedded"] = texts
    out["single"] = {"index_s": seconds, "sentences_per_s": sentences / seconds, "texts_per_s": texts / seconds}
    folder = Path(tempfile.mkdtemp(prefix="qabot-bench-ray-"))
    FolderStore(folder).write(index)
    bot = Bot(index=folder, embedder=embedder)
    bot.use_index(index)
    expected, seconds = _timed(lambda: evaluate(bot, items, quiet=True))
    out["single"] |= {"eval_s": seconds, "questions_per_s": len(items) / seconds}
    print(f"single process: {out['single']}", file=sys.stderr)

    started = time.perf_counter()
    with ray_session(None, max(WORKERS)):
        out["ray_start_s"] = time.perf_counter() - started
        for workers in WORKERS:
            ray_embedder = RayEmbedder(workers=workers, batch_size=64, progress=False)
            _, one = _timed(lambda e=ray_embedder: e.encode_documents(["One sentence."]))
            indexer = Indexer(ray_embedder, clause_limit=None)
            built, seconds = _timed(lambda i=indexer: i.build_units(units_by_doc, titles))
            runner = RayRunner(workers)
            _, one_question = _timed(lambda r=runner: r(bot, items[:1], quiet=True))
            records, eval_s = _timed(lambda r=runner: r(bot, items, quiet=True))
            same = [r.answer.top.text if r.answer.top else None for r in records] == [
                r.answer.top.text if r.answer.top else None for r in expected]
            out[f"ray_{workers}"] = {
                "index_s": seconds, "sentences_per_s": sentences / seconds, "texts_per_s": texts / seconds,
                "one_sentence_job_s": one, "sentences_per_s_after_fixed": sentences / max(seconds - one, 1e-9),
                "max_vector_difference": float(np.abs(built.vectors - index.vectors).max()),
                "eval_s": eval_s, "questions_per_s": len(items) / eval_s, "one_question_job_s": one_question,
                "questions_per_s_after_fixed": len(items) / max(eval_s - one_question, 1e-9),
                "same_cited_sentences": same}
            print(f"ray, {workers} worker(s): {out[f'ray_{workers}']}", file=sys.stderr)
    out["load_average_at_end"] = os.getloadavg()[0]  # other work on the machine slows every figure alike
    out["note"] = ("one 2-core machine: Ray's workers share the cores the single process already used (its "
                   "torch and BLAS run 2 threads), so more workers cannot be faster here; the figures show Ray's "
                   "fixed costs and that the work is spread, not cluster speed-up")
    return out
