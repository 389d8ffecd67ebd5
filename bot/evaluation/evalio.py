"""Read question files for batch evaluation: JSONL, CSV and TSV, bad rows reported by line."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class Item:
    """One question to evaluate; ``expect`` empty means unscored unless ``answerable`` is False; ``short`` is
    the expected short answer, if given."""

    id: str
    question: str
    expect: list[str] = field(default_factory=list)
    answerable: bool | None = None
    conv: str | None = None
    turn: int = 0
    line: int = 0
    short: str | None = None

    @property
    def scored(self) -> bool:
        return self.answerable is False or bool(self.expect)


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def read_items(path: Path) -> tuple[list[Item], list[RowError]]:
    """Items of a ``.jsonl``, ``.csv`` or ``.tsv`` file, and the rows that could not be read."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path} is not UTF-8 text (byte offset {err.start})") from None
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        rows = _jsonl_rows(text)
    elif suffix in (".csv", ".tsv"):
        rows = _table_rows(text, "\t" if suffix == ".tsv" else ",")
    else:
        raise ValueError(f"{path}: unsupported questions file type {suffix!r} (use .jsonl, .csv or .tsv)")
    items, errors = [], []
    for line, row in rows:
        if isinstance(row, RowError):
            errors.append(row)
            continue
        try:
            items.append(_item(row, line))
        except (TypeError, ValueError) as err:
            errors.append(RowError(line, str(err)))
    return items, errors


def _jsonl_rows(text: str):
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as err:
            yield line, RowError(line, f"broken JSON ({err.msg})")
            continue
        yield line, row if isinstance(row, dict) else RowError(line, "not a JSON object")


def _table_rows(text: str, delimiter: str):
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "question" not in [f.strip() for f in reader.fieldnames]:
        raise ValueError("the file has no 'question' column")
    for row in reader:
        clean = {k.strip(): v for k, v in row.items() if k}
        clean["expect"] = [p.strip() for p in (clean.get("expect") or "").split("|") if p.strip()]
        for key in ("answerable", "conv", "turn", "id", "short"):
            if (clean.get(key) or "").strip() == "":
                clean.pop(key, None)
        yield reader.line_num, clean


def _item(row: dict, line: int) -> Item:
    question = row.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("missing question")
    expect = row.get("expect", [])
    if isinstance(expect, str):
        expect = [expect]
    if not isinstance(expect, list) or not all(isinstance(e, str) for e in expect):
        raise ValueError("'expect' must be a list of strings")
    answerable = _bool(row.get("answerable"))
    turn = row.get("turn", 0)
    try:
        turn = int(turn)
    except (TypeError, ValueError):
        raise ValueError(f"'turn' must be a whole number, not {turn!r}") from None
    conv = row.get("conv")
    short = row.get("short")
    if short is not None and not isinstance(short, str):
        raise ValueError("'short' must be a string")
    return Item(str(row.get("id", f"line{line}")), question, expect,
                answerable if answerable is not None else (True if expect else None),
                str(conv) if conv not in (None, "") else None, turn, line, short.strip() or None if short else None)


def _bool(value) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "y"):
        return True
    if text in ("false", "0", "no", "n"):
        return False
    raise ValueError(f"'answerable' must be true or false, not {value!r}")
