"""Uploads while people chat, and uploads the disk cannot hold, through one app's own functions."""

import shutil
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot import Bot
from bot.documents.documents import load_folder
from bot.store.indexer import document_units
from bot.store.store import IndexStore, IndexWriteError

BRIDGES = ["Alder", "Birch", "Cedar", "Damson", "Elm", "Fir", "Gorse", "Hazel", "Ivy", "Juniper"]
SUBJECTS = [("Who is Igor Komarov?", "Who did he meet?", "Who did Igor Komarov meet?"),
            ("What did Thomas Pesquet do in 2016?", "How did he come back?", "How did Thomas Pesquet come back?")]


@pytest.fixture
def app_bot(tmp_path, bot):
    shutil.copytree(bot.source, tmp_path / "source")
    shutil.copytree(bot.index_dir, tmp_path / "index")
    return Bot(source=tmp_path / "source", index=tmp_path / "index", embedder=bot.embedder)


def test_uploads_while_people_chat(app_bot, tmp_path):
    from bot.web.app import build_app

    handlers = {fn.name: fn.fn for fn in build_app(app_bot, tmp_path / "feedback.jsonl").fns.values()}
    upload, respond = handlers["upload"], handlers["respond"]
    files = []
    for i, name in enumerate(BRIDGES):
        path = tmp_path / "uploads" / f"{name.lower()}-bridge.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"The {name} bridge over the river was opened in {1900 + i}. "
                        f"It is {110 + 7 * i} metres long and painted {name.lower()} green.\n")
        files.append(path)
    start = threading.Barrier(len(files) + 20)

    def add(path):
        start.wait()
        return upload(str(path))[0]

    def converse(k):
        first, follow_up, _ = SUBJECTS[k % 2]
        start.wait()
        answers, state, chat = [], None, []
        for question in (first, follow_up):
            _, chat, state, _, answer = respond(question, chat, state)
            answers.append(answer)
        return answers

    with ThreadPoolExecutor(len(files) + 20) as pool:
        uploads = [pool.submit(add, path) for path in files]
        talks = [pool.submit(converse, k) for k in range(20)]
        statuses = [u.result(timeout=600) for u in uploads]
        conversations = [t.result(timeout=600) for t in talks]
    assert all(s.startswith("✅ Added") for s in statuses), statuses
    for k, (first, follow_up) in enumerate(conversations):
        assert not first["error"] and not first["abstained"]
        assert follow_up["query"] == SUBJECTS[k % 2][2] and not follow_up["abstained"], follow_up
    index = app_bot.load()
    documents, _ = load_folder(app_bot.source)
    expected = [(u.doc, u.start, u.end) for d in documents for u in document_units(d)]
    assert Counter((u.doc, u.start, u.end) for u in index.units) == Counter(expected)  # each indexed once
    assert sorted(index.docs) == sorted(["cnes-maks-2017.txt"] + [p.name for p in files])
    assert IndexStore(app_bot.index_dir).read().units == index.units
    for name, path in zip(BRIDGES, files):
        assert app_bot.ask(f"How long is the {name} bridge?").top.doc == path.name


def test_an_upload_the_disk_cannot_index_says_so_and_the_index_keeps_answering(app_bot, tmp_path, monkeypatch):
    from bot.web.app import build_app

    upload = next(fn.fn for fn in build_app(app_bot, tmp_path / "feedback.jsonl").fns.values() if fn.name == "upload")
    before = IndexStore(app_bot.index_dir).current

    def full(index):
        raise IndexWriteError(f"could not write the index in {app_bot.index_dir}: the disk is full (No space left "
                              "on device)")

    monkeypatch.setattr(app_bot.store, "write", full)
    (tmp_path / "crane.txt").write_text("The harbour crane lifts forty tonnes.\n")
    status, *_ = upload(str(tmp_path / "crane.txt"))
    assert status.startswith("⚠️ crane.txt was saved but not indexed — could not write the index in")
    assert "the disk is full" in status
    assert app_bot.ask("Who is the head of Roscosmos?").top.line == 6 and app_bot.documents == ["cnes-maks-2017.txt"]
    assert IndexStore(app_bot.index_dir).current == before and (app_bot.source / "crane.txt").exists()
