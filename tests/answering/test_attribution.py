from bot.answering.attribution import attributed, quotations

RELEASE = [
    "Jean-Yves Le Gall visited the stands.",
    "After his meeting, Jean-Yves Le Gall commented: \u201cFrance and Russia have been cooperating for 50 years.",
    "This cooperation has been extended to Europe.",
    "This foundation will enable us to step up our cooperation.\u201d",
    "The two agency heads met in Moscow.",
]


def test_a_quotation_over_several_sentences_is_one_group():
    assert quotations(RELEASE) == [-1, 1, 1, 1, -1]
    assert quotations(['"We will go on.', 'It is the first," she said.', "Then it rained."]) == [0, 0, -1]
    assert quotations(["\u201cA whole quotation,\u201d said Raman.", "Next."]) == [-1, -1]


def test_the_whole_quotation_speaks_for_the_person_named_in_it():
    assert attributed(RELEASE, "Gall", "m") == {0, 1, 2, 3}
    assert attributed(RELEASE, "Komarov", "m") == set()


def test_a_pronoun_of_the_persons_gender_carries_them_on():
    texts = ["The director is Dr Samuel Achterberg.", "He took office in March 2022.",
             "Before that, he spent twelve years in Veldhaven.", "The museum opens at ten.",
             "She runs the shop."]
    assert attributed(texts, "Achterberg", "m") == {0, 1, 2}
    assert attributed(texts, "Achterberg", "f") == {0}
    assert attributed(texts, "Achterberg") == {0, 1, 2}  # gender unknown: either pronoun


def test_words_given_as_the_persons_carry_them_on():
    texts = ["Owain Hale said the bakery was the last shop.", '"It took the heart out of the street," he said.',
             '"We will be watching how it goes."', "He added that the council would review it.",
             '"It is late," she said.']
    assert attributed(texts, "Hale", "m") == {0, 1}  # the bare quotation after them names no one: not carried
    assert attributed(texts, "Hale", "f") == {0}
