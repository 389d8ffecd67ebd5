"""Rank source sentences for questions: dense and BM25 evidence with context, z-score fused.

Every sentence gets seven scores, each standardised per question and summed
with a weight (``RetrievalConfig``):

- BM25 of the sentence, and of the sentence joined with its neighbours
  (the previous one, the previous two, the next one, two on each side), so a
  sentence that says "he" or "the mission" still matches the question's names;
- BM25 of the sentence's whole document;
- the dense cosine, raised by half the lead of the sentence's best clause
  when the index holds clause vectors (``clauses``), plus a share of the
  better neighbour's.

BM25 scores are standardised against their best ``bm25_depth`` values, the
dense score against its distribution over the corpus (a fixed sample of it
for very large corpora). The weights were tuned on ReQA SQuAD questions
outside the reported sample: z-score fusion with context beat reciprocal
rank fusion by 0.10 P@1 there (see the README). Headings and title lines
(units with no sentence-ending punctuation) name a topic but rarely answer a
question, so they carry a fixed penalty; so do the best candidates that lack
the amount, number or date a question asks for (``answer_type``), and, less, those whose opening clause
restricts them to a case the question does not name ("If the thermostat is fitted by an installer, …").
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeVar

import numpy as np

from bot.documents.sentences import Unit
from bot.documents.terms import ABBREVIATION, is_heading, long_forms, sections, spelled_out, with_long_forms
from bot.embedding.embedder import Embedder
from bot.ranking.answer_type import (
    DATE,
    DEFINING_WORDS,
    FRAME_WORDS,
    asks_effect,
    asks_funder,
    asks_person,
    asks_where,
    asks_why,
    asks_writer,
    asks_yes_no,
    counted_noun,
    counted_words,
    defined_term,
    defines,
    document_kind,
    expected_type,
    gives_reason,
    header_asked,
    is_byline,
    kinds_named,
    lacks,
    led_topic,
    names_funder,
    names_leader,
    names_person,
    names_place,
    offers,
    other_case,
    question_shape,
    states_effect,
    type_tokens,
)
from bot.ranking.lexical import BM25Scorer, content_tokens, paraphrase_credit, sentence_words, tokenize
from bot.ranking.rerank import DEPTH as RERANK_DEPTH
from bot.ranking.rerank import RERANK_FEATURES, shipped
from bot.ranking.spelling import Speller
from bot.ranking.superlative import cells, extreme, superlative, superlative_bases, superlative_in, superlative_word
from bot.ranking.token_match import shipped as token_matcher
from bot.store.store import StoredIndex
from bot.store.vectors import search_reranked

COUNTED_COSINE = 0.55  # a word after a count this close to what "How many …?" counts counts it (0.45: +1 -1 more)
DENSE_SAMPLE = 20_000  # past this, the cosine distribution is estimated on a fixed sample
EXACT_SCAN = 200_000  # up to this, every sentence is scored (one matrix product per batch)
CHUNK = 256
TOKEN_LIMIT = 5_000  # past this many sentences the token match is not computed (``rerank.PLAIN_FEATURES``)
TYPE_CACHE = 200_000  # sentences' answer-type tokens, and their words, kept between questions
JOINED_CACHE = 256  # documents' joined texts kept between questions
Missing = tuple[tuple[str, float], ...]
T = TypeVar("T")
_WORDS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_ANAPHOR = re.compile(r"(?:he|she|they|his|her|their|it|its|this|these)\b", re.I)
_QUALIFIER = re.compile(r"(?:if|unless|provided(?: that)?|in|for|at|within|outside)\s+([^,;:]{3,100}),", re.I)
_TIME = re.compile(r"\w+\s+(?:\S+\s+){0,2}?(?:\d|(?:january|february|march|april|may|june|july|august|september|"
                   r"october|november|december|spring|summer|autumn|winter|the (?:first|second|past|last|next))\b)",
                   re.I)  # "In 2016, …", "In the first half of the year, …": a time, often what is asked
_CONNECTIVE = re.compile(  # "For example, …", "In addition, …": a link between sentences, no restriction
    r"(?:for (?:example|instance|this reason|this purpose|a (?:long )?time|many years)|in (?:addition|particular|"
    r"contrast|fact|response|general|short|turn|practice|total|other words|this (?:work|case|way)|that case|"
    r"order to|accordance|the end|the meantime|the past|recent years)|at (?:that time|the time|first|least|"
    r"present|the same time))\b", re.I)
_WH_STEMS = frozenset({"what", "which", "who", "whom", "whose", "when", "where", "whi", "how"})
_OVERVIEW = re.compile(  # "This page explains how to report …": what a document is about, no answer of its own
    r"\W*(?:this|the following|these)\s+(?:[\w\-]+\s+){0,3}?(?:page|memo|memorandum|guide|document|policy|leaflet|"
    r"notice|section|letter|faq|faqs|article|report|note|procedure|booklet|e-?mail|website|site)s?\s+(?:\w+\s+)?"
    r"(?:explains?|sets?\s+out|describes?|covers?|tells?|outlines?|summari[sz]es?|answers?|lists?|gives?)\b", re.I)
# Everyday words that documents put otherwise ("kids" for children, "mail" for post, "shut" for closed): the
# question's tokens are searched with these too (seen sets: 9 more answered, 2 fewer; "pay", "phone", "ring" and
# "free" read too many ways and were left out).
_EVERYDAY = {"kids": "children", "kid": "child", "mail": "post", "shut": "closed", "dearer": "price",
             "cheaper": "price", "buy": "purchase", "fix": "repair", "fixing": "repair", "boss": "manager",
             "car": "vehicle", "bike": "cycle", "allowed": "permitted", "job": "role"}


def _everyday(words: list[str]) -> list[str]:
    """The documents' usual words for the everyday ones among ``words`` ("children" for "kids")."""
    return [_EVERYDAY[w] for w in words if w in _EVERYDAY]


_PRESS_ASKED = re.compile(r"^(?=.*\b(?:press|media|journalists?|reporters?)\b).*\b(?:contact|touch|speak|talk|call|"
                          r"ring|e-?mail|enquir)", re.I)
_PRESS_HEADING = frozenset(content_tokens("media press contact"))  # what such a question is taken to name
_ABOUT_ITSELF = re.compile(r"\b(?:this|the)\s+(?:[\w\-]+\s+){0,2}?(?:page|memo|memorandum|guide|document|policy|"
                           r"leaflet|notice|letter|article|report|procedure|booklet|e-?mail|website)\b|\babout\W*$",
                           re.I)  # "What does this page cover?", "What is the memo about?"


@dataclass(frozen=True, slots=True)
class LexicalTerm:
    """BM25 over each sentence joined with ``before``/``after`` neighbours of its document."""

    before: int
    after: int
    k1: float
    b: float
    weight: float


HEAD = 400  # characters of a document's top, where it says what it is ("MEDIA RELEASE", "MEMO")
HEAD_UNITS = 6  # sentences of a document's top, where an article's byline stands


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    """The fused score's settings; the defaults are the tuned ones."""

    lexical: tuple[LexicalTerm, ...] = (
        LexicalTerm(0, 0, 0.1, 0.5, 0.2),
        LexicalTerm(1, 0, 0.1, 0.5, 0.2),
        LexicalTerm(2, 0, 0.1, 0.5, 0.4),
        LexicalTerm(0, 1, 0.1, 0.5, 0.25),
    )
    w_document: float = 0.45
    document_k1: float = 0.5
    document_b: float = 0.75
    w_dense: float = 1.3
    w_neighbour: float = 0.2
    w_section: float = 0.2
    bm25_depth: int = 500
    candidates: int = 100
    lexical_limit: int = 2_000  # Milvus: sentences per BM25 search (every match below it: exact BM25 terms)
    heading_penalty: float = 4.0
    number_bonus: float = 1.0
    type_penalty: float = 3.4
    type_depth: int = 30
    clause_boost: float = 0.5
    definition_bonus: float = 6.0
    spelling: bool = True
    person_bonus: float = 2.5  # "Who …?": a person named (26 sets: +12 answered, -2 against 1.5; 2.0 / 3.0: +4 / +5)
    count_bonus: float = 2.0  # "How many gates …?": "fourteen oak gates" (26 sets: +5 answered, 1 off-topic answered)
    row_bonus: float = 1.0  # "How much is the Pro model?": the row labelled "Cam 2 Pro" (28 sets: +10, -1; 2.0: +12 -2)
    leader_bonus: float = 2.0  # "Who runs the library?": "its director, …" (28 sets: +3 answered, +1 declined)
    effect_bonus: float = 4.0  # "When does the policy come in?": "takes effect on …" (26 sets: +7 answered; 2.0: +5)
    qualifier_penalty: float = 1.0  # docs-dev and dev3 +1 each, no other set moved (2.0: dev2 -1)
    place_penalty: float = 3.0  # "Where …?": no place named (seen sets: 1 more answered, 8 ranked higher, none lower)
    reason_penalty: float = 1.5  # "Why …?": no reason given (seen sets: 4 more answered, none lower)
    paraphrase_bonus: float = 1.0  # the question's words a sentence paraphrases (seen sets +11 answered, -3 declined)
    paraphrase_depth: int = 10  # candidates it is weighed for (30: the same answers, the first question 0.3 s slower)
    case_penalty: float = 2.0  # "summer term" asked, "Spring term courses start …" named
    overview_penalty: float = 2.0  # "This page explains …" lacking the type asked for (seen sets +2, none lower)
    header_first: bool = True  # "Who sent this memo?": its "From:" line, wherever it ranks, goes first
    faq_lift: bool = True  # the reply to a question heading ranks above the heading
    superlative: bool = True  # "the cheapest plan": the table row holding the lowest price goes first
    continuation_lift: bool = True  # "It was built in 1871." above the sentence naming "it" but no date
    rerank: bool = True  # the ten best re-ordered by trees over their evidence (``rerank``)


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked sentence (index into the units) with the evidence behind its rank."""

    unit: int
    score: float
    cosine: float
    bm25: float


@dataclass(frozen=True, slots=True)
class Ranking:
    """The ranked hits of one question and the question-level evidence for declining."""

    query: str
    hits: list[Hit]
    coverage: float
    corpus_coverage: float
    missing: tuple[tuple[str, float], ...] = ()
    placed: bool = False  # the best sentence was put first by a rule that answers by itself (the media contact)
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)  # the question's, as searched
    candidates: list[list[float]] | None = field(default=None, compare=False, repr=False)  # the best hits'
    # ``RERANK_FEATURES``, in the hits' order (what the reranker read; ``qabot bench rerank`` fits on them)


@dataclass(frozen=True, slots=True)
class Boost:
    """What a conversation adds to one question's fused scores: ``units`` by sentence (each one made a
    candidate) and ``spans`` to the candidates within unit ranges ``[start, end)`` (a document's sentences,
    which do not all become candidates)."""

    units: Mapping[int, float] = field(default_factory=dict)
    spans: tuple[tuple[int, int, float], ...] = ()
    last: int = -1  # the sentence the last answer was read from (the reranker reads how far each candidate is)


@dataclass(slots=True)
class Evidence:
    """What a store's ranker found for one question: the candidate sentences (ascending unit ids) and, for
    each, its standardised lexical and dense terms, its clause-boosted cosine, its sentence BM25, whether it
    holds the question's numbers and whether it is a heading; ``text`` gives a candidate's text."""

    cand: np.ndarray
    lexical: np.ndarray
    dense: np.ndarray
    cosine: np.ndarray
    bm25: np.ndarray
    numbers: np.ndarray
    heading: np.ndarray
    text: Callable[[int], str]


class Fusion:
    """The fused score over one question's candidates, and what it asks of an index: the part of ranking
    every store shares. A store's ranker supplies ``evidence`` and the corpus vocabulary."""

    def __init__(self, embedder: Embedder, config: RetrievalConfig):
        self.embedder = embedder
        self.config = config
        self.timings: dict[str, float] = {}
        self._type_tokens: dict[tuple[str, int], tuple[str, ...]] = {}
        self._wording: dict[int, tuple[frozenset[str], list[str]]] = {}
        self._names: dict[int, tuple[float, float, float]] = {}  # a person, a place, a reason named
        self._joined: dict[str, str] = {}
        self._long_forms: dict[str, dict[str, str]] = {}

    # -- what a store's ranker provides ------------------------------------------------
    size: int  # sentences in the index

    def unit(self, unit: int) -> Unit:
        """The sentence with this unit id."""
        raise NotImplementedError

    def units(self, units: Sequence[int]) -> list[Unit]:
        """The sentences with these unit ids, in one look-up."""
        return [self.unit(u) for u in units]

    def doc_units(self, doc: str) -> list[int]:
        """The unit ids of one document, in order."""
        raise NotImplementedError

    def neighbour(self, unit: int, step: int) -> int:
        """The unit ``step`` (-1 or 1) sentences away in the same document; -1 at its edges."""
        raise NotImplementedError

    def position(self, unit: int) -> int:
        """Where the unit stands in its document (0 for its first sentence)."""
        raise NotImplementedError

    def spelled_out(self, unit: int, text: Callable[[int], str] | None = None) -> str:
        """The sentence followed by the long forms of the abbreviations its document defines and it uses."""
        sentence = text(unit) if text else self.unit(unit).text
        if not ABBREVIATION.search(sentence):
            return sentence
        doc = self.unit(unit).doc
        return spelled_out(sentence, _recent(self._long_forms, doc, lambda: long_forms(self.joined(doc))))

    def joined(self, doc: str) -> str:
        """One document's text joined from its sentences (the last ``JOINED_CACHE`` kept: follow-ups and the
        decline's names check read the documents of the answers again and again)."""
        return _recent(self._joined, doc, lambda: " ".join(u.text for u in self.units(self.doc_units(doc))))

    def idf(self, token: str) -> float:
        """The sentence-level IDF of a stemmed token (0 when no sentence holds it)."""
        raise NotImplementedError

    def words(self) -> list[str]:
        """The documents' texts the speller learns their words from."""
        raise NotImplementedError

    def evidence(self, query: str, tokens: list[str], qvec: np.ndarray, cosines: np.ndarray | None,
                 boost: Boost | None) -> Evidence | None:
        """The candidates of one question (every boosted unit among them); ``None`` for an empty index."""
        raise NotImplementedError

    # -- ranking ---------------------------------------------------------------------
    @cached_property
    def speller(self) -> Speller:
        return Speller(self.words(), self.embedder.vocabulary)

    def encode(self, queries: list[str]) -> np.ndarray:
        """The vectors ``rank_many`` searches with for these questions (typos mended first), in one batch."""
        return self.embedder.encode_queries(self._mended(queries))

    def _mended(self, queries: list[str]) -> list[str]:
        return [self.speller.correct(q) for q in queries] if self.config.spelling else list(queries)

    def rank_many(self, queries: list[str], k: int = 10,
                  boosts: Sequence[Boost | None] | None = None,
                  vectors: np.ndarray | None = None) -> list[Ranking]:
        """Rank sentences for many questions in one pass (the native case); typos in them are mended
        against the documents' words first (the ranking's ``query`` is the question as read).

        ``boosts`` (one per question, optional) adds a bonus to the fused score of chosen
        sentences and documents: a conversation's last answer, its neighbours and its documents. ``vectors``: the
        questions' vectors from ``encode``, when already computed.
        """
        if not queries:
            return []
        t0 = time.perf_counter()
        queries = self._mended(queries)
        if self.size <= TOKEN_LIMIT and vectors is None:  # the token vectors ``token_match`` reads, at once
            vectors = self.embedder.encode_with_states(queries)[0]
        elif reading := [q for q, b in zip(queries, boosts or [None] * len(queries))
                         if self._reads_token_match(b.last if b else -1)]:
            self.embedder.states(reading)
        vectors = self.embedder.encode_queries(queries) if vectors is None else vectors
        t1 = time.perf_counter()
        rankings = self.rank_vectors(queries, vectors, k, boosts)
        t2 = time.perf_counter()
        self.timings = {"encode_ms": (t1 - t0) * 1000 / len(queries), "rank_ms": (t2 - t1) * 1000 / len(queries)}
        return rankings

    def rank_vectors(self, queries: list[str], vectors: np.ndarray, k: int = 10,
                     boosts: Sequence[Boost | None] | None = None) -> list[Ranking]:
        """Rank with question vectors already computed."""
        boosts = boosts or [None] * len(queries)
        return [self._rank(q, v, None, k, b) for q, v, b in zip(queries, vectors, boosts)]

    def rank(self, query: str, k: int = 10) -> Ranking:
        return self.rank_many([query], k)[0]

    def top_text(self, ranking: Ranking) -> str:
        """The text of the best-ranked sentence ('' when nothing ranked)."""
        return self.unit(ranking.hits[0].unit).text if ranking.hits else ""

    def antecedent(self, unit: int) -> str | None:
        """The sentence before ``unit`` when ``unit`` opens with a pronoun that likely points into it ("He took
        office in March 2022." after "The museum's director is Dr Samuel Achterberg."), else None."""
        before = self.neighbour(unit, -1)
        return self.unit(before).text if before >= 0 and _ANAPHOR.match(self.unit(unit).text) else None

    def _rank(self, query: str, qvec: np.ndarray, cosines: np.ndarray | None, k: int,
              boost: Boost | None = None) -> Ranking:
        tokens = self.tokens(query)
        found = self.evidence(query, tokens, qvec, cosines, boost)
        if found is None:
            return Ranking(query, [], 0.0, 0.0, vector=qvec)
        return replace(self.fuse(query, tokens, found, k, boost), vector=qvec)

    def fuse(self, query: str, tokens: list[str], ev: Evidence, k: int,
             boost: Boost | None = None) -> Ranking:
        """Rank the candidates by their fused score and gather the evidence for declining."""
        cfg, cand = self.config, ev.cand
        fused = ev.lexical + cfg.w_dense * ev.dense
        fused -= cfg.heading_penalty * ev.heading
        fused += cfg.number_bonus * ev.numbers
        if boost and boost.units:  # every boosted unit is a candidate
            units = np.fromiter(boost.units.keys(), np.int64, len(boost.units))
            fused[np.searchsorted(cand, units)] += np.fromiter(boost.units.values(), np.float32, len(boost.units))
        for start, end, bonus in boost.spans if boost else ():
            fused[slice(*np.searchsorted(cand, [start, end]))] += bonus
        weights = self._weights(content_tokens(query))
        if defined_term(query):  # "What does TOIL stand for?": only the term is asked about
            weights = {t: w for t, w in weights.items() if t not in DEFINING_WORDS} or weights
        frame = FRAME_WORDS.get(expected_type(query), ())  # "What's the head's email?": whose, not "email"
        weights = {t: w for t, w in weights.items() if t not in frame} or weights
        fused += self._paraphrased(query, weights, fused, cand, ev.text)
        fused -= self._type_penalty(query, fused, cand, ev.text)
        fused += self._answer_bonus(query, fused, cand, ev.text)
        fused += self._counted(query, fused, cand, ev.text)
        fused += self._row_label(query, fused, cand, ev.text)
        fused -= self._qualified(query, fused, cand, ev.text)
        fused -= self._overview(query, fused, cand, ev.text)
        fused -= self._other_cases(query, fused, cand, ev.text)
        fused -= self._placeless(query, fused, cand, ev.text)
        fused -= self._reasonless(query, fused, cand, ev.text)
        fused += self._header(query, fused, cand, ev.text)
        placed = self._lift_replies(query, fused, cand, ev) if cfg.faq_lift else set()
        if cfg.continuation_lift:
            self._lift_continuations(query, fused, cand, ev.text)
        extreme = self._extreme_row(query, fused, cand, ev.text) if cfg.superlative else None
        depth = max(k, RERANK_DEPTH)
        order = np.lexsort((cand, -fused))[:depth] if len(cand) <= 4 * depth else _top_sorted(fused, cand, depth)
        hits = [Hit(int(cand[i]), float(fused[i]), float(ev.cosine[i]), float(ev.bm25[i])) for i in order]
        rows = self.candidate_rows(query, hits[:RERANK_DEPTH], ev, boost.last if boost else -1) if hits else None
        if rows and cfg.rerank:  # rows without the token match (``_reads_token_match``): the plain trees
            first = shipped(len(rows[0]) < len(RERANK_FEATURES)).order(rows)
            if extreme is not None:  # the row holding the value asked for answers by itself: the trees keep it first
                first = [i for i in first if hits[i].unit == extreme] + [i for i in first if hits[i].unit != extreme]
            hits[: len(first)], rows = [hits[i] for i in first], [rows[i] for i in first]
        hits = hits[:k]
        if hits and cfg.superlative and cells(ev.text(hits[0].unit)):  # a row answers "cheapest" by its values
            weights = {t: w for t, w in weights.items() if t not in content_tokens(superlative_word(query))}
        coverage, missing = self._coverage(query, weights, self.spelled_out(hits[0].unit, ev.text)) if hits \
            else (0.0, ())
        return Ranking(query, hits, coverage, self._corpus_coverage(weights), missing,
                       placed=bool(hits) and hits[0].unit in placed, candidates=rows and rows[:k])

    def candidate_rows(self, query: str, hits: list[Hit], ev: Evidence, last: int = -1) -> list[list[float]]:
        """Each hit's ``RERANK_FEATURES`` (``hits``: the best candidates, in fused order; ``last``: the sentence
        the conversation's last answer was read from, -1 for none)."""
        top, kind = hits[0], expected_type(query)
        last_at = (self.unit(last).doc, self.position(last)) if last >= 0 else None
        shape = list(question_shape(query))
        weights = self._weights(content_tokens(query))
        by_cosine = sorted(range(len(hits)), key=lambda i: -hits[i].cosine)
        by_bm25 = sorted(range(len(hits)), key=lambda i: -hits[i].bm25)
        top_doc = self.unit(top.unit).doc
        match = self.token_match(query, [hit.unit for hit in hits], ev.text) \
            if self._reads_token_match(last) else None
        rows = []
        for i, (hit, unit) in enumerate(zip(hits, self.units([h.unit for h in hits]))):
            j = int(np.searchsorted(ev.cand, hit.unit))
            text = ev.text(hit.unit)
            found = None if kind is None else _kept(self._type_tokens, (kind, hit.unit),
                                                    lambda text=text: type_tokens(kind, text))
            offered = -1.0 if kind is None else float(offers(kind, text, query, found))
            lacking = float(kind is not None and lacks(kind, text, query, found))
            same = unit.doc == top_doc
            names = _kept(self._names, hit.unit, lambda text=text: (float(names_person(text)),
                                                                    float(names_place(text)),
                                                                    float(gives_reason(text))))
            present = self._words_of(hit.unit, ev.text)[0]
            rows.append([float(i), hit.score, hit.score - top.score, hit.cosine, hit.bm25, float(ev.lexical[j]),
                         float(ev.dense[j]), hit.score - float(ev.lexical[j] + self.config.w_dense * ev.dense[j]),
                         float(ev.numbers[j]), float(ev.heading[j]), float(by_cosine.index(i)),
                         float(by_bm25.index(i)), float(len(text.split())),
                         self._coverage(query, weights, text, present)[0], offered, float(same),
                         float(same and abs(hit.unit - top.unit) == 1), float(min(self.position(hit.unit), 50)),
                         *shape, *names, lacking, hit.cosine - top.cosine, hit.bm25 - top.bm25,
                         self._from_last(hit.unit, unit.doc, last_at)])
            if match is not None:
                rows[-1].append(float(match[i] - match.max()))
        return rows

    def _reads_token_match(self, last: int) -> bool:
        """Whether a question's candidates get their token match (``last``: the sentence of the conversation's
        last answer, -1 for none): not past ``TOKEN_LIMIT`` sentences, nor for a conversation turn the reranker
        orders (its rewrite holds the words of what it refers to, "he": the name, which the token match would
        read as asked; the plain trees order it), unless the rows are read unranked (``bench rerank`` fits on
        every turn's)."""
        return self.size <= TOKEN_LIMIT and not (last >= 0 and self.config.rerank)

    def token_match(self, query: str, units: list[int], text: Callable[[int], str]) -> np.ndarray:
        """How closely each sentence's words meet the question's, word by word (``token_match.TokenMatch``; as a
        reranker feature, its lead over the best candidate's: read for all ten candidates rather than the first
        five, first right 3,012 against 3,002 of 3,780, left out)."""
        asked, *states = self.embedder.states([query] + [text(u) for u in units])
        return token_matcher().scores(asked, states)

    def _from_last(self, unit: int, doc: str, last_at: tuple[str, int] | None) -> float:
        """How far sentence ``unit`` stands from the last answer's (``last_at``: its document and position): 0 for
        that sentence, up to 20 sentences, 30 in another document, -1 with no last answer (left out, conversation
        turns first right 341 → 347 of 455)."""
        if last_at is None:
            return -1.0
        if doc != last_at[0]:
            return 30.0
        return float(min(abs(self.position(unit) - last_at[1]), 20))

    @staticmethod
    def tokens(query: str) -> list[str]:
        """The question's stemmed tokens, question words left out, then the documents' usual words for its
        everyday ones ("children" for "kids") and its word pairs run together ("headteacher" for "head teacher":
        searched only where the documents hold them)."""
        found = [t for t in tokenize([query])[0] if t not in _WH_STEMS]
        words = re.findall(r"[a-z]+", query.lower())
        content, stems = set(content_tokens(query)), dict(zip(words, tokenize(words)))  # each word's stems, at once
        pairs = [a + b for a, b in zip(words, words[1:])
                 if len(a) > 2 and len(b) > 2 and {*stems[a], *stems[b]} <= content]
        extra = _everyday(words) + pairs
        return found + [t for t in dict.fromkeys(tokenize([" ".join(extra)])[0]) if t not in found]

    def _type_penalty(self, query: str, fused: np.ndarray, cand: np.ndarray,
                      text: Callable[[int], str]) -> np.ndarray:
        """What to subtract from the ``type_depth`` best candidates that lack the amount, number or date asked
        for: ``type_penalty``, but never so much that one falls below the best unchecked candidate."""
        penalty = np.zeros(len(cand), np.float32)
        kind = expected_type(query) if self.config.type_penalty else None
        if not kind:
            return penalty
        checked = _top(fused, min(self.config.type_depth, len(cand)))
        rest = np.ones(len(cand), bool)
        rest[checked] = False
        floor = float(fused[rest].max()) if rest.any() else None
        for i in checked:
            if self.lacks_type(kind, int(cand[i]), query, text):
                lowered = fused[i] - self.config.type_penalty
                if floor is not None:  # stays above the unchecked candidates, in its own order
                    lowered = max(lowered, floor + 1e-3 * (fused[i] - floor))
                penalty[i] = fused[i] - lowered
        return penalty

    def lacks_type(self, kind: str, unit: int, query: str, text: Callable[[int], str] | None = None) -> bool:
        """Whether sentence ``unit`` lacks the answer type ``kind`` that ``query`` asks for (its type tokens
        cached between questions; ``text`` gives its text when not ``unit(unit).text``)."""
        sentence = text(unit) if text else self.unit(unit).text
        found = _kept(self._type_tokens, (kind, unit), lambda: type_tokens(kind, sentence))
        return lacks(kind, sentence, query, found)

    def _answer_bonus(self, query: str, fused: np.ndarray, cand: np.ndarray,
                      text: Callable[[int], str]) -> np.ndarray:
        """What to add to the ``type_depth`` best candidates that hold what a definition or a "who" question asks
        for (the abbreviation spelled out, a person named; more when "Who runs the library?" meets a sentence
        naming the library's director), and to every candidate saying when a rule starts, for a question asking
        that ("takes effect on …", "(effective 1 March 2025)"; 42 sets: +4 answered, -1, three more ranked in the
        first six)."""
        bonus = np.zeros(len(cand), np.float32)
        cfg = self.config
        term = defined_term(query) if cfg.definition_bonus else None
        person = cfg.person_bonus and asks_person(query)
        funder = person and asks_funder(query)  # "Who's paying for …?": a grant's giver, not any person
        led = led_topic(query) if person and cfg.leader_bonus else frozenset()
        effect = cfg.effect_bonus and asks_effect(query)
        if not term and not person and not effect:
            return bonus
        for i in _top(fused, min(cfg.type_depth, len(cand))) if term or person else ():
            sentence = text(int(cand[i]))
            if term and defines(sentence, term):
                bonus[i] += cfg.definition_bonus
            if person and (names_funder(sentence) if funder else names_person(sentence)):
                bonus[i] += cfg.person_bonus
            if led and names_leader(sentence) and led & set(content_tokens(sentence)):
                bonus[i] += cfg.leader_bonus  # "Who runs the library?": "… the library's director, Tomas Ekdahl"
        for i in range(len(cand)) if effect else ():  # every candidate: "(effective 1 March 2025)" in a memo's
            if states_effect(text(int(cand[i]))):  # subject line shares no word with "When do the rules kick in?"
                bonus[i] += cfg.effect_bonus
        return bonus

    def _paraphrased(self, query: str, weights: dict[str, float], fused: np.ndarray, cand: np.ndarray,
                     text: Callable[[int], str]) -> np.ndarray:
        """What to add to the ``paraphrase_depth`` best candidates for the question words they do not hold but
        paraphrase ("extended" for "longer", "Wi-Fi only" for "5ghz wifi"): ``paraphrase_bonus`` times those
        words' share of the question's IDF mass (``weights``), each weighted by ``paraphrase_credit``."""
        bonus = np.zeros(len(cand), np.float32)
        total = sum(weights.values()) if self.config.paraphrase_bonus else 0.0
        asked: dict[str, str] = {}  # stem -> the question's word
        for word, stem in _question_words(query) if total else ():
            if stem in weights:
                asked.setdefault(stem, word)
        if not asked:
            return bonus
        top = _top(fused, min(self.config.paraphrase_depth, len(cand)))
        wording = [self._words_of(int(cand[i]), text) for i in top]
        vocabulary = sorted(set().union(*(own for _, own in wording)))
        column = {w: j for j, w in enumerate(vocabulary)}
        vectors = self.embedder.word_vectors([*asked.values(), *vocabulary])  # one batch for the question
        cosines = vectors[:len(asked)] @ vectors[len(asked):].T
        shares = np.array([weights[stem] / total for stem in asked])
        for i, (present, own) in zip(top, wording):
            lacking = [r for r, stem in enumerate(asked) if stem not in present]
            if lacking and own:
                best = cosines[np.ix_(lacking, [column[w] for w in own])].max(axis=1)
                bonus[i] = self.config.paraphrase_bonus * float(paraphrase_credit(best) @ shares[lacking])
        return bonus

    def _counted(self, query: str, fused: np.ndarray, cand: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
        """For "How many villages …?", ``count_bonus`` to the ``paraphrase_depth`` best candidates that count
        what is asked or a close paraphrase ("14 villages", "17 stops" for "stations")."""
        bonus = np.zeros(len(cand), np.float32)
        noun = counted_noun(query) if self.config.count_bonus else None
        if noun is None:
            return bonus
        top = _top(fused, min(self.config.paraphrase_depth, len(cand)))
        following = [counted_words(text(int(cand[i]))) for i in top]
        words = sorted(set().union(*following))
        if not words:
            return bonus
        vectors = self.embedder.word_vectors([noun, *words])
        close = {w for w, c in zip(words, vectors[1:] @ vectors[0]) if c >= COUNTED_COSINE}
        for i, after in zip(top, following):
            if close.intersection(after):
                bonus[i] = self.config.count_bonus
        return bonus

    def _row_label(self, query: str, fused: np.ndarray, cand: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
        """``row_bonus`` for the ``type_depth`` best candidates that are rows of the best candidate's document
        whose label (the first cell, its brackets left out) holds a question word: "How much is the Pro model?"
        asks for the row labelled "Cam 2 Pro" more than for a sentence about the Pro's battery."""
        bonus = np.zeros(len(cand), np.float32)
        if not self.config.row_bonus or not len(cand) or asks_person(query) or asks_yes_no(query):
            return bonus  # a row names no person, and "Can we have more than 15 kids?" is said in a sentence
        words = re.findall(r"[a-z]+", query.lower())
        asked = set(content_tokens(" ".join(words + _everyday(words))))
        checked = _top(fused, min(self.config.type_depth, len(cand)))
        best, *top = [int(cand[int(np.argmax(fused))]), *(int(cand[i]) for i in checked)]
        docs = [u.doc for u in self.units([best, *top])]  # one look-up (a store on Milvus keeps them)
        for i, unit, doc in zip(checked, top, docs[1:]):
            row = cells(text(unit))
            label = re.sub(r"\([^)]*\)", " ", next(iter(row.values()))) if row else ""
            if row and doc == docs[0] and asked & set(content_tokens(label)):
                bonus[i] = self.config.row_bonus
        return bonus

    def _words_of(self, unit: int, text: Callable[[int], str]) -> tuple[frozenset[str], list[str]]:
        """A sentence's stemmed content tokens and its words (kept between questions)."""
        def make() -> tuple[frozenset[str], list[str]]:
            sentence = text(unit)
            return frozenset(content_tokens(sentence)), sentence_words(sentence)
        return _kept(self._wording, unit, make)

    def _header(self, query: str, fused: np.ndarray, cand: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
        """For a question about the document itself, what lifts the header lines it asks for ("From: …" for
        "Who sent this memo?"), among every candidate, above the rest (in their own order); else zeros."""
        lift = np.zeros(len(cand), np.float32)
        line = header_asked(query) if self.config.header_first else None
        if line:
            found = [i for i, unit in enumerate(cand) if line.match(text(int(unit)))]
            kind = document_kind(query)  # "this press release": the header lines of one that says so at its top
            if kind:  # else not one whose top names another kind ("MEMO" when a release is asked for, its own
                # kind words dropped with its running header)
                doc = {i: self.unit(int(cand[i])).doc for i in found}
                kinds = {d: self._kinds(d) for d in set(doc.values())}
                found = [i for i in found if kind in kinds[doc[i]]] or \
                    [i for i in found if not kinds[doc[i]] - {kind}] or found
            if expected_type(query) == DATE:  # "FOR IMMEDIATE RELEASE" above its date line: the date
                found = [i for i in found if any(c.isdigit() for c in text(int(cand[i])))] or found
            if asks_writer(query):  # "Who wrote this?": an article's byline before a memo's "From:" line
                found = [i for i in found if is_byline(text(int(cand[i])))] or found
            if found:
                lift[found] = float(fused.max() - fused[found].min()) + 1.0
        return lift

    def _kinds(self, doc: str) -> set[str]:
        """The kinds of document ``doc`` says it is at its top ("memo" of "MEMO", "article" of a byline)."""
        top = self.units(self.doc_units(doc)[:HEAD_UNITS])
        byline = any(is_byline(u.text) for u in top)
        return kinds_named(self.joined(doc)[:HEAD]) | ({"article"} if byline else set())

    def _penalty(self, amount: float, fused: np.ndarray, cand: np.ndarray,
                 lowered: Callable[[int], bool]) -> np.ndarray:
        """``amount`` for each of the ``type_depth`` best candidates that ``lowered`` (given its unit) picks."""
        penalty = np.zeros(len(cand), np.float32)
        if amount:
            for i in _top(fused, min(self.config.type_depth, len(cand))):
                if lowered(int(cand[i])):
                    penalty[i] = amount
        return penalty

    def _qualified(self, query: str, fused: np.ndarray, cand: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
        """What to subtract from the ``type_depth`` best candidates whose opening clause restricts them to a case
        the question does not name ("If the thermostat is fitted by an installer, …", "In London, …")."""
        asked = set(content_tokens(query))

        def restricted(unit: int) -> bool:
            m = _QUALIFIER.match(text(unit))
            return bool(m) and not _TIME.match(m.group(0)) and not _CONNECTIVE.match(m.group(0)) \
                and not set(content_tokens(m.group(1))) & asked
        return self._penalty(self.config.qualifier_penalty, fused, cand, restricted)

    def _overview(self, query: str, fused: np.ndarray, cand: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
        """What to subtract from the ``type_depth`` best candidates that say what their document is about ("This
        page explains how to report a lost item, how long we keep things and …"): they name every topic and
        answer none, unless the question asks about the document itself or for a type the sentence holds."""
        amount = 0.0 if _ABOUT_ITSELF.search(query) else self.config.overview_penalty
        kind = expected_type(query)
        return self._penalty(amount, fused, cand, lambda unit: bool(
            _OVERVIEW.match(text(unit))) and (not kind or self.lacks_type(kind, unit, query, text)))

    def _placeless(self, query: str, fused: np.ndarray, cand: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
        """What to subtract from the ``type_depth`` best candidates that say no place when asked where."""
        amount = self.config.place_penalty if asks_where(query) else 0.0
        return self._penalty(amount, fused, cand, lambda unit: not names_place(text(unit)))

    def _reasonless(self, query: str, fused: np.ndarray, cand: np.ndarray, text: Callable[[int], str]) -> np.ndarray:
        """What to subtract from the ``type_depth`` best candidates that give no reason when asked why."""
        amount = self.config.reason_penalty if asks_why(query) else 0.0
        return self._penalty(amount, fused, cand, lambda unit: not gives_reason(text(unit)))

    def _other_cases(self, query: str, fused: np.ndarray, cand: np.ndarray,
                     text: Callable[[int], str]) -> np.ndarray:
        """What to subtract from the ``type_depth`` best candidates that name another day, season or colour
        than the question and not its own (``other_case``)."""
        return self._penalty(self.config.case_penalty, fused, cand, lambda unit: other_case(query, text(unit)))

    def reply_to(self, unit: int) -> int:
        """The sentence answering the question heading ``unit`` ("Can someone else collect my parcel?"): the
        next one in its document, past a bare "Yes." or "No." (-1 when none)."""
        reply = self.neighbour(unit, 1)
        while reply >= 0 and len(self.unit(reply).text.split()) <= 2:
            reply = self.neighbour(reply, 1)
        return reply

    def _lift_replies(self, query: str, fused: np.ndarray, cand: np.ndarray, ev: Evidence) -> set[int]:
        """Raise the reply to each question heading (an FAQ's) just above the heading when it ranks below it:
        the heading only repeats the question (docs-dev and the other dev sets: two more ranked first, none
        lower); for "Who …?", likewise the person named under a heading that names nobody ("Media contact").
        Returns the people put above every candidate, under a heading the question names ("who is the media
        contact?")."""
        placed = set()
        who = asks_person(query)
        asked = set(content_tokens(query))
        looked = _top(fused, min(self.config.type_depth, len(cand)))
        if who and _PRESS_ASKED.search(query):  # "Who should journalists get in touch with?": the media contact,
            asked |= _PRESS_HEADING  # under its heading wherever it ranks (the question shares no word with it)
            press = [i for i in np.flatnonzero(ev.heading)
                     if (words := set(content_tokens(ev.text(int(cand[i]))))) and words <= asked]
            looked = np.union1d(looked, np.array(press, np.int64))
        for i in looked:
            heading = ev.text(int(cand[i])) if ev.heading[i] else ""
            if not heading.endswith("?") and not (who and heading and not names_person(heading)):
                continue
            reply = self.reply_to(int(cand[i]))
            j = _position(cand, reply)
            if j < 0:
                continue
            person = names_person(ev.text(reply))  # "Media contact" / "Kerensa Orrell, …"
            if fused[j] < fused[i] and (heading.endswith("?") or person):
                fused[j] = fused[i] + 0.01
            if who and person and set(content_tokens(heading)) <= asked:  # "who is the media contact for …?"
                fused[j] = max(fused[j], fused.max() + 0.01)
                placed.add(reply)
        return placed

    def _extreme_row(self, query: str, fused: np.ndarray, cand: np.ndarray,
                     text: Callable[[int], str]) -> int | None:
        """For a superlative question ("What's the cheapest plan?") whose best table row ranks among the first
        five, raise the row of the same table holding the lowest or highest value compared above every
        candidate (rows of a table: the best ``type_depth`` candidates with the same document and headings),
        unless the best candidate says the superlative itself ("the lowest bidder"). Returns the raised row's
        unit id (None when none is)."""
        asked = superlative(query)
        if not asked:
            return None
        checked = _top(fused, min(self.config.type_depth, len(cand)))
        checked = checked[np.argsort(-fused[checked], kind="stable")]
        rows = {int(i): found for i in checked if (found := cells(text(int(cand[i])))) is not None}
        first = next((int(i) for i in checked[:5] if int(i) in rows), None)
        if first is None or superlative_in(query, text(int(cand[checked[0]]))):  # "the lowest bidder, …"
            return None
        doc = self.unit(int(cand[first])).doc
        table = [i for i in rows if rows[i].keys() == rows[first].keys() and self.unit(int(cand[i])).doc == doc]
        best = extreme([rows[i] for i in table], *asked) if len(table) > 1 else None
        if best is None:
            return None
        fused[table[best]] = fused.max() + 0.01
        return int(cand[table[best]])

    def _lift_continuations(self, query: str, fused: np.ndarray, cand: np.ndarray,
                            text: Callable[[int], str]) -> None:
        """Raise a sentence opening with a pronoun just above the sentence before it when that one outranks
        it but lacks the amount, number or date asked for and this one holds it ("Gannet Point Lighthouse
        stands on the headland …" then "It was built in 1871 …" for "When was the lighthouse built?")."""
        kind = expected_type(query)
        if not kind:
            return
        for i in _top(fused, min(self.config.type_depth, len(cand))):
            after = self.neighbour(int(cand[i]), 1)
            j = _position(cand, after)
            if j >= 0 and fused[j] < fused[i] and _ANAPHOR.match(text(after)) \
                    and self.lacks_type(kind, int(cand[i]), query, text) \
                    and not self.lacks_type(kind, after, query, text):
                fused[j] = fused[i] + 0.01

    def coverage(self, query: str, text: str) -> tuple[float, Missing]:
        """Share of the question's IDF mass that ``text`` contains, and the question words it lacks."""
        return self._coverage(query, self._weights(content_tokens(query)), text)

    def _weights(self, tokens: list[str]) -> dict[str, float]:
        unseen = float(np.log(1 + (self.size + 0.5) / 0.5))
        return {t: (self.idf(t) or unseen) for t in dict.fromkeys(tokens)}  # in the question's order: sums repeat

    @staticmethod
    def _coverage(query: str, weights: dict[str, float], text: str,
                  present: frozenset[str] | None = None) -> tuple[float, Missing]:
        """Share of the question's IDF mass (``weights``) the sentence ``text`` contains, and the question
        words it lacks (each with its share of that mass); ``present``: its content tokens, when already read."""
        total = sum(weights.values())
        if not total:
            return 0.0, ()
        present = set(content_tokens(text)) if present is None else present
        lacking = dict.fromkeys(t for t in weights if t not in present)
        missing = {}
        for word, stem in _question_words(query):
            if stem in lacking and any(b in present for b in superlative_bases(word)):
                del lacking[stem]  # "the latest I can finish": "finish as late as 7pm"
            if stem in lacking and stem not in missing:
                missing[stem] = (word, weights[stem] / total)
        return 1 - sum(weights[t] for t in lacking) / total, tuple(missing.values())

    def _corpus_coverage(self, weights: dict[str, float]) -> float:
        """Share of the question's IDF mass (``weights``) found anywhere in the documents."""
        total = sum(weights.values())
        if not total:
            return 0.0
        return sum(w for t, w in weights.items() if self.idf(t)) / total


class DenseField:
    """The dense term of a set of sentences: each one's cosine, raised by half its best clause's lead and by
    a share of its better neighbour's and of its section heading's (``prev``, ``next``, ``section``:
    positions in the same set, -1 for none; ``clause_owner``: the position of each clause, ascending).
    ``sample``: vectors whose plain cosines stand for the corpus when the set is not all of it."""

    def __init__(self, config: RetrievalConfig, vectors: np.ndarray, prev: np.ndarray, next_: np.ndarray,
                 section: np.ndarray, clause_vectors: np.ndarray, clause_owner: np.ndarray,
                 sample: np.ndarray | None = None):
        self.config = config
        self.vectors, self.prev, self.next, self.section = vectors, prev, next_, section
        self.clause_vectors, self.clause_owner = clause_vectors, clause_owner
        owner = clause_owner
        self._clause_starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
        self.sample = sample

    def best_clause(self, qvec: np.ndarray) -> np.ndarray | None:
        """Each sentence's best clause cosine (-inf without clauses); ``None`` when the set has none."""
        if not len(self._clause_starts) or not self.config.clause_boost:
            return None
        best = np.full(len(self.vectors), -np.inf, np.float32)
        owner = self.clause_owner
        best[owner[self._clause_starts]] = np.maximum.reduceat(self.clause_vectors @ qvec, self._clause_starts)
        return best

    def boosted(self, cos: np.ndarray, best_clause: np.ndarray | None, units: np.ndarray | None) -> np.ndarray:
        """``cos`` (of ``units``; None: of every sentence) raised by ``clause_boost`` of its best clause's lead."""
        if best_clause is None:
            return cos
        best = best_clause if units is None else best_clause[units]
        return cos + self.config.clause_boost * np.maximum(best - cos, 0.0)

    def dense(self, qvec: np.ndarray, cos_all: np.ndarray | None, cand: np.ndarray,
              best_clause: np.ndarray | None) -> np.ndarray:
        """Cosine (clause-boosted) plus a share of the better neighbour's, standardised over the corpus:
        over every sentence given ``cos_all`` (their cosines) and no ``sample``, else over the sample's."""
        w = self.config.w_neighbour
        if cos_all is not None:
            padded = np.append(self.boosted(cos_all, best_clause, None), -np.inf)
            best = np.maximum(padded[self.prev], padded[self.next])
            dense = padded[:-1] + w * np.where(np.isfinite(best), best, 0.0)
            if self.config.w_section:
                dense = dense + self.config.w_section * np.where(self.section >= 0, padded[self.section], 0.0)
            stats = dense if self.sample is None else self.sample @ qvec
            return (dense[cand] - stats.mean()) / max(float(stats.std()), 1e-6)
        vectors = self.vectors
        near = np.full(len(cand), -np.inf, np.float32)
        for side in (self.prev[cand], self.next[cand]):
            has = side >= 0
            near[has] = np.maximum(near[has], self.boosted(vectors[side[has]] @ qvec, best_clause, side[has]))
        dense = self.boosted(vectors[cand] @ qvec, best_clause, cand) + w * np.where(np.isfinite(near), near, 0.0)
        if self.config.w_section:
            head = self.section[cand]
            has = head >= 0
            dense[has] += self.config.w_section * self.boosted(vectors[head[has]] @ qvec, best_clause, head[has])
        stats = self.sample @ qvec
        return (dense - stats.mean()) / max(float(stats.std()), 1e-6)


class Retriever(Fusion):
    """Hybrid dense + BM25 ranking over one ``StoredIndex`` held in memory."""

    def __init__(self, index: StoredIndex, embedder: Embedder, config: RetrievalConfig = RetrievalConfig()):
        super().__init__(embedder, config)
        self.index = index
        texts = [u.text for u in index.units]
        n = self.size = len(texts)
        doc_ids = {doc: i for i, doc in enumerate(index.docs)}
        self.doc_of = np.array([doc_ids[u.doc] for u in index.units], np.int64)
        self.prev, self.next = neighbours(self.doc_of)
        self.positions = positions(self.doc_of)
        lexical = self._lexical_texts(texts)
        self.terms = [(t, BM25Scorer(self._windows(lexical, t.before, t.after), t.k1, t.b))
                      for t in config.lexical if t.weight]
        # BM25 of the sentence alone: a lexical term when configured, and also the source of
        # sentence-level evidence (candidates, numbers, IDF and vocabulary for declining)
        plain = [scorer for t, scorer in self.terms if not t.before and not t.after]
        self.sentences = plain[0] if plain else BM25Scorer(lexical, 1.2, 0.75)
        documents = [" ".join(lexical[i] for i in np.flatnonzero(self.doc_of == d)) for d in range(len(doc_ids))]
        self.documents = BM25Scorer(documents, config.document_k1, config.document_b)
        self.heading = np.array([is_heading(t) for t in texts], bool)
        self.section = sections(self.heading, self.doc_of)
        self.exact = n <= EXACT_SCAN
        sample = None
        if n > DENSE_SAMPLE:
            sample = index.vectors[np.sort(np.random.default_rng(0).choice(n, DENSE_SAMPLE, replace=False))]
        self.field = DenseField(config, index.vectors, self.prev, self.next, self.section, index.clause_vectors,
                                index.clause_owner, sample)

    def _lexical_texts(self, texts: list[str]) -> list[str]:
        """The sentences as BM25 reads them: with the long forms of their document's abbreviations."""
        out = list(texts)
        order = np.argsort(self.doc_of, kind="stable")
        for group in np.split(order, np.flatnonzero(np.diff(self.doc_of[order])) + 1):
            for i, text in zip(group, with_long_forms([texts[i] for i in group])):
                out[i] = text
        return out

    def _windows(self, texts: list[str], before: int, after: int) -> list[str]:
        if not before and not after:
            return texts
        out = []
        for i in range(len(texts)):
            lo, hi = i, i
            for _ in range(before):
                lo = self.prev[lo] if self.prev[lo] >= 0 else lo
            for _ in range(after):
                hi = self.next[hi] if self.next[hi] >= 0 else hi
            out.append(" ".join(texts[lo : hi + 1]))
        return out

    def unit(self, unit: int) -> Unit:
        return self.index.units[unit]

    def doc_units(self, doc: str) -> list[int]:
        return [int(u) for u in np.flatnonzero(self.doc_of == self.index.docs.index(doc))]

    def neighbour(self, unit: int, step: int) -> int:
        return int((self.next if step > 0 else self.prev)[unit])

    def position(self, unit: int) -> int:
        return int(self.positions[unit])

    def idf(self, token: str) -> float:
        return self.sentences.idf(token)

    def words(self) -> list[str]:
        return [u.text for u in self.index.units]

    def rank_vectors(self, queries: list[str], vectors: np.ndarray, k: int = 10,
                     boosts: Sequence[Boost | None] | None = None) -> list[Ranking]:
        """Rank with question vectors already computed (cosines with every sentence in one product per
        batch while the index is small enough)."""
        boosts = boosts or [None] * len(queries)
        rankings = []
        for start in range(0, len(queries), CHUNK):
            block = vectors[start : start + CHUNK]
            cosines = block @ self.index.vectors.T if self.exact else [None] * len(block)
            rankings += [self._rank(q, v, c, k, b) for q, v, c, b in
                         zip(queries[start : start + CHUNK], block, cosines, boosts[start : start + CHUNK])]
        return rankings

    def evidence(self, query: str, tokens: list[str], qvec: np.ndarray, cosines: np.ndarray | None,
                 boost: Boost | None) -> Evidence | None:
        n = len(self.index.units)
        if n == 0:
            return None
        cfg = self.config
        sentence_bm25 = self.sentences.scores(tokens)
        if cosines is not None:
            cand = np.arange(n)
            cos_all = cosines
        else:
            depth = min(cfg.candidates, n)
            found = self._dense_candidates(qvec, depth)
            lexical = _top(sentence_bm25, depth)
            cand = np.unique(np.concatenate([found, lexical[sentence_bm25[lexical] > 0],
                                             np.fromiter(boost.units if boost else (), np.int64)]))
            cos_all = None
        best_clause = self.field.best_clause(qvec)
        lexical_z = self._lexical(tokens, cand, sentence_bm25)
        dense = self.field.dense(qvec, cos_all, cand, best_clause)
        cos = cos_all[cand] if cos_all is not None else self.index.vectors[cand] @ qvec
        cos = self.field.boosted(cos, best_clause, cand)
        return Evidence(cand, lexical_z, dense, cos, sentence_bm25[cand], self._numbers_present(tokens, cand),
                        self.heading[cand], lambda unit: self.index.units[unit].text)

    def _dense_candidates(self, qvec: np.ndarray, depth: int) -> np.ndarray:
        """The ``depth`` sentences nearest ``qvec`` by the vector index (a compressed one hands over more,
        re-scored on the exact vectors: ``search_reranked``)."""
        found = search_reranked(self.index.faiss_index, self.index.vectors, qvec[None, :], depth, depth)[0]
        return found[found >= 0]

    def lexical_terms(self, tokens: list[str], cand: np.ndarray, sentence_bm25: np.ndarray) -> list[np.ndarray]:
        """Each BM25 term of ``terms`` for the candidates, standardised against its ``bm25_depth`` best."""
        out = []
        for _, scorer in self.terms:
            scores = sentence_bm25 if scorer is self.sentences else scorer.scores(tokens)
            out.append(standardised(scores, cand, self.config.bm25_depth))
        return out

    def document_term(self, tokens: list[str]) -> np.ndarray:
        """BM25 of each document, standardised over the documents (zeros for one document)."""
        if self.documents.size <= 1:
            return np.zeros(max(self.documents.size, 1), np.float32)
        doc_scores = self.documents.scores(tokens)
        return (doc_scores - doc_scores.mean()) / max(float(doc_scores.std()), 1e-6)

    def _lexical(self, tokens: list[str], cand: np.ndarray, sentence_bm25: np.ndarray) -> np.ndarray:
        total = np.zeros(len(cand), np.float32)
        for (term, _), z in zip(self.terms, self.lexical_terms(tokens, cand, sentence_bm25)):
            total += term.weight * z
        if self.config.w_document and self.documents.size > 1:
            total += self.config.w_document * self.document_term(tokens)[self.doc_of[cand]]
        return total

    def _numbers_present(self, tokens: list[str], cand: np.ndarray) -> np.ndarray:
        """1 where the sentence holds every number of the question (a year, a count), else 0."""
        numbers = [t for t in set(tokens) if t[:1].isdigit()]
        if not numbers:
            return np.zeros(len(cand), np.float32)
        present = np.ones(len(cand), bool)
        for number in numbers:
            present &= self.sentences.scores([number])[cand] > 0
        return present.astype(np.float32)


def _position(cand: np.ndarray, unit: int) -> int:
    """Where ``unit`` stands among the candidates (ascending unit ids), or -1 when it is none of them."""
    j = int(np.searchsorted(cand, unit)) if unit >= 0 else len(cand)
    return j if j < len(cand) and cand[j] == unit else -1


def _question_words(query: str) -> list[tuple[str, str]]:
    """The question's words (lower-cased) that have a content stem, each with its first stem."""
    pairs = ((word.lower(), content_tokens(word)) for word in _WORDS.findall(query))
    return [(word, stems[0]) for word, stems in pairs if stems]


def _kept(cache: dict, key, make: Callable[[], T]) -> T:
    """``cache[key]``, made when missing; the cache is emptied when it holds ``TYPE_CACHE`` entries."""
    if key not in cache:
        if len(cache) >= TYPE_CACHE:
            cache.clear()
        cache[key] = make()
    return cache[key]


def _recent(cache: dict, key: str, make: Callable[[], T]) -> T:
    """``cache[key]``, made when missing; the last ``JOINED_CACHE`` read are kept, the most recently read last."""
    value = cache.pop(key, None)
    if value is None:
        value = make()
        if len(cache) >= JOINED_CACHE:
            del cache[next(iter(cache))]
    cache[key] = value
    return value


def standardised(scores: np.ndarray, cand: np.ndarray, depth: int) -> np.ndarray:
    """``scores[cand]`` standardised against the ``depth`` best of ``scores``."""
    depth = min(depth, len(scores))
    top = scores if depth == len(scores) else np.partition(scores, len(scores) - depth)[-depth:]
    return (scores[cand] - top.mean()) / max(float(top.std()), 1e-6)


def neighbours(doc_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the previous and next sentence of the same document (-1 at the edges)."""
    n = len(doc_of)
    same = np.zeros(n, bool)
    same[1:] = doc_of[1:] == doc_of[:-1]
    prev = np.where(same, np.arange(n) - 1, -1)
    after = np.zeros(n, bool)
    after[:-1] = same[1:]
    return prev, np.where(after, np.arange(n) + 1, -1)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if k >= len(scores):
        return np.arange(len(scores))
    return np.argpartition(-scores, k - 1)[:k]


def _top_sorted(fused: np.ndarray, cand: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` best fused scores, best first, ties by sentence index."""
    best = _top(fused, k)
    return best[np.lexsort((cand[best], -fused[best]))]


def positions(doc_of: np.ndarray) -> np.ndarray:
    """Each unit's place in its document (``doc_of``: each unit's document, its units in document order)."""
    order = np.argsort(doc_of, kind="stable")
    grouped = doc_of[order]
    out = np.empty(len(doc_of), np.int64)
    out[order] = np.arange(len(doc_of)) - np.searchsorted(grouped, grouped)
    return out
