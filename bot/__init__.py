"""A chatbot that answers questions about documents with cited source sentences."""

from bot.answer import Answer, Citation
from bot.pipeline import Bot, ask

__version__ = "0.1.0"
__all__ = ["Answer", "Bot", "Citation", "ask", "__version__"]
