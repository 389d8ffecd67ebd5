"""The ReQA SQuAD benchmark: its corpus as units, its questions, and a product index over it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot.documents.sentences import Unit


@dataclass(slots=True)
class ReqaData:
    """Sentences grouped by article (in corpus order), their ids, and the questions."""

    units_by_doc: dict[str, list[Unit]]
    ids: list[str]
    questions: list[dict]

    @property
    def doc_of(self) -> list[str]:
        return [u.doc for units in self.units_by_doc.values() for u in units]


def load_reqa(folder: Path, limit: int | None = None, questions_file: str = "questions.jsonl") -> ReqaData:
    """Read ``corpus.jsonl`` and the questions of a reqa-squad folder."""
    corpus_path = folder / "corpus.jsonl"
    if not corpus_path.is_file():
        raise FileNotFoundError(f"{corpus_path} not found: --data must be the reqa-squad folder")
    units_by_doc: dict[str, list[Unit]] = {}
    ids_by_doc: dict[str, list[str]] = {}
    with corpus_path.open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            text = row["text"]
            units_by_doc.setdefault(row["doc"], []).append(Unit(row["doc"], 0, len(text), 1, text))
            ids_by_doc.setdefault(row["doc"], []).append(row["id"])
    ids = [i for doc in units_by_doc for i in ids_by_doc[doc]]
    with (folder / questions_file).open(encoding="utf-8") as handle:
        questions = [json.loads(line) for line in handle]
    return ReqaData(units_by_doc, ids, questions[:limit] if limit else questions)
