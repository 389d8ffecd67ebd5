"""The one shape of an answer, shared by ``ask()``, the UI, the API and the evaluator."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Citation:
    """A source sentence: where it stands in its document and how well it scored; ``span`` is where the words
    that answer stand inside it (absolute offsets into the document, like ``start`` and ``end``), if known."""

    doc: str
    text: str
    start: int
    end: int
    line: int
    score: float
    page: int | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["span"] = list(self.span) if self.span else None
        return out

    @property
    def location(self) -> str:
        """``doc``, page and line as a person reads them."""
        page = f", page {self.page}" if self.page is not None else ""
        return f"{self.doc}{page}, line {self.line}"


@dataclass(slots=True)
class Answer:
    """What the bot says: cited sentences, or a plain decline with the closest passages; ``short`` is the words
    of the top sentence that answer (its citation's ``span``), when they can be told."""

    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    query: str
    confidence: float = 0.0
    closest: list[Citation] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    short: str | None = None

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "text": self.text,
            "short": self.short,
            "citations": [c.to_dict() for c in self.citations],
            "abstained": self.abstained,
            "query": self.query,
            "confidence": self.confidence,
            "closest": [c.to_dict() for c in self.closest],
            "timings": dict(self.timings),
            "error": self.error,
        }

    @property
    def top(self) -> Citation | None:
        """The first citation, or ``None`` when the bot declined."""
        return self.citations[0] if self.citations else None
