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
    ("What time does the session finish?", "Family Clay Morning runs on Saturdays, 10am to noon.", "10am to noon"),
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
    ("support email?", "To make a claim, email support@perchly.example with your order number.",
     "support@perchly.example"),
    ("What's the press office's phone number?", "Jonah Prentice, Press Officer Tel: 01632 960 418", "01632 960 418"),
    ("What is the phone number?", "Email help@acme.example or phone 0161 496 0000.", "0161 496 0000"),  # the kind
    ("What is the support email?", "Email help@acme.example or phone 0161 496 0000.", "help@acme.example"),
    ("max sd card size", "It takes microSD cards of up to 128 GB.", "up to 128 GB"),  # the unit with its number
    ("How much seed does it hold?", "The hopper holds 1.5 litres of seed.", "1.5 litres"),
    ("standby pay per week?", "Each on-call week is paid a flat standby allowance of £180.", "£180"),
    # a question about the document itself: the header line's value, to its first comma
    ("who sent this memo", "From: Rosalind Achterberg, Director of People Operations", "Rosalind Achterberg"),
    ("Who wrote the article?", "By Tomasz Reyes, Local Democracy Reporter", "Tomasz Reyes"),
    # "who": the name with a role beside it, without the role
    ("Who's the press contact?", "Jonah Prentice, Press Officer, University of Northvale", "Jonah Prentice"),
    ("who's the boss of tarnwell water", 'Hephzibah Branscombe, Chief Executive of Tarnwell Water, said: "No one '
     'wants a ban."', "Hephzibah Branscombe"),  # "Executive" is her job, not a name
    ("Who started the local hedgehog rescue?", "Brigid Sneath, who founded Kellingworth Hedgehog Rescue in 2009, said "
     "her volunteers had nursed 174 hedgehogs.", "Brigid Sneath"),  # the doer of the relative clause
    ("Who visited the GIFAS stand?", "Wednesday 19 July, CNES President Jean-Yves Le Gall visited the ESA and "
     "GIFAS stands, where he also met his counterpart Igor Komarov, Head of Roscosmos.", "Jean-Yves Le Gall"),
    ("Who is Igor Komarov's French counterpart?", "CNES President Jean-Yves Le Gall met his counterpart Igor "
     "Komarov, Head of Roscosmos.", "Jean-Yves Le Gall"),  # "Komarov's" names Komarov: not the answer
    ("What's Daniel Moreau’s extension?", "Ask Daniel Moreau, HR Business Partner (extension 4417).", "4417"),
    # a date: not the dateline's, and the one the question's verb is followed by
    ("when does the lido reopen?", "BRACKENMOOR, 14 March — The pool, closed since the river burst its banks in "
     "November 2022, will reopen to the public on Saturday 21 June.", "Saturday 21 June"),
    ("When did it open?", "Built in 1990, it opened in 1991.", "1991"),
    # a table row: the column the question names, holding what it asks for; a label is no name
    ("who's presenting the geminid talk?", "Date: Sat 13 December 2025; Event: The Geminid meteor shower; Start: "
     "8.30pm; Presenter: Aled Morcombe", "Aled Morcombe"),
    ("adult ticket price if I book online", "Ticket: Adult; On the door: £9.50; Booked online: £8.50", "£8.50"),
    ("when is the gaia lecture", "Date: Friday 24 October, 19:00; Lecture: Mapping the Milky Way with Gaia; Speaker: "
     "Prof. Tomas Lindqvist; Ticket: 6 euros", "19:00"),  # the column named holds no date: not the title
    ("how much is a child ticket?", "Ticket: Child (5–15); Price: £6.50; Notes: Must come with an adult",
     "£6.50"),  # an amount of money when the row gives one
    ("How much water does the dam hold?", "The dam holds 3 million cubic metres of water and cost £40 million.",
     "3 million"),
    ("what's the relocation payment", "Every trader who moves back in before 28 February 2026 will receive a one-off "
     "relocation payment of £1,500.", "£1,500"),  # a payment is an amount of money
    ("how long till we get grades and feedback?", "You will get grades and feedback within 15 working days.",
     "15 working days"),  # the kind of days with the number
    ("what share of income came from grants", "Grants made up 58 percent of our income and donations 30 percent.",
     "58 percent"),  # a share is a quantity
    # the unit a measure asks for: a duration for "how long", not the price beside it; a time of day for "what time"
    ("How long does Meet the Owls last?", "Meet the Owls costs £35 and lasts 45 minutes.", "45 minutes"),
    ("How long is the piece?", "She turned the diaries into a 25-minute piece for cello and voice.", "25-minute"),
    ("How long is one trip round the lake?", "The track makes a 1.3-kilometre loop through a 40-metre tunnel, and "
     "each ride takes about 12 minutes.", "about 12 minutes"),
    ("How long has the line been running?", "The line has run since 1961 and carries 40,000 people a year.", "1961"),
    ("How far is the studio from the station?", "The studio is a ten-minute walk from the station.",
     "ten-minute walk"),
    ("What time is the drop-in?", "The drop-in runs every Friday, 10am to 1pm, at the library.", "10am to 1pm"),
    ("How many days do I get on the Flex plan?", "The Flex plan costs £96 a month for 8 days a month.", "8"),
    ("How many buoys did they use?", "Over an eighteen-month trial 22 buoys were placed.", "22"),
    ("how many names were on the petition", "The idea came from Jolyon Haverill, 74, whose petition collected 2,300 "
     "signatures.", "2,300"),  # an age is no count
    ("how many instruments were handed in", "A six-week amnesty closed with 212 violins and trumpets handed in.",
     "212"),  # nor a number hyphened to what is not counted
    ("how many beds are there", "Larchmere is a 42-bed unit.", "42"),
    ("Price for a single day?", "A single day costs £19 and the centre is open from 8am to 6pm.", "£19"),
    # a question about an end (or a start) takes the date the sentence marks so, when it marks both
    ("When did the lido shut down?", "The lido opened in 1934 and closed in September 2019.", "September 2019"),
    ("When does the trial finish?", "It will start on 1 April 2025 and run until 30 September 2026.",
     "30 September 2026"),
    ("When did the lido first open?", "The lido opened in 1934 and closed in September 2019.", "1934"),
    ("what depth is the bowl going to be", "The bowl will be 2.4 metres deep, designed by Kerbline Studio.",
     "2.4 metres"),
    ("At what temperature is the enzyme most effective?", "The enzyme is most active at 12°C.", "12°C"),
    ("under 16 member price", "Ticket: Under 16; Non-members: £4.60; Members: £3.10", "£3.10"),
    ("under 16 price for non-members", "Ticket: Under 16; Non-members: £4.60; Members: £3.10", "£4.60"),
    ("What does MIRA stand for?", "The seeds were planted using the MIRA method (Moored In-situ Release Array).",
     "Moored In-situ Release Array"),  # a hyphened word gives one initial or two
    # "Who is X?": the phrase beside the name, or the title before it
    ("who is tomasz wierzbicki", "“I am glad,” said Tomasz Wierzbicki, chair of the Kessler Park residents’ "
     "association, who followed the debate.", "chair of the Kessler Park residents’ association"),
    ("Who is Cyril Wragmire?", "Cyril Wragmire, 84, a retired signalman, lives on Market Street.",
     "a retired signalman"),
    ("Who is Jean-Yves Le Gall?", "CNES President Jean-Yves Le Gall visited the stands.", "CNES President"),
    ("Where will the joint seminar take place?", "A joint CNES-Roscosmos technical seminar will be held at the "
     "Toulouse Space Centre.", "Toulouse Space Centre"),  # the name after "at", not the organisers
    ("What city served as the capital in 1313?", "Kraków served as the capital until 1596, when the court moved to "
     "Warsaw.", "Kraków"),  # "what city" often asks for the subject, not a name after "to"
    ("where did tobias do his training", "Tobias Ferreira-Lund trained in Lisbon before opening the café.",
     "Lisbon"),
    # "who" asked of a person's role: the person, not the organisation beside them
    ("Who is the museum's director?", "The Tarrowgate Museums Trust appointed Dr Philomena Strathairn as the "
     "museum's director in 2019.", "Dr Philomena Strathairn"),
    ("Who is the clinical director at the blood service?", "Dr Petronella Vask, Consultant Haematologist and "
     "Clinical Director at HDBS, said the van was needed.", "Dr Petronella Vask"),
    ("Who paid for the refit?", "Orvington Borough Council paid for the refit, said Ada Lovell.",
     "Orvington Borough Council"),
])
def test_find_span(question, sentence, expected):
    assert short(question, sentence) == expected


@pytest.mark.parametrize("question, sentence, expected", [
    # "what type/kind of N": the sentence's own words before N
    ("What type of reaction takes place in the generator?",
     "A steady stream of oxygen gas is then produced by the exothermic reaction.", "exothermic"),
    ("What kinds of growth did Kublai encourage?", "Kublai Khan promoted commercial, scientific, and cultural growth.",
     "commercial, scientific, and cultural"),
    # "what/which N": the name right beside N, before any name nearer the question's other words
    ("Which group headlined the halftime show?", "The halftime show was headlined by the British rock group Coldplay "
     "with special guest performers Beyonce and Bruno Mars.", "Coldplay"),
    ("Which scientist created the machines?", "The machines were built in the garage of the scientist Ada Brandt.",
     "Ada Brandt"),
    # the gap the question leaves: after the verb, after "known as", after the asked preposition
    ("What does the new law extend?", "The Housing Act 2012 extends the devolved competencies.",
     "devolved competencies"),
    ("What was the dialect of the town known as?", "The dialect of the town is known as Geordie, and has many words "
     "of its own.", "Geordie"),
    ("By what process is the gas made in the air?", "It is produced in the air by the photolysis of ozone.",
     "photolysis of ozone"),
    # the verb's agent or object: "run by X", "met his counterpart X"
    ("Who runs the bikes for the city?", "RideOran is the public bike-sharing scheme of Oranbridge, run by Velora "
     "Mobility on behalf of the Oranbridge Mobility Agency (OMA).", "Velora Mobility"),
    ("Who did the CNES President meet at MAKS?", "Wednesday 19 July, CNES President Jean-Yves Le Gall visited the "
     "MAKS air show in Moscow, where he also met his counterpart Igor Komarov, Head of Roscosmos.", "Igor Komarov"),
    # a lead-in before the question word, or the question word in place
    ("Along with Dan Fouts, who served as a color analyst for the broadcast?", "The radio broadcast had Kevin Harlan "
     "as play-by-play announcer and Boomer Esiason and Dan Fouts as color analysts.", "Boomer Esiason"),
    ("Is there a fee, and how much is it?", "The fee is 14 euros for adults.", "14 euros"),
    ("The team won the championship in what year?", "The team won the championship in 1998 under a new coach.", "1998"),
    # a street address is where; a sentence's first word is a name when a verb follows it
    ("I left my jacket in a bike basket, where can I pick it up?", "Items left in bike baskets are kept for 30 days "
     "at the RideOran office at 9 Quayside Street, next to the central bus station.", "9 Quayside Street"),
    ("Who agreed with the burning of the letters?", "Sasse applauded the burning of the letters, writing that it was "
     "overdue.", "Sasse"),
])
def test_find_span_reads_the_question_form(question, sentence, expected):
    assert short(question, sentence) == expected


@pytest.mark.parametrize("question, sentence", [
    ("Who was Ann Reed?", "Ann Reed ran the shop on Market Street for years."),  # no role beside the name
    ("What happens if nobody's in when the technician turns up?", "Missed appointments are charged at £65."),
    ("what happens to unclaimed stuff", "Unclaimed items are sold at auction for the Glimmerway Community Fund."),
    ("Why was the launch delayed?", "The launch was delayed by a storm on 3 May."),            # open question
    ("What did the president say?", "The president said: “We will go to Mars in 2030.”"),     # open question
    ("When was it?", "It was 1990, or maybe 1991."),                                               # a tie
    ("How many tenders were there?", "There were tenders."),                                   # nothing fits
    ("When did the museum open in 1961?", "The museum opened in 1961."),                       # only the asked date
    ("Is the museum open when it rains?", "The museum is open on 3 May, whatever the weather."),  # yes or no
    ("What are the best beaches near Kesby?", "Bikes travel free on the ferry between Oranbridge and Kesby."),
    ("What did the president say?", "The president said that the budget, as voted, is 2 million euros."),
    ("What did the mayor tell reporters?", "The mayor told reporters the bridge would open."),      # open question
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
