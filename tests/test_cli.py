import json
import subprocess
import sys

import pytest

from bot.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=300)


def test_ask_prints_sentence_with_document_and_line(bot):
    out = run_cli("ask", "Who is the head of Roscosmos?", "--source", str(bot.source), "--index", str(bot.index_dir))
    assert out.returncode == 0, out.stderr
    assert "Igor Komarov, Head of Roscosmos" in out.stdout
    assert "[1] cnes-maks-2017.txt, line 6" in out.stdout


def test_ask_json(bot, capsys):
    assert main(["ask", "When did Thomas Pesquet return to Earth?", "--json",
                 "--source", str(bot.source), "--index", str(bot.index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] is False and "2 June" in data["citations"][0]["text"]
    assert data["short"] == "2 June"
    assert bot.document_text(data["citations"][0]["doc"])[slice(*data["citations"][0]["span"])] == "2 June"


def test_ask_empty_question_exits_2(bot, capsys):
    assert main(["ask", "  ", "--source", str(bot.source), "--index", str(bot.index_dir)]) == 2
    assert "Please type a question" in capsys.readouterr().out


def test_index_reports_what_it_did(tmp_path, source_dir, capsys):
    assert main(["index", "--source", str(source_dir), "--index", str(tmp_path / "i")]) == 0
    assert capsys.readouterr().out.startswith("1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped")
    assert main(["index", "--source", str(source_dir), "--index", str(tmp_path / "i")]) == 0
    assert capsys.readouterr().out.startswith("0 added, 0 updated, 0 removed, 1 unchanged, 0 skipped")


def test_missing_source_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["ask", "hi there", "--source", str(tmp_path / "nope"), "--index", str(tmp_path / "i")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_chat_reads_turns_until_eof(bot, monkeypatch, capsys):
    turns = iter(["Who is Igor Komarov?", "/new", "Where is the MAKS air show held?"])

    def fake_input(prompt):
        try:
            return next(turns)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    assert main(["chat", "--source", str(bot.source), "--index", str(bot.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "Igor Komarov, Head of Roscosmos" in out and "in Moscow" in out


@pytest.mark.parametrize("argv", [["bench", "nope"], ["serve", "--port", "x"]])
def test_bad_arguments_exit_2(argv):
    with pytest.raises(SystemExit) as err:
        main(argv)
    assert err.value.code == 2


def test_works_with_one_thread(bot):
    import os

    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-m", "bot", "ask", "Who is the head of Roscosmos?", "--source",
                          str(bot.source), "--index", str(bot.index_dir)], capture_output=True, text=True,
                         timeout=300, env=env)
    assert out.returncode == 0 and "Igor Komarov" in out.stdout, out.stderr


def test_bench_scale_takes_counts_with_suffixes():
    from bot.cli import build_parser

    parse = build_parser().parse_args
    assert parse(["bench", "perf", "--scale", "10m"]).scale == 10_000_000
    assert parse(["bench", "perf", "--scale", "20000"]).scale == 20_000
    assert parse(["bench", "perf", "--scale", "1.5M"]).scale == 1_500_000
