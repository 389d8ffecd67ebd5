"""The clauses of a long sentence, embedded beside it so one fact of many can be found.

A press-release sentence often packs several facts ("…reopened on 8 March
after a renovation that lasted two years and cost 18.5 million euros, funded
by…"); its one embedding is a blur of all of them, and a question about one
fact matches it weakly. Each clause of a long sentence is embedded too, and
the sentence's dense score gains part of its best clause's lead over it
(``Retriever``). Clauses end at commas, semicolons, colons, dashes and
brackets, and before a subordinating word; pieces under ``MIN_CLAUSE`` words
join their neighbour.
"""

from __future__ import annotations

import re

MIN_WORDS = 18
MIN_CLAUSE = 4
_BREAK = re.compile(
    r"\s*[,;:()\u2013\u2014]\s*"
    r"|\s+(?=(?:but|which|while|whereas|although|where|who|whose|after|before|because|when)\s)"
)


def clause_spans(sentence: str) -> list[list[tuple[int, int]]]:
    """The clauses of a sentence of at least ``MIN_WORDS`` words as the character spans of their pieces
    (separators left out); [] when it is short or has one."""
    if len(sentence.split()) < MIN_WORDS:
        return []
    merged: list[list[tuple[int, int]]] = []
    start = 0
    for match in [*_BREAK.finditer(sentence), None]:
        end = match.start() if match else len(sentence)
        piece, start = _stripped(sentence, start, end), match.end() if match else end
        if piece is None:
            continue
        if merged and (_words(sentence, merged[-1]) < MIN_CLAUSE or _words(sentence, [piece]) < MIN_CLAUSE):
            merged[-1].append(piece)
        else:
            merged.append([piece])
    return merged if len(merged) > 1 else []


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence of at least ``MIN_WORDS`` words; [] when it is short or has one."""
    return [" ".join(sentence[a:b] for a, b in pieces) for pieces in clause_spans(sentence)]


def _stripped(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _words(text: str, pieces: list[tuple[int, int]]) -> int:
    return sum(len(text[a:b].split()) for a, b in pieces)


def clauses_of(sentences: list[str]) -> tuple[list[int], list[str]]:
    """The clauses of every sentence, in order, and for each the position of its sentence."""
    owner, parts = [], []
    for i, sentence in enumerate(sentences):
        found = clauses(sentence)
        owner += [i] * len(found)
        parts += found
    return owner, parts
