"""Make a follow-up question standalone from the turns before it.

Evidence only, no model: the names in earlier questions and in the sentences
the bot cited, most recent first. A pronoun ("he", "his", "they", "it") is
replaced by the name it most likely stands for; an elliptical question
("Where?", "And the other agency?", "What about the second?") borrows the
topic of the previous question. A question with a name or topic of its own is
left as it is, so a new subject is never dragged toward the old one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z][\w'’\-]*|\d[\d,.]*")
_PERSONAL = {"he": "subj", "she": "subj", "him": "obj", "his": "poss", "her": "poss", "hers": "poss"}
_PLURAL = {"they": "subj", "them": "obj", "their": "poss", "theirs": "poss"}
_THING = {"it": "subj", "its": "poss"}
_GROUP = re.compile(r"\b(the two of them|both of them|the two|both)\b", re.I)
_ELLIPSIS = re.compile(r"^(and|what about|how about|and what about|also|then)\b", re.I)
_WH = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how", "did", "does", "do", "is", "are",
       "was", "were", "has", "have", "had", "can", "could", "will", "would", "should"}
_FUNCTION = _WH | {
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "from", "by", "with", "and", "or", "about", "this",
    "that", "these", "those", "there", "then", "it", "its", "he", "she", "him", "his", "her", "they", "them",
    "their", "be", "been", "being", "say", "said", "one", "ones", "much", "many", "other", "also", "else",
    "any", "some", "more", "most", "first", "second", "third", "last", "next", "do", "so", "as", "all",
    "me",
}
_IMPERATIVE = {"tell", "show", "explain", "describe", "give", "list", "name", "summarise", "summarize", "define",
               "please"}  # "Tell me about X": a request, not a name
_COUNTED = {"years", "year", "months", "days", "weeks", "hours", "minutes", "times", "people", "percent"}
_TIME = re.compile(r"\b(?:(?:in|during|on)\s+)?(?:(?:this|last|next)\s+(?:year|month|week)|(?:19|20)\d\d)\b",
                   re.I)
_NAME_STOP = {"The", "A", "An", "In", "On", "At", "During", "After", "Before", "This", "That", "These", "Those",
              "It", "He", "She", "They", "We", "I", "You", "Riding", "Advances", "And", "But", "Head", "President"}


@dataclass(frozen=True, slots=True)
class Turn:
    """What a follow-up can refer to: the question as understood and the sentence cited."""

    query: str
    cited: str


def names(text: str) -> list[str]:
    """Capitalised multi-word names and acronyms (with a number that follows them), in order of appearance."""
    out, current = [], []
    tokens = re.findall(r"[\w'’\-]+|[^\w\s]", text)
    for i, tok in enumerate(tokens):
        word = tok.rstrip("'’s") if tok.endswith(("'s", "’s")) else tok
        capital = word[:1].isupper() and word not in _NAME_STOP and word.lower() not in _WH
        if capital and not (i == 0 and word.lower() in _FUNCTION | _IMPERATIVE):
            current.append(word)
            if word != tok:
                out.append(" ".join(current))
                current = []
            continue
        following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if current and tok.isdigit() and following not in _COUNTED:  # "ExoMars 2020", not "ESA 2 years"
            current.append(tok)
            continue
        if current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return [n for n in out if len(n) > 1]


def is_person(name: str) -> bool:
    """Two or more capitalised words, no digits or acronyms: likely a person's name."""
    parts = name.split()
    return len(parts) >= 2 and all(p[:1].isupper() and not p.isupper() and not any(c.isdigit() for c in p)
                                   for p in parts)


def content_words(text: str) -> list[str]:
    words = _WORD.findall(text)
    if words and words[0].lower() in _IMPERATIVE:
        words = words[1:]
    return [w for w in words if w.lower() not in _FUNCTION]


def rewrite(question: str, history: list[Turn]) -> str:
    """The question made standalone, or unchanged when it already stands alone."""
    if not history:
        return question
    words = [w.lower() for w in _WORD.findall(question)]
    own_names = names(question)
    personal = any(w in _PERSONAL for w in words) and not any(is_person(n) for n in own_names)
    other = any(w in _PLURAL or w in _THING for w in words) and not own_names
    if personal or other or (_GROUP.search(question) and not own_names):
        resolved = _substitute(question, history)
        if resolved != question:
            return resolved
    if _is_elliptical(question, own_names):
        core = _ELLIPSIS.sub("", question).strip(" ,?") or question
        swapped = _swap(history[-1].query, core) if _ELLIPSIS.match(question.strip()) else None
        if swapped:
            return swapped
        topic = " ".join(content_words(_strip_wh(history[-1].query)))
        return f"{core}, {topic}?" if topic else question
    return question


def _swap(previous: str, replacement: str) -> str | None:
    """"And CNES?" after "Who heads Roscosmos?": the previous question about the new subject.

    The name, year or time phrase of the previous question that is of the same
    kind as the replacement is swapped for it; ``None`` when nothing matches.
    """
    if _TIME.fullmatch(replacement):
        spots = list(_TIME.finditer(previous))
    elif names(replacement):
        spots = [m for n in names(previous) for m in [re.search(re.escape(n), previous)] if m]
    else:
        return None
    if not spots:
        return None
    spot = spots[-1]
    return previous[: spot.start()] + replacement + previous[spot.end() :]


def _is_elliptical(question: str, own_names: list[str]) -> bool:
    if _ELLIPSIS.match(question.strip()):
        return True
    return not own_names and len(content_words(question)) <= 1


def _strip_wh(text: str) -> str:
    return re.sub(r"^\s*(\w+)\b", lambda m: "" if m.group(1).lower() in _WH else m.group(0), text)


def _by_proximity(cited: str, query: str) -> list[str]:
    """Names of the cited sentence, nearest first to the words it shares with the question.

    After "Who is the head of Roscosmos?", the name beside "Head of Roscosmos"
    is the answer, and so what a following "he" refers to.
    """
    found = names(cited)
    lowered = cited.lower()
    anchors = [m.start() for w in content_words(query) if len(w) > 2
               for m in re.finditer(re.escape(w.lower()), lowered)]
    if not anchors:
        return found

    def distance(name: str) -> int:
        at = lowered.find(name.lower())
        return min(abs(at - a) for a in anchors) if at >= 0 else 1 << 30

    return sorted(found, key=distance)


def _candidates(history: list[Turn]) -> list[tuple[str, bool]]:
    """Names from the most recent turns first: the question's, then the cited sentence's nearest."""
    out, seen = [], set()
    for turn in reversed(history):
        for name in names(turn.query) + _by_proximity(turn.cited, turn.query):
            if name not in seen:
                seen.add(name)
                out.append((name, is_person(name)))
    return out


def _substitute(question: str, history: list[Turn]) -> str:
    candidates = _candidates(history)
    people = [n for n, person in candidates if person]
    things = [n for n, person in candidates if not person]
    group = _GROUP.search(question)
    plural = None
    if len(people) >= 2:
        plural = f"{people[0]} and {people[1]}"
    elif things:
        plural = things[0]
    if group and plural:
        return question[: group.start()] + plural + question[group.end() :]

    def replace(match: re.Match) -> str:
        word = match.group(0)
        low = word.lower()
        if low in _PERSONAL:
            target = people[0] if people else (things[0] if things else None)
            kind = _PERSONAL[low]
        elif low in _PLURAL:
            target, kind = plural, _PLURAL[low]
        else:
            target = things[0] if things else (people[0] if people else None)
            kind = _THING[low]
        if target is None:
            return word
        return target + "’s" if kind == "poss" else target

    return re.sub(r"\b(he|she|him|his|her|hers|they|them|their|theirs|it|its)\b", replace, question, flags=re.I)
