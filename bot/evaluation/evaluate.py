"""Batch evaluation: answer a file of questions, score them, write answers and a report."""

from __future__ import annotations

import csv
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.answering.answer import Answer
from bot.evaluation.evalio import Item, read_items
from bot.evaluation.metrics import (
    SUMMARY_KEYS,
    decline_metrics,
    exact_match,
    ranking_metrics,
    risk_coverage,
    token_f1,
)
from bot.evaluation.progress import Progress
from bot.ranking.retrieval import Ranking


@dataclass(slots=True)
class Record:
    """An evaluated question: the answer, where the expected sentence ranked, and the verdict."""

    item: Item
    answer: Answer
    rank: int | None
    correct: bool | None

    def to_dict(self) -> dict:
        return {
            "id": self.item.id, "question": self.item.question, "query": self.answer.query,
            "conv": self.item.conv, "turn": self.item.turn, "answerable": self.item.answerable,
            "expect": self.item.expect, "abstained": self.answer.abstained, "rank": self.rank,
            "correct": self.correct, "expect_short": self.item.short, "short": self.answer.short,
            "span": list(self.answer.top.span) if self.answer.top and self.answer.top.span else None,
            "span_em": self.span_em, "span_f1": self.span_f1, "answer": self.answer.to_dict(),
        }

    @property
    def span_em(self) -> float | None:
        """Exact match of the short answer given against the expected one (0 when none was given)."""
        return None if self.item.short is None else exact_match(self.answer.short or "", self.item.short)

    @property
    def span_f1(self) -> float | None:
        """Token F1 of the short answer given against the expected one (0 when none was given)."""
        return None if self.item.short is None else token_f1(self.answer.short or "", self.item.short)


def normalize(text: str) -> str:
    return " ".join(text.lower().split())


def matches(text: str, expect: list[str]) -> bool:
    """Does ``text`` contain any expected phrase (case and whitespace folded)?"""
    folded = normalize(text)
    return any(normalize(e) in folded for e in expect)


BATCH = 64  # single questions answered together


def units(items: list[Item]) -> list[list[int]]:
    """The pieces of work of a run, as positions in ``items``: batches of up to ``BATCH`` single questions,
    then each conversation's turns in order (a conversation is never split)."""
    single = [i for i, it in enumerate(items) if it.conv is None]
    out = [single[start : start + BATCH] for start in range(0, len(single), BATCH)]
    conversations: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        if it.conv is not None:
            conversations.setdefault(it.conv, []).append(i)
    return out + [sorted(turns, key=lambda j: items[j].turn) for turns in conversations.values()]


def answer_unit(bot, unit: list[Item]) -> list[Record]:
    """Answer one piece of work (see ``units``): a batch of single questions, or one conversation in order."""
    if unit and unit[0].conv is None:
        answers, rankings = bot.answer_many([item.question for item in unit], depth=100)
        return [score(bot, item, answer, ranking) for item, answer, ranking in zip(unit, answers, rankings)]
    conversation = bot.conversation()
    records = []
    for item in unit:
        answer = conversation.ask(item.question)
        records.append(score(bot, item, answer, conversation.last_ranking))
    return records


def run(bot, items: list[Item], quiet: bool = False, on_progress=None) -> list[Record]:
    """Answer every item; turns of a conversation are asked in order within one conversation.

    ``on_progress(done, total)`` is called as questions are answered (the UI's progress bar).
    """
    progress = Progress(len(items), "questions", quiet, callback=on_progress)
    records: dict[int, Record] = {}
    for unit in units(items):
        records.update(zip(unit, answer_unit(bot, [items[i] for i in unit])))
        progress.advance(len(unit))
    progress.close()
    return [records[i] for i in range(len(items))]


def score(bot, item: Item, answer: Answer, ranking: Ranking | None) -> Record:
    rank = None
    if ranking is not None and item.expect:
        units = bot.retriever.units([hit.unit for hit in ranking.hits])
        for position, unit in enumerate(units, 1):
            if matches(unit.text, item.expect):
                rank = position
                break
    if item.answerable is False:
        correct = answer.abstained
    elif item.expect:
        correct = not answer.abstained and answer.top is not None and matches(answer.top.text, item.expect)
    else:
        correct = None
    return Record(item, answer, rank, correct)


def compute_metrics(records: list[Record], bot=None) -> dict:
    """The figures of a run; ``bot`` adds the version, model and index fingerprints."""
    answerable = [r for r in records if r.item.answerable and r.item.expect]
    scored = [r for r in records if r.item.answerable is not None and r.item.scored]
    followups = [r for r in answerable if r.item.conv is not None and r.item.turn > 1]
    shorts = [r for r in records if r.item.short is not None]
    ranks = ranking_metrics([r.rank for r in answerable])
    out = {
        "n": len(records),
        "n_answerable": len(answerable),
        "n_unanswerable": sum(1 for r in records if r.item.answerable is False),
        "p_at_1": _mean([r.correct for r in answerable]),
        "retrieval_p_at_1": ranks["p_at_1"],
        "mrr": ranks["mrr"],
        "recall_at_3": ranks["recall_at_3"],
        "recall_at_10": ranks["recall_at_10"],
        "followup_p_at_1": _mean([r.correct for r in followups]),
        "n_followup": len(followups),
        "accuracy": _mean([r.correct for r in scored]),
        **decline_metrics([bool(r.item.answerable) for r in scored], [r.answer.abstained for r in scored]),
        "latency_ms": _latency(records),
        "errors": sum(1 for r in records if r.answer.error),
    }
    if shorts:
        out |= {"n_short": len(shorts), "span_coverage": _mean([r.answer.short is not None for r in shorts]),
                "span_em": _mean([r.span_em for r in shorts]), "span_f1": _mean([r.span_f1 for r in shorts])}
    if bot is not None:
        from bot import __version__

        manifest = bot.load().manifest
        out["version"] = __version__
        out["model_hash"] = manifest.get("model_hash")
        out["index_manifest_hash"] = _hash(json.dumps(manifest.get("documents"), sort_keys=True))
    return out


def _mean(values) -> float:
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else float("nan")


def _latency(records: list[Record]) -> dict:
    stages: dict[str, list[float]] = {}
    for r in records:
        for stage, ms in r.answer.timings.items():
            stages.setdefault(stage, []).append(ms)
    return {stage: {"p50": float(np.percentile(v, 50)), "p95": float(np.percentile(v, 95))}
            for stage, v in stages.items()}


def _hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def write_outputs(out: Path, records: list[Record], metrics: dict) -> None:
    """answers.jsonl, answers.csv, metrics.json and report.html in ``out``."""
    from bot.evaluation.report import report_html

    out.mkdir(parents=True, exist_ok=True)
    with (out / "answers.jsonl").open("w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    with (out / "answers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "conv", "turn", "question", "query", "abstained", "answer", "doc", "line",
                         "expect", "rank", "correct", "short", "span_start", "span_end", "expect_short", "span_em",
                         "span_f1"])
        for r in records:
            top = r.answer.top
            writer.writerow([r.item.id, r.item.conv or "", r.item.turn or "", r.item.question, r.answer.query,
                             r.answer.abstained, top.text if top else "", top.doc if top else "",
                             top.line if top else "", " | ".join(r.item.expect),
                             r.rank or "", "" if r.correct is None else r.correct, r.answer.short or "",
                             *(top.span if top and top.span else ("", "")), r.item.short or "",
                             _blank(r.span_em), _blank(r.span_f1)])
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1, default=_json_default))
    curve = risk_coverage([r.answer.confidence for r in records if r.correct is not None],
                          [bool(r.correct) for r in records if r.correct is not None])
    (out / "report.html").write_text(report_html(records, metrics, curve), encoding="utf-8")


def _blank(value: float | None) -> str | float:
    return "" if value is None else round(value, 4)


def _json_default(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    raise TypeError(type(value))


def summary_text(metrics: dict) -> str:
    return "\n".join(f"{k:>20}: {metrics[k]:.3f}" if isinstance(metrics[k], float) else f"{k:>20}: {metrics[k]}"
                     for k in SUMMARY_KEYS if k in metrics)


def compare(run_a: Path, run_b: Path) -> str:
    """Per-metric differences, changed questions and an exact McNemar test on correctness."""
    ma, mb = (json.loads((p / "metrics.json").read_text()) for p in (run_a, run_b))
    lines = [f"{'metric':>20} {'A':>8} {'B':>8} {'B-A':>8}"]
    for key in SUMMARY_KEYS:
        a, b = ma.get(key), mb.get(key)
        if isinstance(a, int | float) and isinstance(b, int | float):
            lines.append(f"{key:>20} {a:8.3f} {b:8.3f} {b - a:+8.3f}")
    ra, rb = (_records(p) for p in (run_a, run_b))
    better = [k for k in ra if k in rb and ra[k]["correct"] is False and rb[k]["correct"] is True]
    worse = [k for k in ra if k in rb and ra[k]["correct"] is True and rb[k]["correct"] is False]
    lines.append(f"\nquestions that B gets right and A wrong: {len(better)}")
    lines += [f"  + {k}: {rb[k]['question']}" for k in better]
    lines.append(f"questions that B gets wrong and A right: {len(worse)}")
    lines += [f"  - {k}: {rb[k]['question']}" for k in worse]
    lines.append(f"McNemar exact test on correctness: p = {mcnemar(len(better), len(worse)):.4f}")
    return "\n".join(lines)


def mcnemar(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value for ``b`` and ``c`` discordant pairs."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


def _records(run: Path) -> dict[str, dict]:
    with (run / "answers.jsonl").open(encoding="utf-8") as handle:
        return {r["id"]: r for r in map(json.loads, handle)}


def main(args, runner=None) -> int:
    """``qabot eval``: exit 0 on success, 2 on bad input, 1 when a --min-* gate fails.
    ``runner(bot, items, quiet)``: answers the items in place of ``run`` (on a Ray cluster)."""
    if args.compare:
        try:
            print(compare(Path(args.compare[0]), Path(args.compare[1])))
        except (OSError, ValueError) as err:
            print(f"qabot eval: {err}", file=sys.stderr)
            return 2
        return 0
    if not args.file:
        print("qabot eval: give a questions file (or --compare RUN_A RUN_B)", file=sys.stderr)
        return 2
    try:
        items, errors = read_items(Path(args.file))
    except (OSError, ValueError) as err:
        print(f"qabot eval: {err}", file=sys.stderr)
        return 2
    for error in errors:
        print(f"qabot eval: {args.file}: {error} (row skipped)", file=sys.stderr)
    if not items:
        print("qabot eval: no question could be read", file=sys.stderr)
        return 2
    from bot import Bot

    bot = Bot(source=args.source, index=args.index, model=args.model, store=args.store)
    started = time.perf_counter()
    records = (runner or run)(bot, items, quiet=args.quiet)
    metrics = compute_metrics(records, bot)
    metrics["seconds"] = time.perf_counter() - started
    metrics["bad_rows"] = [str(e) for e in errors]
    if args.out:
        write_outputs(Path(args.out), records, metrics)
    if not args.quiet:
        print(summary_text(metrics))
        if args.out:
            print(f"wrote {args.out}/answers.jsonl, answers.csv, metrics.json, report.html")
    return 1 if _gates_fail(args, metrics) else (2 if errors else 0)


def _gates_fail(args, metrics: dict) -> bool:
    failed = False
    for name, key in (("min_p_at_1", "p_at_1"), ("min_mrr", "mrr"), ("min_decline_recall", "decline_recall")):
        limit = getattr(args, name, None)
        if limit is not None and not metrics.get(key, 0) >= limit:
            print(f"qabot eval: {key} {metrics.get(key):.3f} is below --{name.replace('_', '-')} {limit}",
                  file=sys.stderr)
            failed = True
    return failed
