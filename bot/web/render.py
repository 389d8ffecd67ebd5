"""Show answers and documents as safe Markdown/HTML: user and document text is always escaped."""

from __future__ import annotations

import html
import re

from bot.answering.answer import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~>!])")


def escape_md(text: str) -> str:
    """Text that Markdown and HTML both show literally."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True))


def answer_markdown(answer: Answer) -> str:
    """The chat message for an answer: cited sentences, their sources, the rewritten question."""
    if answer.error:
        return f"⚠️ {escape_md(answer.error)}"
    if answer.abstained:
        parts = [f"**🤷 {escape_md(answer.text.split(' The closest')[0])}**"]
        if answer.closest:
            parts.append("<small>The closest passages, which do not answer it:</small>")
            parts += [f"- <small>{escape_md(c.text)} ({escape_md(c.location)})</small>" for c in answer.closest]
    else:
        parts = [f"**{escape_md(answer.short)}**"] if answer.short else []
        parts += [f"{_marker(i)} {_quoted(c, answer.short if i == 1 else None)}"
                  for i, c in enumerate(answer.citations, 1)]
        parts.append("")
        parts += [f"<small>{_marker(i)} <span title='ranking score {c.score:.2f}'>{escape_md(c.location)}</span>"
                  "</small>" for i, c in enumerate(answer.citations, 1)]
        parts.append(confidence_html(answer.confidence))
    if answer.query and answer.query != answer.question:
        parts.append(f"<small>🔎 understood as: “{escape_md(answer.query)}”</small>")
    return "\n\n".join(parts)


def confidence_html(confidence: float) -> str:
    """The calibrated confidence as a reader takes it in: a word and a five-step bar, the number in a tooltip."""
    word = "high" if confidence >= 0.75 else "medium" if confidence >= 0.4 else "low"
    filled = max(1, round(confidence * 5))
    return (f"<small class='confidence' title='confidence {confidence:.2f} (chance the cited sentence answers)'>"
            f"Confidence: {'●' * filled}{'○' * (5 - filled)} {word}</small>")


def _quoted(cite: Citation, short: str | None) -> str:
    """The cited sentence, escaped, with the short answer's words marked inside it."""
    at = _relative_span(cite, short)
    if at is None:
        return escape_md(cite.text)
    start, end = at
    return (f"{escape_md(cite.text[:start])}<mark class='short'>{escape_md(cite.text[start:end])}</mark>"
            f"{escape_md(cite.text[end:])}")


def _relative_span(cite: Citation, short: str | None) -> tuple[int, int] | None:
    """Where ``short`` stands in ``cite.text``: from the span itself when the sentence's whitespace was not folded."""
    if not short or cite.span is None:
        return None
    if cite.end - cite.start == len(cite.text):
        return cite.span[0] - cite.start, cite.span[1] - cite.start
    at = cite.text.find(short)
    return (at, at + len(short)) if at >= 0 else None


def _marker(i: int) -> str:
    return f"<a href='#cite-{i}' class='cite'>[{i}]</a>"


def document_html(doc: str, text: str, citations: list[Citation]) -> str:
    """The document as escaped text, the cited sentences marked and anchored, a short answer's span inside its
    sentence marked more strongly."""
    marks = sorted(((c.start, c.end, i, c.span) for i, c in enumerate(citations, 1) if c.doc == doc))
    out, pos = [], 0
    for start, end, i, span in marks:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        inner = html.escape(text[start:end])
        if span and start <= span[0] < span[1] <= end:
            inner = (f"{html.escape(text[start:span[0]])}<mark id='span-{i}' class='span'>"
                     f"{html.escape(text[span[0]:span[1]])}</mark>{html.escape(text[span[1]:end])}")
        out.append(f"<mark id='cite-{i}' class='cited' title='[{i}]'>{inner}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return (f"<div class='doc-title'>{html.escape(doc)}</div>"
            f"<div class='doc-body' id='doc-body'>{''.join(out)}</div>")
