"""Conversations: follow-up questions read against the earlier turns."""

from __future__ import annotations

from bot.answering.answer import Answer
from bot.answering.followup import Turn, rewrite
from bot.answering.questions import QuestionError, clean_question
from bot.ranking.retrieval import Ranking

MEMORY = 3


class Conversation:
    """A sequence of questions to one ``Bot``; each follow-up is made standalone first.

    ``Answer.query`` holds the standalone question the retriever searched.
    """

    def __init__(self, bot):
        self.bot = bot
        self.turns: list[Answer] = []
        self.history: list[Turn] = []
        self.last_ranking: Ranking | None = None

    def ask(self, question: str) -> Answer:
        try:
            query = rewrite(clean_question(question), self.history[-MEMORY:])
        except QuestionError:
            query = question  # answered with the same clear message as a single question
        answers, rankings = self.bot.answer_many([question], queries=[query], depth=100)
        answer = answers[0]
        self.turns.append(answer)
        self.last_ranking = rankings[0]
        if not answer.error:
            cited = answer.citations or answer.closest
            self.history.append(Turn(answer.query, cited[0].text if cited else ""))
        return answer
