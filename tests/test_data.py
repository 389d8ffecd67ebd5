"""The question sets under ``tests/data`` are consistent with their documents as the bot reads them.

One check for every set (it replaces each data writer's own script): rows well formed, ids unique,
conversation turns numbered 1..n on one document, and every expect phrase of an answerable row inside one
sentence unit of its document and in no other unit of the folder
(compared as ``qabot eval`` compares: case-insensitively, whitespace collapsed).
"""

import json
from collections import defaultdict

import pytest

from bot.documents.documents import load_folder
from bot.store.indexer import document_units
from tests.conftest import RELEASE, ROOT

DATA = ROOT / "tests" / "data"
SETS = sorted(p.parent.name for p in DATA.glob("*/questions.jsonl") if (p.parent / "source").is_dir())
WITH_RELEASE = {"unseen"}  # its questions are asked of its documents and the release together
FIELDS = {"id": str, "question": str, "expect": list, "answerable": bool}


def _folded(text: str) -> str:
    return " ".join(text.lower().split())


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name / "questions.jsonl").read_text().splitlines() if line.strip()]


def _units(name: str) -> dict[str, list[str]]:
    documents, problems = load_folder(DATA / name / "source")
    if name in WITH_RELEASE:
        documents += load_folder(RELEASE.parent)[0]
    assert problems == []
    return {d.doc: [_folded(u.text) for u in document_units(d)] for d in documents}


def test_every_set_is_checked():
    assert {"dev2", "dev3", "dev4", "dev5", "dev6", "tables", "unseen", "unseen2", "unseen3", "unseen4", "unseen5",
            "unseen6", "unseen7", "unseen8", "dev7", "unseen9", "unseen10", "dev8", "unseen11", "dev9",
            "unseen12", "dev10", "unseen13", "dev11", "unseen14", "unseen15", "unseen16",
            "unseen17", "unseen18", "unseen19", "unseen20", "unseen21", "unseen22",
            "unseen23", "unseen24", "unseen25", "unseen26", "unseen27", "unseen28", "unseen29", "unseen30",
            "unseen31", "unseen32"} <= set(SETS)


@pytest.mark.parametrize("name", SETS)
def test_rows_are_well_formed(name):
    rows = _rows(name)
    units = _units(name)
    assert len({r["id"] for r in rows}) == len(rows), "ids repeat"
    turns = defaultdict(list)
    for row in rows:
        for key, kind in FIELDS.items():
            assert isinstance(row.get(key), kind), f"{row.get('id')}: {key} is not a {kind.__name__}"
        assert row["answerable"] == bool(row["expect"]), f"{row['id']}: expect and answerable disagree"
        if row["answerable"]:  # an off-topic question names no document
            assert row.get("doc") in units, f"{row['id']}: no document {row.get('doc')}"
        if row.get("conv"):
            turns[row["conv"]].append((row["turn"], row["doc"]))
    for conv, found in turns.items():
        assert sorted(t for t, _ in found) == list(range(1, len(found) + 1)), f"conversation {conv}: turns"
        assert len({d for _, d in found if d}) == 1, f"conversation {conv}: more than one document"


@pytest.mark.parametrize("name", SETS)
def test_each_expect_phrase_is_in_one_sentence_unit(name):
    """Each phrase (a row's phrases are alternatives) lies inside one unit, of the row's document."""
    units = _units(name)
    everywhere = [(doc, i, text) for doc, texts in units.items() for i, text in enumerate(texts)]
    wrong = []
    for row in (r for r in _rows(name) if r["answerable"]):
        for phrase in row["expect"]:
            found = [(doc, i) for doc, i, text in everywhere if _folded(phrase) in text]
            if len(found) != 1 or found[0][0] != row["doc"]:
                wrong.append(f"{row['id']} {phrase!r}: in units {found}")
    assert wrong == []
