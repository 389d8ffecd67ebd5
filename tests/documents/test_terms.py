import pytest

from bot.documents.terms import long_forms, spelled_out, with_long_forms


@pytest.mark.parametrize(("text", "forms"), [
    ("Turn on Heat Pump Mode (HPM) under Settings.", {"HPM": "Heat Pump Mode"}),
    ("You may take Time Off In Lieu (TOIL) instead.", {"TOIL": "Time Off In Lieu"}),
    ("A grant from the Biotechnology and Biological Sciences Research Council (BBSRC).",
     {"BBSRC": "Biotechnology and Biological Sciences Research Council"}),  # small joining words allowed
    ("an electric bus rapid transit (BRT) line", {"BRT": "bus rapid transit"}),
    ("The museum (NLHT) opens at ten.", {}),  # initials that do not spell it: no long form
    ("Call us (or email) any time.", {}),
])
def test_long_forms_are_the_words_whose_initials_spell_the_abbreviation(text, forms):
    assert long_forms(text) == forms


def test_sentences_using_an_abbreviation_are_ranked_with_its_long_form():
    texts = ["Turn on Heat Pump Mode (HPM) now.", "HPM can lower heating costs by 18 percent.", "Nothing else."]
    assert with_long_forms(texts) == [texts[0], f"{texts[1]} Heat Pump Mode", texts[2]]
    assert with_long_forms(["No abbreviation here."]) == ["No abbreviation here."]
    assert spelled_out("HPMs save money.", {"HPM": "Heat Pump Mode"}) == "HPMs save money. Heat Pump Mode"
