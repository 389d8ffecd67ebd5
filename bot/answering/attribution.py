"""Which sentences of a document speak of or for a person: a follow-up's "he" is answered among them.

A quotation spread over several sentences names its speaker once ("…,” said Professor Solberg), and a
biography goes on with "He took office…", "Before that, he…": the sentence that names the person is
rarely the only one about them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_OPEN, _CLOSE = "“«", "”»"
_PRONOUN = re.compile(r"\b(he|his|him|himself|she|her|hers|herself)\b", re.I)
_LEAD_WORDS = 6  # a pronoun this early in a sentence carries its subject on from the sentence before
# "…,” he said." anywhere in the sentence gives its words as the person's too (28 sets: follow-ups +1, none lost;
# a quotation opening after the person's words, naming no one, as theirs as well: +2 −3, not taken)
_SAYS = re.compile(r"\b(?:(he|she)\s+(?:said|says|added|adds|explained|told|argued|warned)|"
                   r"(?:said|says|added|adds|explained|told|argued|warned)\s+(he|she))\b", re.I)


def quotations(texts: Sequence[str]) -> list[int]:
    """For each sentence, the position of the first sentence of the quotation over several sentences that
    it belongs to, or -1."""
    group, start = [], -1
    for i, text in enumerate(texts):
        balance = sum(text.count(c) for c in _OPEN) - sum(text.count(c) for c in _CLOSE)
        odd = text.count('"') % 2 == 1
        if start < 0:
            if balance > 0 or odd:
                start = i
            group.append(start)
        else:
            group.append(start)
            if balance < 0 or odd:
                start = -1
    return group


def attributed(texts: Sequence[str], surname: str, gender: str = "") -> set[int]:
    """Positions of the sentences that name ``surname``, belong to a quotation one of whose sentences names
    it, or open with a pronoun of the person's ``gender`` ("m"/"f"; either when unknown) or give words as
    theirs ("…,” she said.") right after one of these."""
    name = re.compile(rf"\b{re.escape(surname)}\b")
    named = {i for i, text in enumerate(texts) if name.search(text)}
    groups = quotations(texts)
    speaking = {g for i, g in enumerate(groups) if i in named and g >= 0}
    found = named | {i for i, g in enumerate(groups) if g in speaking}
    for i in range(1, len(texts)):
        if i - 1 in found and i not in found and (_carries(texts[i], gender) or _says(texts[i], gender)):
            found.add(i)
    return found


def _carries(text: str, gender: str) -> bool:
    m = _PRONOUN.search(" ".join(text.split()[:_LEAD_WORDS]))
    return bool(m) and _fits(m.group(1), gender)


def _says(text: str, gender: str) -> bool:
    m = _SAYS.search(text)
    return bool(m) and _fits(m.group(1) or m.group(2), gender)


def _fits(pronoun: str, gender: str) -> bool:
    female = pronoun.lower().startswith(("she", "her"))
    return not gender or (gender == "f") == female
