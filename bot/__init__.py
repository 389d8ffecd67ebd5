"""A chatbot that answers questions about documents with cited source sentences."""

from bot.answering.answer import Answer, Citation
from bot.answering.pipeline import Bot, ask

__version__ = "0.1.0"
__all__ = ["Answer", "Bot", "Citation", "ask", "__version__"]
