"""Conversations: follow-up questions read against the earlier turns."""

from __future__ import annotations

import re

from bot.answering.answer import Answer
from bot.answering.attribution import attributed
from bot.answering.followup import ASKS_MORE, REFERS, STANDS_ALONE, VARIES, Reading, Turn, names, understand
from bot.answering.questions import QuestionError, clean_question
from bot.ranking.answer_type import asks_why, expected_type, gives_reason
from bot.ranking.lexical import content_tokens
from bot.ranking.retrieval import Boost, Ranking

MEMORY = 3
LOOK_BACK = 3  # sentences read back from a best sentence opening with a pronoun, for whom it names
# A follow-up's answer is likely where the last answer was. Its ranking raises the last turn's best
# sentences (weights by rank; not for a variation such as "And in London?", which asks for another
# sentence), their neighbours one and two sentences away (as a share of that weight) and the
# documents of the sentences cited (to those of their sentences that are candidates anyway: a 300-page PDF's
# sentences do not all become candidates). In z-score units of the fused score.
BOOST_RANKS = (1.0, 0.5, 0.5)
BOOST_NEAR = (0.75, 0.4)
BOOST_DOCUMENT = 0.5
# A question that points at nothing and names nothing the cited documents do not ("What isn't covered?") is
# likely still about them: they keep their bonus (follow-ups 47 -> 48 of 60; at 0.3: no change). With one
# content word or none ("Which days?", "How much will I have to pay?") it is a follow-up, and the previous
# question joined with it is ranked as a second wording (follow-ups with dev4: 57 -> 59 of 76; with up to
# two content words: 58, "What isn't covered?" lost).
ELLIPTIC = 1
# A name put in for "he" draws the ranking to the sentence that names the person, while the answer
# often says "he": the user's own wording is ranked too. Among the sentences about that person
# (``attributed``: follow-ups 34 -> 36 of 44 on the dev sets) it orders them; elsewhere this share of its
# score is added.
OWN_WORDS = 0.5
# A follow-up asking in its own words for a type of answer the last answer holds ("What time does it start?" after
# the film's row, "What's her extension?" after the sentence giving it) raises that answer once more (28 sets:
# follow-ups +4, -1; 2.0: +5, -3).
TYPED_LAST = 1.0
# A question repeating a word of the last answer that the last question did not have ("How much notice?" after
# "… provided you give five working days' notice") asks about that answer: it is raised, by ECHO for a question
# read on its own, by ECHO_FOLLOWS for a follow-up not about a person (28 sets: +5 answered right, +1
# unanswerable declined, −1; 2.0 / 2.0: +4 −1; 4.0 / 2.0: +5 +1 declined −2; 3.0 / 3.0: +4 +1 declined −4).
ECHO = 3.0
ECHO_FOLLOWS = 2.0
ECHO_WORDS = 3  # only a short question asks about the last answer so; a longer one ("When did Thomas Pesquet return
# to Earth?") asks on its own, and after a declined answer nothing was shown to ask about


class Conversation:
    """A sequence of questions to one ``Bot``; each follow-up is made standalone first.

    ``Answer.query`` holds the standalone question the retriever searched.
    """

    def __init__(self, bot):
        self.bot = bot
        self.history: list[Turn] = []  # the last MEMORY turns: a long conversation holds no more
        self.last_ranking: Ranking | None = None
        self._ranked_units: list[int] = []
        self._cited_docs: list[str] = []
        self._spans: list[tuple[int, int]] | None = None  # the cited documents' unit ranges, read when needed
        self._answered = False  # whether the last turn was answered, not declined

    def ask(self, question: str) -> Answer:
        try:
            cleaned = clean_question(question)
            reading = understand(cleaned, self.history[-MEMORY:])
        except QuestionError:  # answered with the same clear message as a single question
            cleaned, reading = None, Reading(question)
        follows = reading.lean != STANDS_ALONE and bool(self._ranked_units)
        vectors = own = None
        if follows and reading.referents and OWN_WORDS:  # both wordings ranked: one forward pass for the two
            try:
                own = cleaned
                vectors = self.bot.retriever.encode([clean_question(reading.query), own])
            except QuestionError:  # answered with its clear message
                own = None
        topic = cleaned is not None and not follows and bool(self._ranked_units) and self._names_nothing_new(cleaned)
        if topic and len(content_tokens(cleaned)) <= ELLIPTIC:
            reading, follows = Reading(reading.query, ASKS_MORE), True
        if (topic and reading.lean == ASKS_MORE) or (follows and reading.lean == REFERS and not reading.referents):
            own = f"{self.history[-1].query} {reading.query}"  # "Does that cost more?": that of the last question
            vectors = self.bot.retriever.encode([reading.query, own])
        boost = (self._boost(reading, own, vectors, cleaned or "", echo=self._echoes(cleaned)) if follows
                 else self._topic(self._echoes(cleaned)) if topic else None)
        answers, rankings = self.bot.answer_many([question], queries=[reading.query], depth=100, boosts=[boost],
                                                 vectors=None if vectors is None else vectors[:1])
        answer = answers[0]
        self.last_ranking = rankings[0]
        if not answer.error:
            self._remember(answer, rankings[0], reading)
        return answer

    def _remember(self, answer: Answer, ranking: Ranking, reading: Reading) -> None:
        shown = answer.citations or answer.closest  # as answered: the index may have been swapped since
        self._ranked_units = [h.unit for h in ranking.hits[: len(BOOST_RANKS)]]
        self._cited_docs = list(dict.fromkeys(c.doc for c in shown))
        self._answered = not answer.abstained
        self._spans = None
        document = " ".join(self.bot.retriever.joined(d) for d in self._cited_docs)
        cited = tuple(c.text for c in shown) + (self._named_before(ranking.hits[0].unit) if shown and ranking.hits
                                                else ())
        self.history.append(Turn(answer.query, cited, document, reading.referents, answer.short or ""))
        del self.history[:-MEMORY]

    def _named_before(self, unit: int) -> tuple[str, ...]:
        """When the best sentence opens with a pronoun ("She said the Bluefins …"), the sentences before it, nearest
        first, up to the one naming a person (at most ``LOOK_BACK``): whom a later "she" stands for."""
        retriever, out = self.bot.retriever, []
        if retriever.antecedent(unit) is None:
            return ()
        for _ in range(LOOK_BACK):
            unit = retriever.neighbour(unit, -1)
            if unit < 0:
                break
            out.append(retriever.unit(unit).text)
            if any(e.kind == "person" for e, _, _ in names(out[-1])):
                break
        return tuple(out)

    def _about(self, referents) -> set[int]:
        """The sentences of the cited documents about the person a pronoun was read as (none for a thing)."""
        person = next((e for e in referents if e.kind == "person"), None)
        if person is None:
            return set()
        surname = re.sub(r"[’']s$", "", person.text.split()[-1])
        found = set()
        for doc in self._cited_docs:
            units = self.bot.retriever.doc_units(doc)
            texts = [u.text for u in self.bot.retriever.units(units)]
            found |= {units[i] for i in attributed(texts, surname, person.gender)}
        return found

    def _add_own_words(self, boost: dict[int, float], reading: Reading, own: str, vectors) -> None:
        """Rank the user's ``own`` wording (``vectors[1]``; the rewrite's is ``vectors[0]``) and add it to
        ``boost``: the sentences about the person keep the best place the rewrite gives any of them but
        take the own wording's order among themselves; the others gain ``OWN_WORDS`` of its score."""
        retriever = self.bot.retriever
        about = self._about(reading.referents)
        queries, order = ([own, reading.query], [1, 0]) if about else ([own], [1])
        ranked = retriever.rank_many(queries, k=100, boosts=[self._as_boost(boost)] * len(queries),
                                     vectors=vectors[order])
        mine = {h.unit: h.score for h in ranked[0].hits}
        theirs = {h.unit: h.score for h in ranked[1].hits} if about else {}
        about = {u for u in about if u in mine and u in theirs}
        shift = max(theirs[u] for u in about) - max(mine[u] for u in about) if about else 0.0
        for unit, score in mine.items():
            extra = score + shift - theirs[unit] if unit in about else OWN_WORDS * score
            boost[unit] = boost.get(unit, self._base(unit)) + extra

    def _echoes(self, question: str | None) -> bool:
        """Whether ``question`` repeats a word of the last answer that the last question did not have ("How
        much notice?" after a sentence saying "five working days' notice")."""
        asked = content_tokens(question or "")
        if not asked or len(asked) > ECHO_WORDS or not self._answered or not self.history[-1].cited:
            return False
        new = set(content_tokens(self.history[-1].cited[0])) - set(content_tokens(self.history[-1].query))
        return bool(new & set(asked))

    def _topic(self, echo: bool = False) -> Boost:
        """The cited documents' bonus; the last answer's raised by ``ECHO`` when the question ``echo``es it."""
        last = self._ranked_units[0]
        return self._as_boost({last: self._base(last) + ECHO} if echo else {})

    def _document_spans(self) -> list[tuple[int, int]]:
        """The cited documents' unit ranges, looked up once a turn and only when a follow-up needs them."""
        if self._spans is None:
            ranges = [self.bot.retriever.doc_units(d) for d in self._cited_docs]
            self._spans = [(r[0], r[-1] + 1) for r in ranges if r]
        return self._spans

    def _base(self, unit: int) -> float:
        """A sentence's bonus for standing in a cited document."""
        return BOOST_DOCUMENT if any(start <= unit < end for start, end in self._document_spans()) else 0.0

    def _as_boost(self, totals: dict[int, float]) -> Boost:
        """The ``Boost`` giving these sentences these bonuses in all and the rest of the cited documents theirs
        (and naming the last answer's sentence)."""
        return Boost({u: v - self._base(u) for u, v in totals.items()},
                     tuple((start, end, BOOST_DOCUMENT) for start, end in self._document_spans()),
                     self._ranked_units[0])

    def _names_nothing_new(self, question: str) -> bool:
        """Whether ``question`` names nothing that the documents just cited do not name (as whole words)."""
        found = names(question)
        if not found:
            return True
        text = " ".join(self.bot.retriever.joined(d) for d in self._cited_docs)
        return all(re.search(rf"(?<!\w){re.escape(e.text)}(?!\w)", text, re.I) for e, _, _ in found)

    def _boost(self, reading: Reading, own: str | None, vectors, typed_question: str = "", echo: bool = False) -> Boost:
        """Bonuses, by unit index, for the sentences near the last answer (and for those the user's ``own``
        wording finds, when a pronoun was replaced; its vector is ``vectors[1]``); ``typed_question``: the
        follow-up as typed, whose own words may ask for a type of answer the last answer holds; ``echo``: the
        question repeats a word the last answer added."""
        retriever = self.bot.retriever
        boost: dict[int, float] = {}

        def raise_to(unit: int, value: float) -> None:
            if unit >= 0:
                boost[unit] = max(boost.get(unit, self._base(unit)), value)

        for unit, weight in zip(self._ranked_units, BOOST_RANKS):
            before = after = unit
            for share in BOOST_NEAR:
                before = retriever.neighbour(before, -1) if before >= 0 else -1
                after = retriever.neighbour(after, 1) if after >= 0 else -1
                raise_to(before, weight * share)
                raise_to(after, weight * share)
        # "Why?" asks for a reason: a sentence of the last answer that gives none is not raised, and the last
        # answer itself, if it gives none, is lowered as a "Since when?" lowers one without a date (36 -> 37).
        reasonless = ({u for u in self._ranked_units if not gives_reason(retriever.unit(u).text)}
                      if asks_why(reading.query) else set())
        if reading.lean != VARIES:
            for unit, weight in zip(self._ranked_units, BOOST_RANKS):
                if unit not in reasonless:
                    raise_to(unit, weight)
        if own is not None:
            self._add_own_words(boost, reading, own, vectors)
        last = self._ranked_units[0]
        asked = expected_type(typed_question) if TYPED_LAST and reading.lean != VARIES else None
        if asked and not retriever.lacks_type(asked, last, typed_question):
            boost[last] = boost.get(last, self._base(last)) + TYPED_LAST  # "and the phone number?" after one given
        if echo and not any(e.kind == "person" for e in reading.referents):  # a person's: ordered by ``_about``
            boost[last] = boost.get(last, self._base(last)) + ECHO_FOLLOWS
        kind = expected_type(reading.query)
        if kind:  # "Since when?": the last answer, if it holds no date, is not raised but lowered once more
            retriever.units([*boost, last])  # read in one look-up (a store on Milvus keeps them)
            lacking = {u for u in {*boost, last} if retriever.lacks_type(kind, u, reading.query)}
            boost = {u: 0.0 if u in lacking else v for u, v in boost.items()}
            if last in lacking:
                boost[last] = -retriever.config.type_penalty
        if last in reasonless:  # lowered as "Since when?" lowers a last answer without a date
            boost[last] = -retriever.config.type_penalty
        return self._as_boost(boost)
