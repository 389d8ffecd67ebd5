"""Smoke runs of the benchmark commands: tiny sizes, figures present, no timing assertions."""

import json
from argparse import Namespace

import pytest

from bot.benchmarks.bench import main
from tests.conftest import REQA, ROOT

needs_reqa = pytest.mark.skipif(not (REQA / "corpus.jsonl").exists(),
                                reason="../shared/benchmarks/reqa-squad is not beside this clone")


@pytest.fixture(scope="module")
def small_reqa(tmp_path_factory):
    """The first 300 ReQA sentences and the questions answered among them."""
    folder = tmp_path_factory.mktemp("reqa")
    corpus = (REQA / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[:300]
    ids = {json.loads(line)["id"] for line in corpus}
    questions = [line for line in (REQA / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if set(json.loads(line)["answers"]) <= ids]
    (folder / "corpus.jsonl").write_text("\n".join(corpus) + "\n", encoding="utf-8")
    (folder / "questions.jsonl").write_text("\n".join(questions[:60]) + "\n", encoding="utf-8")
    (folder / "source").symlink_to(REQA / "source")  # SQuAD's gold answers, for the spans bench
    return folder


def bench_args(**kw):
    base = dict(what="reqa", data=str(REQA), limit=None, out=None, method="hybrid", install=False, cache=None,
                scale=None, conversations=None, seconds=None, source=None, index=None, answers=None, think=None,
                pdf_pages=None)
    return Namespace(**{**base, **kw})


@needs_reqa
def test_bench_reqa_smoke(tmp_path, small_reqa):
    out = tmp_path / "reqa.json"
    assert main(bench_args(data=str(small_reqa), limit=40, out=str(out), method="all")) == 0
    data = json.loads(out.read_text())
    assert set(data["methods"]) == {"bm25-default", "bm25-tuned", "dense", "hybrid-plain", "hybrid-context",
                                    "hybrid-numbers", "hybrid-headings", "hybrid-clauses", "hybrid"}
    for figures in data["methods"].values():
        assert 0 <= figures["p_at_1"] <= figures["r_at_5"] <= 1 and "stage_ms_per_question" in figures
    assert len(data["rankings"]) == 40 and all(len(r) == 100 for r in data["rankings"].values())


@needs_reqa
def test_bench_spans_smoke(tmp_path, small_reqa):
    out = tmp_path / "spans.json"
    assert main(bench_args(what="spans", data=str(small_reqa), out=str(out))) == 0
    data = json.loads(out.read_text())
    for half in ("tuned", "held_out"):
        figures = data[half]
        assert figures["spans"] <= figures["top_right"] <= figures["questions"]
        assert 0 <= figures["coverage"] <= 1 and 0 <= figures["em"] <= figures["f1"] <= 1
        kinds = figures["by_kind"].values()
        assert sum(k["top_right"] for k in kinds) == figures["top_right"]
        assert sum(k["spans"] for k in kinds) == figures["spans"]
        assert all(k["spans"] <= k["top_right"] and 0 <= k["em"] <= k["f1"] <= 1 for k in kinds)
    assert data["tuned"]["questions"] + data["held_out"]["questions"] == 60
    for row in data["rankings"].values():
        assert row["short"] and row["gold"] and 0 <= row["em"] <= row["f1"] <= 1


@needs_reqa
def test_bench_perf_smoke(tmp_path, small_reqa):
    out = tmp_path / "perf.json"
    assert main(bench_args(what="perf", data=str(small_reqa), limit=150, scale=3000, out=str(out))) == 0
    data = json.loads(out.read_text())
    assert data["warm"]["ask_over_encode"] > 0 and data["cold"]["cold_start_s"] > 0
    assert data["index"]["sentences"] == 150 and data["scale"]["recall_at_10"] == 1.0  # exact while small
    assert data["folder"]["sentences"] == 150 and data["folder"]["index_over_bare"] > 0
    assert data["machine"]["cores"] and data["threads"]["torch_threads"] >= 1


def test_bench_load_smoke(tmp_path, bot):
    """The chat page and the no-op floor (as served, and Gradio as it comes) under the same small load: every
    figure present, no failed or mixed answer."""
    out = tmp_path / "load.json"
    assert main(bench_args(what="load", conversations=3, seconds=3, out=str(out), source=str(bot.source),
                           index=str(bot.index_dir))) == 0
    data = json.loads(out.read_text())
    for name in ("floor", "bot", "floor_gradio_defaults"):
        figures = data[name]
        assert figures["answers"] > 0 and figures["errors"] == 0, (name, figures["error_examples"])
        assert figures["server_cpu_ms_per_answer"] > 0 and figures["rss_mb"]["end"] > 0
    assert data["cpu_over_floor"] == data["bot"]["server_cpu_ms_per_answer"] / data["floor"]["server_cpu_ms_per_answer"]
    assert data["bot"]["panel_kb"] > 0 and "large_pdf" not in data


@pytest.mark.slow
def test_bench_load_large_pdf_smoke(tmp_path):
    """``--pdf-pages``: answers about a generated PDF, the whole of it in the panel (indexes it: a minute)."""
    out = tmp_path / "pdf.json"
    assert main(bench_args(what="load", conversations=1, seconds=3, out=str(out), pdf_pages=3)) == 0
    figures = json.loads(out.read_text())["large_pdf"]
    assert figures["pages"] == 3 and figures["answers"] > 0 and figures["errors"] == 0, figures["error_examples"]
    assert figures["panel_kb"] > 3


def test_bench_load_long_run_smoke(tmp_path, bot):
    """``--answers``: the chat page alone until that many answers, its resident memory before and after."""
    out = tmp_path / "long.json"
    assert main(bench_args(what="load", conversations=4, answers=60, out=str(out), source=str(bot.source),
                           index=str(bot.index_dir))) == 0
    data = json.loads(out.read_text())
    assert "floor" not in data and data["bot"]["answers"] >= 60 and data["bot"]["errors"] == 0
    memory = data["bot"]["rss_mb"]
    assert memory["after_warm_up"] > 0 and memory["growth"] == memory["end"] / memory["after_warm_up"] - 1


def test_generated_pdf_reads_back_as_its_lines(tmp_path):
    from bot.benchmarks.loadtest import write_pdf
    from bot.documents.documents import read_document

    lines = ["Igor Komarov (Head of Roscosmos) met him \\ there.", "Second line, second sentence."]
    write_pdf(tmp_path / "a.pdf", [lines, ["Page two."]])
    text = read_document(tmp_path / "a.pdf", tmp_path).text
    assert all(line in text for line in lines + ["Page two."]), text


def test_missing_benchmark_data_is_a_clear_error(tmp_path, capsys):
    assert main(bench_args(data=str(tmp_path))) == 2
    assert "corpus.jsonl not found" in capsys.readouterr().err


@needs_reqa
@pytest.mark.slow
def test_reqa_full_meets_targets(tmp_path):
    """All 10,570 questions through the product's pipeline (minutes): run with --runslow."""
    out = tmp_path / "reqa.json"
    assert main(bench_args(out=str(out))) == 0
    figures = json.loads(out.read_text())["methods"]["hybrid"]
    assert figures["p_at_1"] >= 0.75 and figures["mrr_at_100"] >= 0.82


def test_weights_bench_refits_on_a_folder(tmp_path):
    """``qabot bench weights`` on one small folder: current and refitted weights, P@1 with each."""
    from types import SimpleNamespace

    from bot.benchmarks.weights import feature_names, run
    from bot.ranking.retrieval import RetrievalConfig

    other = ROOT / "tests" / "data" / "other"
    args = SimpleNamespace(source=str(other), questions=str(other / "harbour-library.jsonl"),
                           index=str(tmp_path / "index"), data=None, limit=None)
    result = run(args)
    assert list(result["fitted"]) == feature_names(RetrievalConfig())
    given = result["sets"]["given"]
    assert given["questions"] == 12 and given["p_at_1_current"] >= 0.75
    assert result["fitted"]["heading"] <= 0 <= result["fitted"]["dense"]


def test_scale_past_the_compress_limit_builds_from_a_file_on_disk(tmp_path, monkeypatch):
    import numpy as np

    from bot.benchmarks import perf
    from bot.store import vectors

    monkeypatch.setattr(vectors, "COMPRESS_LIMIT", 1_000)
    monkeypatch.setenv("QABOT_BENCH_TMP", str(tmp_path))
    rng = np.random.default_rng(0)
    base = rng.standard_normal((200, 384)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    figures = perf.scale(3_000, base, base[:20], seed=1)
    assert figures["index"] == "compressed" and figures["vectors"] == 3_000
    assert figures["recall_at_10"] >= 0.9 and figures["index_file_mb"] > 0
    assert not list(tmp_path.iterdir())  # the vectors' file is removed
