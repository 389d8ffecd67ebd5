import pytest

CONVERSATIONS = {
    "pronoun": [("Who is Igor Komarov?", "Igor Komarov, Head of Roscosmos"), ("Who did he meet?", "Jean-Yves Le Gall")],
    "pronoun after activity": [("What did Thomas Pesquet do in 2016?", "Proxima mission"),
                               ("How did he come back?", "in a Soyuz spacecraft")],
    "possessive": [("Who is Thomas Pesquet?", "Thomas Pesquet"), ("When was his return to Earth?", "2 June")],
    "ellipsis": [("When did Thomas Pesquet return to Earth?", "2 June"), ("In what?", "Soyuz spacecraft")],
    "topic switch": [("Who is Igor Komarov?", "Igor Komarov"),
                     ("Which instrument will fly to Mercury?", "Bepi-Colombo")],
    "self-contained after follow-up": [("Who is Igor Komarov?", "Igor Komarov"), ("Who did he meet?", "Le Gall"),
                                       ("When did Thomas Pesquet return to Earth?", "2 June")],
}


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_conversation(bot, name):
    conversation = bot.conversation()
    for question, expected in CONVERSATIONS[name]:
        answer = conversation.ask(question)
        assert not answer.abstained, (question, answer.query, answer.text)
        assert expected.lower() in answer.top.text.lower(), (question, answer.query)


def test_rewritten_question_is_in_answer_query(bot):
    conversation = bot.conversation()
    first = conversation.ask("Who is Igor Komarov?")
    assert first.query == first.question
    follow = conversation.ask("Who did he meet?")
    assert (follow.question, follow.query) == ("Who did he meet?", "Who did Igor Komarov meet?")


def test_conversations_are_independent(bot):
    a, b = bot.conversation(), bot.conversation()
    a.ask("Who is Igor Komarov?")
    b.ask("What did Thomas Pesquet do in 2016?")
    assert a.ask("Who did he meet?").query == "Who did Igor Komarov meet?"
    assert b.ask("How did he come back?").query == "How did Thomas Pesquet come back?"


def test_bad_question_in_a_conversation_keeps_history(bot):
    conversation = bot.conversation()
    conversation.ask("Who is Igor Komarov?")
    assert conversation.ask("   ").error
    assert conversation.ask("Who did he meet?").query == "Who did Igor Komarov meet?"


def test_follow_up_asking_for_a_date_moves_past_the_last_answer(tmp_path):
    """"Since when?" after "Who runs the library?": the last answer holds no date, so it is lowered, and the
    sentence that says "She took up the post in May 2019" is read after the one that names her."""
    from bot import Bot

    source = tmp_path / "source"
    source.mkdir()
    (source / "library.txt").write_text(
        "The town library moved to the old post office in 2015. The head librarian is Ms Clara Voss. "
        "She took up the post in May 2019. Previously, she ran the reading room of the Hafen Archive. "
        "The library lends books, films and board games.\n", encoding="utf-8")
    conversation = Bot(source=source, index=tmp_path / "index").conversation()
    first = conversation.ask("Who runs the library?")
    assert "Clara Voss" in first.top.text
    since = conversation.ask("Since when?")
    assert not since.abstained, since.text
    assert "May 2019" in since.top.text
