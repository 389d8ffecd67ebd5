"""Every rewrite of the development conversations is a well-formed question that keeps the user's words."""

import re
from difflib import SequenceMatcher, get_close_matches

import pytest

from bot.ranking.spelling import SHORTENINGS
from tests.conftest import needs_shared

_WORD = re.compile(r"\w[\w’'\-]*")  # a lone dash is punctuation
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
BEFORE = 600  # characters before a cited sentence that the conversation holds too: up to three sentences back
_CUT = re.compile(r"(?<![\w’'])(?:s|t|re|ve|ll|d|m)\b(?![’'])", re.I)
_FRAME = {"and", "is", "are", "was", "were", "it", "that", "the", "did", "does", "do", "’s", "s", "’",
          "for"}  # "for": a piece joined to a question with no pronoun for it ("… be for a third person?")
_REPLACED = {  # words a rewrite may take away: conversation markers, pronouns, "the second one"
    "and", "also", "then", "so", "but", "what", "about", "how", "of", "he", "him", "his", "she", "her", "hers",
    "it", "its", "they", "them", "their", "theirs", "one", "the", "that", "this", "first", "second", "third", "last",
    "other", "latter", "former", "two", "both", "all", "each",
}


def words(text: str) -> list[str]:
    """Lower-case words, a possessive "’s" dropped."""
    return [re.sub(r"[’']s$", "", w.lower()).strip("’'") for w in _WORD.findall(text)]


def problems(question: str, query: str, previous: str, cited: str) -> list[str]:
    """What is wrong with ``query``, the rewrite of ``question`` after a turn that asked ``previous`` (a word
    the speller mended counts as the user's own)."""
    if query == question:
        return []
    mended = {w: m for w in words(question) if len(w) > 3 for m in get_close_matches(w, words(query), 1, 0.8) if m != w}
    user = [mended.get(w, w) for w in words(question)]
    found = []
    if not query.endswith("?") or "?" in query[:-1]:
        found.append("not one question ending with '?'")
    if query[:1].islower() and not question[:1].islower():
        found.append("starts in lower case")
    if _CUT.findall(query) != _CUT.findall(question):
        found.append("a contraction was cut")
    asked, before, sources = set(user), words(previous), set(words(previous) + words(cited))
    said = words(query)
    if any(a == b for a, b in zip(said, said[1:])):
        found.append("a doubled word")
    if re.search(r"\b(?:which|what)\s+(?:the|a|an)\b", query, re.I) and not re.search(
            r"\b(?:which|what)\s+(?:the|a|an)\b", question, re.I):
        found.append("a determiner after 'which'/'what'")
    if kept := [w for w in said if "-" in w and {p for p in w.split("-") if len(p) > 2} & set(said)]:
        found.append(f"a word and its variant both kept: {kept}")
    if cut := set(_NUMBER.findall(query)) - set(_NUMBER.findall(f"{question} {previous} {cited}")):
        found.append(f"numbers {sorted(cut)} cut or made up")
    if lost := [w for w in user if w not in said and w not in _REPLACED]:
        found.append(f"the user's words {lost} are missing")
    known = asked | sources | _FRAME  # a plural made of a word there ("each household": "the households") too,
    # or a singular ("six themes": "the second theme")
    if stray := [w for w in said if w not in known and not {w[:-1], w[:-3] + "y", w + "s", w + "es"} & sources]:
        found.append(f"words {stray} come from nowhere")
    pairs = {(a, b) for a, b in zip(before, before[1:])}
    copied = [w not in asked and w in before for w in said]
    if torn := [f"{a} {b}" for (a, b), c, d in zip(zip(said, said[1:]), copied, copied[1:])
                if c and d and (a, b) not in pairs and not {a, b} & _FRAME]:
        found.append(f"the previous question was torn apart: {torn}")
    return found


@pytest.mark.parametrize(
    ("question", "query", "previous"),
    [
        ("And in London?", "in London, s normal hotel limit per night?", "What's the normal hotel limit per night?"),
        ("Which city is the second one in?",
         "Which city is the second one in, Besides Eastmoor institutions took part?",
         "Besides Eastmoor, which institutions took part?"),
        ("And to go back to factory settings?", "to go back to factory settings, I restart thermostat?",
         "How do I restart the thermostat?"),
        ("And the Lumora Flame?", "Which the Lumora Flame can get loans?", "Which e-readers can get loans?"),
        ("And off-peak?", "What does it cost at peak times off-peak?", "What does it cost at peak times?"),
        ("how much came from the second one", "how much came from the remaining £5?",
         "Where did the money come from?"),
    ],
)
def test_the_old_garbled_rewrites_are_caught(question, query, previous):
    assert problems(question, query, previous, "")


@needs_shared
def test_every_conversation_turn_is_rewritten_well(conversation_runs, set_runs):
    checked, bad = 0, []
    for records in conversation_runs.values():
        turns = [r for r in records if r.item.conv is not None]
        held: list[str] = []  # what the conversation holds so far: its questions and the sentences cited
        for previous, record in zip([None, *turns], turns):
            question, query = record.item.question, record.answer.query
            if record.item.turn == 1:  # never rewritten; a typo may be mended ("licnce" read "licence") and a
                # shortening spelled out ("info" read "information")
                assert len(query.split()) == len(question.split()), "a first turn is never rewritten"
                assert all(a == b or SequenceMatcher(None, a, b).ratio() >= 0.75 or SHORTENINGS.get(b) == a
                           for a, b in zip(query.lower().split(), question.lower().split())), query
                held = []
            else:
                checked += 1
                if found := problems(question, query, previous.answer.query, " ".join(held)):
                    bad.append((question, query, found))
            cited = record.answer.citations or record.answer.closest
            document = set_runs.answered_by[id(record)].document_text  # a pronoun's person may be named just before
            held += [query] + [document(c.doc)[max(0, c.start - BEFORE) : c.end] for c in cited]
    assert checked >= 20
    assert bad == [], "\n".join(f"{q!r} -> {r!r}: {', '.join(f)}" for q, r, f in bad)
