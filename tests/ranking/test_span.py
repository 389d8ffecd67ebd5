"""Span extraction: the words inside a sentence that answer, or none."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ranking.span import DEFINITION, NAME, PLACE, asked_kind, find_span

PESQUET = ("Riding on this momentum, these successes have been pursued this year with the first two Soyuz launches "
           "into geostationary transfer orbit from the CSG, development work on ExoMars 2020 and Thomas Pesquet’s "
           "return to Earth on 2 June in a Soyuz spacecraft.")


def short(question: str, sentence: str) -> str | None:
    found = find_span(question, sentence)
    return sentence[found[0]:found[1]] if found else None


@pytest.mark.parametrize("question, kind", [
    ("When did Thomas Pesquet return to Earth?", "date"),
    ("How many docking stations are there?", "quantity"),
    ("Parking cost for visitors?", "money"),
    ("What's the minimum age to sign up?", "quantity"),
    ("Who is the head of Roscosmos?", NAME),
    ("Chair?", NAME),
    ("Which company got the roofing job?", NAME),
    ("Where is the chronometer on loan from?", PLACE),
    ("What does BRT stand for?", DEFINITION),
    ("Why did the probe fail?", None),
    ("What did Jean-Yves Le Gall say?", None),
    ("What happened to the ExoMars probe?", None),
])
def test_asked_kind(question, kind):
    assert asked_kind(question) == kind


@pytest.mark.parametrize("question, sentence, expected", [
    ("When did Thomas Pesquet return to Earth?", PESQUET, "2 June"),
    ("Who did he meet?", "Jean-Yves Le Gall met his counterpart Igor Komarov, Head of Roscosmos, at the show.",
     "Igor Komarov"),
    ("Who is the CNES president?", "Wednesday 19 July, CNES President Jean-Yves Le Gall visited the ESA and GIFAS "
     "stands in Moscow.", "Jean-Yves Le Gall"),  # the question's own words are cut from the name run
    ("What does BRT stand for?", "The city runs a bus rapid transit (BRT) line.", "bus rapid transit"),
    ("What does FKM stand for?", "Join the Friends of Kellbrook Museum (FKM) today.", "Friends of Kellbrook Museum"),
    ("What does MRF stand for?", "The MRF (Major Repairs Fund) is healthy.", "Major Repairs Fund"),
    ("How fast can the bikes go?", "Electric bikes are limited to 25 km/h.", "25 km/h"),
    ("How much is a yearly membership?", "Membership costs 79 euros a year.", "79 euros"),
    ("When is the courtyard cleanup?", "The courtyard cleanup is on Saturday 11 October from 10:00.",
     "Saturday 11 October from 10:00"),
    ("Who runs the scheme?", "The scheme is run by Velora Mobility.", "Velora Mobility"),
    ("How much did the repair cost?", "The repair was done in 2024 at a cost of 1,350 euros.", "1,350 euros"),
])
def test_find_span(question, sentence, expected):
    assert short(question, sentence) == expected


@pytest.mark.parametrize("question, sentence", [
    ("Why was the launch delayed?", "The launch was delayed by a storm on 3 May."),            # open question
    ("What did the president say?", "The president said: “We will go to Mars in 2030.”"),     # open question
    ("When did it open?", "Built in 1990, it opened in 1991."),                                    # a tie
    ("How many tenders were there?", "There were tenders."),                                   # nothing fits
    ("When did the museum open in 1961?", "The museum opened in 1961."),                       # only the asked date
])
def test_no_span(question, sentence):
    assert find_span(question, sentence) is None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["When did it happen?", "Who did he meet?", "How many were there?", "How much did it cost?",
                        "Where is it?", "What does ABC stand for?"]),
       st.text(alphabet=st.sampled_from(list("aA1 2,.()$€-:June ABC Paris Smith 2019 euros")), max_size=120))
def test_span_lies_inside_the_sentence(question, sentence):
    found = find_span(question, sentence)
    if found:
        assert 0 <= found[0] < found[1] <= len(sentence)
        assert sentence[found[0]:found[1]].strip() == sentence[found[0]:found[1]]
