"""``qabot bench spans``: short answers on ReQA SQuAD against SQuAD's gold answer texts.

Every question is ranked as the product ranks it; where the top sentence is a right one, the span that
``find_span`` points at is scored with SQuAD's exact match and token F1 against the question's gold answers
(the best over them, as SQuAD does), overall and by the kind of answer asked (coverage within each kind).
The rules were tuned on the even-numbered articles; the odd-numbered ones are held out, and their figures
are the ones reported.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from bot.evaluation.metrics import exact_match, token_f1
from bot.ranking.span import asked_kind, find_span

SQUAD_FILE = Path("source") / "dev-v1.1.json.gz"
OTHER = "other"  # questions that name no kind of answer ("What did the Act extend?"): only phrase rules reach them


def gold_answers(folder: Path) -> tuple[dict[str, list[str]], dict[str, int]]:
    """SQuAD's answer texts by question id, and each question's article number."""
    with gzip.open(folder / SQUAD_FILE, "rt", encoding="utf-8") as handle:
        squad = json.load(handle)
    answers, article = {}, {}
    for number, item in enumerate(squad["data"]):
        for paragraph in item["paragraphs"]:
            for qa in paragraph["qas"]:
                answers[qa["id"]] = [a["text"] for a in qa["answers"]]
                article[qa["id"]] = number
    return answers, article


def run(args) -> dict:
    from bot import Bot
    from bot.benchmarks.bench import DEFAULT_REQA, machine, reqa_index
    from bot.benchmarks.reqa import load_reqa

    folder = Path(args.data or DEFAULT_REQA)
    data = load_reqa(folder, args.limit)
    answers, article = gold_answers(folder)
    bot = Bot()
    index, _ = reqa_index(data, bot.embedder)
    bot.use_index(index)
    rankings = bot.retriever.rank_many([q["question"] for q in data.questions], k=1)
    halves: dict[str, dict] = {"tuned": _empty(), "held_out": _empty()}
    per_question = {}
    for q, ranking in zip(data.questions, rankings):
        half = halves["held_out" if article[q["id"]] % 2 else "tuned"]
        half["questions"] += 1
        if not ranking.hits or data.ids[ranking.hits[0].unit] not in q["answers"]:
            continue
        sentence = index.units[ranking.hits[0].unit].text
        half["top_right"] += 1
        kind = half["by_kind"].setdefault(asked_kind(ranking.query) or OTHER, _empty_kind())
        kind["top_right"] += 1
        found = find_span(ranking.query, sentence)
        if found is None:
            continue
        short = sentence[found[0]:found[1]]
        em = max(exact_match(short, g) for g in answers[q["id"]])
        f1 = max(token_f1(short, g) for g in answers[q["id"]])
        for tally in (half, kind):
            tally["spans"] += 1
            tally["em"] += em
            tally["f1"] += f1
        per_question[q["id"]] = {"short": short, "gold": answers[q["id"]], "em": em, "f1": f1}
    for name, half in halves.items():
        for tally in (half, *half["by_kind"].values()):
            spans = max(tally["spans"], 1)
            tally.update(coverage=tally["spans"] / max(tally["top_right"], 1), em=tally["em"] / spans,
                         f1=tally["f1"] / spans)
        print(f"{name:>9}: {half['questions']} questions, top sentence right {half['top_right']}, "
              f"span coverage {half['coverage']:.3f}, EM {half['em']:.3f}, F1 {half['f1']:.3f}", file=sys.stderr)
        for label, kind in sorted(half["by_kind"].items(), key=lambda item: -item[1]["top_right"]):
            print(f"{'':>11}{label:<11} top sentence right {kind['top_right']:>5}, spans {kind['spans']:>5}, "
                  f"coverage {kind['coverage']:.3f}, EM {kind['em']:.3f}, F1 {kind['f1']:.3f}", file=sys.stderr)
    return {"benchmark": "reqa-squad spans", "machine": machine(), **halves, "rankings": per_question}


def _empty() -> dict:
    return {"questions": 0, **_empty_kind(), "by_kind": {}}


def _empty_kind() -> dict:
    return {"top_right": 0, "spans": 0, "em": 0.0, "f1": 0.0}
