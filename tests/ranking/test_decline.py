import pytest

from bot.ranking.decline import FEATURES, DeclineModel


@pytest.fixture(scope="module")
def matcher(bot):
    return bot.word_matcher


@pytest.mark.parametrize(
    ("question", "about", "answering"),
    [
        ("What is the credit limit on the corporate card?",
         "Employees can apply for a corporate credit card through the Finance team.",
         "The corporate card has a monthly limit of 5,000 euros."),
        ("Which party does Mayor Dorn belong to?",
         "Mayor Anneliese Dorn, who has championed a tram since her election in 2019, welcomed the vote.",
         "Mayor Anneliese Dorn of the Green Party welcomed the vote."),
        ("Who is the captain of the Northern Lark?",
         "The strain was first isolated from test panels attached to the trawler Northern Lark.",
         "The Northern Lark's skipper, Mats Eriksen, found the panels."),  # a paraphrase of the word asked
    ],
)
def test_asked_match_prefers_the_sentence_naming_what_is_asked(matcher, question, about, answering):
    assert matcher.asked_match(question, about) < 0.6
    assert matcher.asked_match(question, answering) > matcher.asked_match(question, about)


def test_asked_match_is_neutral_when_the_question_shape_does_not_tell(matcher):
    assert matcher.asked_match("When did Thomas Pesquet return?", "He landed in June.") == 1.0


def test_the_installed_model_reads_every_feature():
    model = DeclineModel.load()
    assert len(model.weights) == len(FEATURES)
