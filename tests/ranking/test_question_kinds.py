"""Definition, person and short-form questions, and the sentences that answer them."""

import pytest

from bot.ranking.answer_type import (
    DATE,
    MONEY,
    QUANTITY,
    asks_funder,
    asks_person,
    defined_term,
    defines,
    expected_type,
    gives_reason,
    names_funder,
    names_person,
    names_place,
)


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What does BRT stand for?", "BRT"),
        ("what does tmc stand for", "tmc"),
        ("What does HPM mean?", "HPM"),
        ("What is PET?", "PET"),
        ("What's the abbreviation FKM short for?", "FKM"),
        ("Meaning of NGO?", "NGO"),
        ("What is the warranty?", None),
        ("What does the mayor want?", None),
        ("Who founded ESA?", None),
    ],
)
def test_defined_term(question, term):
    assert defined_term(question) == term


@pytest.mark.parametrize(
    ("sentence", "term", "expected"),
    [
        ("She proposed an electric bus rapid transit (BRT) line.", "BRT", True),
        ("Turn on Heat Pump Mode (HPM) under Settings.", "hpm", True),
        ("The Major Repairs Fund (MRF) stood at 286,400 euros.", "MRF", True),
        ("ESA (the European Space Agency) signed.", "ESA", True),
        ("TMC stands for Travel Management Company.", "TMC", True),
        ("Okonjo replied that a BRT line would reach its limit.", "BRT", False),
        ("The BRT (2019) report.", "BRT", False),
    ],
)
def test_defines(sentence, term, expected):
    assert defines(sentence, term) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Mayor Anneliese Dorn called the vote historic.", True),
        ("Opposition councillor Hedda Lindqvist of the Citizens' Alliance called the cost unrealistic.", True),
        ("Media contact: Owen Pritchard, Press Office", True),
        ("The team, led by Dr Priya Raman of the institute, showed it.", True),
        ("Professor Henrik Solberg, director of the institute, said so.", True),
        ("Jonas Brekke said the rules were clear.", True),
        ("Jonah Prentice, Press Officer, University of Northvale", True),  # a role in title case
        ("Cllr Anwen Drabble, the council's cabinet member for transport, said so.", True),  # "Cllr"; possessive
        ("The council voted 27 to 14 to approve the Eastern Tram Line to Kessler Park.", False),
        ("The project has a budget of 412 million euros.", False),
    ],
)
def test_names_person(sentence, expected):
    assert names_person(sentence) is expected


def test_asks_person():
    assert asks_person("Who heads CNES?") and asks_person("whom should I contact")
    assert not asks_person("What did the mayor say?")


def test_who_pays_is_answered_by_the_funder_not_any_person():
    """ "Who's paying for the trial scheme?" wants the grant's giver (dev6: +1 answered, none fewer)."""
    assert all(map(asks_funder, ["Who's paying for the trial scheme?", "who gave the grant",
                                 "Who funded the induction loop downstairs?", "Who paid for the works?"]))
    assert not any(map(asks_funder, ["Who pays if I get caught speeding in a pool car?", "Who is the mayor?"]))
    assert names_funder("The pilot is paid for by a £48,000 grant from the Strendle Foundation.")
    assert names_funder("The renovation was funded jointly by the city and the state.")
    assert not names_funder("Mayor Ingrid Falk said the grant had been spent well.")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Opening date?", DATE),
        ("Mileage rate?", QUANTITY),
        ("team size", QUANTITY),
        ("Day pass price?", MONEY),
        ("Late fee?", MONEY),
        ("Opening hours on Sunday?", DATE),  # the type word with what it is for
        ("Price for a day pass?", MONEY),
        ("Is there a charge for parking on Sunday?", None),  # yes/no
        ("Parking?", None),
    ],
)
def test_short_form_types(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A truck that fails must be parked in the quarantine bay next to Door 14.", True),
        ("Our course runs at Tollcraig House, four miles north of Lesmurie.", True),
        ("Collect it from the depot at DN4 7QE.", True),
        ("The festival is run almost entirely by volunteers.", False),
        ("Subject: Forklift safety – revised rules from 2 June 2025", False),  # a date is no place
        ("Dogs should have no food after 22:00 on the evening before surgery.", False),
    ],
)
def test_names_place(sentence, expected):
    assert names_place(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Apologies: Cllr Mark Ellery (work commitment), Cllr Bernadette Shaw (illness)", True),
        ("The change is aimed at stopping traders who dump waste.", True),
        ("The market shut because part of the roof fell in.", True),
        ("The drones fly beyond visual line of sight (BVLOS).", False),  # an abbreviation, no reason
        ("Single fares rise from £1.50 to £2.40.", False),
    ],
)
def test_gives_reason(sentence, expected):
    assert gives_reason(sentence) is expected
