"""The clauses of a long sentence, embedded beside it so one fact of many can be found.

A press-release sentence often packs several facts ("…reopened on 8 March
after a renovation that lasted two years and cost 18.5 million euros, funded
by…"); its one embedding is a blur of all of them, and a question about one
fact matches it weakly. Each clause of a long sentence is embedded too, and
the sentence's dense score gains part of its best clause's lead over it
(``Retriever``). Clauses end at commas, semicolons, colons, dashes and
brackets, and before a subordinating word; pieces under ``MIN_CLAUSE`` words
join their neighbour. A short opening clause is the subject of a later one
that opens with its verb ("The market hall, shut since 2023, will reopen in
September"): that clause is embedded with it (docs-dev +1 answer, a follow-up).
"""

from __future__ import annotations

import re

MIN_WORDS = 18
MIN_CLAUSE = 4
SUBJECT_WORDS = 8  # an opening clause this short is the subject of a later clause that opens with a verb
_PREDICATE = re.compile(r"(?:will|would|can|could|is|are|was|were|has|have|had|must|may|should)\s")
_BREAK = re.compile(
    r"\s*[,;:()\u2013\u2014]\s*"
    r"|\s+(?=(?:but|which|while|whereas|although|where|who|whose|after|before|because|when)\s)"
)


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence of at least ``MIN_WORDS`` words; [] when it is short or has one."""
    if len(sentence.split()) < MIN_WORDS:
        return []
    merged: list[str] = []
    for part in _BREAK.split(sentence):
        part = part.strip()
        if not part:
            continue
        if merged and (len(merged[-1].split()) < MIN_CLAUSE or len(part.split()) < MIN_CLAUSE):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    if len(merged) > 1 and len(merged[0].split()) <= SUBJECT_WORDS:
        merged = [merged[0]] + [f"{merged[0]} {c}" if _PREDICATE.match(c) else c for c in merged[1:]]
    return merged if len(merged) > 1 else []


def clauses_of(sentences: list[str]) -> tuple[list[int], list[str]]:
    """The clauses of every sentence, in order, and for each the position of its sentence."""
    owner, parts = [], []
    for i, sentence in enumerate(sentences):
        found = clauses(sentence)
        owner += [i] * len(found)
        parts += found
    return owner, parts
