from dataclasses import replace

import pytest

from bot.ranking.answer_type import expected_type, offers
from bot.ranking.retrieval import RetrievalConfig, Retriever


@pytest.fixture(scope="module")
def retrievers(bot):
    index = bot.load()
    return (Retriever(index, bot.embedder, replace(RetrievalConfig(), type_penalty=0.0)),
            Retriever(index, bot.embedder, RetrievalConfig()))


@pytest.mark.parametrize("question", ["How many Soyuz flights left the Guiana Space Centre in 2016?",
                                      "When did Thomas Pesquet come back to Earth?",
                                      "How much did the new instrument cost?"])
def test_type_penalty_lowers_exactly_the_best_candidates_lacking_the_type(retrievers, question):
    plain, typed = (r.rank(question, k=50) for r in retrievers)
    before = {h.unit: h.score for h in plain.hits}
    best = sorted(before, key=lambda u: -before[u])[: RetrievalConfig().type_depth]
    kind = expected_type(question)
    units = retrievers[1].index.units
    for hit in typed.hits:
        if hit.unit in best:
            lacking = not offers(kind, units[hit.unit].text, question)
            assert hit.score == pytest.approx(before[hit.unit] - RetrievalConfig().type_penalty * lacking, abs=1e-5)
    assert any(not offers(kind, units[u].text, question) for u in best)


def test_untyped_question_is_ranked_as_without_the_penalty(retrievers):
    question = "Who is the head of Roscosmos?"
    plain, typed = (r.rank(question, k=20) for r in retrievers)
    assert [(h.unit, h.score) for h in plain.hits] == [(h.unit, h.score) for h in typed.hits]


def test_typed_question_ranks_a_sentence_with_a_date_first(retrievers):
    question = "When did Thomas Pesquet come back to Earth?"
    top = retrievers[1].top_text(retrievers[1].rank(question))
    assert "2 June" in top


def test_clause_boost_adds_half_the_best_clause_lead_to_the_cosine(bot):
    index = bot.load()
    question = "Which probe was put into orbit around Mars?"
    qvec = bot.embedder.encode_queries([question])[0]
    best = {}
    for unit, vector in zip(index.clause_owner.tolist(), index.clause_vectors):
        best[unit] = max(best.get(unit, -1.0), float(vector @ qvec))
    hits = Retriever(index, bot.embedder).rank(question, k=len(index.units)).hits
    raised = 0
    for hit in hits:
        cosine = float(index.vectors[hit.unit] @ qvec)
        lead = max(best.get(hit.unit, -1.0) - cosine, 0.0)
        assert hit.cosine == pytest.approx(cosine + RetrievalConfig().clause_boost * lead, abs=1e-5)
        raised += lead > 0
    assert raised > 0


def test_without_clause_vectors_the_cosine_is_plain(bot):
    index = bot.load()
    plain = replace(index, clause_vectors=index.clause_vectors[:0], clause_owner=index.clause_owner[:0])
    question = "Which probe was put into orbit around Mars?"
    qvec = bot.embedder.encode_queries([question])[0]
    for hit in Retriever(plain, bot.embedder).rank(question).hits:
        assert hit.cosine == pytest.approx(float(index.vectors[hit.unit] @ qvec), abs=1e-5)


def test_type_penalty_never_lifts_an_unchecked_candidate_over_a_checked_one(tmp_path, bot):
    from bot import Bot

    source = tmp_path / "source"
    source.mkdir()
    sentences = [f"The {w} bridge over the river was opened by the mayor of town number {w}."
                 for w in ("north", "south", "east", "west", "old", "new", "red", "blue", "iron", "stone")]
    sentences += [f"A ferry crossed the river on day {w} of the fair, and the mayor watched it."
                  for w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")]
    sentences += [f"Boats of kind {w} sailed past the river bank." for w in "abcdefghijklmnopqrstuv"]
    (source / "river.txt").write_text(" ".join(sentences), encoding="utf-8")
    index = Bot(source=source, index=tmp_path / "index").load()
    assert len(index.units) > RetrievalConfig().type_depth
    question = "How much did the north bridge over the river cost?"
    plain = Retriever(index, bot.embedder, replace(RetrievalConfig(), type_penalty=0.0)).rank(question, k=40)
    typed = Retriever(index, bot.embedder).rank(question, k=40)
    # no sentence holds an amount: every checked candidate is lowered, none below an unchecked one
    assert [h.unit for h in typed.hits] == [h.unit for h in plain.hits]
