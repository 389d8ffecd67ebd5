"""Conversations: follow-up questions read against the earlier turns."""

from __future__ import annotations

from bot.answering.answer import Answer
from bot.answering.followup import STANDS_ALONE, VARIES, Reading, Turn, understand
from bot.answering.questions import QuestionError, clean_question
from bot.ranking.answer_type import expected_type
from bot.ranking.retrieval import Ranking

MEMORY = 3
# A follow-up's answer is likely where the last answer was. Its ranking raises the last turn's best
# sentences (weights by rank; not for a variation such as "And in London?", which asks for another
# sentence), their neighbours one and two sentences away (as a share of that weight) and the
# documents of the sentences cited. In z-score units of the fused score.
BOOST_RANKS = (1.0, 0.5, 0.5)
BOOST_NEAR = (0.75, 0.4)
BOOST_DOCUMENT = 0.5
# A name put in for "he" draws the ranking to the sentence that names the person, while the answer
# often says "he": the user's own wording is ranked too, and this share of its score added.
OWN_WORDS = 0.5


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

    def ask(self, question: str) -> Answer:
        try:
            reading = understand(clean_question(question), self.history[-MEMORY:])
        except QuestionError:
            reading = Reading(question)  # answered with the same clear message as a single question
        follows = reading.lean != STANDS_ALONE and bool(self._ranked_units)
        vectors = own = None
        if follows and reading.referents and OWN_WORDS:  # both wordings ranked: one forward pass for the two
            try:
                own = clean_question(question)
                vectors = self.bot.retriever.encode([clean_question(reading.query), own])
            except QuestionError:  # answered with its clear message
                own = None
        boost = self._boost(reading, own, vectors) if follows else None
        answers, rankings = self.bot.answer_many([question], queries=[reading.query], depth=100, boosts=[boost],
                                                 vectors=None if vectors is None else vectors[:1])
        answer = answers[0]
        self.last_ranking = rankings[0]
        if not answer.error:
            self._remember(answer, rankings[0], reading)
        return answer

    def _remember(self, answer: Answer, ranking: Ranking, reading: Reading) -> None:
        shown = len(answer.citations or answer.closest)
        units = self.bot.retriever.units([h.unit for h in ranking.hits[:shown]])
        self._ranked_units = [h.unit for h in ranking.hits[: len(BOOST_RANKS)]]
        self._cited_docs = list(dict.fromkeys(u.doc for u in units))
        document = " ".join(self.bot.retriever.joined(d) for d in self._cited_docs)
        self.history.append(Turn(answer.query, tuple(u.text for u in units), document, reading.referents))
        del self.history[:-MEMORY]

    def _boost(self, reading: Reading, own: str | None, vectors) -> dict[int, float]:
        """Bonuses, by unit index, for the sentences near the last answer (and for those the user's ``own``
        wording finds, when a pronoun was replaced; its vector is ``vectors[1]``)."""
        retriever = self.bot.retriever
        boost: dict[int, float] = {}

        def raise_to(unit: int, value: float) -> None:
            if unit >= 0:
                boost[unit] = max(boost.get(unit, 0.0), value)

        for doc in self._cited_docs:
            for unit in retriever.doc_units(doc):
                raise_to(unit, BOOST_DOCUMENT)
        for unit, weight in zip(self._ranked_units, BOOST_RANKS):
            before = after = unit
            for share in BOOST_NEAR:
                before = retriever.neighbour(before, -1) if before >= 0 else -1
                after = retriever.neighbour(after, 1) if after >= 0 else -1
                raise_to(before, weight * share)
                raise_to(after, weight * share)
        if reading.lean != VARIES:
            for unit, weight in zip(self._ranked_units, BOOST_RANKS):
                raise_to(unit, weight)
        if own is not None:
            ranked = retriever.rank_many([own], k=100, boosts=[dict(boost)], vectors=vectors[1:])[0]
            for hit in ranked.hits:
                boost[hit.unit] = boost.get(hit.unit, 0.0) + OWN_WORDS * hit.score
        kind = expected_type(reading.query)
        if kind:  # "Since when?": the last answer, if it holds no date, is not raised but lowered once more
            last = self._ranked_units[0]
            retriever.units([*boost, last])  # read in one look-up (a store on Milvus keeps them)
            lacking = {u for u in {*boost, last} if retriever.lacks_type(kind, u, reading.query)}
            boost = {u: v for u, v in boost.items() if u not in lacking}
            if last in lacking:
                boost[last] = -retriever.config.type_penalty
        return boost
