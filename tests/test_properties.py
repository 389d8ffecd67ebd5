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


SHORT_QUESTIONS = ["When did Thomas Pesquet return to Earth?", "Who is the head of Roscosmos?",
                   "Who did the CNES President meet?", "Which instrument will fly to Mercury?",
                   "How many years of space cooperation did 2016 mark?", "When was the MAKS air show?",
                   "What does CNES stand for?", "Where were the Soyuz launches?"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SHORT_QUESTIONS), st.sampled_from(["", "  ", "\n"]), st.sampled_from(["", "?", " please"]))
def test_short_answer_is_exactly_the_span(bot, question, pad, tail):
    answer = bot.ask(pad + question.rstrip("?") + tail)
    for cite in answer.citations:
        if cite.span is not None:
            assert cite is answer.top and cite.start <= cite.span[0] < cite.span[1] <= cite.end
            assert bot.document_text(cite.doc)[cite.span[0]:cite.span[1]] == answer.short
    assert (answer.short is None) == (answer.top is None or answer.top.span is None)


WRAPPED = ["The bike scheme of Oranbridge is run by Velora Mobility on behalf of the city.",
           "Lost items are kept for 30 days at the office at 9 Quayside Street, next to the bus station.",
           "The museum was founded in 1961 by the watchmaker Ottilie Brandt and opened on 2 June 1962.",
           "A yearly membership costs 79 euros and includes the exothermic reaction workshop."]
WRAPPED_QUESTIONS = ["Who runs the bike scheme?", "Where are lost items kept?", "When did the museum open?",
                     "How much does a yearly membership cost?", "What type of reaction is in the workshop?",
                     "Along with the bus station, what is next to the office?", "The museum was founded by whom?"]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([" ", "  ", "\t", " \t ", "\u00a0", "\u2009"]), min_size=60, max_size=60))
def test_short_answers_are_exact_in_irregularly_spaced_documents(bot, gaps):
    """Whatever whitespace stands between a document's words, a short answer is exactly the document's text at
    its span, and lies inside its citation."""
    import tempfile
    from pathlib import Path

    from bot import Bot

    words = " ".join(WRAPPED).split(" ")
    text = "".join(w + gaps[i % len(gaps)] for i, w in enumerate(words))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "source").mkdir()
        (Path(tmp) / "source" / "notes.txt").write_text(text, encoding="utf-8")
        spaced = Bot(source=Path(tmp) / "source", index=Path(tmp) / "index", embedder=bot.embedder)
        shorts = 0
        for answer in spaced.ask_many(WRAPPED_QUESTIONS):
            top = answer.top
            if top is not None and top.span is not None:
                shorts += 1
                assert top.start <= top.span[0] < top.span[1] <= top.end
                assert spaced.document_text(top.doc)[top.span[0]:top.span[1]] == answer.short
            assert (answer.short is None) == (top is None or top.span is None)
        assert shorts >= 3


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab1 ", min_size=1, max_size=6), min_size=1, max_size=8),
       st.lists(st.sampled_from([" ", "  ", "\n", " \n "]), min_size=8, max_size=8), st.data())
def test_folded_offsets_map_back_onto_the_document(words, gaps, data):
    from bot.answering.pipeline import _unfolded

    raw = "".join(w + g for w, g in zip(words, gaps))
    folded = " ".join(raw.split())
    if not folded:
        return
    start = data.draw(st.integers(0, len(folded) - 1))
    end = data.draw(st.integers(start + 1, len(folded)))
    a, b = _unfolded(raw, (start, end))
    assert " ".join(raw[a:b].split()) == " ".join(folded[start:end].split())
    for got, want in ((raw[a], folded[start]), (raw[b - 1], folded[end - 1])):
        assert got == want or got.isspace() and want == " "
