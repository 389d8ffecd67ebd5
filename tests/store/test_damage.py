"""Every file of an index damaged every way: the bot warns naming the file, rebuilds from source/ and answers.

The cases come from the store's own list of files (``INDEX_FILES``) and a built index is checked to hold
exactly those, so a file the store starts writing joins the matrix. The index is built once for the module
and each case damages a copy. Tests run as root, where mode 000 stops no read: a file is made unreadable by
a folder in its place, or by ``open`` refusing it with ``PermissionError``.
"""

import builtins
import errno
import io
import logging
import os
import random
import shutil
from pathlib import Path

import pytest

from bot import Bot
from bot.store.store import INDEX_FILES, LOCK, POINTER, IndexStore, IndexWriteError
from tests.documents.test_formats import make_pdf

NOTE = ("Glacier survey 2022.\n\nThe Veldt glacier retreated by 85 metres during 2022, the largest loss on "
        "record. Dr. Ines Moraga, who led the summer field campaign, measured the ice at three stations, and "
        "her team, which camped beside the lake for six weeks, counted forty new crevasses.\n")
QUESTION, ANSWER = "How far did the Veldt glacier retreat?", "85 metres"
DAMAGES = ("emptied", "truncated", "flipped", "random", "deleted", "folder", "denied")
POINTER_DAMAGES = ("missing generation", "outside the folder", "symlink outside")
CASES = [(name, how) for name in INDEX_FILES for how in DAMAGES] + [(POINTER, how) for how in POINTER_DAMAGES]


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """A few sentences gain nothing from threads, and on a busy machine threads wait for each other."""
    import torch
    from threadpoolctl import threadpool_limits

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def built(tmp_path_factory, bot) -> Path:
    root = tmp_path_factory.mktemp("damage")
    (root / "source").mkdir()
    (root / "source" / "note.txt").write_text(NOTE, encoding="utf-8")
    make_pdf(root / "source" / "glacier.pdf")
    Bot(source=root / "source", index=root / "index", embedder=bot.embedder).load()
    return root


@pytest.fixture
def copy(built, tmp_path) -> Path:
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_an_index_holds_exactly_the_listed_files(built):
    index = built / "index"
    found = sorted(p.relative_to(index).as_posix() for p in index.rglob("*") if not p.is_dir())
    gen = IndexStore(index).current.name
    assert found == sorted(name if name in (POINTER, LOCK) else f"{gen}/{name}" for name in INDEX_FILES)
    assert IndexStore(index).read().manifest["clauses"] and len(IndexStore(index).read().clause_owner) > 0


def deny(monkeypatch, path: Path) -> None:
    """``open`` refuses ``path`` as it would a mode-000 file to anyone but root."""
    real = io.open

    def guarded(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike) and os.path.abspath(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", guarded)
    monkeypatch.setattr(builtins, "open", guarded)


def damage(index: Path, name: str, how: str, monkeypatch) -> None:
    gen = IndexStore(index).current
    path = index / name if name in (POINTER, LOCK) else gen / name
    data = path.read_bytes()
    if how == "emptied":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        mid = len(data) // 2
        path.write_bytes(data[:mid] + bytes(b ^ 0xFF for b in data[mid : mid + 8]) + data[mid + 8 :])
    elif how == "random":
        path.write_bytes(random.Random(name).randbytes(max(len(data), 64)))
    elif how == "deleted":
        path.unlink()
    elif how == "folder":
        path.unlink()
        path.mkdir()
    elif how == "denied":
        deny(monkeypatch, path)
    elif how == "missing generation":
        path.write_text(f"gen-20000101000000-1-1 {'0' * 64}\n")
    elif how == "outside the folder":
        shutil.copytree(gen, index.parent / "elsewhere" / gen.name)
        path.write_text(f"../elsewhere/{gen.name} {data.split()[1].decode()}\n")
    elif how == "symlink outside":
        shutil.move(gen, index.parent / "elsewhere")
        gen.symlink_to(index.parent / "elsewhere")


@pytest.mark.parametrize(("name", "how"), CASES)
def test_a_damaged_index_is_rebuilt_and_answers(copy, bot, monkeypatch, caplog, name, how):
    index = copy / "index"
    damaged = IndexStore(index).current
    damage(index, name, how, monkeypatch)
    b = Bot(source=copy / "source", index=index, embedder=bot.embedder)
    with caplog.at_level(logging.WARNING, logger="bot"):
        answer = b.ask(QUESTION)
        assert ANSWER in answer.top.text
        if name == LOCK:  # it holds no data: the index is served as it is, and the next write mends the lock
            assert b.last_report is None
            if how == "denied":
                with pytest.raises(IndexWriteError, match=f"could not lock the index with {index / LOCK}"):
                    b.store.write(b.load())
            else:
                b.store.write(b.load())
                assert (index / LOCK).is_file()
                assert (how == "folder") == any(LOCK in r.getMessage() for r in caplog.records), caplog.records
            assert IndexStore(index).read().units == b.load().units
            return
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(f"/{name}" in w and "rebuilding it from" in w for w in warnings), warnings
    assert b.last_report.embedded == len(b.load().units)  # rebuilt from source/, nothing reused
    monkeypatch.undo()
    store = IndexStore(index)
    assert store.current.parent == index and store.current != damaged and not damaged.exists()
    assert store.read().units == b.load().units and store.read().documents == b.load().documents
    assert [p.name for p in index.glob("gen-*")] == [store.current.name]
    if how in ("outside the folder", "symlink outside"):  # refused, and left alone
        assert (copy / "elsewhere").is_dir()
