import json
import re

import bm25s
import pytest

from bot.documents.terms import _verb
from bot.ranking.lexical import STOPWORDS, BM25Scorer, _stemmer, content_tokens, tokenize
from tests.conftest import RELEASE, REQA

SAMPLES = [
    "Who is the head of Roscosmos?", "Thomas Pesquet’s return to Earth on 2 June in a Soyuz spacecraft.",
    "The U.S. Army's 3.5-million-dollar plan, e-mail & naïve café — 2016/17!", "a I x", "",
    "日本語のテキスト and ΕΛΛΗΝΙΚΆ", "She led the team that built it; they sold and left.",
]


def reference(texts, stopwords):
    """bm25s's tokens of the texts with irregular verbs' past forms read as the verb ("led" as "lead")."""
    texts = [re.sub(r"(?u)\b\w\w+\b", lambda m: _verb(m.group()), t.lower()) for t in texts]
    return bm25s.tokenize(texts, stopwords=stopwords, stemmer=_stemmer(), return_ids=False, show_progress=False,
                          allow_empty=False)


@pytest.mark.parametrize("stopwords", [None, STOPWORDS])
def test_tokenize_matches_bm25s(stopwords):
    texts = list(SAMPLES)
    if (REQA / "corpus.jsonl").exists():
        with (REQA / "corpus.jsonl").open() as handle:
            texts += [json.loads(next(handle))["text"] for _ in range(500)]
    texts.append(RELEASE.read_text(encoding="utf-8"))
    ours = tokenize(texts, stopwords)
    theirs = reference(texts, stopwords or [])
    for text, a, b in zip(texts, ours, theirs):
        assert a == [t for t in b if t], text


def test_content_tokens_drop_question_words():
    assert content_tokens("Who is the head of Roscosmos? What happened to it?") == ["head", "roscosmo"]


def test_bm25_scores_match_bm25s_retrieve():
    texts = ["the cat sat on the mat", "dogs run fast in the park", "a cat and a dog", "nothing here at all"]
    scorer = BM25Scorer(texts, k1=1.2, b=0.75)
    scores = scorer.scores(tokenize(["cat dog"])[0])
    assert scores.argmax() == 2 and scores[3] == 0
    assert scorer.scores(["unknownword"]).tolist() == [0.0] * 4
    assert scorer.idf("cat") == pytest.approx(0.6931, abs=1e-3)


def test_irregular_past_forms_match_their_verb():
    """ "Who led the research?" finds "Lead author …"; "sold" finds "sell"."""
    assert tokenize(["led sold built won left"]) == tokenize(["lead sell build win leave"])
