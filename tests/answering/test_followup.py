import pytest

from bot.answering.followup import Turn, is_person, names, rewrite

KOMAROV = Turn(
    "Who is Igor Komarov?",
    "Wednesday 19 July, CNES President Jean-Yves Le Gall visited the ESA and GIFAS stands at the MAKS "
    "international air show in Moscow, where he also met his counterpart Igor Komarov, Head of Roscosmos.",
)
PESQUET = Turn("What did Thomas Pesquet do in 2016?", "the start of Thomas Pesquet’s Proxima mission aboard the ISS.")


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        ([KOMAROV], "Who did he meet?", "Who did Igor Komarov meet?"),
        ([KOMAROV], "What is his job?", "What is Igor Komarov’s job?"),
        ([KOMAROV], "What did the two of them review?", "What did Igor Komarov and Jean-Yves Le Gall review?"),
        ([KOMAROV], "What did they review?", "What did Igor Komarov and Jean-Yves Le Gall review?"),
        ([PESQUET], "How did he come back?", "How did Thomas Pesquet come back?"),
        ([PESQUET], "When?", "When, Thomas Pesquet 2016?"),
        ([PESQUET], "And the ExoMars probe?", "What did the ExoMars probe do in 2016?"),
        ([Turn("Who heads Roscosmos?", "")], "And CNES?", "Who heads CNES?"),
        ([Turn("What happened in 2016?", "")], "And this year?", "What happened this year?"),
        ([Turn("What happened in 2016?", "")], "What about in 2017?", "What happened in 2017?"),
        ([KOMAROV], "And the other agency?", "the other agency, Igor Komarov?"),
        ([KOMAROV, PESQUET], "Where did he return from?", "Where did Thomas Pesquet return from?"),
        ([Turn("Tell me about the museum’s new wing", "")], "Who designed it?", "Who designed it, museum’s new wing?"),
        ([Turn("Why did the US leave the treaty?", "")], "And when?", "when, US leave treaty?"),
        ([Turn("Show me the Bion-M2 mission", "")], "Which country runs it?", "Which country runs Bion-M2?"),
        ([Turn("What is ExoMars 2020?", "")], "What about the earlier ExoMars probe?",
         "What is the earlier ExoMars probe?"),
        # self-contained questions are left alone
        ([KOMAROV], "When did Thomas Pesquet return to Earth?", "When did Thomas Pesquet return to Earth?"),
        ([KOMAROV], "Which instrument will fly to Mercury?", "Which instrument will fly to Mercury?"),
        ([KOMAROV], "What did Le Gall say about his meeting?", "What did Le Gall say about his meeting?"),
        ([], "Who did he meet?", "Who did he meet?"),
    ],
)
def test_rewrite(history, question, expected):
    assert rewrite(question, history) == expected


def test_names_and_people():
    found = names(KOMAROV.cited)
    assert "Jean-Yves Le Gall" in found and "Igor Komarov" in found and "Roscosmos" in found
    assert is_person("Igor Komarov") and not is_person("ESA") and not is_person("ExoMars 2020")
    assert names("Tell me about ExoMars 2020 and Soyuz") == ["ExoMars 2020", "Soyuz"]
    assert names("US officials met ESA 2 years later.") == ["US", "ESA"]
