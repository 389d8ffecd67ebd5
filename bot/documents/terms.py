"""The words of sentences as ranking counts them: stemmed tokens, headings, and the per-document facts an
index keeps about them (the tokens of each sentence's neighbour windows, the words the speller learns)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
WORD = re.compile(r"[^\W\d_]+")  # a word the speller learns
_SENTENCE_END = re.compile(r"[.!\u2026:;][\"'\u201d\u2019)\]]*$")
_LABELLED = re.compile(r"^[^:]{1,40}:\s+\S")  # "Weight: 180 g", "Date: 4 November 2024": a fact, not a heading
# The sentence windows (neighbours before, after) whose BM25 statistics an index keeps: those of the ranking
WINDOWS = ((0, 0), (1, 0), (2, 0), (0, 1))


# Past forms of English irregular verbs read as the verb ("led" as "lead", "sold" as "sell"): the stemmer
# handles "opened"/"opens" but not these, which questions and sentences often use in different tenses.
_IRREGULAR = {form: verb for entry in """
arise:arisen,arose awake:awoke,awoken beat:beaten become:became begin:began,begun bend:bent bind:bound
bite:bit,bitten bleed:bled blow:blew,blown break:broke,broken breed:bred bring:brought build:built burn:burnt
buy:bought catch:caught choose:chose,chosen cling:clung come:came creep:crept deal:dealt dig:dug do:did,done
draw:drawn,drew dream:dreamt drink:drank,drunk drive:driven,drove eat:ate,eaten fall:fallen,fell feed:fed
feel:felt fight:fought find:found flee:fled fling:flung fly:flew,flown forbid:forbade,forbidden
forget:forgot,forgotten forgive:forgave,forgiven freeze:froze,frozen get:got,gotten give:gave,given go:gone,went
grow:grew,grown hang:hung hear:heard hide:hid,hidden hold:held keep:kept kneel:knelt know:knew,known lay:laid
lead:led lean:leant leap:leapt learn:learnt leave:left lend:lent light:lit lose:lost make:made mean:meant
meet:met mislead:misled overcome:overcame overtake:overtaken,overtook pay:paid prove:proved,proven
rebuild:rebuilt ride:ridden,rode ring:rang,rung run:ran say:said see:saw,seen seek:sought sell:sold send:sent
shake:shaken,shook shine:shone shoot:shot show:showed,shown shrink:shrank,shrunk sing:sang,sung sink:sank,sunk
sit:sat sleep:slept slide:slid speak:spoke,spoken speed:sped spend:spent spin:spun spring:sprang,sprung
stand:stood steal:stole,stolen stick:stuck sting:stung strike:struck strive:striven,strove swear:swore,sworn
sweep:swept swim:swam,swum swing:swung take:taken,took teach:taught tear:tore,torn tell:told think:thought
throw:threw,thrown undergo:undergone,underwent understand:understood undertake:undertaken,undertook
wake:woke,woken wear:wore,worn weave:wove,woven win:won withdraw:withdrawn,withdrew write:written,wrote
""".split() for verb, forms in [entry.split(":")] for form in forms.split(",")}


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str], stopwords: list[str] | None = None) -> list[list[str]]:
    """Lowercased, stemmed word tokens without ``stopwords``, irregular verbs' past forms read as the verb: what
    ``bm25s.tokenize`` gives for the text so read (tested for parity), without its per-call overhead."""
    stop = frozenset(stopwords or ())
    stem = _stemmer().stemWords
    return [stem([w for w in map(_verb, _TOKEN.findall(text.lower())) if w not in stop]) for text in texts]


def _verb(word: str) -> str:
    return _IRREGULAR.get(word, word)


_WORD = re.compile(r"[^\W\d_][\w'’\-]{3,}")
HEAD_WORDS = 6  # longer lines in sentence case are list items (dev4 +2, dev2 -1: a price line now outranks)


def is_heading(text: str) -> bool:
    """A title, heading or question line: names a topic, rarely answers. A line without a full stop is one
    when it is short, capitalised like a title or split by " | "; a longer line in sentence case is a list
    item ("Running costs of about £12 per buoy per month"), which answers."""
    if text.endswith("?"):
        return True
    if _SENTENCE_END.search(text) or _LABELLED.match(text):
        return False
    if len(text.split()) <= HEAD_WORDS or " | " in text:
        return True
    words = _WORD.findall(text)
    return not words or sum(w[0].isupper() for w in words) >= 0.5 * len(words)


def sections(heading: np.ndarray, doc_of: np.ndarray) -> np.ndarray:
    """For each unit, the nearest heading before it in its document (-1 when none)."""
    out = np.full(len(heading), -1, np.int64)
    last = -1
    for i in range(len(heading)):
        if i and doc_of[i] != doc_of[i - 1]:
            last = -1
        out[i] = last
        if heading[i]:
            last = i
    return out


def window_name(before: int, after: int) -> str:
    return f"window_{before}_{after}"


def windows(tokens: list[list[str]], before: int, after: int) -> list[list[str]]:
    """The tokens of each sentence of one document joined with ``before``/``after`` neighbours."""
    n = len(tokens)
    return [[t for j in range(max(0, i - before), min(n, i + after + 1)) for t in tokens[j]] for i in range(n)]


_DEFINED = re.compile(r"\(([A-Z]{2,6})s?\)")  # "Heat Pump Mode (HPM)", "Time Off In Lieu (TOIL)"
ABBREVIATION = re.compile(r"\b([A-Z]{2,6})s?\b")  # one in use: "HPM", "EVs"
_JOINERS = {"and", "of", "for", "the", "&", "in", "on", "to"}


def with_long_forms(texts: list[str]) -> list[str]:
    """One document's sentences (in order) as ranked by their words: each followed by the long form of every
    abbreviation it uses that the document defines ("HPM can lower heating costs …" after "Heat Pump Mode
    (HPM)"), since users write out what documents shorten."""
    forms = long_forms(" ".join(texts))
    return [spelled_out(text, forms) for text in texts] if forms else texts


def long_forms(text: str) -> dict[str, str]:
    """The abbreviations ``text`` defines and their long forms: {"HPM": "Heat Pump Mode"}."""
    found: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        form = _long_form(text[max(0, m.start() - 200) : m.start()], m.group(1))
        if form:
            found.setdefault(m.group(1), form)
    return found


def spelled_out(text: str, forms: dict[str, str]) -> str:
    """``text`` followed by the long form of each abbreviation of ``forms`` it uses, unless it holds it."""
    if not forms:
        return text
    added = [forms[a] for a in dict.fromkeys(ABBREVIATION.findall(text))
             if a in forms and forms[a].lower() not in text.lower()]
    return " ".join([text, *added])


def _long_form(before: str, abbreviation: str) -> str | None:
    """The words right before "(ABBR)" whose initials spell it (small joining words allowed), or None."""
    words = before.split()
    letters = list(abbreviation.lower())
    taken = []
    while words and letters:
        word = words.pop()
        taken.append(word)
        if word.lower() in _JOINERS and letters[-1] != word[0].lower():
            continue
        if word[0].lower() != letters.pop():
            return None
    return " ".join(reversed(taken)) if not letters else None


def document_facts(texts: list[str]) -> dict:
    """What an index keeps about one document's sentences (in order) for ranking without reading them all:
    per window of ``WINDOWS`` the token set of each window and their total length, the document's token
    set and length, and its word counts."""
    tokens = tokenize(with_long_forms(texts))
    facts = {}
    for before, after in WINDOWS:
        joined = windows(tokens, before, after)
        facts[window_name(before, after)] = ([set(w) for w in joined], sum(len(w) for w in joined))
    facts["document"] = ([{t for sentence in tokens for t in sentence}], sum(len(s) for s in tokens))
    facts["words"] = Counter(w.lower() for text in texts for w in WORD.findall(text))
    return facts
