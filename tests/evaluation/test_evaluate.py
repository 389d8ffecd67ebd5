import csv
import json
from argparse import Namespace

import pytest

from bot.evaluation.evalio import read_items
from bot.evaluation.evaluate import compute_metrics, main, matches, mcnemar, run, write_outputs
from tests.conftest import DEV, needs_shared

ROWS = [
    {"id": "a", "question": "Who is the head of Roscosmos?", "expect": ["Igor Komarov"], "answerable": True},
    {"id": "b", "question": "When did Thomas Pesquet return to Earth?", "expect": ["2 June"], "answerable": True},
    {"id": "c", "question": "Who won the 2016 Tour de France?", "expect": [], "answerable": False},
    {"id": "d", "question": "What is planned for the second half of the year?", "expect": ["no such phrase"],
     "answerable": True},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_matches_folds_case_and_whitespace():
    assert matches("Igor  KOMAROV,\nHead", ["igor komarov"])
    assert not matches("Igor", ["Igor Komarov"])


def test_metrics_equal_an_independent_computation(bot, tmp_path):
    write_jsonl(tmp_path / "q.jsonl", ROWS)
    items, errors = read_items(tmp_path / "q.jsonl")
    assert errors == []
    records = run(bot, items, quiet=True)
    metrics = compute_metrics(records, bot)
    # independent: straight from the answers
    answers = [bot.ask(r["question"]) for r in ROWS]
    answerable = [(r, a) for r, a in zip(ROWS, answers) if r["answerable"]]
    expected_p1 = sum(
        (not a.abstained) and any(e.lower() in a.citations[0].text.lower() for e in r["expect"])
        for r, a in answerable) / len(answerable)
    assert metrics["p_at_1"] == pytest.approx(expected_p1)
    assert metrics["p_at_1"] == pytest.approx(2 / 3)
    assert metrics["decline_recall"] == 1.0
    assert metrics["n"] == 4 and metrics["n_answerable"] == 3
    assert set(metrics["latency_ms"]) >= {"total_ms", "encode_ms", "rank_ms"}


def test_bad_rows_are_reported_by_line_and_good_rows_kept(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(
        json.dumps(ROWS[0]) + "\n{broken\n" + json.dumps({"expect": ["x"]}) + "\n"
        + json.dumps({"question": "ok?", "turn": "two"}) + "\n[1, 2]\n" + json.dumps(ROWS[1]) + "\n",
        encoding="utf-8")
    items, errors = read_items(path)
    assert [it.id for it in items] == ["a", "b"]
    assert [str(e) for e in errors] == [
        "line 2: broken JSON (Expecting property name enclosed in double quotes)",
        "line 3: missing question",
        "line 4: 'turn' must be a whole number, not 'two'",
        "line 5: not a JSON object",
    ]


def test_csv_and_tsv(tmp_path):
    for suffix, delimiter in ((".csv", ","), (".tsv", "\t")):
        path = tmp_path / f"q{suffix}"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(["id", "question", "expect", "answerable", "conv", "turn"])
            writer.writerow(["x1", "Who is Igor Komarov?", "Igor Komarov|Roscosmos", "true", "c1", "1"])
            writer.writerow(["x2", "Who did he meet?", "Le Gall", "", "c1", "2"])
            writer.writerow(["x3", "Unscored question?", "", "", "", ""])
        items, errors = read_items(path)
        assert errors == []
        assert [(i.id, i.expect, i.answerable, i.conv, i.turn) for i in items] == [
            ("x1", ["Igor Komarov", "Roscosmos"], True, "c1", 1),
            ("x2", ["Le Gall"], True, "c1", 2),
            ("x3", [], None, None, 0)]


@pytest.mark.parametrize(("b", "c", "p"), [(0, 0, 1.0), (5, 5, 1.0), (10, 0, 2 / 1024), (1, 0, 1.0)])
def test_mcnemar(b, c, p):
    assert mcnemar(b, c) == pytest.approx(p)


def args_for(bot, file, out=None, **extra):
    base = dict(file=str(file), out=str(out) if out else None, quiet=True, compare=None, source=str(bot.source),
                index=str(bot.index_dir), model=None, store=None, min_p_at_1=None, min_mrr=None,
                min_decline_recall=None)
    return Namespace(**{**base, **extra})


@needs_shared
def test_cli_eval_writes_four_files_and_gates(bot, tmp_path):
    assert main(args_for(bot, DEV, tmp_path / "run")) == 0
    for name in ("answers.jsonl", "answers.csv", "metrics.json", "report.html"):
        assert (tmp_path / "run" / name).stat().st_size > 0
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    for key in ("n", "p_at_1", "mrr", "recall_at_3", "decline_recall", "decline_precision",
                "false_refusal_rate", "followup_p_at_1", "latency_ms", "version", "model_hash",
                "index_manifest_hash"):
        assert key in metrics
    assert main(args_for(bot, DEV, None, min_p_at_1=1.01)) == 1
    assert main(args_for(bot, tmp_path / "missing.jsonl")) == 2


def test_write_outputs_report_has_plots_and_misses(bot, tmp_path):
    write_jsonl(tmp_path / "q.jsonl", ROWS)
    items, _ = read_items(tmp_path / "q.jsonl")
    records = run(bot, items, quiet=True)
    write_outputs(tmp_path / "out", records, compute_metrics(records, bot))
    page = (tmp_path / "out" / "report.html").read_text()
    for marker in ("id=\"rank-plot\"", "id=\"latency-plot\"", "id=\"risk-coverage\"", "id=\"misses\""):
        assert marker in page
    assert "What is planned for the second half of the year?" in page.split('id="misses"')[1]
    assert "id='answers'" in page and "expected short" not in page   # no column when no question has one


def test_short_answers_are_scored_and_written(bot, tmp_path):
    rows = [{"id": "p", "question": "When did Thomas Pesquet return to Earth?", "expect": ["2 June"],
             "short": "2 June"},
            {"id": "k", "question": "Who is the head of Roscosmos?", "expect": ["Igor Komarov"],
             "short": "Mr Igor Komarov"},
            {"id": "n", "question": "What happened to the ExoMars probe?", "expect": ["ExoMars probe"]}]
    write_jsonl(tmp_path / "q.jsonl", rows)
    items, _ = read_items(tmp_path / "q.jsonl")
    assert [i.short for i in items] == ["2 June", "Mr Igor Komarov", None]
    records = run(bot, items, quiet=True)
    metrics = compute_metrics(records)
    assert metrics["n_short"] == 2 and metrics["span_coverage"] == 1.0
    assert metrics["span_em"] == 0.5
    assert metrics["span_f1"] == pytest.approx((1 + 0.8) / 2)   # "igor komarov" against "mr igor komarov"
    write_outputs(tmp_path / "run", records, metrics)
    lines = [json.loads(x) for x in (tmp_path / "run" / "answers.jsonl").read_text().splitlines()]
    assert [x["short"] for x in lines] == ["2 June", "Igor Komarov", None]
    assert lines[0]["span_em"] == 1.0 and lines[2]["span_em"] is None
    text = bot.document_text(lines[0]["answer"]["citations"][0]["doc"])
    assert text[slice(*lines[0]["span"])] == "2 June"
    table = list(csv.DictReader((tmp_path / "run" / "answers.csv").open(encoding="utf-8")))
    assert table[0]["short"] == "2 June" and table[0]["expect_short"] == "2 June"
    assert text[int(table[0]["span_start"]):int(table[0]["span_end"])] == "2 June"
    assert table[2]["short"] == "" and table[2]["span_em"] == ""
    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    summary, answers = page.split("id=\"summary\"")[1], page.split("id='answers'")[1]
    assert "span_f1" in summary.split("</table>")[0] and "0.900" in summary.split("</table>")[0]
    row = answers.split("<tr>")[3]                          # the Roscosmos question, after the header and "p"
    assert "<b>Igor Komarov</b>" in row and "Mr Igor Komarov" in row and "0.80" in row
    assert "<td class='short'>–</td>" in answers.split("<tr>")[4]   # no short answer for an open question
