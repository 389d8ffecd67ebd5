import numpy as np

import bot.benchmarks.token_weights as token_weights
from bot.benchmarks.token_weights import Asked, cross_fitted, fit
from bot.ranking.token_match import TokenMatch, best_cosines


def _questions(n: int, seed: int) -> list[Asked]:
    """Questions of a content token (its direction varies) and a filler one (always the same): the right
    sentence meets the content token, two wrong ones meet the filler exactly and the content token loosely."""
    rng = np.random.default_rng(seed)
    filler = np.eye(8, dtype=np.float32)[7]
    out = []
    for _ in range(n):
        content = np.abs(rng.normal(size=8)).astype(np.float32)
        content[7] = 0.0
        content /= np.linalg.norm(content)
        asked = np.stack([content, filler])
        right, wrong = rng.uniform(0.75, 0.9), rng.uniform(0.5, 0.65, size=2)
        best = np.array([[right, rng.uniform(0.1, 0.3)], [wrong[0], 1.0], [wrong[1], 1.0]], np.float32)
        out.append(Asked(asked, best, np.array([1.0, 0.0, 0.0])))
    return out


def _first_right(match: TokenMatch, questions: list[Asked]) -> int:
    return sum(int(q.label[np.argmax(match.weighted(q.asked, q.best))]) for q in questions)


def test_fitted_weights_pick_the_sentence_that_meets_the_words_that_matter():
    unseen = _questions(40, seed=2)
    assert _first_right(TokenMatch(), unseen) == 0  # every token alike: the filler's exact match wins
    match = fit(_questions(60, seed=1))
    assert _first_right(match, unseen) == 40
    filler = np.eye(8, dtype=np.float32)[7:]
    assert match.token_weights(filler)[0] < match.token_weights(unseen[0].asked[:1])[0]


def test_weighted_best_cosines_are_the_token_match_of_the_sentences():
    rng = np.random.default_rng(3)
    asked = rng.normal(size=(3, 6)).astype(np.float32)
    states = [rng.normal(size=(k, 6)).astype(np.float32) for k in (2, 5)]
    match = TokenMatch(rng.normal(size=6).astype(np.float32), 0.3)
    question = Asked(asked, np.array([best_cosines(asked, s) for s in states]), np.array([0.0, 1.0]))
    np.testing.assert_allclose(match.weighted(question.asked, question.best), match.scores(asked, states), rtol=1e-5)


def test_questions_with_no_right_candidate_are_left_out_and_none_fit_to_even_weights():
    assert fit([Asked(np.eye(2, dtype=np.float32), np.ones((2, 2), np.float32), np.zeros(2))]).weights is None


def test_each_fold_of_sets_is_scored_by_weights_fitted_on_the_others(monkeypatch):
    questions = _questions(10, seed=4)
    sets = ["a", "a", "b", "b", "c", "c", "d", "d", "e", "f"]
    seen = []

    def recorded(kept, steps=0):
        seen.append({id(q) for q in kept})
        return TokenMatch()

    monkeypatch.setattr(token_weights, "fit", recorded)
    out = cross_fitted(questions, sets, folds=3)
    assert len(seen) == 3 and [len(o) for o in out] == [3] * 10
    fold = {"a": 0, "b": 1, "c": 2, "d": 0, "e": 1, "f": 2}
    for kept in seen:
        folds_in = {fold[s] for q, s in zip(questions, sets) if id(q) in kept}
        assert len(folds_in) == 2  # two folds fitted on, the third scored
