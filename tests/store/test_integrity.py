"""A killed, concurrent or disk-starved indexer never leaves an index that cannot be served."""

import json
import shutil
import signal
import subprocess
import sys
import time

import pytest

from bot import Bot
from bot.store.store import IndexStore


def index_cmd(source, index):
    return [sys.executable, "-m", "bot", "index", "--source", str(source), "--index", str(index)]


@pytest.fixture
def built(tmp_path, bot):
    source, index = tmp_path / "source", tmp_path / "index"
    shutil.copytree(bot.source, source)
    shutil.copytree(bot.index_dir, index)
    return source, index


def test_killing_the_indexer_at_any_point_leaves_a_usable_index(built):
    source, index = built
    before = IndexStore(index).read()
    for i in range(40):
        (source / f"extra{i}.txt").write_text(f"Note {i}: the rover number {i} reached crater {i * 7}.\n")
    started = time.perf_counter()
    subprocess.run(index_cmd(source, index), check=True, capture_output=True, timeout=300)
    full = time.perf_counter() - started
    for extra in source.glob("extra*.txt"):
        extra.write_text(extra.read_text() + "It was repaired later.\n")
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95):
        proc = subprocess.Popen(index_cmd(source, index), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(full * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        current = IndexStore(index).read()  # raises if a half-written index were current
        assert current.vectors.shape[1] == before.vectors.shape[1]
        assert len(current.units) >= len(before.units)
    result = subprocess.run(index_cmd(source, index), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in index.glob("gen-*")] == [IndexStore(index).current.name]


def test_an_unchanged_index_sweeps_what_a_killed_writer_left(built):
    """A writer killed after making its generation current but before removing the old one leaves two; the next
    run finds nothing to index, and removes the old one all the same (the kill test above failed so under load)."""
    source, index = built
    current = IndexStore(index).current
    left = index / "gen-20260101000000-1-1"
    shutil.copytree(current, left)
    result = subprocess.run(index_cmd(source, index), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in index.glob("gen-*")] == [current.name] == [IndexStore(index).current.name]


def test_two_indexers_at_once_do_not_corrupt_the_index(built):
    source, index = built
    (source / "more.txt").write_text("The harbour crane lifts forty tonnes.\n")
    procs = [subprocess.Popen(index_cmd(source, index), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    current = IndexStore(index).read()
    assert sorted(json.loads((IndexStore(index).current / "manifest.json").read_text())["documents"]) == [
        "cnes-maks-2017.txt", "more.txt"]
    assert len(current.units) == len(current.vectors)


DISK_FULL = """
import json, logging, resource, signal, sys
from pathlib import Path
from bot import Bot
from bot.store.store import IndexWriteError

logging.basicConfig(level=logging.ERROR, format="%(message)s")
source, index, empty = map(Path, sys.argv[1:])
bot = Bot(source=source, index=index)
bot.load()
(source / "more.txt").write_text("The harbour crane lifts forty tonnes.\\n")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))  # no file grows past 2 KiB: the disk is full
try:
    bot.reindex()
    error = None
except IndexWriteError as err:
    error = str(err)
first = Bot(source=source, index=empty, embedder=bot.embedder)  # no index yet: built, not saved, answering
print(json.dumps({"error": error, "line": bot.ask("Who is the head of Roscosmos?").top.line,
                  "first": first.ask("How much does the harbour crane lift?").top.text}))
"""


def test_a_full_disk_keeps_the_previous_generation_answering(built):
    source, index = built
    before = IndexStore(index).current
    result = subprocess.run([sys.executable, "-c", DISK_FULL, str(source), str(index), str(index.parent / "empty")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["error"].startswith(f"could not write the index in {index}: the disk is full")
    assert out["line"] == 6 and "forty tonnes" in out["first"]
    assert "the disk is full" in result.stderr and "answering from the index in memory" in result.stderr
    assert IndexStore(index).current == before and IndexStore(index).read() is not None
    assert sorted(p.name for p in index.iterdir()) == sorted([".lock", "CURRENT", before.name])  # nothing left over
    assert sorted(p.name for p in (index.parent / "empty").iterdir()) == [".lock"]
    again = Bot(source=source, index=index)  # with room again, the new document is indexed: nothing was lost
    assert "forty tonnes" in again.ask("How much does the harbour crane lift?").top.text
    assert again.last_report.added == ["more.txt"]
