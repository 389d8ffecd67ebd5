"""Arbitrary Unicode through the splitter and ask(): no crash, offsets always exact."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answering.questions import MAX_QUESTION_CHARS
from bot.documents.sentences import collapse, split_sentences

PIECES = st.one_of(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
    st.sampled_from(list(".!?\n  “”\"'()-—…\u200b\u200f\u202e\u00a0\ufeff\t\r")),
    st.sampled_from(["Mr.", "U.S.", "J.-Y.", "3.5", "# ", "- ", "\n\n", "🚀", "中文", "مرحبا", "Word ", "end. "]),
)
TEXT = st.lists(PIECES, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.booleans())
def test_offset_invariant_holds_for_any_text(text, markdown):
    spans = split_sentences(text, markdown=markdown)
    previous_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end
        assert collapse(text[span.start : span.end]) == span.text != ""
        assert span.line == text[: span.start].count("\n") + 1
        previous_end = span.end


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.sampled_from(["\ud800 lone surrogate?", "\u202eevil\u202c?", "\x00\x07?", "🚀" * 50]))
def test_ask_never_crashes(bot, question):
    answer = bot.ask(question)
    assert isinstance(answer.text, str) and answer.text
    assert answer.abstained or answer.citations
    if answer.error:
        assert answer.abstained and not answer.citations


def test_long_question_is_refused_fast(bot):
    import time

    started = time.perf_counter()
    answer = bot.ask("why " * MAX_QUESTION_CHARS)
    assert answer.error.startswith("That question is 8,000 characters long")
    assert time.perf_counter() - started < 1.0
