"""Text out of PDF and HTML files, with maintained parsers (pypdf, lxml)."""

from __future__ import annotations

import io
import re

from bot.documents.documents_errors import DocumentError
from bot.documents.sentences import _SENTENCE_END

HTML_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
             "iframe", "button", "select")
HTML_BLOCKS = ("p", "div", "section", "article", "main", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "blockquote", "pre", "dd", "dt", "figcaption", "caption", "td", "th", "br", "title", "table", "ul",
               "ol", "dl")


def pdf_text(data: bytes) -> tuple[str, tuple[int, ...]]:
    """The text of every page, pages separated by a blank line, and where each page starts."""
    if not data.startswith(b"%PDF-"):
        raise DocumentError("the file is not a PDF (it does not start with %PDF-)")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = [] if encrypted else [_newlines(page.extract_text() or "") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise DocumentError(f"the PDF cannot be read ({err})") from None
    if encrypted:
        raise DocumentError("the PDF is encrypted")
    pages = _without_running_lines(pages)
    text, starts = "", []
    for page in pages:
        if text and _continues(text, page):  # a sentence running on to the next page stays one paragraph
            text = text[:-1]
        starts.append(len(text))
        text += page.strip("\n") + "\n\n"
    if not text.strip():
        raise DocumentError("the PDF has no text (a scan without a text layer?)")
    return text, tuple(starts)


RUNNING_EDGE = 2  # lines at the top and at the bottom of a page where running headers and footers sit
_DIGITS = re.compile(r"\d+")


def _without_running_lines(pages: list[str]) -> list[str]:
    """Pages without their running headers and footers (``_running_lines``)."""
    lines = [page.split("\n") for page in pages]
    return ["\n".join(line for i, line in enumerate(page) if i not in drop)
            for page, drop in zip(lines, _running_lines(lines))]


def _running_lines(lines: list[list[str]]) -> list[set[int]]:
    """For each page (its lines), which are running headers and footers: lines at its top or bottom that
    recur, page numbers aside, at the same edge of at least half the pages (of three or more)."""
    if len(lines) < 3:
        return [set() for _ in lines]

    def edges(page: list[str]) -> set[tuple[str, str]]:
        filled = [line for line in page if line.strip()]
        return ({("top", _running_key(line)) for line in filled[:RUNNING_EDGE]}
                | {("bottom", _running_key(line)) for line in filled[-RUNNING_EDGE:]})

    counts: dict[tuple[str, str], int] = {}
    for page in lines:
        for key in edges(page):
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, n in counts.items() if n >= len(lines) / 2}
    out = []
    for page in lines:
        filled = [i for i, line in enumerate(page) if line.strip()]
        drop = {i for i in filled[:RUNNING_EDGE] if ("top", _running_key(page[i])) in running}
        drop |= {i for i in filled[-RUNNING_EDGE:] if ("bottom", _running_key(page[i])) in running}
        out.append(drop)
    return out


_PAGE_MARK = re.compile(r"^[ \t]*(?:page[ \t]+\d+(?:[ \t]+of[ \t]+\d+)?|[-–—][ \t]*\d+[ \t]*[-–—])[ \t]*$",
                        re.I | re.M)


def paged_text(text: str) -> tuple[str, tuple[int, ...] | None]:
    """Plain text cut into pages by page-number lines ("Page 2 of 3", "- 2 -"), as a PDF saved as text is:
    its running headers and footers blanked out (spaces, so every offset still points into the file) and a
    sentence a page break cuts joined across the gap; with the pages' starts. Other text is returned as it is."""
    marks = [m.end() for m in _PAGE_MARK.finditer(text)]
    if len(marks) < 2:
        return text, None
    bounds = [0, *[m + 1 for m in marks if m + 1 < len(text)], len(text)]
    pages = [text[a:b].split("\n") for a, b in zip(bounds, bounds[1:])]
    drops = _running_lines(pages)
    if not any(drops):
        return text, None
    blanked = "".join("\n".join(" " * len(line) if i in drop else line for i, line in enumerate(lines))
                      for lines, drop in zip(pages, drops))
    chars = list(blanked)
    for start in bounds[1:-1]:  # a sentence running on past the page break: the gap becomes spaces
        end, begin = _text_before(blanked, start), _text_after(blanked, start)
        if end and begin < len(blanked) and _continues(blanked[max(0, end - 200) : end],
                                                       blanked[begin : begin + 200].lstrip("•*- \t")):
            chars[end:begin] = " " * (begin - end)
    return "".join(chars), tuple(bounds[:-1])


GAP = 2000  # a page break's blank gap longer than this joins nothing


def _text_before(text: str, at: int) -> int:
    """Where the last non-blank character before ``at`` ends (0 when none lies within ``GAP``)."""
    window = text[max(0, at - GAP) : at]
    return max(0, at - GAP) + len(window.rstrip()) if window.strip() else 0


def _text_after(text: str, at: int) -> int:
    """Where the first non-blank character from ``at`` on starts (past the end when none lies within ``GAP``)."""
    window = text[at : at + GAP]
    return at + len(window) - len(window.lstrip()) if window.strip() else len(text)


def _running_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).lower())


_OPEN_END = re.compile(r"\b(?:a|an|the|of|in|on|at|to|for|from|by|with|than|and|or|but|as|that|which|who|whose|"
                       r"its|their|his|her|our|is|are|was|were|be|has|have|had|will|would|can|could)\s*$", re.I)


def _continues(text: str, page: str) -> bool:
    """Whether ``page`` goes on with the sentence the text so far breaks off: it opens in lower case or with a
    number ("compared with / 8 minutes in Kelbury"), or the text stops at a word that cannot end a sentence."""
    body = page.lstrip()
    if not body or _SENTENCE_END.search(text.rstrip()):
        return False
    return body[0].islower() or body[0].isdigit() or bool(_OPEN_END.search(text))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_text(raw: str) -> str:
    """The visible text of a web page: scripts, styles and navigation dropped, blocks as paragraphs."""
    import lxml.html
    from lxml import etree

    if not re.search(r"<\s*(html|body|p|div|h[1-6]|head|!doctype)", raw[:4096], re.I):
        raise DocumentError("the file is not HTML (no HTML tags found)")
    try:
        root = lxml.html.document_fromstring(raw)
    except (etree.ParserError, ValueError) as err:
        raise DocumentError(f"the HTML cannot be parsed ({err})") from None
    for element in list(root.iter(*HTML_DROP, etree.Comment)):
        if element.getparent() is not None:
            element.drop_tree()
    for table in list(root.iter("table")):
        _flatten_table(table)
    for term in list(root.iter("dt")):
        _label_definition(term)
    for element in root.iter(*HTML_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "").lstrip("\n")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not text:
        raise DocumentError("the HTML page has no visible text")
    return text + "\n"


TABLE_CELL_WORDS = 40  # a cell longer than this (or holding paragraphs) is page layout, not a data table
_CELL_BLOCKS = ("p", "div", "table", "ul", "ol", "dl", "blockquote", "pre")


def table_row(cells: list[str], header: list[str]) -> str:
    """A table row as one line that reads on its own: each cell after its column's heading ("Date:
    3 April; Talk: Lighthouses; Speaker: Dr Ines Albers"), or the cells alone when there is no heading."""
    if len(header) == len(cells) and any(header):
        return "; ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells) if c)
    return "; ".join(c for c in cells if c)


def _flatten_table(table) -> None:
    """Each row of a data table becomes one line with its column headings; the heading row goes."""
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    cells = [[c for c in tr if c.tag in ("td", "th")] for tr in rows]
    if any(_holds_blocks(cell) or len(cell.text_content().split()) > TABLE_CELL_WORDS for row in cells for cell in row):
        return
    texts = [[" ".join(c.text_content().split()) for c in row] for row in cells]
    header: list[str] = []
    if rows and cells[0] and all(c.tag == "th" for c in cells[0]):
        header = texts[0]
        rows[0].drop_tree()
        rows, texts = rows[1:], texts[1:]
    for tr, row in zip(rows, texts):
        for child in list(tr):
            tr.remove(child)
        tr.text = table_row(row, header)


def _holds_blocks(element) -> bool:
    """Whether an element holds paragraphs, lists or tables of its own (page layout, not one value)."""
    return next(element.iter(*_CELL_BLOCKS), None) is not None


def _label_definition(term) -> None:
    """A definition list's term put before its description ("Opening hours: 10:00 to 18:00"), as one line."""
    description = term.getnext()
    if description is None or description.tag != "dd" or _holds_blocks(description):
        return
    label = " ".join(term.text_content().split()).rstrip(":")
    text = " ".join(description.text_content().split())
    for child in list(description):
        description.remove(child)
    description.text = f"{label}: {text}" if label else text
    term.drop_tree()


_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _markdown_tables(lines: list[str]) -> list[str]:
    """Markdown tables, line for line: the heading line and the rule emptied, each row one line with the
    headings ("Date: 3 April; Talk: Lighthouses."), ending as a sentence."""
    out = list(lines)
    for i, line in enumerate(lines):
        if i == 0 or not _MD_TABLE_RULE.match(line) or "|" not in lines[i - 1]:
            continue
        header = _md_cells(lines[i - 1])
        out[i - 1] = out[i] = ""
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("|"):
            row = table_row(_md_cells(lines[j]), header)
            out[j] = row if not row or row[-1] in ".!?" else row + "."
            j += 1
    return out


def _md_cells(line: str) -> list[str]:
    return [" ".join(c.split()) for c in line.strip().strip("|").split("|")]


_MD_INLINE = (
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"(\*\*|__)(?=\S)([^\n]*?\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])([*_])(?=\S)([^\n*_]*?\S)\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
)


def markdown_text(raw: str) -> str:
    """Markdown with its inline markup (emphasis, links, code marks) removed, line for line, so citations
    read as the page does; headings and list markers stay for the sentence splitter."""
    for pattern, replacement in _MD_INLINE:
        raw = pattern.sub(replacement, raw)
    return "\n".join(_markdown_tables(raw.split("\n")))
