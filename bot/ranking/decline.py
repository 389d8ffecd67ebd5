"""Decide from the retrieval evidence whether the documents answer a question.

Boosted decision trees over twenty-one features of a ranking: the best sentence's
cosine and fused (z-score) score, the runner-up's, the lead between them and the
best sentence's BM25; the share of the question's IDF mass that sentence
contains (plain, and counting close paraphrases of the missing words), the share
found anywhere in the documents; whether the question asks for an amount, a
number or a date that the sentence lacks (``answer_type``; or a named person's
contact in a sentence not naming them, a person asked for in a sentence naming
nobody, things asked for by name in a sentence only counting them, another
labelled case: "Shelter B" for "Shelter A"), how well it names what the question asks
about (``asked_for``: the credit limit of "What is the credit limit on the
card?"), whether a name or number the question gives ("the T3", "Valmora") is
nowhere in that sentence's document (``names_missing``); and the question's shape
(its question word, the answer type it asks for, yes or no, its length) and the
sentence's (its length, a heading); how well the sentence meets the question token by token in the model's last
layer (its worst-met content token, the token a "what X" asks for: ``WordMatcher.token_fit``); and how answerable
the question reads from its wording alone (``DeclineModel.question_prior``). The shape matters because the
evidence reads differently by kind: a yes/no question's sentence shares its words whether or not
it settles it, a "how many" question's holds some number. A definition question
whose best sentence does not spell its term out (``undefined``) is declined
whatever the features say. The features are relative to the documents at hand
(z-scores, IDF shares), so one model carries from one document to the next.
The trees and threshold live in ``decline_model.json``, fitted by ``qabot bench
calibrate --users`` on users' questions (every development set, each scored left
out), or by ``qabot bench calibrate`` on ReQA SQuAD.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.documents.terms import is_heading
from bot.ranking.answer_type import (
    ROLE_WORDS,
    asked_for,
    bare_count,
    counted_noun,
    counted_only,
    counted_words,
    offers,
    other_case,
    others_contact,
    question_shape,
    type_named,
    undefined,
    unnamed_person,
)
from bot.ranking.answer_type import missing as type_missing
from bot.ranking.lexical import STOPWORDS, content_tokens, paraphrase_credit, sentence_words
from bot.ranking.retrieval import Ranking
from bot.ranking.token_match import best_cosines
from bot.ranking.trees import Forest, Tree, read_trees

MODEL_FILE = Path(__file__).with_name("decline_model.json")
FEATURES = ("cosine", "fused", "lead", "soft_coverage", "corpus_coverage", "type_missing", "asked_match",
            "names_missing", "cosine_second", "fused_second", "bm25", "coverage", "question_words", "sentence_words",
            "yes_no", "answer_type", "question_word", "heading", "weakest_token", "focus_token", "prior")


# "How many members …?" against "for 92 years": no count of what is asked, read as a missing answer type (28 sets:
# 8 more unanswerable declined, 1 answered lost, to a typo; 0.3: 12 and 3)
UNCOUNTED_COSINE = 0.25
_PEOPLE = frozenset("people persons person ppl folk folks men women adults children kids".split())


class WordMatcher:
    """How close a question word comes to any word of a sentence, by the embedding model.

    Paraphrases ("come back" for "return") keep a question answerable that
    plain word overlap would call unanswered; words are embedded once (``Embedder.word_vectors``).
    """

    def __init__(self, embedder):
        self.embedder = embedder

    def vectors(self, words: list[str]) -> np.ndarray:
        return self.embedder.word_vectors(words)

    def prepare_many(self, pairs: list[tuple[Ranking, str]]) -> None:
        """Embed, in one batch, every word that ``soft_share`` will need for these (ranking, top sentence)
        pairs, and in another the token vectors ``token_fit`` reads."""
        needed = []
        for ranking, sentence in pairs:
            asked = asked_for(ranking.query)
            if ranking.missing or asked:
                needed += [w for w, _ in ranking.missing] + list(asked) + sentence_words(sentence)
        self.vectors(needed)
        self.embedder.states([text for ranking, sentence in pairs if ranking.hits
                              for text in (ranking.query, sentence)])

    def token_fit(self, query: str, sentence: str) -> tuple[float, float]:
        """How well the sentence meets the question word by word, in the model's last layer: the worst met of the
        question's content tokens (its best cosine to a token of the sentence), and the token a "what X", "which
        X" or "how many X" asks for (-1 for none). "What colour are the sacks?" against a sentence about the
        sacks: "colour" is met by nothing (41 sets left out: unanswerable declined 0.534 → 0.555, AUC 0.837 →
        0.846, answerable declined 0.066 → 0.068)."""
        asked, state = self.embedder.states([query, sentence])
        pieces = self.embedder.pieces(query)[: len(asked)]
        if not len(asked) or not len(state):
            return 0.0, -1.0
        best = best_cosines(asked, state)
        content = np.array([_content_piece(p) for p in pieces], bool)
        focus = _focus(pieces)
        weakest = best[content].min() if content.any() else best.min()
        return float(weakest), -1.0 if focus is None else float(best[focus])

    def soft_share(self, ranking: Ranking, sentence: str) -> float:
        """The missing words' share of the question, weighted by how well the sentence paraphrases them."""
        if not ranking.missing:
            return 0.0
        words = sentence_words(sentence)
        if not words:
            return 0.0
        best = (self.vectors([w for w, _ in ranking.missing]) @ self.vectors(words).T).max(axis=1)
        return float(sum(c * share for c, (_, share) in zip(paraphrase_credit(best), ranking.missing)))

    def uncounted(self, query: str, sentence: str) -> bool:
        """Whether "How many X …?" meets a sentence whose counts all count something far from X ("How many
        members …?" against "for 92 years"); a count of people may be counted as anything ("signatures")."""
        noun = counted_noun(query)
        words = counted_words(sentence) if noun and noun not in _PEOPLE else []
        if not words or bare_count(sentence):
            return False
        vectors = self.vectors([noun, *words])
        return float((vectors[1:] @ vectors[0]).max()) < UNCOUNTED_COSINE

    def asked_match(self, query: str, sentence: str) -> float:
        """How well ``sentence`` names what ``query`` asks about (``asked_for``): for the word it matches
        worst, 1 when the sentence holds it (or, for a word naming an answer type, "deadline", an answer of
        that type), else the cosine of its closest word; 1 when the question's shape does not tell."""
        asked = asked_for(query)
        if not asked:
            return 1.0
        present = set(content_tokens(sentence))
        unmatched = [w for w in asked if not set(content_tokens(w)) <= present
                     and not ((kind := type_named(w)) and offers(kind, sentence, query))]  # "deadline": a date
        if not unmatched:
            return 1.0
        words = sentence_words(sentence)
        if not words:
            return 0.0
        return float((self.vectors(unmatched) @ self.vectors(words).T).max(axis=1).min())


def _content_piece(piece: str) -> bool:
    return re.fullmatch(r"[a-z0-9#]+", piece) is not None and piece.lstrip("#") not in STOPWORDS


def _focus(pieces: list[str]) -> int | None:
    """The position of the first content piece after the first "what", "which", "how many" or "how much"."""
    for i, piece in enumerate(pieces[:-1]):
        if piece in ("what", "which") or (piece == "how" and pieces[i + 1] in ("many", "much")):
            j = i + 1 + (piece == "how")
            while j < len(pieces) and not _content_piece(pieces[j]):
                j += 1
            return j if j < len(pieces) else None
    return None


_TOKEN = re.compile(r"[\w\-’'.]*\w")
_OWN_FACT = re.compile(r"\b(?:i['’]?m|i am|is|am|aged?|grade|level|my)\s+\d+\b|\d+[\s-]*(?:years?|yrs?)[\s-]*old",
                       re.I)  # "I'm 68", "grade 3", "my 9 year old" (dev7: 2 answered that were declined)
_CLOCK = re.compile(r"\d{1,2}(?:[:.]\d{2})?(?:am|pm)|\d{1,2}[:.]\d{2}", re.I)  # "8pm", "6.30"
_USERS_SUM = re.compile(r"(?<!\bthe )[£€$]$")  # "a £25 bottle": a sum the user names, not "the £250 allowance"
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")
_NOT_NAMES = frozenset({"i", "ok", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are",
                        "do", "does", "did", "can", "could", "the", "a", "an", "and", "in", "on", "of", "my", "will",
                        "would", "was", "were", "has", "have", "should", "may", "tell", "please", "i'm", "i’m",
                        "i've", "i’ve", "i'd", "i’d", "i'll", "i’ll"})  # "… if I'm in danger": no name


def names_missing(question: str, document: str) -> float:
    """1 when a name or number of ``question`` (a capitalised word past its first, a word with a digit, not the
    user's own facts such as "I'm 68"; no acronym: "CEO", "EVs" are what users write for words a document spells
    out, dev sets +3 answered, 1 more unanswerable answered) is not a word of ``document`` (nor part of a
    hyphenated one, nor two words run together: "230V" for "230 V"), compared without case, accents, inner
    punctuation, a possessive or a plural s, or when the role it asks about ("Who is the captain of the Northern
    Lark?") is not; else 0."""
    if not document:
        return 0.0
    words = _document_words(document)
    role = [w for w in asked_for(question) if w in ROLE_WORDS and w.upper() not in question]  # "CEO": paraphrased
    if role and not any({_squash(w), _squash(w).removesuffix("s"), _squash(w) + "s",
                         *_ROLE_SHORT.get(_squash(w).removesuffix("s"), ())} & words for w in role):
        return 1.0
    for m in _TOKEN.finditer(question):
        word = re.sub(r"[’']s?$", "", m.group())
        digit = any(c.isdigit() for c in word)
        if not (digit or (word[0].isupper() and m.start() > 0)) or word.lower() in _NOT_NAMES:
            continue
        if len(word) <= 2 and not digit:  # "St", "Rd": shortenings, not names
            continue
        if word.isdigit() and _OWN_FACT.search(question[max(0, m.start() - 12):m.end() + 10]) or \
                _OWN_FACT.fullmatch(word) or _CLOCK.fullmatch(word):
            continue  # "I'm 68", "my 14-year-old", "I start at 8pm": the user's own facts; a time falls in a range
        if digit and _USERS_SUM.search(question[: m.start()]):
            continue  # "a £25 bottle of wine", "£7,000 saved": the user's own sum, held against the rules' amounts
        if _ACRONYM.fullmatch(word):  # "CEO", "EVs", "DNA": users shorten what a document spells out
            continue
        key = _squash(word)
        if key and not {key, key.removesuffix("s"), key + "s", key + "es"} & words:
            return 1.0
    return 0.0


_ROLE_SHORT = {"councillor": ("cllr",), "councilor": ("cllr",), "doctor": ("dr",), "professor": ("prof",),
               "reverend": ("rev", "revd"), "sergeant": ("sgt",), "inspector": ("insp",)}  # "Cllr Dagny Ruthwell"
_RANGE = re.compile(r"(?<![\d.,])(\d{1,4})\s*(?:–|-|—|to)\s*(\d{1,4})(?![\d.,])")  # "Stages 1–3" holds stage 2


def _squash(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


@lru_cache(maxsize=64)
def _document_words(document: str) -> frozenset[str]:
    tokens = [re.sub(r"[’']s$", "", w) for w in _TOKEN.findall(document)]
    words = [_squash(w) for w in tokens]
    parts = {_squash(p) for w in tokens if "-" in w for p in w.split("-")}
    ranges = {str(n) for a, b in _RANGE.findall(document) if int(a) < int(b) <= int(a) + 50
              for n in range(int(a), int(b) + 1)}
    return frozenset(words) | parts | ranges | frozenset(a + b for a, b in zip(words, words[1:]))


def features(ranking: Ranking, sentence: str = "", matcher: WordMatcher | None = None,
             document: str = "", prior: float = 0.0) -> list[float]:
    """The evidence of one ranking, in ``FEATURES`` order (``document``: the text of the top sentence's
    document; without it no name counts as missing; ``prior``: ``DeclineModel.question_prior``)."""
    hits, query = ranking.hits, ranking.query
    if not hits:
        return [0.0] * len(FEATURES)
    second = hits[1] if len(hits) > 1 else None
    soft = ranking.coverage + (matcher.soft_share(ranking, sentence) if matcher else 0.0)
    asked = matcher.asked_match(query, sentence) if matcher else 1.0
    missing = max(type_missing(query, sentence), float(other_case(query, sentence)),
                  float(others_contact(query, sentence)), float(unnamed_person(query, sentence)),
                  float(bool(matcher and matcher.uncounted(query, sentence))),
                  float(counted_only(query, sentence)))
    word, kind, yes_no, words = question_shape(query)
    weakest, focus = matcher.token_fit(query, sentence) if matcher else (0.0, -1.0)
    return [hits[0].cosine, hits[0].score, hits[0].score - second.score if second else 0.0, soft,
            ranking.corpus_coverage, missing, asked, names_missing(query, document),
            second.cosine if second else 0.0, second.score if second else 0.0, hits[0].bm25, ranking.coverage,
            words, float(len(sentence.split())), yes_no, kind, word, float(is_heading(sentence)), weakest, focus,
            prior]


@dataclass(frozen=True, slots=True)
class DeclineModel:
    """Boosted trees over ``FEATURES`` (their summed leaves plus ``baseline`` are the logit) and the
    probability below which the bot declines."""

    baseline: float
    trees: tuple[Tree, ...]
    threshold: float
    prior: np.ndarray | None = field(default=None, repr=False, compare=False)  # ``question_prior``'s weights
    forest: Forest = field(init=False, repr=False, compare=False)  # the trees, walked

    def __post_init__(self):
        object.__setattr__(self, "forest", Forest(self.baseline, self.trees))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> DeclineModel:
        data = json.loads(path.read_text())
        prior = np.array(data["prior"], np.float32) if data.get("prior") else None
        return cls(*read_trees(data, FEATURES, path), float(data["threshold"]), prior)

    def question_prior(self, vector: np.ndarray | None) -> float:
        """How answerable a question reads from its wording alone: a logistic model over its vector (weights,
        then the intercept), fitted on the development sets' questions, answerable or not (``qabot bench
        calibrate --users``). The sets' unanswerable questions ask for what documents of their kind leave out
        ("how many complaints were there in 2023", "what colour are the sacks") or for general knowledge (42
        sets left out: unanswerable declined 0.555 → 0.650 with answerable declined 0.068 → 0.067, AUC 0.846 →
        0.886). 0 without weights (the model fitted on ReQA), a vector, or for another model's vectors."""
        if self.prior is None or vector is None or len(vector) != len(self.prior) - 1:
            return 0.0
        return float(self.prior[:-1] @ vector + self.prior[-1])

    def score(self, x: list[float]) -> float:
        """The probability the model gives a row of features."""
        return self.forest.probability(x)

    def probability(self, ranking: Ranking, sentence: str = "", matcher: WordMatcher | None = None,
                    document: str = "") -> float:
        """How likely it is that the documents answer the question (``sentence``: the top hit's text,
        ``document``: its document's)."""
        if not ranking.hits or undefined(ranking.query, sentence):  # "What does VIP stand for?": no expansion
            return 0.0
        return self.score(features(ranking, sentence, matcher, document, self.question_prior(ranking.vector)))
