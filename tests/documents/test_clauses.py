import pytest

from bot.documents.clauses import MIN_WORDS, clauses

LONG = ("The library reopened to the public on Saturday 8 March after a renovation that lasted two years "
        "and cost 18.5 million euros, funded jointly by the city council and the regional government.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (LONG, ["The library reopened to the public on Saturday 8 March",
                "after a renovation that lasted two years and cost 18.5 million euros",
                "funded jointly by the city council and the regional government."]),
        ("A short sentence, with a comma.", []),
        # pieces under four words join their neighbour; one piece left means no clauses
        ("In the end, the committee of the regional parliament decided after a long and heated debate to "
         "postpone the vote on the budget until the spring.",
         ["In the end the committee of the regional parliament decided",
          "after a long and heated debate to postpone the vote on the budget until the spring."]),
        ("word " * 30, []),
        # a short opening subject goes with a later clause that opens with its verb
        ("Ostrelby's Victorian market hall, shut since part of its glass roof crashed during a storm in November "
         "2023, will reopen to shoppers on Saturday 6 September 2025.",
         ["Ostrelby's Victorian market hall",
          "shut since part of its glass roof crashed during a storm in November 2023",
          "Ostrelby's Victorian market hall will reopen to shoppers on Saturday 6 September 2025."]),
        ("Two Soyuz flights left the Guiana Space Centre (CSG) and the Proxima mission started aboard the "
         "International Space Station (ISS) in the same busy year.",
         ["Two Soyuz flights left the Guiana Space Centre CSG",
          "and the Proxima mission started aboard the International Space Station ISS",
          "in the same busy year."]),
    ],
)
def test_clauses(sentence, expected):
    assert clauses(sentence) == expected


def test_clauses_are_made_of_the_sentence_words():
    assert " ".join(clauses(LONG)).replace(",", "").split() == LONG.replace(",", "").split()
    assert len(LONG.split()) >= MIN_WORDS
