"""Split document text into sentence units with exact character offsets.

pysbd does the sentence boundary work; this module adds what it lacks for
text taken from PDFs and Markdown: hard-wrapped lines are rejoined, short
unpunctuated lines (titles, headings) stand alone, Markdown heading and list
markers start a new unit, split initials ("J.-Y.") are mended and a stray
closing quote goes back to its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_MD_BLOCK = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}[.)][ \t]+|>[ \t]?)")
_BULLET = re.compile(r"^\s*[-*+\u2022\u2013][ \t]+")
_HEADER_FIELD = re.compile(r"^\s*(?:to|from|cc|bcc|date|sent)\s*:\s", re.I)  # a memo's "To:", "From:" (its subject
# and reference lines stay together: "Subject: Revised expenses policy Ref: FIN-POL-07" answers "reference number?")
_SENTENCE_END = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\]]*\s*$")
_INITIAL_END = re.compile(r"(?:^|[\s(\-])[A-Z]\.$")
_QUOTES = re.compile("[\"\u201c\u201d\u00ab\u00bb]")
_OPENING = "\"\u201c\u00ab"
_CLOSING = "\"\u201d\u00bb\u2019')]"
_CLOSERS_ONLY = re.compile(r"^[\"'\u201d\u2019)\]\s.,;:!?]+$")
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})[.)]$")


@dataclass(frozen=True, slots=True)
class Span:
    """One sentence unit: ``text`` is ``source[start:end]`` with whitespace collapsed."""

    start: int
    end: int
    line: int
    text: str


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def collapse(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


def split_sentences(text: str, markdown: bool = False) -> list[Span]:
    """Split ``text`` into sentence spans that satisfy the offset invariant."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    spans: list[Span] = []
    for block_start, block_end in _blocks(text, markdown):
        for start, end in _sentences_in(text, block_start, block_end):
            spans.append(_make_span(text, start, end, line_starts))
    return spans


def _make_span(text: str, start: int, end: int, line_starts: list[int]) -> Span:
    from bisect import bisect_right

    return Span(start, end, bisect_right(line_starts, start), collapse(text[start:end]))


def _blocks(text: str, markdown: bool) -> list[tuple[int, int]]:
    """Blocks of text that no sentence crosses: paragraphs, headings, titles."""
    width = _wrap_width(text)
    blocks: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text):
        start = para_start
        lines = _lines(text, para_start, para_end)
        for i, (ls, le) in enumerate(lines):
            body = text[ls:le].strip()
            next_start = lines[i + 1][0] if i + 1 < len(lines) else None
            if markdown and _MD_BLOCK.match(text[ls:le]) and ls > start:
                blocks.append((start, ls))
                start = ls
            if next_start is None:
                continue
            short = len(body) < 0.6 * width and not _SENTENCE_END.search(body)
            next_line = text[next_start : lines[i + 1][1]]
            next_is_md = markdown and _MD_BLOCK.match(next_line)
            next_is_item = _BULLET.match(next_line) and (_SENTENCE_END.search(body) or _BULLET.match(body))
            next_is_field = _HEADER_FIELD.match(next_line) and _HEADER_FIELD.match(body)
            if short or next_is_md or next_is_item or next_is_field or (markdown and body.startswith("#")):
                blocks.append((start, le))
                start = next_start
        blocks.append((start, para_end))
    return [(s, e) for s, e in blocks if text[s:e].strip()]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _BLANK_LINE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end() - 1
    bounds.append((start, len(text)))
    return bounds


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for piece in text[start:end].split("\n"):
        if piece.strip():
            out.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return out


def _wrap_width(text: str) -> int:
    """The width hard-wrapped lines reach: the 90th percentile of line lengths."""
    lengths = sorted(len(line.strip()) for line in text.split("\n") if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    block = text[start:end]
    skip = _MD_BLOCK.match(block) or _BULLET.match(block)
    offset = skip.end() if skip else 0
    flat = re.sub(r"\s", " ", block[offset:])  # same length: offsets stay exact
    pieces = _mend(flat, _locate(flat, _segmenter().segment(flat)))
    pieces = [sub for piece in pieces for sub in _split_quotation(flat, *piece)]
    base = start + offset
    return [(base + s, base + e) for s, e in pieces]


def _locate(flat: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Find pysbd's sentences in order; trim the whitespace around each."""
    out, cursor = [], 0
    for sent in sentences:
        core = sent.strip()
        if not core:
            continue
        pos = flat.find(core, cursor)
        if pos < 0:
            pattern = r"\s*".join(map(re.escape, core.split()))
            m = re.compile(pattern).search(flat, cursor)
            if not m:
                continue
            pos, stop = m.start(), m.end()
        else:
            stop = pos + len(core)
        out.append((pos, stop))
        cursor = stop
    if not out and flat.strip():
        lead = len(flat) - len(flat.lstrip())
        out.append((lead, len(flat.rstrip())))
    return out


def _split_quotation(flat: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a quotation that runs over several sentences into those sentences.

    pysbd keeps a quotation whole; segmenting again with the quote marks
    blanked out finds the sentences inside, and each closing mark then goes
    back to the sentence it ends.
    """
    piece = flat[start:end]
    if not _QUOTES.search(piece):
        return [(start, end)]
    blanked = _QUOTES.sub(" ", piece)
    subs = _mend(blanked, _locate(blanked, _segmenter().segment(blanked)))
    out = []
    for i, (s, e) in enumerate(subs):
        floor = out[-1][1] - start if out else 0
        ceiling = subs[i + 1][0] if i + 1 < len(subs) else len(piece)
        while s > floor and piece[s - 1] in _OPENING:
            s -= 1
        while e < ceiling and (piece[e] in _CLOSING or (piece[e] == " " and blanked[e:].strip() == "")):
            e += 1
        out.append((start + s, start + len(piece[:e].rstrip())))
    return out


def _mend(flat: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces pysbd split wrongly: initials, lowercase starts, lone closers."""
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        piece = flat[s:e]
        if out:
            prev = flat[out[-1][0] : out[-1][1]]
            if (
                _CLOSERS_ONLY.match(piece)
                or (_ENUMERATOR.match(prev) and piece[0].isalpha())  # "1." + "Booking": a numbered heading
                or piece[0] in "-\u2010\u2011"
                or piece[0].islower()
                or (_INITIAL_END.search(prev) and piece[0].isupper() and _is_initial_run(prev))
            ):
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out


def _is_initial_run(prev: str) -> bool:
    """True when ``prev`` ends in a name's initial ("J.", "J.-Y."), not a word."""
    last = prev.split()[-1] if prev.split() else ""
    return bool(re.fullmatch(r"(?:[A-Z]\.[-\u2010]?)+", last))


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence unit of one document, as indexed and cited."""

    doc: str
    start: int
    end: int
    line: int
    text: str
    page: int | None = None

    def to_dict(self) -> dict:
        return {"doc": self.doc, "start": self.start, "end": self.end, "line": self.line,
                "text": self.text, "page": self.page}
