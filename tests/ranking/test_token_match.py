import numpy as np

from bot.ranking.token_match import TokenMatch, best_cosines, shipped


def _unit(*rows):
    x = np.array(rows, np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


ASKED = _unit([1, 0, 0, 0], [0, 1, 0, 0])  # a content token, then a filler one
RIGHT = _unit([1, 0.2, 0, 0], [0, 0, 1, 0])  # meets the content token
WRONG = _unit([0, 1, 0, 0], [0.3, 0, 0, 1])  # meets the filler token exactly


def test_best_cosines_is_each_question_token_s_best_match():
    np.testing.assert_allclose(best_cosines(ASKED, RIGHT), [RIGHT[0, 0], RIGHT[0, 1]], rtol=1e-6)
    assert best_cosines(ASKED, np.zeros((0, 4), np.float32)).tolist() == [0.0, 0.0]


def test_without_weights_every_token_weighs_the_same():
    plain = TokenMatch().scores(ASKED, [RIGHT, WRONG])
    np.testing.assert_allclose(plain, [best_cosines(ASKED, s).mean() for s in (RIGHT, WRONG)], rtol=1e-6)
    assert plain[1] > plain[0]  # the filler's exact match wins when every token counts
    other_width = TokenMatch(np.ones(8, np.float32), 0.0)  # fitted on another model: ignored
    np.testing.assert_allclose(other_width.scores(ASKED, [RIGHT, WRONG]), plain)
    assert TokenMatch().scores(np.zeros((0, 4), np.float32), [RIGHT]).tolist() == [0.0]


def test_weights_let_the_words_that_carry_the_question_count():
    match = TokenMatch(np.array([4.0, -4.0, 0, 0], np.float32), 0.0)
    weights = match.token_weights(ASKED)
    assert weights[0] > 10 * weights[1]
    right, wrong = match.scores(ASKED, [RIGHT, WRONG])
    assert right > wrong


def test_weights_are_saved_and_read_back(tmp_path):
    match = TokenMatch(np.array([0.5, -1.25, 2.0, 0.0], np.float32), -0.75)
    match.save(tmp_path / "w.json")
    back = TokenMatch.load(tmp_path / "w.json")
    np.testing.assert_array_equal(back.weights, match.weights)
    assert back.bias == -0.75
    assert TokenMatch.load(tmp_path / "missing.json").weights is None


def test_shipped_weights_fit_the_bundled_model(bot):
    match = shipped()
    assert match.weights is not None and len(match.weights) == bot.retriever.embedder.dimension
    asked = bot.retriever.embedder.states(["What is the price of a ticket?"])[0]
    pieces = bot.retriever.embedder.pieces("What is the price of a ticket?")
    weights = dict(zip(pieces, match.token_weights(asked)))
    assert weights["price"] > weights["the"] and weights["ticket"] > weights["?"]
