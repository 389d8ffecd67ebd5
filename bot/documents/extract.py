"""Text out of PDF and HTML files, with maintained parsers (pypdf, lxml)."""

from __future__ import annotations

import io
import re

from bot.documents.documents_errors import DocumentError

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
    text, starts = "", []
    for page in pages:
        starts.append(len(text))
        text += page.strip("\n") + "\n\n"
    if not text.strip():
        raise DocumentError("the PDF has no text (a scan without a text layer?)")
    return text, tuple(starts)


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
    return raw
