"""Conversations: follow-up questions read against the earlier turns."""

from __future__ import annotations

from bot.answer import Answer
from bot.retrieval import Ranking


class Conversation:
    """A sequence of questions to one ``Bot``; each follow-up is made standalone first."""

    def __init__(self, bot):
        self.bot = bot
        self.turns: list[Answer] = []
        self.last_ranking: Ranking | None = None

    def ask(self, question: str) -> Answer:
        answers, rankings = self.bot.answer_many([question], depth=100)
        self.turns.append(answers[0])
        self.last_ranking = rankings[0]
        return answers[0]
