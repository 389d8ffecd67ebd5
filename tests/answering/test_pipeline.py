import json
from pathlib import Path

import pytest

from bot import Answer, Bot, Citation
from bot.documents.sentences import collapse
from bot.evaluation.evalio import read_items
from tests.conftest import DEV, needs_shared


def test_answer_shape(bot):
    answer = bot.ask("Who is the head of Roscosmos?")
    assert isinstance(answer, Answer) and not answer.abstained
    top = answer.top
    assert isinstance(top, Citation)
    assert "Igor Komarov" in top.text and top.doc == "cnes-maks-2017.txt" and top.line == 6
    assert answer.text.startswith("[1] ") and top.text in answer.text
    assert answer.query == "Who is the head of Roscosmos?"
    assert set(answer.timings) >= {"encode_ms", "rank_ms", "decide_ms", "total_ms"}
    data = answer.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["citations"][0]["doc"] == "cnes-maks-2017.txt"


def test_ask_many_matches_ask(bot):
    questions = ["Who is the head of Roscosmos?", "When did Thomas Pesquet return to Earth?"]
    many = bot.ask_many(questions)
    assert [a.top.text for a in many] == [bot.ask(q).top.text for q in questions]


def test_off_topic_question_is_declined(bot):
    answer = bot.ask("Who won the 2016 Tour de France?")
    assert answer.abstained and answer.citations == []
    assert answer.text.startswith("The document does not say.")
    assert answer.closest


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Please type a question about the documents"),
        ("   \t\n", "Please type a question about the documents"),
        ("?!?", "Please type a question about the documents"),
        ("x" * 2001, "That question is 2,001 characters long; please keep it under 2,000 characters."),
    ],
)
def test_bad_questions_get_a_clear_message(bot, question, message):
    answer = bot.ask(question)
    assert answer.abstained and answer.error.startswith(message) and answer.text == answer.error


@needs_shared
def test_every_citation_satisfies_the_offset_invariant(bot):
    items, _ = read_items(DEV)
    answers = bot.ask_many([it.question for it in items])
    text = bot.document_text("cnes-maks-2017.txt")
    cites = [c for a in answers for c in a.citations + a.closest]
    assert cites
    for c in cites:
        assert collapse(text[c.start : c.end]) == c.text
        assert text[: c.start].count("\n") + 1 == c.line


def test_many_documents(tmp_path):
    (tmp_path / "a.txt").write_text("The red kite nests in tall oak trees near the river.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Rockets\n\nThe Ariane 6 rocket first flew in July 2024.", encoding="utf-8")
    b = Bot(source=tmp_path, index=tmp_path / ".index")
    assert b.ask("When did Ariane 6 first fly?").top.doc == "b.md"
    assert b.ask("Where does the red kite nest?").top.doc == "a.txt"
    assert b.documents == ["a.txt", "b.md"]


def test_a_pdf_is_parsed_once(tmp_path, bot, monkeypatch):
    """Its text is kept with the index: answers, the document panel, a new process and indexing other
    documents never parse it again; changing it does."""
    from bot.documents import extract
    from tests.documents.test_formats import make_pdf

    parsed = []
    parse = extract.pdf_text
    monkeypatch.setattr(extract, "pdf_text", lambda data: parsed.append(len(data)) or parse(data))
    source = tmp_path / "source"
    source.mkdir()
    make_pdf(source / "glacier.pdf")
    b = Bot(source=source, index=tmp_path / "index", embedder=bot.embedder)
    for question in ("How far did the Veldt glacier retreat?", "Who led the summer field campaign?"):
        top = b.ask(question).top
        assert collapse(b.document_text(top.doc)[top.start : top.end]) == top.text and top.page == 2
    text = b.document_text("glacier.pdf")
    (source / "note.txt").write_text("The survey hut was painted red.", encoding="utf-8")
    assert b.reindex().added == ["note.txt"]
    again = Bot(source=source, index=tmp_path / "index", embedder=bot.embedder)
    assert again.document_text("glacier.pdf") == text and again.last_report is None
    assert len(parsed) == 1
    (source / "glacier.pdf").write_bytes((source / "glacier.pdf").read_bytes() + b"\n% edited\n")
    assert again.reindex().updated == ["glacier.pdf"] and len(parsed) == 2
    with pytest.raises(KeyError, match="no document 'missing.pdf' in the index"):
        again.document_text("missing.pdf")


def test_a_question_about_the_memo_itself_is_answered_by_its_header(tmp_path):
    """"Who sent this memo?" shares no word with "From: …": the header line is cited, not the memo's busiest
    sentence, and not declined; the article's byline answers who wrote the article."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "memo.txt").write_text(
        "To: All staff\nFrom: Deborah Quayle, Director of Finance\nDate: 2 September 2024\n"
        "Subject: Revised travel policy\n\n1. Scope\n\nThis memo replaces the travel policy issued in April\n"
        "2021 and applies to all staff who travel for work, including contractors and\nvolunteers. Rail travel "
        "must be booked in standard class through the travel desk,\nand first class needs the written approval "
        "of a director before booking.\n",
        encoding="utf-8")
    (source / "news.txt").write_text(
        "LIDO TO REOPEN IN JUNE\n\nBy Fiona Harkness, Local Democracy Reporter\n\nThe town's open-air pool will "
        "reopen on 21 June after flood repairs, councillors said. The work cost £2.4 million.\n", encoding="utf-8")
    bot = Bot(source=source, index=tmp_path / "index")
    sent, dated, wrote = bot.ask_many(["Who sent this memo?", "What date is the travel memo?",
                                       "Who wrote the lido article?"])
    assert not sent.abstained and sent.top.text.startswith("From: Deborah Quayle"), sent.text
    assert dated.top.text == "Date: 2 September 2024", dated.text
    assert wrote.top.text.startswith("By Fiona Harkness"), wrote.text


def test_a_sentence_opening_with_a_pronoun_is_judged_with_its_antecedent(tmp_path):
    """"He will also mark the policy briefs." answers "Which assignment will he grade?" (read as "… will Kwame
    Adjei grade?"): read after the sentence that names him, it covers the name and is not declined."""
    syllabus = Path(__file__).parents[1] / "data" / "unseen" / "source" / "course-syllabus.txt"
    (tmp_path / syllabus.name).write_bytes(syllabus.read_bytes())
    bot = Bot(source=tmp_path, index=tmp_path / ".index")
    chat = bot.conversation()
    chat.ask("Who's my seminar tutor?")
    answer = chat.ask("Which assignment will he grade?")
    assert not answer.abstained and answer.top.text == "He will also mark the policy briefs.", answer.text


def test_a_question_about_a_kind_of_document_reads_the_header_of_one_of_that_kind(tmp_path):
    """"When was this press release put out?" beside a memo with its own "Date:" line: the release's date line
    ("Carrowmere, 19 May 2025" under "FOR IMMEDIATE RELEASE"), not the memo's, and not the line without a date."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "memo.txt").write_text(
        "To: All staff\nFrom: Bethan Morrow, Head of People\nDate: 3 February 2025\nSubject: Hybrid working\n\n"
        "Staff may work from home on two days a week. Desks are booked in the app a week ahead.\n", encoding="utf-8")
    (source / "release.txt").write_text(
        "Fixwell Collective          MEDIA RELEASE\n\nSIX TOOL LIBRARIES OPEN IN CARROWMERE\n\n"
        "FOR IMMEDIATE RELEASE\nCarrowmere, 19 May 2025\n\nSix tool libraries will open across Carrowmere on "
        "Monday 2 June, letting residents borrow more than 1,400 items.\n", encoding="utf-8")
    bot = Bot(source=source, index=tmp_path / "index")
    answer = bot.ask("When was this press release put out?")
    assert answer.top.text == "Carrowmere, 19 May 2025", answer.text
    assert bot.ask("When was the memo sent?").top.text.startswith("Date: 3 February 2025")


def test_who_is_answered_by_the_person_under_a_heading_naming_nobody(tmp_path):
    """"who's the media contact" matches the heading "Media contact" word for word; the person under it answers,
    and is not declined for sharing no word with the question (``Ranking.placed``; seen sets: 4 more answered), also
    when the question's own words rank the heading far down (42 sets: 4 more answered)."""
    release = Path(__file__).parents[1] / "data" / "unseen5" / "source" / "fixwell_tool_libraries_release.txt"
    (tmp_path / release.name).write_bytes(release.read_bytes())
    bot = Bot(source=tmp_path, index=tmp_path / ".index")
    for question in ("who's the media contact", "Who should journalists get in touch with?",  # in other words
                     "Who do I call if I'm a journalist with questions?", "Who should the press ring?"):
        answer = bot.ask(question)
        assert not answer.abstained and answer.citations[0].text.startswith("Delphine Ambergate"), answer.text


def test_who_wrote_this_is_the_article_s_byline_and_who_sent_it_the_memo_s_sender(tmp_path):
    """Over a news article and a memo together, "Who wrote this?" is answered by the byline (an article is
    written by its reporter; a memo comes from its sender: seen sets, six more answered), "Who sent this memo?" by the
    memo's "From:" line."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "news.txt").write_text(
        "Ferry fares to rise in spring\n\nBy Ottoline Brisk, Transport Reporter\n\nFares on the chain ferry will "
        "rise from 1 April, the council said on Tuesday. A single crossing will cost £1.50.\n", encoding="utf-8")
    (source / "memo.txt").write_text(
        "To: All staff\nFrom: Hedda Marwick, Head of Health and Safety\nDate: 3 March 2025\nSubject: Winter "
        "travel\n\n1. Staff who cannot reach the office in snow should work from home.\n", encoding="utf-8")
    bot = Bot(source=source, index=tmp_path / "index")
    assert bot.ask("Who wrote this?").citations[0].text.startswith("By Ottoline Brisk")
    assert bot.ask("Who sent this memo?").citations[0].text.startswith("From: Hedda Marwick")
