"""Concurrent calls sharing batches: each caller gets its own rows, errors reach the batch's callers."""

import threading
import time

import numpy as np
import pytest

from bot.embedding.batching import SharedBatches


def run_together(shared, calls: list[list]) -> list:
    results, start = [None] * len(calls), threading.Barrier(len(calls))

    def one(i):
        start.wait()
        try:
            results[i] = shared(calls[i])
        except Exception as err:
            results[i] = err

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_concurrent_callers_share_batches_and_get_their_own_rows():
    batches = []

    def slow_double(items):
        batches.append(list(items))
        time.sleep(0.05)  # long enough for the other callers to arrive and wait
        return np.array(items) * 2

    shared = SharedBatches(slow_double, max_items=8)
    calls = [[i, 100 + i] for i in range(12)]
    results = run_together(shared, calls)
    for call, got in zip(calls, results):
        assert got.tolist() == [2 * x for x in call]
    assert sorted(x for b in batches for x in b) == sorted(x for c in calls for x in c)  # each item once
    assert len(batches) < len(calls) and max(len(b) for b in batches) <= 8


def test_a_lone_caller_runs_at_once():
    shared = SharedBatches(lambda items: np.array(items) + 1)
    assert shared([1, 2]).tolist() == [2, 3]
    assert shared([5]).tolist() == [6]


def test_an_error_reaches_the_callers_of_its_batch_and_the_next_batch_runs():
    def picky(items):
        time.sleep(0.02)
        if "bad" in items:
            raise ValueError("bad item")
        return np.array([len(x) for x in items])

    shared = SharedBatches(picky)
    results = run_together(shared, [["bad"], ["good"], ["fine"]])
    assert any(isinstance(r, ValueError) for r in results)
    assert shared(["after"]).tolist() == [5]  # the lead was handed on: nothing hangs


@pytest.mark.parametrize("threads", [6])
def test_questions_encoded_together_match_one_at_a_time(bot, threads):
    questions = ["Who is Igor Komarov?", "When did Thomas Pesquet return to Earth?", "What did he say?",
                 "Who did Jean-Yves Le Gall meet in Moscow?", "What is planned for the second half of the year?",
                 "How did he come back?"]
    alone = np.vstack([bot.embedder.encode_queries([q]) for q in questions])
    together = run_together(bot.embedder.encode_queries, [[q] for q in questions][:threads])
    np.testing.assert_allclose(np.vstack(together), alone, atol=1e-5)
