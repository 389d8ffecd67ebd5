"""Superlative questions over a table: "What's the cheapest plan?", "Which option has the biggest capacity?".

A table row is indexed as one unit ("Plan: Student; Monthly price: £24; Minimum term: 9 months"); every row of
a plan table matches "cheapest plan" about as well as the others, so the ranking alone picks one at random.
The question names a direction (lowest or highest) and, by its adjective ("cheapest": an amount of money) or by
a column heading it shares a word with ("biggest capacity"), the column to compare: the row holding that
column's lowest or highest value answers.
"""

from __future__ import annotations

import re

from bot.ranking.lexical import content_tokens

ROW_CELL = re.compile(r"(?:^|;\s+)([^:;]{1,60}):\s+([^;]*[^;.\s])")  # "Heading: value" of a table row's unit
_MONEY = re.compile(r"[$€£¥]|\b(?:free|euros?|dollars?|pounds?|pence)\b|\b\d+(?:\.\d+)?p\b", re.I)  # "12p per minute"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_FREE = re.compile(r"^\W*(?:free|none|nil|no charge)\b", re.I)
_WORD = re.compile(r"[^\W\d_]{4,}")
_BY_MONEY = {"cheapest": -1, "least expensive": -1, "most expensive": 1, "dearest": 1, "priciest": 1,
             "costliest": 1, "most affordable": -1}
_BY_COLUMN = {"lowest": -1, "smallest": -1, "fewest": -1, "shortest": -1, "least": -1,
              "highest": 1, "largest": 1, "biggest": 1, "longest": 1, "greatest": 1, "most": 1}
_SUPERLATIVE = re.compile(  # "the most recent year", "most popular": an adjective's superlative, no amount
    r"\b(" + "|".join(sorted({*_BY_MONEY, *_BY_COLUMN} - {"most", "least"}, key=len, reverse=True))
    + r"|(?:most|least)(?!\s+\w+(?:ent|ar|on|ant|ful|ous|ive|ble|ic|al|ly)\b))\b", re.I)


def superlative(question: str) -> tuple[int, bool, set[str]] | None:
    """The direction a superlative question asks for (-1 lowest, 1 highest), whether it compares amounts of money
    ("cheapest"), and the question's words that may name the column compared; None without a superlative."""
    m = _SUPERLATIVE.search(question)
    if not m:
        return None
    word = m.group(1).lower()
    words = {w.lower()[:5] for w in _WORD.findall(question[m.end():])}
    if word in _BY_MONEY:
        return _BY_MONEY[word], True, words
    return _BY_COLUMN[word], False, words


def superlative_word(question: str) -> str:
    """The superlative of ``question`` ("cheapest", "most expensive"), or ""."""
    m = _SUPERLATIVE.search(question)
    return m.group(1).lower() if m else ""


def superlative_in(question: str, sentence: str) -> bool:
    """Whether ``sentence`` holds the superlative word of ``question``."""
    word = superlative_word(question)
    return bool(word) and re.search(rf"\b{word}\b", sentence, re.I) is not None


def cells(text: str) -> dict[str, str] | None:
    """A table row's cells by column heading, or None when ``text`` is no row of two cells or more."""
    found = list(ROW_CELL.finditer(text))
    if len(found) < 2 or found[0].start() != 0 or found[-1].end() < len(text.rstrip(" .")):
        return None
    return {c.group(1).strip(): c.group(2).strip() for c in found}


def column(rows: list[dict[str, str]], money: bool, words: set[str]) -> str | None:
    """The column a superlative compares in ``rows`` (cells of one table): among the columns holding a number
    (or, for money, an amount) in every row past the first column, the one whose heading shares a word's first
    five letters with the question; for money with no heading named, the first such column."""
    headings = list(rows[0])[1:]
    numeric = [h for h in headings if all(_value(row.get(h, ""), money) is not None for row in rows)]
    if money:
        numeric = [h for h in numeric if any(_MONEY.search(row[h]) for row in rows)]
    named = [h for h in numeric if words & {w.lower()[:5] for w in _WORD.findall(h)}]
    if named:
        return named[0]
    return numeric[0] if money and numeric else None


def extreme(rows: list[dict[str, str]], direction: int, money: bool, words: set[str]) -> int | None:
    """The position in ``rows`` of the row holding the lowest (``direction`` -1) or highest value of the compared
    column, or None when no column can be compared or the extreme value is shared."""
    heading = column(rows, money, words)
    if heading is None:
        return None
    values = [direction * _value(row[heading], money) for row in rows]
    best = max(values)
    return values.index(best) if values.count(best) == 1 else None


def _value(cell: str, money: bool) -> float | None:
    if money and _FREE.match(cell):
        return 0.0
    m = _NUMBER.search(cell)
    return float(m.group().replace(",", "")) if m else None


def superlative_bases(word: str) -> list[str]:
    """The stems a superlative may come from: "late" for "latest", "early" for "earliest", "big" for
    "biggest"; none for other words."""
    if not word.endswith("est") or len(word) < 6:
        return []
    if word.endswith("iest"):
        bases = [word[:-4] + "y"]
    else:
        bases = [word[:-3], word[:-2]] + ([word[:-4]] if word[-4] == word[-5] else [])
    return [t for b in bases for t in content_tokens(b)[:1]]
