"""The index on Milvus (milvus-lite, real): the whole answering path, incremental re-indexing, clear errors,
a writer killed mid-way, and two chat servers sharing one Milvus server."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("pymilvus", reason="the milvus extra is not installed: pip install -e '.[milvus]'")

from bot import Bot  # noqa: E402
from bot.evaluation.evalio import read_items  # noqa: E402
from bot.evaluation.evaluate import run  # noqa: E402
from bot.store.milvus import MilvusStore, StoreError  # noqa: E402
from tests.conftest import DEV, DOCS_DEV, ROOT, needs_shared  # noqa: E402

PYTHON = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def shown(answer) -> tuple:
    """What a person sees of an answer."""
    cites = [(c.doc, c.start, c.end, c.text, c.span) for c in answer.citations or answer.closest]
    return answer.abstained, answer.short, cites


@pytest.fixture(scope="module")
def milvus_bot(bot, source_dir, tmp_path_factory):
    store = f"milvus:{tmp_path_factory.mktemp('milvus')}/release.db"
    b = Bot(source=source_dir, store=store, embedder=bot.embedder)
    b.load()
    return b


@needs_shared
def test_release_answers_equal_the_embedded_store(bot, milvus_bot):
    items = read_items(DEV)[0]
    embedded, milvus = run(bot, items, quiet=True), run(milvus_bot, items, quiet=True)
    assert len(milvus) == len(items) >= 20
    assert [shown(r.answer) for r in milvus] == [shown(r.answer) for r in embedded]


@pytest.mark.skipif(not (DOCS_DEV / "questions.jsonl").exists(), reason="../shared/eval/docs-dev is absent")
def test_docs_dev_quality_through_milvus(bot, tmp_path):
    """Candidates limited to the engine's top-K: measured equal to the embedded store on docs-dev (every answer
    the same, README); asserted within 0.01 P@1 and MRR."""
    from bot.evaluation.evaluate import compute_metrics

    items = read_items(DOCS_DEV / "questions.jsonl")[0]
    source = DOCS_DEV / "source"
    embedded = run(Bot(source=source, index=tmp_path / "index", embedder=bot.embedder), items, quiet=True)
    milvus = run(Bot(source=source, store=f"milvus:{tmp_path}/dd.db", embedder=bot.embedder), items, quiet=True)
    a, b = compute_metrics(embedded), compute_metrics(milvus)
    assert abs(a["p_at_1"] - b["p_at_1"]) <= 0.01 and abs(a["mrr"] - b["mrr"]) <= 0.01
    same = sum(shown(x.answer) == shown(y.answer) for x, y in zip(embedded, milvus))
    assert same >= 0.95 * len(items)


def test_answers_cite_offsets_into_the_document(milvus_bot, release_text):
    answer = milvus_bot.ask("Who is the president of CNES?")
    top = answer.citations[0]
    assert not answer.abstained and release_text[top.start:top.end].split() == top.text.split()
    assert milvus_bot.document_text(top.doc) == release_text
    assert milvus_bot.ask("What is the airspeed velocity of an unladen swallow?").abstained


def _folder(tmp_path, docs: dict[str, str]):
    folder = tmp_path / "docs"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


DOCS = {
    "bridges.txt": "The Alder bridge was opened in 1901. It is 117 metres long.\n\nThe Birch bridge is painted green.",
    "trains.md": "# Trains\n\nThe night train leaves at 22:40 from platform 9. Tickets cost 80 euros.",
    "cats.txt": "Our office cat is called Miso. She sleeps on the printer.",
    "heating.md": "# Heating\n\nTurn on Heat Pump Mode (HPM) in the menu. HPM lowers heating bills by 18 percent.",
}


def test_incremental_update_replaces_only_changed_documents(bot, tmp_path):
    folder = _folder(tmp_path, DOCS)
    uri = f"milvus:{tmp_path}/inc.db"
    b = Bot(source=folder, store=uri, embedder=bot.embedder)
    first = b.reindex()
    assert sorted(first.added) == sorted(DOCS) and first.embedded == first.sentences
    keys = {doc: info["key"] for doc, info in b.load().manifest["documents"].items()}
    (folder / "cats.txt").write_text("Our office cat is called Tofu. He sleeps on the radiator.", encoding="utf-8")
    (folder / "trains.md").unlink()
    (folder / "boats.txt").write_text("The ferry to Elmsund sails every hour.", encoding="utf-8")
    report = b.reindex()
    assert (report.added, report.updated, report.removed, report.unchanged) == (
        ["boats.txt"], ["cats.txt"], ["trains.md"], ["bridges.txt", "heating.md"])
    assert report.embedded == 3  # the two sentences of cats.txt and the one of boats.txt, nothing else
    manifest = b.load().manifest
    assert manifest["documents"]["bridges.txt"]["key"] == keys["bridges.txt"]
    assert manifest["documents"]["cats.txt"]["key"] != keys["cats.txt"]
    assert "Tofu" in b.ask("What is the office cat called?").citations[0].text
    assert b.ask("When does the night train leave?").abstained
    assert b.status().fresh
    # the corpus statistics kept with the manifest equal those of a build from scratch
    incremental = b.load().summary
    b.reindex(force=True)
    assert b.load().summary == incremental
    assert "Elmsund" in b.ask("Where does the ferry go?").citations[0].text


def test_milvus_ranking_equals_the_embedded_one_on_a_folder(bot, tmp_path):
    folder = _folder(tmp_path, DOCS)
    embedded = Bot(source=folder, index=tmp_path / "index", embedder=bot.embedder)
    milvus = Bot(source=folder, store=f"{tmp_path}/same.db", embedder=bot.embedder)
    for question in ("How long is the Alder bridge?", "How much is a ticket?", "Where does the cat sleep?",
                     "Which bridge is green?", "When was it opened?", "How much does heat pump mode save?"):
        a, b = embedded.retriever.rank(question, k=5), milvus.retriever.rank(question, k=5)
        assert [embedded.retriever.unit(h.unit) for h in a.hits] == milvus.retriever.units([h.unit for h in b.hits])
        assert [h.score for h in b.hits] == pytest.approx([h.score for h in a.hits], abs=1e-4)
        assert (b.coverage, b.corpus_coverage) == pytest.approx((a.coverage, a.corpus_coverage))


def _qabot(*args, timeout=300):
    return subprocess.run([PYTHON, "-m", "bot", *args], capture_output=True, text=True, env=ENV, timeout=timeout)


def test_unreachable_milvus_is_a_clear_error(tmp_path):
    done = _qabot("ask", "Who?", "--source", str(ROOT / "source"), "--store", "http://127.0.0.1:9", timeout=120)
    assert done.returncode == 2
    assert "http://127.0.0.1:9" in done.stderr and "check the URI" in done.stderr
    assert "Traceback" not in done.stderr


def test_other_model_or_format_is_refused_and_nothing_deleted(milvus_bot):
    store = milvus_bot.store
    with pytest.raises(StoreError, match="another model.*--force"):
        MilvusStore(store.uri, fingerprint="not-this-model").read()
    head = store.head()
    meta = f"{head.collection}_meta"
    row = store.client.query(meta, filter='key == "head"', output_fields=["key", "value", "dummy"])[0]
    older = {**json.loads(row["value"]), "format": 0}
    store.client.upsert(meta, [{**row, "value": json.dumps(older)}])
    try:
        with pytest.raises(StoreError, match="format 0.*--force"):
            Bot(source=milvus_bot.source, store=store.uri, embedder=milvus_bot.embedder).load()
    finally:
        store.client.upsert(meta, [row])
    assert store.read().manifest["count"] == milvus_bot.load().manifest["count"] > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except AssertionError:
            raise
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _start_server(data: str, port: int) -> subprocess.Popen:
    """milvus-lite's gRPC server (a Milvus server, the same protocol) in its own process, once it answers."""
    server = subprocess.Popen([PYTHON, "-m", "milvus_lite", "server", "--data-dir", data, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(lambda: MilvusStore(f"http://127.0.0.1:{port}").client.list_collections() is not None, 60,
          "the Milvus server")
    return server


@pytest.fixture
def milvus_server(tmp_path):
    """A Milvus server in its own process; its URI."""
    port = _free_port()
    server = _start_server(str(tmp_path / "milvus"), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.kill()
        server.wait()


def test_a_restarted_milvus_server_serves_the_index_again(bot, tmp_path):
    folder = _folder(tmp_path, DOCS)
    port = _free_port()
    uri = f"http://127.0.0.1:{port}"
    server = _start_server(str(tmp_path / "milvus"), port)
    try:
        before = shown(Bot(source=folder, store=uri, embedder=bot.embedder).ask("How long is the Alder bridge?"))
    finally:
        server.terminate()
        server.wait()
    server = _start_server(str(tmp_path / "milvus"), port)
    try:
        again = Bot(source=folder, store=uri, embedder=bot.embedder)
        assert shown(again.ask("How long is the Alder bridge?")) == before and not before[0]
        assert again.last_report is None  # answered from the stored index, nothing re-indexed
    finally:
        server.kill()
        server.wait()


def test_kill_during_indexing_leaves_the_previous_version_answering(bot, tmp_path, milvus_server, release_text):
    folder = _folder(tmp_path, {"cnes.txt": release_text})
    a = Bot(source=folder, store=milvus_server, embedder=bot.embedder)
    before = a.ask("Who is the president of CNES?")
    version = a.store.head().version
    for part in range(10):  # documents are embedded and inserted one after another: rows of the first land early
        text = " ".join(f"Bridge number {i} over the canal is {i + 3} metres long." for i in range(part * 50,
                                                                                                 part * 50 + 50))
        (folder / f"bridges-{part:02d}.txt").write_text(text, encoding="utf-8")
    log = (tmp_path / "writer.log").open("w")
    # groups of 50 sentences (not the 20,000 a real archive uses), so rows land long before the swap
    run = ("import sys, bot.store.milvus as m; m.EMBED_GROUP = 50; from bot.cli import main; "
           "sys.exit(main(sys.argv[1:]))")
    writer = subprocess.Popen([PYTHON, "-c", run, "index", "--source", str(folder), "--store", milvus_server],
                              env=ENV, stdout=log, stderr=log)
    store = MilvusStore(milvus_server)
    head = store.head()
    born = f"born > {version}"

    def inserting():
        assert writer.poll() is None, (tmp_path / "writer.log").read_text()[-2000:]
        return store.client.query(head.collection, filter=born, limit=1, output_fields=["id"])

    _wait(inserting, 300, "rows being inserted")
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert store.head().version == version  # the half-written version was never swapped in
    assert list(store.read().manifest["documents"]) == ["cnes.txt"]
    assert shown(a.ask("Who is the president of CNES?")) == shown(before)  # a server running meanwhile
    reader = Bot(source=_folder(tmp_path / "other", {"cnes.txt": release_text}), store=milvus_server,
                 embedder=bot.embedder)  # a server started now, on the documents of the previous version
    assert shown(reader.ask("Who is the president of CNES?")) == shown(before)
    assert reader.retriever.size == a.retriever.size and reader.store.head().version == version
    report = a.reindex()
    assert len(report.added) == 10 and report.unchanged == ["cnes.txt"]
    assert store.head().version == version + 1
    assert "Bridge number 17 over" in a.ask("How long is bridge number 17?").citations[0].text


def test_two_servers_share_one_milvus(bot, tmp_path, milvus_server, release_text):
    """Server B (``qabot serve`` in its own process) answers from a document uploaded through server A."""
    from gradio_client import Client

    from bot.web.app import build_app

    folder = _folder(tmp_path, {"cnes.txt": release_text})
    a = Bot(source=folder, store=milvus_server, embedder=bot.embedder)
    a.load()
    port = _free_port()
    server_b = subprocess.Popen([PYTHON, "-m", "bot", "serve", "--source", str(folder), "--store", milvus_server,
                                 "--port", str(port)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = _wait(lambda: Client(f"http://127.0.0.1:{port}/", verbose=False), 180, "server B")
        question = "What colour is the Juniper bridge painted?"
        assert client.predict(question, api_name="/ask")["abstained"]
        handlers = {fn.name: fn.fn for fn in build_app(a, tmp_path / "feedback.jsonl").fns.values()}
        upload = tmp_path / "juniper-bridge.txt"
        upload.write_text("The Juniper bridge over the river was opened in 1912. It is painted dark green.\n")
        handlers["upload"](str(upload))
        assert "dark green" in a.ask(question).citations[0].text

        def b_knows():
            answer = client.predict(question, api_name="/ask")
            return not answer["abstained"] and "dark green" in answer["citations"][0]["text"]

        _wait(b_knows, 60, "server B to answer from the uploaded document")
    finally:
        server_b.kill()
        server_b.wait()
