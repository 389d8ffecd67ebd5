import shutil

import pytest

from bot import Bot
from bot.documents.documents import DocumentError, load_folder, read_document
from bot.documents.sentences import collapse
from tests.conftest import RELEASE

HTML = """<!doctype html><html><head><title>Harbour news</title><style>p { color: red }</style>
<script>var secret = "The lighthouse keeper is named Zorblax.";</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About the pelican colony</a></nav>
<header>Site header menu</header>
<main><h1>Harbour news</h1>
<p>The new lighthouse at Port Elwin was lit on 3 March 2023 by the harbour master, Ada Quill.</p>
<p>Its lamp can be seen from 40 kilometres away &amp; it runs on solar power.</p></main>
<footer>Copyright footer text</footer></body></html>"""

MARKDOWN = """# Orchard report

## Apples

The Bramley trees gave 12 tonnes of fruit this autumn. Pickers were paid by the crate.

- Frost damaged the pear blossom in April.
- The cider press was repaired by Tom Hale.
"""


def make_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Quarterly bulletin of the Glacier Survey.\n\nThe survey team measured the ice "
                   "thickness at three stations in the valley.")
    pdf.add_page()
    pdf.multi_cell(0, 8, "The Veldt glacier retreated by 85 metres during 2022, the largest loss on record. "
                   "Dr. Ines Moraga led the summer field campaign.")
    pdf.output(str(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    shutil.copy(RELEASE, root / "release.txt")
    make_pdf(root / "glacier.pdf")
    (root / "harbour.html").write_text(HTML, encoding="utf-8")
    (root / "orchard.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "junk.txt").write_bytes(bytes(range(256)) * 4)
    (root / "latin.txt").write_bytes("Un caf\xe9 cr\xe8me.".encode("latin-1"))
    (root / "empty.md").write_text("")
    (root / "fake.pdf").write_text("this is not a pdf")
    return root


@pytest.fixture(scope="module")
def bot(folder, tmp_path_factory):
    b = Bot(source=folder, index=tmp_path_factory.mktemp("formats-index"))
    b.load()
    return b


def test_unreadable_files_are_reported_by_name(bot):
    assert {(p.doc, p.reason) for p in bot.problems} == {
        ("junk.txt", "the file is binary, not text"),
        ("latin.txt", "the file is not UTF-8 text (byte 0xe9 at offset 6)"),
        ("empty.md", "the file is empty"),
        ("fake.pdf", "the file is not a PDF (it does not start with %PDF-)"),
    }
    assert bot.documents == ["glacier.pdf", "harbour.html", "orchard.md", "release.txt"]


def test_a_new_process_knows_the_problems_without_reindexing(bot):
    again = Bot(source=bot.source, index=bot.index_dir)
    assert again.status().fresh
    again.load()
    assert again.last_report is None
    assert {p.doc for p in again.problems} == {"junk.txt", "latin.txt", "empty.md", "fake.pdf"}


@pytest.mark.parametrize(
    ("question", "doc", "phrase", "page"),
    [
        ("How far did the Veldt glacier retreat?", "glacier.pdf", "85 metres", 2),
        ("Who led the summer field campaign?", "glacier.pdf", "Ines Moraga", 2),
        ("When was the Port Elwin lighthouse lit?", "harbour.html", "3 March 2023", None),
        ("How far away can the lamp be seen?", "harbour.html", "40 kilometres", None),
        ("How much fruit did the Bramley trees give?", "orchard.md", "12 tonnes", None),
        ("Who repaired the cider press?", "orchard.md", "Tom Hale", None),
        ("Who is the head of Roscosmos?", "release.txt", "Igor Komarov", None),
    ],
)
def test_questions_cite_the_right_document_and_page(bot, question, doc, phrase, page):
    answer = bot.ask(question)
    assert not answer.abstained, answer.text
    top = answer.top
    assert (top.doc, top.page) == (doc, page) and phrase in top.text


def test_offsets_hold_for_every_format(bot):
    index = bot.load()
    for unit in index.units:
        text = bot.document_text(unit.doc)
        assert collapse(text[unit.start : unit.end]) == unit.text


def test_script_style_and_navigation_are_never_indexed(bot):
    text = bot.document_text("harbour.html")
    for hidden in ("Zorblax", "color: red", "About the pelican colony", "Site header menu", "Copyright footer"):
        assert hidden not in text
    assert all("Zorblax" not in u.text for u in bot.load().units)
    assert bot.ask("What is the lighthouse keeper named?").top is None or "Zorblax" not in bot.ask(
        "What is the lighthouse keeper named?").text


def test_changing_one_file_reembeds_only_it(folder, tmp_path):
    source = tmp_path / "src"
    shutil.copytree(folder, source)
    index = tmp_path / "index"
    Bot(source=source, index=index).reindex()
    (source / "orchard.md").write_text(MARKDOWN + "\nThe plum harvest was sold at the Thursday market.\n")
    report = Bot(source=source, index=index).reindex()
    assert (report.updated, report.added, report.removed) == (["orchard.md"], [], [])
    assert report.embedded == 7
    assert sorted(report.unchanged) == ["glacier.pdf", "harbour.html", "release.txt"]


def test_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    make_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(tmp_path / "plain.pdf").pages:
        writer.add_page(page)
    writer.encrypt("secret")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    with pytest.raises(DocumentError, match="^the PDF is encrypted$"):
        read_document(tmp_path / "locked.pdf", tmp_path)
    docs, problems = load_folder(tmp_path)
    assert [d.doc for d in docs] == ["plain.pdf"] and problems[0].doc == "locked.pdf"


def test_pdf_named_txt_is_refused(tmp_path):
    make_pdf(tmp_path / "a.pdf")
    (tmp_path / "a.pdf").rename(tmp_path / "a.txt")
    with pytest.raises(DocumentError, match="^the file is a PDF but is named 'txt'$"):
        read_document(tmp_path / "a.txt", tmp_path)


def test_a_data_table_reads_row_by_row_with_its_headings():
    """Each row of a table is one unit that names its columns; the heading row itself is not a unit."""
    from bot.documents.extract import html_text, markdown_text

    page = ("<html><body><p>Talks start at 18:30.</p><table><thead><tr><th>Date</th><th>Talk</th></tr></thead>"
            "<tr><td>3 April</td><td>Lighthouses of the <b>North</b> Sea</td></tr>"
            "<tr><td>17 April</td><td></td></tr></table></body></html>")
    assert html_text(page).split("\n\n") == ["Talks start at 18:30.",
                                             "Date: 3 April; Talk: Lighthouses of the North Sea", "Date: 17 April\n"]
    plain = "<html><body><table><tr><td>Adults</td><td>8 euros</td></tr></table></body></html>"
    assert html_text(plain) == "Adults; 8 euros\n"
    md = "Fees:\n\n| Membership | Fee |\n|:---|---:|\n| Adult | 240 euros |\n| Student | 120 euros |\n"
    assert markdown_text(md).split("\n") == ["Fees:", "", "", "", "Membership: Adult; Fee: 240 euros.",
                                             "Membership: Student; Fee: 120 euros.", ""]


def test_a_definition_list_reads_term_and_description_together():
    from bot.documents.extract import html_text

    page = "<html><body><dl><dt>Opening hours</dt><dd>10:00 to 18:00, <b>closed</b> Mondays</dd></dl></body></html>"
    assert html_text(page) == "Opening hours: 10:00 to 18:00, closed Mondays\n"


def test_a_layout_table_keeps_its_paragraphs():
    """A table that lays out a page (cells holding paragraphs) is read as the paragraphs, not as rows."""
    from bot.documents.extract import html_text

    page = ("<html><body><table><tr><td><p>The museum opens at ten.</p><p>It closes at six.</p></td>"
            "<td><p>Entry is free.</p></td></tr></table></body></html>")
    assert html_text(page).split() == "The museum opens at ten. It closes at six. Entry is free.".split()
    assert "It closes at six.\n\nEntry is free." in html_text(page)


def test_running_headers_and_footers_of_a_pdf_are_dropped_and_sentences_run_on(tmp_path):
    """A report's header and "Page N of M" footer on every page are not text, and a sentence that a page
    break cuts is read whole."""
    from bot.benchmarks.loadtest import write_pdf
    from bot.documents.extract import pdf_text
    from bot.documents.sentences import split_sentences

    pages = [["Acme Ltd - Safety notice", "The heater models AB-100 and AB-200 are recalled because a",
              "faulty switch may overheat.", "Customers should stop using the heater at once", "Page 1 of 3"],
             ["Acme Ltd - Safety notice", "and call our free line 0800 123 456.", "Page 2 of 3"],
             ["Acme Ltd - Safety notice", "Refunds are paid within 14 days.", "Page 3 of 3"]]
    write_pdf(tmp_path / "notice.pdf", pages)
    text, starts = pdf_text((tmp_path / "notice.pdf").read_bytes())
    assert "Acme Ltd" not in text and "Page" not in text
    assert [s.text for s in split_sentences(text)] == [
        "The heater models AB-100 and AB-200 are recalled because a faulty switch may overheat.",
        "Customers should stop using the heater at once and call our free line 0800 123 456.",
        "Refunds are paid within 14 days."]
    assert text[starts[1]:].startswith("and call") and text[starts[2]:].startswith("Refunds")


def test_a_pdf_saved_as_text_loses_its_running_lines_but_no_offset(tmp_path):
    """Plain text with "Page N of M" lines is a PDF saved as text: its running header and footers are blanked
    (spaces, so offsets still point into the file), a bullet a page break cuts is read whole, and units know
    their page; text without page lines is read as it is (the release)."""
    page, foot = "Acme Ltd — Safety notice                 9 October 2024\n\n", " " * 35 + "Page {} of 3\n"
    text = ("SAFETY NOTICE\n\nThe heater models AB-100 and AB-200 are recalled because a faulty switch may\n"
            "overheat. Findings of the review:\n\n• Nine heaters overheated in tests, all of them made before\n\n"
            + foot.format(1) + page + "  the switch was changed\n• Refunds are paid within 14 days of the return.\n\n"
            + foot.format(2) + page + "Customers should stop using the heater at once.\n\n" + foot.format(3))
    (tmp_path / "notice.txt").write_text(text, encoding="utf-8")
    doc = read_document(tmp_path / "notice.txt", tmp_path)
    assert len(doc.text) == len(text) and "Acme Ltd" not in doc.text and "Page 2" not in doc.text
    from bot.documents.sentences import split_sentences

    units = [s.text for s in split_sentences(doc.text)]
    assert "Nine heaters overheated in tests, all of them made before the switch was changed" in units
    assert not any("Acme" in u or "Page" in u for u in units)
    assert doc.page_of(doc.text.index("Customers")) == 3
    release = read_document(RELEASE, RELEASE.parent)
    assert release.text == RELEASE.read_text(encoding="utf-8") and release.page_starts is None


@pytest.mark.parametrize(("before", "after", "joined"), [
    ("Ambulances take 19 minutes here, compared with", "8 minutes in Kelbury itself.", True),  # a number goes on
    ("The trial is run by", "Kelbury University with the ambulance service.", True),  # no sentence ends at "by"
    ("3. Funding", "The trial is funded by a grant.", False),  # a heading at the foot of a page
    ("The trial ends in June.", "8 villages take part.", False),
])
def test_a_sentence_a_page_break_cuts_is_read_whole(tmp_path, before, after, joined):
    from bot.documents.sentences import split_sentences

    foot = "\n\n" + " " * 30 + "Page {} of 2\n\nAcme report\n\n"
    text = "Acme report\n\nIntro line one.\n\n" + before + foot.format(1) + after + foot.format(2)
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    units = [s.text for s in split_sentences(read_document(tmp_path / "report.txt", tmp_path).text)]
    assert (f"{before} {after}" in units) is joined
