import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RELEASE = ROOT / "source" / "cnes-maks-2017.txt"
DEV = SHARED / "eval" / "release_dev.jsonl"
REQA = SHARED / "benchmarks" / "reqa-squad"

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
