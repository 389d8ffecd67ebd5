import pytest

from bot.documents.sentences import collapse, split_sentences
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("The U.S. Army arrived. Then it left.", ["The U.S. Army arrived.", "Then it left."]),
        ("CNES President J.-Y. Le Gall spoke. He left.", ["CNES President J.-Y. Le Gall spoke.", "He left."]),
        ("It cost $3.5 million. Nobody paid.", ["It cost $3.5 million.", "Nobody paid."]),
        ("A line that is wrapped\nin the middle. Next one.", ["A line that is wrapped in the middle.", "Next one."]),
        ("He said: “We will go. It is good.” Then he left.",
         ["He said: “We will go.", "It is good.”", "Then he left."]),
        ("“Yes,” he said. “No.”", ["“Yes,” he said.", "“No.”"]),
        ('She wrote "the end." Then stopped.', ['She wrote "the end."', "Then stopped."]),
        ("Title of a page\n\nBody text here. More body.", ["Title of a page", "Body text here.", "More body."]),
        ("", []),
        ("   \n\n  ", []),
        ("no punctuation at all", ["no punctuation at all"]),
        ('000."0', ['000."', "0"]),  # found by Hypothesis: spans overlapped
    ],
)
def test_splitter_cases(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_title_lines_stand_alone_before_wrapped_paragraph():
    text = (
        "A Short Title\nA subtitle line\n\n"
        + "This paragraph is long enough to be wrapped by a PDF converter at a\n"
        + "fixed width, so the next line continues the very same sentence until\n"
        + "it ends here. Another sentence follows it.\n"
    )
    assert [s.text for s in split_sentences(text)] == [
        "A Short Title",
        "A subtitle line",
        "This paragraph is long enough to be wrapped by a PDF converter at a fixed width, so the next line "
        "continues the very same sentence until it ends here.",
        "Another sentence follows it.",
    ]


def test_markdown_headings_and_items():
    text = "# Heading one\n\nSome text. More.\n\n- first item\n- second item\n\n## Sub\nBody line."
    assert [s.text for s in split_sentences(text, markdown=True)] == [
        "Heading one", "Some text.", "More.", "first item", "second item", "Sub", "Body line."]


def test_release_units(release_text):
    units = [s.text for s in split_sentences(release_text)]
    assert units[:2] == ["France-Russia space cooperation", "CNES at the MAKS 2017 international air show"]
    assert units[2].startswith("Wednesday 19 July") and units[2].endswith("Russian federal space agency.")
    quote = units[-3:]
    assert quote[0].endswith("“France and Russia have been cooperating in space for more than 50 years.")
    assert quote[1].startswith("This historic cooperation")
    assert quote[2].endswith("between France and Russia.”")
    assert len(units) == 12


@pytest.mark.parametrize("path", sorted((ROOT / "source").glob("*")), ids=lambda p: p.name)
def test_offset_invariant_on_every_document(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for span in split_sentences(text, markdown=path.suffix == ".md"):
        assert collapse(text[span.start : span.end]) == span.text
        assert span.text
        assert text[: span.start].count("\n") + 1 == span.line
        assert lines[span.line - 1].strip()


def test_numbered_heading_is_one_unit():
    text = "Intro text here.\n\n1. Booking\n\nAll flights must be booked. See point 2. below.\n\nA. Annex\n"
    assert [s.text for s in split_sentences(text)] == [
        "Intro text here.", "1. Booking", "All flights must be booked.", "See point 2. below.", "A. Annex"]


def test_a_memos_address_fields_are_units_of_their_own():
    text = ("To: All operations, maintenance and control-room staff of the three depots\n"
            "From: Petra Sandvik-Arden, Director of People\nDate: 3 February 2025\n"
            "Subject: New on-call and overtime rules for all depot and control-room staff\n"
            "Ref: HR-07\n\nThis memo sets out the rules.\n")
    assert [s.text for s in split_sentences(text)] == [
        "To: All operations, maintenance and control-room staff of the three depots",
        "From: Petra Sandvik-Arden, Director of People", "Date: 3 February 2025",
        "Subject: New on-call and overtime rules for all depot and control-room staff Ref: HR-07",  # stay together
        "This memo sets out the rules."]


def test_markdown_inline_markup_is_dropped_line_for_line():
    from bot.documents.extract import markdown_text

    raw = ("# Title\n\n- **Weight:** 180 g\n- *Colour:* __white__, see [the shop](https://x.example)\n\n"
           "`code` 2 * 3 * 4\n")
    text = markdown_text(raw)
    assert text == "# Title\n\n- Weight: 180 g\n- Colour: white, see the shop\n\ncode 2 * 3 * 4\n"
    assert text.count("\n") == raw.count("\n")
    units = split_sentences(text, markdown=True)
    assert [u.text for u in units][:3] == ["Title", "Weight: 180 g", "Colour: white, see the shop"]
    assert units[1].line == 3


def test_bulleted_lines_of_plain_text_are_sentences_of_their_own():
    """Action items ("- Name: task by date.") are one sentence each, their bullet left out; a dash that
    opens a wrapped line inside a sentence stays in it."""
    text = ("ACTION ITEMS\n\n- Felix Marr: send the contract by 30 September 2025.\n"
            "- Beatrix Fenn: submit the application by 24 October 2025.\n"
            "- Declan Moss: post the agenda\n\nThe ship that first brought settlers to the island was old, slow and\n"
            "- as the records show - often late.\n")
    texts = [s.text for s in split_sentences(text)]
    assert texts == ["ACTION ITEMS", "Felix Marr: send the contract by 30 September 2025.",
                     "Beatrix Fenn: submit the application by 24 October 2025.", "Declan Moss: post the agenda",
                     "The ship that first brought settlers to the island was old, slow and"
                     " - as the records show - often late."]
