import pytest

from bot.ranking.superlative import cells, extreme, superlative, superlative_in, superlative_word

PLANS = [cells(t) for t in (
    "Plan: Standard; Monthly price: £32; Minimum term: 12 months",
    "Plan: Student; Monthly price: £24; Minimum term: 9 months",
    "Plan: Cargo; Monthly price: £69; Minimum term: 6 months",
)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what's the cheapest velora plan?", (-1, True)),
        ("Which is the most expensive ticket?", (1, True)),
        ("What's the biggest guarantee you can get?", (1, False)),
        ("What's the minimum term on it?", None),  # a column's name, no comparison of rows
        ("How much is a day ticket?", None),
        ("Which plan has the most call-outs?", (1, False)),
        ("which option costs the least?", (-1, False)),
        ("How much compensation was paid in the most recent year?", None),  # an adjective's superlative
        ("What is the most popular course?", None),
    ],
)
def test_superlative(question, expected):
    found = superlative(question)
    assert (found[:2] if found else None) == expected


def test_cells_read_a_table_row_and_nothing_else():
    assert PLANS[0] == {"Plan": "Standard", "Monthly price": "£32", "Minimum term": "12 months"}
    assert cells("Note: bring a towel.") is None  # one label, no row
    assert cells("The plan costs £32 a month; students pay £24.") is None


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("cheapest plan?", 1),  # the lowest price
        ("most expensive plan?", 2),
        ("which plan has the longest minimum term", 0),  # the column the question names
        ("which plan has the longest wait", None),  # no column named, no amount of money: no guess
    ],
)
def test_extreme_row(question, row):
    assert extreme(PLANS, *superlative(question)) == row


def test_free_is_the_lowest_price_and_a_tie_chooses_nothing():
    rows = [cells(t) for t in ("Ticket: Adult; Price: £9.50", "Ticket: Under 5; Price: Free",
                               "Ticket: Child; Price: £4")]
    assert extreme(rows, *superlative("cheapest ticket?")) == 1
    tied = [cells(t) for t in ("Ticket: A; Price: £4", "Ticket: B; Price: £4")]
    assert extreme(tied, *superlative("cheapest ticket?")) is None


def test_superlative_word_and_a_sentence_saying_it():
    assert superlative_word("What was the lowest quote?") == "lowest"
    assert superlative_in("What was the lowest quote?", "Jungle Gym Co was the lowest bidder.")
    assert not superlative_in("What was the lowest quote?", "Three quotes came in.")


def test_pence_are_money_and_the_column_named_is_compared():
    rows = [cells(t) for t in ("Plan: PAYG; Price: no charge; E-bike extra: 12p per minute",
                               "Plan: Monthly; Price: £15 a month; E-bike extra: 6p per minute",
                               "Plan: Annual; Price: £120 a year; E-bike extra: 4p per minute")]
    assert extreme(rows, *superlative("which option has the cheapest e-bike add-on")) == 2
    assert extreme(rows, *superlative("which plan is the cheapest")) == 0  # the first amount: the price
