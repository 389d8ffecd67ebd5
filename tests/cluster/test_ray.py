"""Indexing and evaluation on a real local Ray against a real milvus-lite, compared with single-process runs;
one actor killed mid-run. One Ray session for the module (starting Ray takes seconds)."""

import json
import re
import shutil
import threading
import time

import numpy as np
import pytest

ray = pytest.importorskip("ray", reason="the ray extra is not installed: pip install -e '.[ray]'")
pytest.importorskip("pymilvus", reason="the milvus extra is not installed: pip install -e '.[milvus]'")

from bot import Bot  # noqa: E402
from bot.cli import main  # noqa: E402
from bot.cluster.embedder import RayEmbedder  # noqa: E402
from bot.cluster.evaluate import RayRunner  # noqa: E402
from bot.cluster.session import shared_uri  # noqa: E402
from bot.evaluation.evalio import read_items  # noqa: E402
from bot.store.milvus import MilvusStore  # noqa: E402
from tests.conftest import DEV, DEV2, OWN_CONVERSATIONS, RELEASE  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The release and the three dev2 documents: about 120 sentences."""
    folder = tmp_path_factory.mktemp("ray-source")
    shutil.copy(RELEASE, folder / RELEASE.name)
    for path in (DEV2 / "source").iterdir():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def questions(source, tmp_path_factory):
    """About 120 questions on ``source``: single ones and conversations (several pieces of work)."""
    lines = (DEV2 / "questions.jsonl").read_text().splitlines()
    own = OWN_CONVERSATIONS.read_text().splitlines()
    lines += [line for line in own if (source / json.loads(line)["doc"]).exists()]
    if DEV.exists():
        lines += DEV.read_text().splitlines()
    path = tmp_path_factory.mktemp("questions") / "questions.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def contents(uri: str) -> tuple[dict, list[dict], np.ndarray, np.ndarray]:
    """A Milvus index as comparable values: the manifest (no creation time), the rows in id order (no
    vectors), their vectors, and the clause vectors by owner."""
    index = MilvusStore(uri).read()
    manifest = {k: v for k, v in index.manifest.items() if k != "created"}
    fields = ["id", "doc", "start", "end", "line", "page", "text", "tokens", "prev", "next", "section", "vector"]
    rows = sorted((r for batch in index.rows(fields) for r in batch), key=lambda r: r["id"])
    vectors = np.array([r.pop("vector") for r in rows], np.float32)
    owners, clause_vectors = index.clauses()
    order = np.lexsort((clause_vectors[:, 0], owners))
    return manifest, rows, vectors, np.column_stack([owners[order], clause_vectors[order]])


def assert_same_index(a: str, b: str) -> None:
    ma, ra, va, ca = contents(a)
    mb, rb, vb, cb = contents(b)
    assert ma == mb
    assert ra == rb and len(ra) > 100
    assert np.abs(va - vb).max() < 1e-5
    assert ca.shape == cb.shape and ca.shape[0] > 0 and np.abs(ca - cb).max() < 1e-5


def actors(name: str) -> list:
    """Handles of the live actors of a Ray Data transform (the state API needs the dashboard, which the
    tests' Ray runs without: read the GCS actor table)."""
    table = ray._private.state.actors(actor_state_name="ALIVE")
    core = ray._private.worker.global_worker.core_worker
    return [core.get_actor_handle(ray.ActorID.from_hex(actor_id)) for actor_id, info in table.items()
            if name in (info.get("ActorClassName") or "")]


class Killer(threading.Thread):
    """Kills one live actor of ``name`` (``ray.kill``, Ray may restart it) once one is up."""

    def __init__(self, name: str, delay: float = 0.0):
        super().__init__(daemon=True)
        self.name, self.delay, self.killed = name, delay, False
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            found = actors(self.name)
            if found:
                time.sleep(self.delay)
                ray.kill(found[0], no_restart=False)
                self.killed = True
                return
            time.sleep(0.05)


def test_index_on_ray_equals_single_process_and_reembeds_only_a_changed_document(bot, source, tmp_path):
    """``qabot index --ray`` with one embedding actor killed mid-run: the same index as a single-process build;
    then one document changed: only it is embedded again, and the index is still the single-process one."""
    single, on_ray = f"milvus:{tmp_path}/single.db", f"milvus:{tmp_path}/ray.db"
    Bot(source=source, store=single, embedder=bot.embedder).reindex()
    killer = Killer("EmbedBatch", delay=0.5)
    killer.start()
    try:
        assert main(["index", "--source", str(source), "--store", on_ray, "--ray", "--workers", "2",
                     "--batch-size", "8"]) == 0
    finally:
        killer.stop.set()
    assert killer.killed
    assert_same_index(single, on_ray)

    changed = source / "cycling-guide.md"
    original = changed.read_text()
    changed.write_text(original + "\n\nHelmets are lent free of charge at the front desk.\n")
    try:
        report = Bot(source=source, store=on_ray, embedder=RayEmbedder(workers=1, batch_size=16)).reindex()
        assert (report.updated, report.added, report.removed) == (["cycling-guide.md"], [], [])
        sentences = MilvusStore(on_ray).read().manifest["documents"]["cycling-guide.md"]["units"]
        assert report.embedded == sentences < report.sentences
        Bot(source=source, store=single, embedder=bot.embedder).reindex()
        assert_same_index(single, on_ray)
    finally:
        changed.write_text(original)


def close(a, b, tolerance: float = 1e-4) -> bool:
    """Equal, but for floats within ``tolerance`` (at any depth of dicts and lists)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tolerance
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y, tolerance) for x, y in zip(a, b))
    return a == b


def without_timings(folder) -> dict[str, object]:
    """An evaluation's outputs with what measures time taken removed: the answers' timings, the latency
    figures and run time in metrics.json, the latency rows and plot of report.html. (Scores and confidences
    can still differ in the last bits: BLAS sums in another order with the actors' thread count.)"""
    answers = [json.loads(line) for line in (folder / "answers.jsonl").read_text().splitlines()]
    for row in answers:
        row["answer"].pop("timings")
    metrics = json.loads((folder / "metrics.json").read_text())
    for key in ("latency_ms", "seconds"):
        metrics.pop(key)
    report = (folder / "report.html").read_text()
    report = re.sub(r"<tr><th>[a-z_]+ p50 / p95</th><td>[^<]*</td></tr>", "", report)
    report = re.sub(r'<div class="fig" id="latency-plot">.*?</svg></div>', "", report, flags=re.S)
    return {"answers": answers, "csv": (folder / "answers.csv").read_text(), "metrics": metrics, "report": report}


def test_eval_on_ray_equals_single_process_though_an_actor_is_killed(bot, source, questions, tmp_path):
    """``qabot eval --ray``, one answering actor killed mid-run: every question answered exactly once, and the
    outputs are the single-process run's, timings aside."""
    store = f"milvus:{tmp_path}/eval.db"
    Bot(source=source, store=store, embedder=bot.embedder).reindex()
    common = ["eval", str(questions), "--source", str(source), "--store", store, "--quiet"]
    assert main([*common, "--out", str(tmp_path / "single")]) == 0
    killer = Killer("AnswerUnits", delay=0.2)
    killer.start()
    try:
        assert main([*common, "--out", str(tmp_path / "ray"), "--ray", "--workers", "2"]) == 0
    finally:
        killer.stop.set()
    assert killer.killed
    single, on_ray = without_timings(tmp_path / "single"), without_timings(tmp_path / "ray")
    assert [row["id"] for row in on_ray["answers"]] == [item.id for item in read_items(questions)[0]]
    assert len(on_ray["answers"]) >= 100
    assert on_ray["csv"] == single["csv"] and on_ray["metrics"] == single["metrics"]
    assert on_ray["report"] == single["report"]
    assert close(on_ray["answers"], single["answers"])  # every field; scores and confidences within 1e-4
    assert 'id="latency-plot"' in (tmp_path / "ray" / "report.html").read_text()


def test_a_failing_question_is_reported_by_id(bot, source, tmp_path, capsys):
    """A question that raises on a worker (here while scoring: an expected answer that is no text) comes back
    as an error answer naming it; the others of its batch are answered as usual."""
    from bot.evaluation.evalio import Item

    store = f"milvus:{tmp_path}/fail.db"
    local = Bot(source=source, store=store, embedder=bot.embedder)
    items = [Item("ok1", "Who is the head of Roscosmos?", ["Igor Komarov"], True),
             Item("bad1", "Who is the president of CNES?", [None], True),  # type: ignore[list-item]
             Item("ok2", "Where is the MAKS air show held?", ["MAKS"], True)]
    records = RayRunner(workers=1, store=shared_uri(store, None))(local, items, quiet=True)
    assert [r.item.id for r in records] == ["ok1", "bad1", "ok2"]
    assert records[0].correct and records[2].correct and not records[0].answer.error
    assert records[1].answer.error.startswith("failed on a Ray worker: AttributeError")
    assert records[1].correct is False
    assert "question bad1 failed on a Ray worker" in capsys.readouterr().err


def test_a_milvus_lite_file_is_refused_for_a_remote_cluster(tmp_path):
    from bot.store.milvus import StoreError

    with pytest.raises(StoreError, match="Milvus server"):
        shared_uri(f"milvus:{tmp_path}/x.db", "ray://head:10001")
    assert shared_uri("http://milvus:19530#idx", "auto") == "http://milvus:19530#idx"
    assert shared_uri(None, "auto") is None
