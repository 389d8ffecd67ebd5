"""Clean a user's question and refuse the ones that cannot be asked."""

from __future__ import annotations

import re
import unicodedata

MAX_QUESTION_CHARS = 2000
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


class QuestionError(ValueError):
    """A question the bot cannot take, with a message for the user."""


def clean_question(question: object) -> str:
    """Normalise a question or raise ``QuestionError`` with a friendly message."""
    if not isinstance(question, str):
        raise QuestionError("Please type your question as text.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"That question is {len(question):,} characters long; please keep it under "
            f"{MAX_QUESTION_CHARS:,} characters."
        )
    text = question.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("Please type a question about the documents, for example “Who heads Roscosmos?”.")
    return text
