import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RELEASE = ROOT / "source" / "cnes-maks-2017.txt"
DEV = SHARED / "eval" / "release_dev.jsonl"
REQA = SHARED / "benchmarks" / "reqa-squad"
DOCS_DEV = SHARED / "eval" / "docs-dev"
DEV2 = ROOT / "tests" / "data" / "dev2"  # our second batch of development documents
DEV3 = ROOT / "tests" / "data" / "dev3"
DEV4 = ROOT / "tests" / "data" / "dev4"
DEV10 = ROOT / "tests" / "data" / "dev10"  # conversations stressed: 15 of three and four turns
DEV11 = ROOT / "tests" / "data" / "dev11"  # neighbour traps, in-scope unanswerables, 15 conversations of three turns
UNSEEN15 = ROOT / "tests" / "data" / "unseen15"  # the held-out set of 2026-12-01, seen since
UNSEEN16 = ROOT / "tests" / "data" / "unseen16"  # the held-out set of the second session of 2026-12-01, seen since
UNSEEN17 = ROOT / "tests" / "data" / "unseen17"  # the held-out set of the third session of 2026-12-01, seen since
UNSEEN18 = ROOT / "tests" / "data" / "unseen18"  # the second held-out set of that session, seen since
UNSEEN19 = ROOT / "tests" / "data" / "unseen19"  # the held-out set of the fourth session of 2026-12-01, seen since
UNSEEN20 = ROOT / "tests" / "data" / "unseen20"  # the held-out set of the fifth session of 2026-12-01, seen since
UNSEEN21 = ROOT / "tests" / "data" / "unseen21"  # the held-out set of the session that followed, seen since
UNSEEN22 = ROOT / "tests" / "data" / "unseen22"  # the held-out set of the seventh session of 2026-12-01, seen since
UNSEEN23 = ROOT / "tests" / "data" / "unseen23"  # the two held-out sets of the eighth session of 2026-12-01, seen since
UNSEEN24 = ROOT / "tests" / "data" / "unseen24"
UNSEEN25 = ROOT / "tests" / "data" / "unseen25"  # a third, written while that session ran, run once on its final code
UNSEEN26 = ROOT / "tests" / "data" / "unseen26"  # the held-out set of the ninth session of 2026-12-01, seen since
UNSEEN27 = ROOT / "tests" / "data" / "unseen27"  # the held-out set of the session of 2026-12-02, seen since
UNSEEN28 = ROOT / "tests" / "data" / "unseen28"  # the held-out set of the second session of 2026-12-02, seen since
UNSEEN29 = ROOT / "tests" / "data" / "unseen29"  # the held-out set of the third session of 2026-12-02, seen since
UNSEEN30 = ROOT / "tests" / "data" / "unseen30"  # the held-out set of the fourth session of 2026-12-02, seen since
UNSEEN31 = ROOT / "tests" / "data" / "unseen31"  # the held-out set of the fifth session of 2026-12-02, seen since
UNSEEN32 = ROOT / "tests" / "data" / "unseen32"  # the held-out set of the sixth session of 2026-12-02, seen since
OWN_CONVERSATIONS = ROOT / "tests" / "data" / "conversations.jsonl"

needs_shared = pytest.mark.skipif(
    not DEV.exists(), reason="../shared/ is not beside this clone (it holds the dev questions and benchmarks)"
)


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", help="also run the slow benchmarks")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow benchmark: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def release_text() -> str:
    return RELEASE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def source_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("source")
    shutil.copy(RELEASE, folder / RELEASE.name)
    return folder


@pytest.fixture(scope="session")
def bot(source_dir, tmp_path_factory):
    """One bot over a copy of the release, indexed once for the session."""
    from bot import Bot

    b = Bot(source=source_dir, index=tmp_path_factory.mktemp("index"))
    b.load()
    return b


class SetRuns:
    """Each question set answered once per session (``evaluate.run``: single questions in batches, conversations in
    order) over a fresh index of its documents folder, shared by the figures and the conversation checks."""

    def __init__(self, tmp_path_factory):
        self.tmp = tmp_path_factory
        self.bots: dict = {}
        self.records: dict = {}
        self.answered_by: dict = {}  # id of a record: the bot that answered it

    def bot(self, folder: Path):
        from bot import Bot

        if folder not in self.bots:
            self.bots[folder] = Bot(source=folder, index=self.tmp.mktemp("index"))
        return self.bots[folder]

    def __call__(self, folder: Path, questions: Path) -> list:
        from bot.evaluation.evalio import read_items

        if (folder, questions) not in self.records:
            items, errors = read_items(questions)
            assert errors == []
            self.records[folder, questions] = self.run(folder, items)
        return self.records[folder, questions]

    def run(self, folder: Path, items: list) -> list:
        from bot.evaluation.evaluate import run

        records = run(self.bot(folder), items, quiet=True)
        self.answered_by.update((id(r), self.bots[folder]) for r in records)
        return records


@pytest.fixture(scope="session")
def set_runs(bot, tmp_path_factory) -> SetRuns:
    runs = SetRuns(tmp_path_factory)
    runs.bots[ROOT / "source"] = bot
    return runs


@pytest.fixture(scope="session")
def conversation_runs(set_runs) -> dict:
    """Every question set with conversations, evaluated (``evaluate.run``, turns asked in order), by name:
    "release" (the release development set), "docs-dev", "dev2", "dev3", "dev4", "dev10", "dev11", "unseen15" to
    "unseen32" (their conversations only) and "own" (``OWN_CONVERSATIONS``, about documents of the first three
    folders); a set whose folder is missing is left out."""
    from bot.evaluation.evalio import read_items

    runs = {}
    for name, path, folder in (("release", DEV, ROOT / "source"), ("docs-dev", DOCS_DEV / "questions.jsonl",
                                                                     DOCS_DEV / "source"),
                               ("dev2", DEV2 / "questions.jsonl", DEV2 / "source")):
        if path.exists() and folder.is_dir():
            runs[name] = set_runs(folder, path)
    for name, folder in (("dev3", DEV3), ("dev4", DEV4), ("dev10", DEV10), ("dev11", DEV11), ("unseen15", UNSEEN15),
                         ("unseen16", UNSEEN16), ("unseen17", UNSEEN17), ("unseen18", UNSEEN18),
                         ("unseen19", UNSEEN19), ("unseen20", UNSEEN20), ("unseen21", UNSEEN21),
                         ("unseen22", UNSEEN22), ("unseen23", UNSEEN23), ("unseen24", UNSEEN24),
                         ("unseen25", UNSEEN25), ("unseen26", UNSEEN26),
                         ("unseen27", UNSEEN27), ("unseen28", UNSEEN28), ("unseen29", UNSEEN29),
                         ("unseen30", UNSEEN30), ("unseen31", UNSEEN31), ("unseen32", UNSEEN32)):
        runs[name] = [r for r in set_runs(folder / "source", folder / "questions.jsonl") if r.item.conv]
    docs = {row["id"]: row["doc"] for row in map(json.loads, OWN_CONVERSATIONS.read_text().splitlines())}
    folders = [ROOT / "source", DOCS_DEV / "source", DEV2 / "source"]
    if all(folder.is_dir() for folder in folders):
        items = read_items(OWN_CONVERSATIONS)[0]
        runs["own"] = [record for folder in folders
                       for record in set_runs.run(folder, [i for i in items if (folder / docs[i.id]).exists()])]
    return runs
