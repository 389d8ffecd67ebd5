"""Mend typos in questions against the documents' own words.

"who headed the reserch?" shares no word with "…led by Dr Priya Raman…
research…" until "reserch" is read as "research". A question word is
corrected only when neither the documents, nor the embedding model's
vocabulary of whole English words, nor a list of common English words holds
it, and exactly one edit (an insertion, deletion, substitution or swap of
neighbouring letters) turns it into a word of the documents; the most
frequent such word wins (failing that, a word saying what is asked for:
"numbr" is "number"). Function words are never the correction ("wich" is
not read as "with"), and a word whose stem the documents or the vocabulary
hold is an inflection, not a typo ("installs" stays), unless a document word
one edit away shares that stem ("volunter" is "volunteer").
"""

from __future__ import annotations

import bisect
import gzip
import json
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from bot.documents.terms import WORD
from bot.ranking.lexical import STOPWORDS, tokenize

MIN_LENGTH = 4
# A word this common in English is no typo even when the documents and the model's vocabulary lack it: of the
# speller's 167 corrections over 36 sets, the 8 it stops were all wrong ("pint" read as "point", "mites" as
# "sites", "perk" as "per") and none right ("rooter" for "router", "miler" for "miller" are rarer)
ENGLISH_MIN_COUNT = 100
# Words that say what a question asks for, which the documents need not contain ("numbr to ring" is a phone
# number, "prise" a price): corrections of last resort, after the documents' own words.
ASKING_WORDS = frozenset({"number", "phone", "telephone", "email", "address", "website", "contact", "extension",
                          "price", "cost", "costs", "charge", "fee", "fees", "date", "dates", "time", "times",
                          "hours", "deadline", "minimum", "maximum", "cheapest", "earliest", "latest", "allowed"})
# Shortenings users type for words documents spell out ("cllr", "avg", "ppl"): read as the word when the
# documents do not hold the shortening but hold the word.
SHORTENINGS = {"cllr": "councillor", "avg": "average", "ppl": "people", "approx": "approximately",
               "dept": "department", "govt": "government", "info": "information", "appt": "appointment",
               "appts": "appointments", "hrs": "hours", "mins": "minutes", "yrs": "years", "wks": "weeks",
               "mths": "months", "tel": "telephone", "st": "street", "rd": "road", "ave": "avenue",
               "num": "number", "mgr": "manager", "uni": "university", "yr": "year", "wk": "week"}
# Contractions typed without their apostrophe ("cant", "dont", "shes"): read as the contraction, never as the
# document word one edit away ("cant" is not "cent", "wont" not "want"; no answer moved over 36 sets). "whats",
# "whens", "thats" are left to the stemmer, which reads them as "what", "when", "that" already (as "what's" they
# moved the decline trees: two answers lost); forms that are words ("its", "were", "lets", "id") stay.
CONTRACTIONS = {w.replace("'", "").lower(): w for w in (
    "don't doesn't didn't can't couldn't won't wouldn't shouldn't isn't aren't wasn't weren't haven't hasn't hadn't "
    "mustn't needn't ain't I'm I've you're you've you'll you'd they're they've they'll they'd we've she's he's "
    "it'll").split()}
_STOP = frozenset(STOPWORDS)
_WORD = WORD


class Speller:
    """Corrects question words one edit away from a document word (``known``: words never corrected)."""

    def __init__(self, texts: list[str], known: frozenset[str] = frozenset(), counts: Mapping[str, int] | None = None):
        """``counts``: the documents' word counts, when known already (``texts`` is then ignored)."""
        self.counts = Counter(counts) if counts is not None else Counter(
            w.lower() for text in texts for w in _WORD.findall(text))
        for word in _STOP & self.counts.keys():
            del self.counts[word]
        self.known = known
        self._deletes: dict[str, list[str]] | None = None
        self._stems: frozenset[str] | None = None
        self._sorted: list[str] | None = None

    def correct(self, question: str) -> str:
        """``question`` with its unknown words replaced by their correction (case kept)."""
        return _WORD.sub(self._replace, question)

    def _replace(self, match: re.Match) -> str:
        word = match.group()
        fixed = self.suggest(word.lower())
        if fixed is None:
            return word
        return fixed.capitalize() if word[0].isupper() else fixed

    def suggest(self, word: str) -> str | None:
        """The document word one edit away from ``word``, or None (a known word, or no single best)."""
        if word in self.counts or word in _STOP:
            return None
        if word in CONTRACTIONS:
            return CONTRACTIONS[word]
        if word in SHORTENINGS and SHORTENINGS[word] in self.counts:
            return SHORTENINGS[word]
        if len(word) < MIN_LENGTH or word in self.known or self._shortens(word):
            return None
        deletes = self._index()
        found = {c for key in _variants(word) for c in deletes.get(key, ()) if _one_edit(word, c)
                 and not _inflection(word, c)}
        stem = _stem(word)
        if stem in self._known_stems():  # an inflection of a document word ("installs" stays), unless a word one
            found = {c for c in found if _stem(c) == stem}  # edit away shares its stem ("volunter": "volunteer")
            if not found:
                return None
        if not found:
            found = {c for c in ASKING_WORDS if _one_edit(word, c)}
        if not found or word in english_words():
            return None
        return min(found, key=lambda c: (-self.counts[c], c))

    def _shortens(self, word: str) -> bool:
        """Whether ``word`` begins a longer document word ("cert" of "certify"): a shortening, not a typo."""
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        i = bisect.bisect_right(self._sorted, word)
        return i < len(self._sorted) and self._sorted[i].startswith(word)

    def _known_stems(self) -> frozenset[str]:
        if self._stems is None:
            words = sorted(self.counts.keys() | self.known)
            self._stems = frozenset(stem for stems in tokenize(words) for stem in stems)
        return self._stems

    def _index(self) -> dict[str, list[str]]:
        if self._deletes is None:
            self._deletes = {}
            for word in self.counts:
                if len(word) >= MIN_LENGTH - 1:
                    for key in _variants(word):
                        self._deletes.setdefault(key, []).append(word)
        return self._deletes


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words, also those the model's vocabulary lacks whole ("pint", "redo", "mites"):
    pyspellchecker's English frequency list, words counted ``ENGLISH_MIN_COUNT`` times or more; read once, on
    the first correction."""
    counts = json.loads(gzip.decompress((resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()))
    return frozenset(w for w, n in counts.items() if n >= ENGLISH_MIN_COUNT)


def _stem(word: str) -> str:
    stems = tokenize([word])[0]
    return stems[0] if stems else word


def _variants(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _inflection(a: str, b: str) -> bool:
    """Whether one of the two is the other with an "s" or "d" added: "forklifts", "tasters", "baked"."""
    short, long = sorted((a, b), key=len)
    return long[:-1] == short and long[-1] in "sd"


def _one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion, substitution or adjacent swap turns ``a`` into ``b``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                   and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long[i]), len(short))
    return short[i:] == long[i + 1 :]
