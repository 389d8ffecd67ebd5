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
        parts = [f"{_marker(i)} {escape_md(c.text)}" for i, c in enumerate(answer.citations, 1)]
        parts.append("")
        parts += [f"<small>{_marker(i)} {escape_md(c.location)} · score {c.score:.2f}</small>"
                  for i, c in enumerate(answer.citations, 1)]
    if answer.query and answer.query != answer.question:
        parts.append(f"<small>🔎 understood as: “{escape_md(answer.query)}”</small>")
    return "\n\n".join(parts)


def stream_markdown(answer: Answer):
    """The answer message built up piece by piece, for a streamed chat reply."""
    full = answer_markdown(answer)
    pieces = full.split("\n\n")
    for i in range(1, len(pieces) + 1):
        yield "\n\n".join(pieces[:i])


def _marker(i: int) -> str:
    return f"<a href='#cite-{i}' class='cite'>[{i}]</a>"


def document_html(doc: str, text: str, citations: list[Citation]) -> str:
    """The document as escaped text, the cited sentences marked and anchored."""
    marks = sorted(((c.start, c.end, i) for i, c in enumerate(citations, 1) if c.doc == doc))
    out, pos = [], 0
    for start, end, i in marks:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark id='cite-{i}' class='cited' title='[{i}]'>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return (f"<div class='doc-title'>{html.escape(doc)}</div>"
            f"<div class='doc-body' id='doc-body'>{''.join(out)}</div>")
