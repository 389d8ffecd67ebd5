"""Make a follow-up question standalone from what the conversation holds.

Rules over general English, no model: the entities of the earlier questions
and of the sentences the bot cited, each of a kind (a person, with a gender
when a title or a later "she"/"his" tells it; a thing; a group or plural), are
ranked most recent and most salient first. A pronoun takes the first entity
of its kind ("she" a person not known to be male, "it" a thing, "they" a
plural, a group or two people); an elliptical question ("And in London?",
"What about students?", "When?") reuses the previous question's frame with
the new piece; "the second one" picks the second item of the list the last
answer gave. The user's words are kept as typed: a rewrite only replaces a
reference by what it stands for or fills a frame, and a question that needs
no context is left exactly as asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.ranking.answer_type import JOB_TITLES, ORG_WORDS
from bot.ranking.superlative import cells

# -- general English word lists ------------------------------------------------
_TITLES = {
    "mr": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "father": "m",
    "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f", "queen": "f", "princess": "f", "sister": "f",
    **dict.fromkeys(
        "dr doctor prof professor mayor deputy president vice councillor councilor senator minister secretary "
        "judge justice captain chancellor governor ambassador commissioner director chair chairman chairwoman "
        "head chief ceo cfo cto coach rev revd reverend bishop colonel inspector cllr".split(), ""),
}
_ROLES = set(
    "person man woman boy girl mayor councillor councilor minister president director chair chairman chairwoman "
    "chairperson head chief manager officer secretary treasurer spokesman spokeswoman spokesperson author writer "
    "founder owner researcher scientist professor doctor curator architect engineer designer artist teacher "
    "student leader member employee worker driver pilot astronaut lawyer judge investor customer client "
    "visitor guest installer technician expert analyst editor reporter journalist speaker presenter candidate "
    "winner captain coach player deputy governor senator ambassador commissioner inspector nurse "
    "patient resident tenant landlord partner colleague counterpart boss supervisor contractor consultant "
    "watchmaker mother father wife husband son daughter brother sister farmer landlady publican neighbour neighbor "
    "shopkeeper postmaster postmistress vicar priest chef baker butcher pharmacist dentist vet firefighter "
    "campaigner volunteer trustee headteacher pupil parent grandmother grandfather landowner developer builder "
    "planner warden ranger lifeguard keeper caretaker cleaner receptionist surgeon midwife paramedic household "
    "householder homeowner family applicant participant recruit trainee learner".split()
)
_FUNCTION = set(
    "a an the of to in on at for from by with about into onto over under after before during since until "
    "within without between through via per than as and or but nor so if then else when where why how what "
    "which who whom whose is are was were be been being am do does did done doing has have had having will "
    "would can could shall should may might must this that these those there here it its he him his she her "
    "hers they them their theirs we us our you your i me my one ones not no yes any some all each every both "
    "other another such same also just only very more most much many less least few again still even too "
    "exactly really please ok okay besides despite although though however while whereas unlike including "
    "according among around across along behind below above beside towards toward upon except against like "
    "near instead meanwhile furthermore moreover today yesterday tomorrow once unless whenever whilst because "
    "till whether".split()
)
_PREPOSITIONS = ("in", "on", "at", "for", "from", "by", "with", "without", "within", "during", "after", "before",
                 "since", "until", "under", "over", "per", "near", "outside", "inside", "between", "via", "to",
                 "into", "about", "beyond", "across", "through", "among", "versus", "vs")
_CONDITIONS = ("if", "when", "unless", "once", "while", "because", "whether", "even if", "in case")
_COUNTED = {"years", "year", "months", "days", "weeks", "hours", "minutes", "times", "people", "percent", "euros",
            "dollars", "pounds"}
_PLURAL_WORDS = {"people", "children", "men", "women", "staff", "police", "data", "media", "crew", "public"}
_SINGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "data": "data",
             "media": "media", "staff": "staff"}
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "last": -1, "latter": -1,
             "former": 0, "other": 1}
_PRONOUNS = {  # word: (kind, gender, role)
    "he": ("person", "m", "subj"), "him": ("person", "m", "obj"), "his": ("person", "m", "poss"),
    "she": ("person", "f", "subj"), "her": ("person", "f", "poss"), "hers": ("person", "f", "obj"),
    "it": ("thing", "", "obj"), "its": ("thing", "", "poss"),
    "they": ("group", "", "subj"), "them": ("group", "", "obj"), "their": ("group", "", "poss"),
    "theirs": ("group", "", "obj"),
}
_AUX = "do|does|did|will|would|can|could|should|shall|must|may|might|has|have|had"
_BE = "is|are|was|were"

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\wÀ-ÖØ-öø-ÿ’'\-]*|\d[\d,.:]*\w*|&|[^\w\s]")
_MARKER = re.compile(r"^\s*(?:(?:and|but|so)\s+)?(?:what\s+about|how\s+about|what\s+of|also|then|and|but|so)\b"
                     r"[\s,]*", re.I)
_BARE_WH = re.compile(
    r"(?:(?:in|on|at|for|from|with|by|to|since|until|till)\s+)?"
    r"(?:what\s+time|what\s+year|what\s+date|how\s+(?:much|many|long|often|far|old|big|soon)|how|when|where|why|"
    r"who|whom|what|which)(?:\s+(?:exactly|then|again|though|so|now))?", re.I)
_WH_WORD = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how)\b", re.I)
_QUESTION_START = re.compile(rf"^(?:who|whom|whose|what|which|when|where|why|how|{_AUX}|{_BE}|"
                             r"isn't|aren't|wasn't|don't|doesn't|didn't|can't|won't|tell|show|give|list|name|"
                             r"explain|describe)\b", re.I)
_ORDINAL = re.compile(r"\b(the|that)\s+(first|second|third|fourth|fifth|sixth|last|latter|former|other)"
                      r"(\s+one)?\b", re.I)
_ORDINAL_NOUN = re.compile(r"\bthe\s+(?:first|second|third|fourth|fifth|sixth|last|next)\s+([a-z][\w\-]*)", re.I)
_THAT_ONE = re.compile(r"\b(?:that|this)\s+one\b(?=\W*$|\s+(?:in|on|at|for|from|with|to|of|cost|costs)\b)", re.I)
_ONE = re.compile(r"\b(?:the|that)\s+((?:(?:most|least)\s+)?[a-z]+)\s+one\b", re.I)
_DUMMY_IT = re.compile(  # "is it possible to …", "does it take long to …", "is it cheaper to book …", "will it rain"
    r"\bit\s+(?:(?:is|was|'s|’s|will\s+be|would\s+be|be)\s+)?(?:\w+\s+){0,2}?(?:to|that)\s+"
    r"(?!(?:the|a|an|my|your|our|their|its|this|that|these|those|me|you|us|him|her|them|when|where|what|"
    r"which|who|how|why)\b)(?-i:[a-z]+)(?<!s)\b|"
    r"\bit\s+(?:rain|snow|hail|freeze)\w*|\bis\s+it\s+that\b|"
    r"\b(?:do|doing|done)\s+it\s*[?.!]*\s*$", re.I)  # "why are they doing it": what was done, no name
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|then|those)\s*[?.!]*\s*$|"
                            r"\b(?:before|after|about|for|to|of|with|from|by|than|like)\s+(?:that|this)\b(?!\s+[a-z])|"
                            rf"^\W*(?:{_AUX}|{_BE})\s+(?:that|this)\s+(?!(?:year|month|week|memo|document|page|"
                            r"article|release|letter|policy)\b)",  # "Does that cost more?", "Is this free?"
                            re.I)
_ACTION = re.compile(r"\s+(?:text|call|phone|ring|e-?mail|send|tell|charge|contact|write|remind|notify|let|"
                     r"offer|say|pay|refund|post|deliver|collect|sign|fill|earn|receive|apply|attend|agree|want|"
                     r"get(?!\s+\w+(?:ed|en)\b)|have\s+to(?!\s+be\b))\b", re.I)  # what a "they" does, things do not
_POSSESSIVE = re.compile(r"\b(?:its|his|her|their)\b", re.I)
_GROUP = re.compile(r"\b(?:the\s+two\s+of\s+them|both\s+of\s+them|all\s+of\s+them|each\s+of\s+them)\b", re.I)

_TIME = re.compile(r"\b(?:(?:in|during|on|for|by)\s+)?(?:(?:this|last|next)\s+(?:year|month|week)|(?:19|20)\d\d)\b",
                   re.I)
_PERIOD = re.compile(r"\b(?:week(?:day|end|night)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                     r"morning|afternoon|evening|night|summer|winter|spring|autumn|january|february|march|april|"
                     r"june|july|august|september|october|november|december|christmas|easter|new year|"  # not "may"
                     r"bank holiday|half[- ]term|holiday)s?\b", re.I)
_WHO_IS = re.compile(r"\s*who(?:'s|’s|\s+is|\s+was)\s+(?!the\b|a\b|an\b|your\b|my\b|our\b)", re.I)  # "Who is Ana Ruiz?"
_PIECE_THEN_QUESTION = re.compile(rf"(.+?)(?:,|\s+[-–—]+)\s*((?:who|what|which|when|where|why|how|{_AUX}|{_BE})\b.+)",
                                  re.I)  # "What about X, where …?", "and the second one - do I …?"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?:\s|$)")
_SPEECH = re.compile(r"^\s*,?\s*(?:said|says|told|added|explained|argued|replied|noted|stated|who)\b", re.I)


@dataclass(frozen=True, slots=True)
class Entity:
    """Something a pronoun can stand for: its text as written in a question, kind and gender."""

    text: str
    kind: str  # "person", "thing" or "group"
    gender: str = ""  # "m", "f" or "" (unknown)


@dataclass(frozen=True, slots=True)
class Turn:
    """What a follow-up can refer to: one earlier turn of the conversation.

    ``cited`` are the sentences the answer cited (or its closest passages), best
    first; ``document`` the text of the cited documents, where "she proposed …"
    tells a person's gender; ``referents`` what the question's own pronouns
    were read as; ``short`` the words of the answer that answer it ("Rufus Adeyemi-Clay").
    """

    query: str
    cited: tuple[str, ...] = ()
    document: str = ""
    referents: tuple[Entity, ...] = ()
    short: str = ""


STANDS_ALONE, REFERS, VARIES, ASKS_MORE = "", "refers", "varies", "asks more"


@dataclass(frozen=True, slots=True)
class Reading:
    """A question as understood: the standalone ``query``, how it leans on the conversation (``lean``:
    it stands alone, refers back with a pronoun or "the second one", varies the last question ("And in
    London?") or asks more about the last answer ("When?")) and what its pronouns were read as."""

    query: str
    lean: str = STANDS_ALONE
    referents: tuple[Entity, ...] = ()


# -- mentions ------------------------------------------------------------------
Mention = tuple[Entity, int, int]  # an entity and where it is written: start and end offsets


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and any(c.isalpha() for c in word))


def _function_word(word: str) -> bool:
    """A function word, also contracted ("I'm", "We've", "Don't")."""
    return word.lower() in _FUNCTION or re.split(r"n?['’]", word.lower())[0] in _FUNCTION | {"do", "wo", "ca"}


_CALENDAR = set("january february march april may june july august september october november december monday "
                "tuesday wednesday thursday friday saturday sunday".split())
_HOLIDAYS = {"christmas", "easter", "boxing", "whitsun", "hanukkah", "diwali", "eid", "ramadan", "halloween"}


def _when(text: str) -> bool:
    """Is this name a time ("1am"), a day or month ("Fridays", "Sunday 15 June 2025") or a holiday ("Christmas")?"""
    words = text.lower().split()
    if len(words) > 1 and words[0] in {"late", "early", "mid", "end"}:  # "Late August", "Early spring"
        words = words[1:]
    first = words[0].split("-")[0] if words else ""
    return (text[:1].isdigit() or bool({first, first.removesuffix("s")} & _CALENDAR) or first in _HOLIDAYS
            or text.lower().startswith("new year"))


def _modifier(word: str, following: str) -> bool:
    """An acronym before a singular lowercase noun that is no role ("QR code"; not "CNES president", "US
    officials")."""
    return (_acronym(word) and following.isalpha() and following.islower() and following not in _FUNCTION
            and not following.endswith("s") and following not in _ROLES)


def _acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _core(word: str) -> str:
    """A token without a possessive "'s" and a trailing dot ("Dr." → "Dr")."""
    return re.sub(r"(?:['’]s|['’])$", "", word).rstrip(".")


def names(text: str, initial: bool = True) -> list[Mention]:
    """Capitalised names in ``text``: "Dr Priya Raman" a person (the title dropped from the text),
    "Institute for Marine Microbiology" a thing. A capital that only starts a sentence is no name
    (``initial``: ``text`` starts a sentence)."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        core = _core(tokens[i][0])
        starts = initial if i == 0 else tokens[i - 1][0] in {".", "!", "?", ":", "“", '"', "—", "-", "|", "("}
        unit = len(core) <= 2 and tokens[i][1] > 0 and text[tokens[i][1] - 1] in "°0123456789"  # "27°C": no name
        if not _is_name_word(core) or (_function_word(core) and not _acronym(core)) or unit:
            i += 1
            continue
        j = i
        while not tokens[j][0].endswith(("'s", "’s")) and j + 1 < len(tokens):
            nxt = _core(tokens[j + 1][0])
            after = tokens[j + 2][0].lower() if j + 2 < len(tokens) else ""
            letter = len(nxt) == 1 and nxt.isupper() and nxt not in {"A", "I"}  # "Plan B", "Block C"
            if (_is_name_word(nxt) and (not _function_word(nxt) or _acronym(nxt))) or letter:
                j += 1
            elif nxt.isdigit() and after not in _COUNTED:  # "ExoMars 2020", not "ESA 2 years"
                j += 1
            elif (nxt.lower() in {"of", "for", "de", "da", "del", "van", "von", "der", "du", "la", "&"}
                  and j + 2 < len(tokens) and _is_name_word(_core(tokens[j + 2][0]))
                  and _core(tokens[j + 2][0]).lower() not in _FUNCTION):
                j += 2
            else:
                break
        rest = [_core(t) for t, _, _ in tokens[i + 1 : j + 1]]
        dated = core.lower() in _CALENDAR and all(w.isdigit() for w in rest) and (  # "2 June 2025": a date
            rest or (i > 0 and _core(tokens[i - 1][0]).isdigit()))
        shouted = j - i >= 2 and all(w.isupper() for w in [core, *rest])  # "PRODUCT SAFETY RECALL NOTICE": a title
        after_run = next((t for t, _, _ in tokens[j + 1 : j + 5] if not re.fullmatch(r"[a-z][\w\-]*", t)), "")
        label = after_run == ":"  # "Event: Open day", "Group size: 10" in a table row
        if dated or shouted or label or (i == j and _modifier(core, tokens[j + 1][0] if j + 1 < len(tokens) else "")):
            i = j + 1  # "a QR code", "your PIN number": an acronym naming a kind of thing
            continue
        span = [(_core(t), a, a + len(_core(t))) for t, a, _ in tokens[i : j + 1]]
        out += _split_titles(span, text, starts)
        i = j + 1
    return out


def _split_titles(span: list[tuple[str, int, int]], text: str, sentence_start: bool) -> list[Mention]:
    """One capitalised run as entities: "CNES President Jean-Yves Le Gall" is CNES and a person."""
    words = [w for w, _, _ in span]
    titled = [k for k, w in enumerate(words) if w.lower() in _TITLES]
    if titled:
        k = titled[-1]
        gender = next((_TITLES.get(w.lower()) for w in words[: k + 1] if _TITLES.get(w.lower())), "")
        after, domain = span[k + 1 :], []
        if after and after[0][0].lower() in {"of", "for"}:  # "Head of Roscosmos", "Mayor for Transport Ann Lee"
            named = len(after) >= 4 and not any(w.lower() in ORG_WORDS for w, _, _ in after[-2:])
            domain, after = (after[1:-2], after[-2:]) if named else (after[1:], [])  # "Director of … Arts Trust"
        first = k
        while first > 0 and words[first - 1].lower() in _TITLES:
            first -= 1  # "Deputy Mayor": the title starts at "Deputy"
        out = []
        for part in ([t for t in span[:first] if t[0].lower() not in {"of", "for"}], domain):
            if part:
                out.append((Entity(" ".join(w for w, _, _ in part), "thing"), part[0][1], part[-1][2]))
        cut = next((m for m, (w, _, _) in enumerate(after) if m and w.lower() in {"of", "for"}), len(after))
        after, employer = after[:cut], after[cut + 1 :]  # "Professor Anselm Ruddock of Kelbury University"
        if after and not _job_title([w for w, _, _ in after]):  # "Chief Executive of …": a job, no person
            out.append((Entity(" ".join(w for w, _, _ in after), "person", gender), span[first][1], after[-1][2]))
        if employer:
            out.append((Entity(" ".join(w for w, _, _ in employer), "thing"), employer[0][1], employer[-1][2]))
        return out
    start, end = span[0][1], span[-1][2]
    if _job_title(words) and text[:start].rstrip().endswith(","):
        return []  # "Dr Petronella Vask, Consultant Haematologist and …": her job, not another person
    kind = _name_kind(words, text, start, end)
    if sentence_start and len(words) == 1 and kind != "person" and words[0][1:].islower():
        return []  # "Employees receive …", but "ESA said …" and "ExoMars flew …"
    return [(Entity(" ".join(words), kind), start, end)]


def _job_title(words: list[str]) -> bool:
    """Whether a capitalised run reads as a job ("Consultant Haematologist", "Operations Manager")."""
    return words[0].lower() in JOB_TITLES or words[-1].lower() in JOB_TITLES or bool(
        re.search(r"(?:ologist|ician|iatrist|ographer)$", words[-1]))


_PLACE_WORDS = frozenset("at in near around outside beneath below under above across along behind beside inside "
                         "through".split())  # a name after these is a place ("beneath Crannoch Dale")


def _name_kind(words: list[str], text: str, start: int, end: int) -> str:
    before = text[max(0, start - 40) : start].lower().split()
    previous = before[-1].strip(",") if before else ""
    if any(w.lower() in ORG_WORDS for w in words) or any(c.isdigit() for w in words for c in w):
        return "thing"
    if any(w.isupper() and len(w) > 1 for w in words) or previous in {"the", "a", "an"}:
        return "thing"  # acronyms, and names used as modifiers: "the Hearthline app"
    if previous in _ROLES or previous in {"said", "says", "told"} or _SPEECH.match(text[end:]):
        return "person"
    if previous in _PLACE_WORDS or re.search(r",\s*from\s+$", text[:start]):
        return "thing"  # "at Cowlam Marsh", "Ethel Hale, 87, from Drummerby Heath": a place
    proper = all((w[:1].isupper() and w[1:].islower()) or "-" in w for w in words)
    return "person" if len(words) >= 2 and proper else "thing"


def noun_phrases(question: str, context: str = "") -> list[Mention]:
    """Determiner phrases of a question: "the meal allowance"; "a yearly membership" as "the yearly
    membership"; "how many bids" as "the bids". Role nouns ("the deputy mayor") are people. ``context``
    (the documents) tells where a subject ends and a verb begins."""
    out: list[Mention] = []
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(question)]
    for i, (word, at, _) in enumerate(tokens):
        low = word.lower()
        many = low == "many" and i > 0 and tokens[i - 1][0].lower() == "how"
        bare = low in {"are", "were", "do", "did"} and _WH_WORD.match(question)  # "How long are umbrellas kept?"
        mass = low == "does" and _WH_WORD.match(question)  # "How much does membership cost?"
        which = i == 0 and low in {"what", "which"}  # "What precept are they proposing?": the precept
        each = low in {"each", "every"}  # "each household" stands for the households: "they"
        if low not in {"the", "a", "an", "another", "this", "these", "those", "my", "your", "our"} and not (
                many or bare or which or each or mass):
            continue
        taken = []
        for j, nxt in enumerate(tokens[i + 1 : i + 8], i + 1):
            if len(taken) >= 4 + 2 * sum(t[0] == "of" for t in taken):
                break
            named_of = nxt[0] == "of" and taken and taken[-1][0][:1].isupper() and j + 1 < len(tokens) and \
                tokens[j + 1][0][:1].isupper()  # "the Friends of Teale Baths open day": one phrase
            if not named_of and (nxt[0].lower() in _FUNCTION or not re.match(r"\w", nxt[0]) or (
                    many and taken and _plural(taken[-1][0]))):
                break
            if taken and _ends_phrase(nxt[0]):
                break  # "my bike got stolen", "my bike abroad": the phrase is "my bike"
            if taken and _verb_ing(nxt, taken[-1][0], tokens):
                break  # "the drug company going to apply", "the Heritage Trust giving?"
            taken.append(nxt)  # "the museum’s new wing" goes on past the possessive
        if bare:  # a bare plural subject: the plural word itself ("umbrellas"), not a verb after it
            taken = taken[:1] if taken and _plural(taken[0][0]) and taken[0][0].islower() else []
        elif mass:  # a bare singular subject, before its verb: "membership", not "it" nor a name
            word = taken[0][0] if taken else ""
            taken = _subject(taken, tokens, context) if len(taken) > 1 and word.isalpha() and word.islower() \
                and not _plural(word) and word not in _NOT_NOUNS else []
        elif which:  # the asked noun, up to the verb after it; no time, kind or amount ("what time", "which type")
            end = next((j for j, t in enumerate(tokens[i + 1 :], i + 1) if t[0].lower() in _AUX.split("|")
                        or t[0].lower() in _BE.split("|")), None)
            taken = taken[: end - i - 1] if end else []
            if not taken or taken[-1][0].lower() in _WHICH_NOT or _when(taken[-1][0]) or not taken[-1][0].islower():
                taken = []
        elif i > 0 and tokens[i - 1][0].lower() in _AUX.split("|") and len(taken) > 1:
            taken = _subject(taken, tokens, context)  # "does the T3 support …": a verb follows the subject
        if not taken or taken[-1][0].lower() in _ORDINALS or taken[-1][0].endswith(("'s", "’s")) or \
                taken[-1][0][:1].isdigit():  # "the 87-year-old" is no "the 87"
            continue
        det = "" if mass else "the" if low in {"a", "an", "many"} or bare or which or each else low
        head = taken[-1][0].lower()
        kind = "person" if head in _ROLES else ("group" if _plural(head) else "thing")
        if each:
            if _plural(head) or not head.isalpha():
                continue
            last = taken[-1]
            taken[-1] = (last[0][:-1] + "ies" if re.search(r"[^aeiou]y$", last[0]) else last[0] + "s", *last[1:])
            kind = "group"
        start = taken[0][1] if many or bare or which or mass else at
        out.append((Entity(f"{det} {' '.join(t[0] for t in taken)}".strip(), kind), start, taken[-1][2]))
    return out


_PLACE_BEFORE = re.compile(r"\b(?:at|in|near|from|to)\s+$", re.I)  # "… the pub at Thrimby Staithe": a place
_WHICH_NOT = {"time", "times", "year", "years", "date", "day", "days", "kind", "kinds", "type", "types", "sort",
              "sorts", "way", "ways", "age", "size", "number", "percentage", "proportion", "share", "amount", "hours",
              "else", "happens", "happened"}
_NOT_NOUNS = set(
    "got gets get getting keeps kept needs need broke broken stolen lost gone went came comes works stopped "
    "goes go runs ran starts opens closes happens begins began finishes ends stays lasts says said "
    "abroad away home here there now today tonight tomorrow yesterday again too also back out off up down "
    "overseas outside inside online everywhere anywhere somewhere nowhere".split()
)


def _ends_phrase(word: str) -> bool:
    """A word that follows a noun phrase rather than belonging to it: a verb, an adverb of place or time."""
    w = word.lower()
    return w in _NOT_NOUNS or (len(w) > 4 and w.endswith("ed") and not w.endswith("eed") and not word[:1].isupper())


def _verb_ing(token: tuple[str, int, int], before: str, tokens: list[tuple[str, int, int]]) -> bool:
    """An -ing word after a noun that is a verb, not part of the phrase: after a name, or before "to"."""
    if not token[0].lower().endswith("ing") or len(token[0]) < 5:
        return False
    following = next((t[0].lower() for t in tokens if t[1] >= token[2]), "")
    return before[:1].isupper() or following == "to"


def _subject(taken: list[tuple[str, int, int]], tokens: list[tuple[str, int, int]],
             context: str) -> list[tuple[str, int, int]]:
    """The subject after "does"/"can", where a verb follows: the longest run of its words that the
    documents hold ("a day pass", "the warranty"); without them, the words before the last in a
    wh-question ("What does a day pass cost?"), the first word (or name) in a yes/no one."""
    for size in range(len(taken), 1, -1):
        if context and re.search(r"\b" + r"\s+".join(re.escape(t[0]) for t in taken[:size]) + r"\b", context, re.I):
            return taken[:size]
    if tokens[0][0].lower() in _AUX.split("|"):
        capitals = [t for t in taken if t[0][:1].isupper()]
        return taken[: max(1, len(capitals))] if capitals == taken[: len(capitals)] else taken[:1]
    return taken[:-1]


_SINGULAR_S = {"lens", "news", "series", "species", "means", "canvas", "atlas", "bias", "physics", "maths",
               "mathematics", "athletics", "gymnastics", "economics", "diabetes", "measles", "crossroads",
               "headquarters", "whereabouts", "premises", "thermos", "ethos", "chaos"}


def _plural(word: str) -> bool:
    w = word.lower()
    return w in _PLURAL_WORDS or (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))
                                  and w not in _SINGULAR_S)


def _singular(word: str) -> str:
    w = word.lower()
    if w in _SINGULAR:
        return _SINGULAR[w]
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    return w[:-1] if _plural(w) else w


def mentions(text: str, question: bool = False, context: str = "") -> list[Mention]:
    """Names (and, in a question, noun phrases) in order of appearance; a name that only modifies a noun
    phrase's head ("Santa" of "the Santa trains") is no mention of its own."""
    found = names(text)
    if question:
        phrases = noun_phrases(text, context)
        found = [m for m in found if not any(p[1] <= m[1] and m[2] < p[2] for p in phrases)] + phrases
    return sorted(found, key=lambda m: m[1])


def gender(person: str, text: str) -> str:
    """"m" or "f" when a pronoun soon after mentions of ``person`` in ``text`` tells it, else ""."""
    surname = person.split()[-1]
    votes = {"m": 0, "f": 0}
    for end in _whole_word_ends(surname, text):
        window = text[end : end + 600]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)][:2]
        window = window[: ends[-1]] if ends else window
        cue = re.search(r"\b(he|his|him|himself|she|her|hers|herself)\b", window, re.I)
        if cue and not any(e.kind == "person" and surname not in e.text and at < cue.start()
                           and not _PLACE_BEFORE.search(window, 0, at) for e, at, _ in names(window)):
            votes["f" if cue.group(1).lower().startswith(("she", "her")) else "m"] += 1
    if votes["m"] == votes["f"]:
        return ""
    return "m" if votes["m"] > votes["f"] else "f"


_PERSON_CUES = _TITLES.keys() | _ROLES | {"said", "says", "told"}  # words that put a person's name after them


def _treated_as_person(name: str, text: str) -> bool:
    """Does ``text`` give ``name`` (or its last word) a title, a role or "said" before it, or a "said" after it?"""
    for word in {name, name.split()[-1]}:
        for end in _whole_word_ends(word, text):
            before = text[max(0, end - len(word) - 40) : end - len(word)].lower().split()
            if (before and before[-1].strip(",.") in _PERSON_CUES) or _SPEECH.match(text[end : end + 40]):
                return True
    return False


def _common_noun(word: str, text: str) -> bool:
    """Does ``text`` also write ``word`` in lower case ("the new footbridge" beside "Millrace Footbridge"; not
    in an address: "daniel.moreau@…")?"""
    return word[1:].islower() and re.search(rf"(?<![\w.@]){re.escape(word.lower())}(?![\w@]|\.\w)", text) is not None


def _whole_word_ends(word: str, text: str) -> Iterator[int]:
    """Where each match of ``\\bword\\b`` in ``text`` ends, as ``re.finditer`` finds them (a document can be a
    300-page PDF: ``str.find`` skips through it many times faster than the regex)."""
    first, last = _is_word(word[0]), _is_word(word[-1])
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if ((at > 0 and _is_word(text[at - 1])) != first) and ((end < len(text) and _is_word(text[end])) != last):
            yield end
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)


def _is_word(ch: str) -> bool:
    """A character ``\\w`` matches."""
    return ch.isalnum() or ch == "_"


# -- what the conversation holds ----------------------------------------------
class _Memory:
    """The entities of earlier turns, most recent and most salient first: per turn, what its pronouns
    stood for, then its question's mentions, then the names of its cited sentences."""

    def __init__(self, history: Sequence[Turn]):
        self.last = history[-1]
        self.entries: list[tuple[Entity, int, str]] = []  # entity, turns ago, source
        seen: dict[str, int] = {}
        for ago, turn in enumerate(reversed(history)):
            cited = [(e, "cited") for text in turn.cited for e in _by_proximity(text, turn.query, turn.short)]
            context = turn.document or " ".join(turn.cited)
            asked = [(e, "question") for e, start, _ in mentions(turn.query, question=True, context=context)
                     if not _NEGATED.search(turn.query[:start])]
            who = turn.query.lower().startswith("who")
            if who:  # "Who's the director?": the person named answers it
                roles = [(e, s) for e, s in asked if e.kind == "person" and e.text.startswith("the ")]
                asked = [m for m in asked if m not in roles] + [m for m in cited if m[0].kind == "person"] + roles
            if who and not _WHO_IS.match(turn.query):  # its names are not its answer: no "he" falls back to them
                asked = [(e, "who" if s == "question" else s) for e, s in asked]
            sources = [(e, "referent") for e in turn.referents] + asked + cited
            for entity, source in sources:
                key = entity.text.lower().removeprefix("the ")
                if key not in seen:
                    seen[key] = len(self.entries)
                    # the name answering "Who …?" is a person's, and so are the name "Who is …?" asks about and
                    # one a "he" or "she" stood for
                    answer = source == "referent" or who and (
                        source == "cited" or (source == "question" and bool(_WHO_IS.match(turn.query))))
                    self.entries.append((self._with_gender(entity, turn, answer), ago, source))
                elif entity.kind == "person" and self.entries[seen[key]][0].kind == "thing":
                    _, ago_seen, source_seen = self.entries[seen[key]]  # "What did Ana say?" "Ana said …"
                    self.entries[seen[key]] = (self._with_gender(entity, turn), ago_seen, source_seen)
        self._merge_surnames()

    @staticmethod
    def _with_gender(entity: Entity, turn: Turn, person: bool = False) -> Entity:
        """A person's gender from the documents; a bare two-word name they never treat as a person (no
        title or role before it, no "said" after it, no "he"/"she" for it: "Perchly Premium") is a thing,
        unless it answered "Who …?" (``person``) and its last word is no common noun of the documents."""
        if entity.kind != "person" or entity.gender or not turn.document:
            return entity
        sex = gender(entity.text, turn.document)
        if not sex and entity.text[:1].isupper() and not _treated_as_person(entity.text, turn.document) and (
                not person or _common_noun(entity.text.split()[-1], turn.document)):
            return Entity(entity.text, "thing")
        return Entity(entity.text, "person", sex)

    def _merge_surnames(self) -> None:
        """A single name that is the surname of a person mentioned too ("Raman") is that person."""
        people = {e.text.split()[-1]: e for e, _, _ in self.entries if e.kind == "person" and " " in e.text}
        merged, kept = [], set()
        for entity, ago, source in self.entries:
            entity = people.get(entity.text, entity)
            if entity.text not in kept:
                kept.add(entity.text)
                merged.append((entity, ago, source))
        self.entries = merged

    def people(self, sex: str) -> list[Entity]:
        """The people, or when there are none, the names the user asked about that may be people ("What did
        Thomas Pesquet do?" with "Thomas Pesquet’s mission" cited)."""
        found = [e for e, _, _ in self.entries if e.kind == "person" and e.gender in {"", sex}]
        return found or [e for e, _, source in self.entries if e.kind == "thing" and source not in {"cited", "who"}
                         and _name_kind(e.text.split(), e.text, 0, len(e.text)) == "person"]

    def things(self) -> list[Entity]:
        """The things, but no day, month or time ("What ages is it for?" does not ask about Saturday, "Why are
        they doing it?" not about "1am")."""
        found = [(e, ago, source) for e, ago, source in self.entries if e.kind == "thing" and not _when(e.text)]
        if found and _agent(found[0][0]):  # "Does the company run a shuttle …?" "When does it come back?": the shuttle
            _, ago, source = found[0]
            other = next((m for m in found[1:] if m[1] == ago and m[2] == source and not _agent(m[0])), None)
            if other:
                found.remove(other)
                found.insert(0, other)
        return [e for e, _, _ in found]

    def groups(self) -> list[Entity]:
        """Plurals of the last question, then its organisations, two people, any plural or organisation."""
        asked = [e for e, ago, source in self.entries if ago == 0 and source in {"question", "who"}]
        people = [e for e, _, _ in self.entries if e.kind == "person"]
        pair = [Entity(f"{people[0].text} and {people[1].text}", "group")] if len(people) >= 2 else []
        rest = [e for e, _, _ in self.entries if e.kind == "group" or _organisation(e) and not _place(e)]
        return ([e for e in asked if e.kind == "group"] + [e for e in asked if _organisation(e) and not _place(e)]
                + pair + rest)

    def answer_person(self, exclude: str) -> Entity | None:
        """The person the last answer named that the last question did not."""
        for text in self.last.cited:
            for e in _by_proximity(text, self.last.query, self.last.short):
                e = self._with_gender(e, self.last, person=True)  # "Kellingworth Hedgehog Rescue" is no person
                if e.kind == "person" and e.text.lower() not in exclude.lower():
                    return e
        return None

    def items(self) -> list[str]:
        """The items of the list in the last answer: "one at X and one at Y" → ["the one at X", "the one at Y"]."""
        last = self.last.cited[0] if self.last.cited else ""
        return _list_items(last) if last and cells(last) is None else []  # a table row's cells are no list

    def plural_noun(self) -> str | None:
        """The plural noun the last question asked about, singular: "bid" after "How many bids …?"."""
        for entity, _, _ in mentions(self.last.query, question=True):
            if entity.kind == "group" and " and " not in entity.text:
                return _singular(entity.text.split()[-1])
        found = re.search(r"\b(?:which|what)\s+([a-z]+)", self.last.query, re.I)
        return _singular(found.group(1)) if found and _plural(found.group(1)) else None


# What a question goes without is no referent: "how do I get there without a car" "How often does it run?" (the
# minibus, not the car; no answer on the 29 sets moved)
_NEGATED = re.compile(
    r"\b(?:without|instead\s+of|rather\s+than|except|apart\s+from)\s+(?:(?:a|an|the|my|your|our)\s+)?$", re.I)
_AGENTS = frozenset("company firm business council charity bank club team committee board trust organisation "
                    "organization authority agency operator provider supplier".split())


def _agent(e: Entity) -> bool:
    """ "the company", "a drug company": a body that acts; an "it" after a question naming one and a thing it
    acts on is more likely the thing."""
    return e.text.split()[-1].lower() in _AGENTS


# "the local MP": a person, no "they" ("Did they agree?" was read as "Did MP agree?")
_PERSON_CAPITALS = frozenset("mp gp ceo cfo cto md pm vp mep msp".split())
# Capitals that name things people carry or use, not organisations that act ("if the PIN was kept with the card")
_THING_CAPITALS = frozenset("pin id pdf sms gps usb tv cctv qr atm vat mot led url faq dvd cd pc sim nfc".split())


def _organisation(e: Entity) -> bool:
    """A name of an organisation, not "the project" nor "January" nor "the PIN"."""
    return e.kind == "thing" and e.text[:1].isupper() and not _when(e.text) and any(
        w.lower() in ORG_WORDS or w.isupper() and w.lower() not in _THING_CAPITALS | _PERSON_CAPITALS
        for w in e.text.split())


_PLACE_HEADS = set("road street lane avenue square park river lake sea ocean island city town county bridge estate "
                   "court gardens tower building block station airport port harbour harbor quay wharf way close "
                   "drive crescent hill".split())


def _place(e: Entity) -> bool:
    """A place's name ("Coldharbour Industrial Estate", "Kestle Road"): no "they"."""
    return e.text.split()[-1].lower() in _PLACE_HEADS


def _acts(e: Entity) -> bool:
    """Whether ``e`` can text, call or charge someone: an organisation, people, a plural of a role ("the
    volunteers"), not things ("the collections")."""
    head = e.text.split()[-1].lower()
    return _organisation(e) or " and " in e.text or head in _PLURAL_WORDS or _singular(head) in _ROLES


def _by_proximity(cited: str, query: str, short: str = "") -> list[Entity]:
    """Names of a cited sentence, the one the answer's ``short`` words name first, then nearest first to the
    words it shares with the question.

    After "Who is the head of Roscosmos?", the name beside "Head of Roscosmos"
    is the answer, and so what a following "he" refers to.
    """
    row = cells(cited)
    found = names(cited) if row is None else _row_entities(cited, row)
    lowered = cited.lower()
    anchors = [m.start() for w in _content(query) if len(w) > 2 for m in re.finditer(re.escape(w.lower()), lowered)]
    short = " ".join(short.split()).lower()
    return [e for e, at, _ in sorted(found, key=lambda m: (not short or m[0].text.lower() not in short,
                                                           min((abs(m[1] - a) for a in anchors), default=0)))]


def _row_entities(cited: str, row: dict[str, str]) -> list[Mention]:
    """A table row's referents: the thing its first cell names that is no date ("Lesson: Group lesson (up to 6
    riders)" → "the group lesson"), then the people of its cells; "Ages 8" or "Sundays" name nothing "it" can be."""
    values = [re.sub(r"\s*\(.*$", "", v).strip() for v in row.values()]
    first = next((v for v in values if not _when(v) and not v[:1].isdigit()), "")  # "Date: Sunday 15 June; Event: …"
    words, at = first.split(), cited.find(first)
    if not words:
        return []
    if not all(w[:1].isupper() for w in words if w.lower() not in _FUNCTION):  # no proper name: "the group lesson"
        if len(words) > 1 and words[1][:1].islower() and not _acronym(words[0]):
            words[0] = words[0].lower()
        first = "the " + " ".join(words) if words[0].lower() not in _LEADS else " ".join(words)
    return [(Entity(first, "thing"), at, at + len(first))] + [
        m for m in names(cited) if m[0].kind == "person" and m[0].text.lower() not in first.lower()]


def _content(text: str) -> list[str]:
    return [w for w in (m.group() for m in _TOKEN.finditer(text)) if w[:1].isalnum() and w.lower() not in _FUNCTION]


_LEADS = {"the", "a", "an", "one", "two", "three", "its", "their", "his", "her", "our", "your", "my", "this", "that"}


_BREAK = r"(?<!\d)[,.]|[,.](?!\d)"  # a comma or full stop, not one inside "£5,250" or "1.5"


def _list_items(sentence: str) -> list[str]:
    """The conjuncts of the most parallel "A, B and C" in ``sentence``, each cut where its twin starts."""
    best: list[str] = []
    for found in re.finditer(r",?\s+(?:and|or)\s+", sentence):
        right = re.split(rf"{_BREAK}|[;:!?)(]|\s[–—-]\s", sentence[found.end() :])[0].strip()
        if not right:
            continue
        first = right.split()[0]
        items = [right]
        described = False
        for segment in reversed(re.split(rf"{_BREAK}|[;:(]", sentence[: found.start()])):
            words = segment.split()
            if first.lower() in _LEADS:  # "the X and the Y", "one at X and one at Y"
                spots = [k for k, w in enumerate(words) if w.lower() == first.lower()]
                at = spots[-1] if spots else len(words)
            elif first[:1].isupper():  # "London, Paris and Tokyo"
                at = next((k for k in range(len(words)) if words[k].lower() not in _FUNCTION
                           and all(w[:1].isupper() for w in words[k:])), len(words))
                if at >= len(words) and words and words[0][:1].islower() and not described:
                    described = True  # "Shelter A, next to the car park, and Shelter B": a description between
                    continue
            else:  # "red, green and blue"
                at = 0 if len(words) <= 3 else len(words)
            if at >= len(words) or len(words) - at > 8:
                break
            described = False
            items.insert(0, " ".join(words[at:]))
            if at > 0:
                break  # the list starts inside this segment
        items = [_TAIL.sub("", _LIST_VERB.split(i)[0]) for i in items]  # "the kitchen can be added": "the kitchen"
        parallel = len(items) >= 2 and all(i.split()[0].lower() == first.lower() for i in items)
        if len(items) >= 2 and (parallel or not best):
            best = [_item(i) for i in items]
            if parallel:
                break
    return best


_LIST_VERB = re.compile(r"\s+(?:go|goes|are|is|was|were|must|will|can|could|should|may|have|has|had|need|needs|"
                        r"get|gets|went|stay|stays)\b.*", re.I)
_TAIL = re.compile(r"\s+(?:or|and)\s+(?:both|all|either|more|so on)$", re.I)  # "the Garden Room or both"


def _item(conjunct: str) -> str:
    """A list item as it reads in a question: "the X University in Y" keeps "the X University"."""
    lead = re.match(r"^((?:the\s+)?(?:[A-Z][\w’'\-]*(?:\s+(?:of|for|de|&)\s+|\s+))*[A-Z][\w’'\-]*)\s+(?:in|at|of)\s",
                    conjunct)
    text = lead.group(1) if lead and len(lead.group(1).split()) >= 2 else conjunct
    named = names(text, initial=False)
    if named and named[0][1] == 0 and not text.lower().startswith("the ") and \
            not re.fullmatch(r"\s+(?:[A-Z]|\d{1,3})", text[named[0][2]:]):  # "Shelter A": the label is its name's
        text = text[: named[0][2]]  # "Pryor & Sons sent bids" → "Pryor & Sons"
    text = re.split(r"\s+(?:that|which|who|whose)\s", text)[0]  # "… a crowdfunder that passed its target": its head
    return f"the {text}" if text.lower().startswith("one ") else text


# -- the rewrite ------------------------------------------------------------------
def understand(question: str, history: Sequence[Turn]) -> Reading:
    """The question made standalone from ``history`` (oldest first), or left as asked; a rewrite reads as a
    question: it ends with "?" and opens with a capital when the user's does."""
    reading = _understand(question, history)
    query = reading.query
    if query == question:
        return reading
    if question[:1].isupper():
        query = _capitalise(query)
    if not query.rstrip().endswith(("?", ".", "!")):
        query = query.rstrip() + "?"
    return Reading(query, reading.lean, reading.referents)


def _understand(question: str, history: Sequence[Turn]) -> Reading:
    if not history:
        return Reading(question)
    memory = _Memory(history)
    marker = _MARKER.match(question)
    rest = question[marker.end() :] if marker else question
    body = rest.strip().rstrip("?.! ").strip()
    if not body:
        return Reading(question, ASKS_MORE if marker else STANDS_ALONE)
    if _BARE_WH.fullmatch(body):
        return Reading(_bare_frame(body, memory), ASKS_MORE)
    split = _PIECE_THEN_QUESTION.match(body) if marker else None
    if split and not _WH_WORD.search(split.group(1)):  # "What about in person, where do I go?"
        piece, clause = split.group(1), split.group(2)  # "What about my bike, where can I leave it?"
        opener = piece.split()[0].lower()
        leads = opener in _PREPOSITIONS or opener in _CONDITIONS  # "in person", "if they still leave it": no
        pronoun = None if leads else re.search(r"\b(?:it|they|them)\b", clause)  # stand-in for a pronoun
        rest = body = (f"{clause[: pronoun.start()]}{piece}{clause[pronoun.end() :]}" if pronoun
                       else f"{clause} {piece}" if leads
                       else f"{clause} for {piece}")  # "and a third person, how much would that be?": "… be for …"
    if (not _QUESTION_START.match(body) and (marker or _is_fragment(body)) and not _POSSESSIVE.search(body)
            and body.lower() not in _PRONOUNS):
        piece, referents, _ = _resolve(body, memory, in_frame=True)
        framed = _frame(piece, memory)
        if framed:
            return Reading(framed, VARIES, referents)
    text = _capitalise(rest.strip()) if marker and _QUESTION_START.match(body) else question
    resolved, referents, points = _resolve(text, memory)
    lean = REFERS if points else ASKS_MORE if marker else STANDS_ALONE
    return Reading(resolved if resolved != text or marker else question, lean, referents)


def _is_fragment(body: str) -> bool:
    """ "In London?", "For students?", "If I lose it?": a piece with no question of its own."""
    first = body.split()[0].lower()
    if _WH_WORD.search(body):
        return False  # "Until when is the exhibition on?" asks a question of its own
    return (first in _PREPOSITIONS or first in {c.split()[0] for c in _CONDITIONS}) and len(body.split()) <= 8


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _resolve(text: str, memory: _Memory, in_frame: bool = False) -> tuple[str, tuple[Entity, ...], bool]:
    """Replace ordinals ("the second one") and unbound pronouns by what they stand for; also say whether
    the text points back at all (an unresolved "he", "before that").

    In a piece that will join the previous question (``in_frame``), "it" is left: it is bound there.
    """
    referents: list[Entity] = []
    points = bool(any(_refers_back(m) for m in _ORDINAL.finditer(text)) or _ONE.search(text)
                  or _DEMONSTRATIVE.search(text) or _GROUP.search(text))
    text = _ORDINAL.sub(lambda m: _ordinal(m, memory), text)
    text = _ONE.sub(lambda m: _one(m, memory), text)
    def that_one(match: re.Match) -> str:  # "the deposit on that one": the thing last talked about
        target = None if in_frame else _pick("thing", "", memory, text, taken=[r.text for r in referents])
        if target is None:
            return match.group(0)  # the user's words, not an "it" that reads as "for it to be lifted"
        referents.append(Entity(target.text, target.kind, target.gender))
        return target.text

    text = _THAT_ONE.sub(that_one, text)
    groups = memory.groups()
    if groups:
        text = _GROUP.sub(groups[0].text, text)
    dummy = {d.start() + it.start() for d in _DUMMY_IT.finditer(text) for it in re.finditer(r"\bit\b", d.group(), re.I)}
    own = names(text) + noun_phrases(text)

    def replace(match: re.Match) -> str:
        nonlocal points
        word = match.group(0)
        kind, sex, role = _PRONOUNS[word.lower()]
        if match.start() in dummy:
            return word
        if word.lower() == "her" and _object_her(text, match.end()):
            role = "obj"
        if _bound(own, text, match.start(), kind, sex, role):
            return word  # "What did Le Gall say about his meeting?": bound inside the question
        points = True
        acting = word.lower() == "they" and bool(_ACTION.match(text, match.end()))  # "Do they text you …?"
        target = None if in_frame and kind == "thing" else _pick(kind, sex, memory, text, acting,
                                                                    [r.text for r in referents])
        if target is None or any(r.text == target.text for r in referents):
            return word  # "her position when she did …": named once, the second pronoun then reads plainly
        referents.append(Entity(target.text, target.kind, target.gender or sex))
        out = _named_body(target) if match.start() > 0 else _capitalise(_named_body(target))
        if role == "poss":
            out += "’" if out.endswith("s") and target.kind == "group" else "’s"
        return out

    resolved = re.sub(r"\b(?:he|him|his|she|her|hers|it|its|they|them|their|theirs)\b", replace, text, flags=re.I)
    return resolved, tuple(referents), points


_BODIES = frozenset("team committee trust society association partnership group service agency board network fund "
                    "council office department foundation museum library club centre center institute".split())


def _named_body(entity: Entity) -> str:
    """An organisation's name as it stands for a pronoun: "the Home Energy Assessment Team" (the name ends with a
    common noun), "Tarnwell Water" as it is."""
    words = entity.text.split()
    body = entity.kind != "person" and len(words) > 1 and words[0][:1].isupper() and words[-1].lower() in _BODIES
    return f"the {entity.text}" if body else entity.text


def _object_her(text: str, end: int) -> bool:
    """ "her" followed by nothing, a preposition or punctuation is an object, not a possessive."""
    following = re.match(r"\s*([\w’']+)?", text[end:]).group(1)
    return following is None or following.lower() in _FUNCTION


def _bound(own: list[Mention], text: str, at: int, kind: str, sex: str, role: str) -> bool:
    """Does an entity earlier in the question itself take the pronoun at ``at``? An object ("it", "him")
    only from an earlier clause: "I left my jacket in a basket, where can I pick it up?"."""
    boundary = max((m.end() for m in re.finditer(r"[,;]|\s(?:and|but|so|or)\s", text[:at])), default=-1)
    return any(start < at and (role != "obj" or start < boundary) and _fits(e, kind, sex, loose=True)
               for e, start, _ in own)


def _fits(entity: Entity, kind: str, sex: str, loose: bool = False) -> bool:
    """Can ``entity`` be what a pronoun of ``kind`` (and ``sex``) stands for? ``loose``: a single
    name ("Raman") may be a person."""
    if kind == "person" and loose and entity.kind == "thing" and " " not in entity.text and entity.text.istitle():
        return True
    if kind == "person":
        return entity.kind == "person" and entity.gender in {"", sex}
    return entity.kind == kind or (kind == "group" and entity.kind == "thing" and (
        entity.text.isupper() or loose and _agent(entity)))  # "if … another company, will they match it?"


def _pick(kind: str, sex: str, memory: _Memory, question: str, acting: bool = False,
          taken: Sequence[str] = ()) -> Entity | None:
    """The most recent, most salient entity of ``kind``; not a thing the question names besides the pronoun
    ("locked it with their lock": "it" is not the D-lock); for a "they" who act (``acting``), no things; none
    when it holds what another pronoun of the question stands for (``taken``: "his club … for them")."""
    pool = memory.people(sex) if kind == "person" else memory.things() if kind == "thing" else memory.groups()
    if pool and any(t in pool[0].text for t in taken):
        return None
    if acting:
        pool = [e for e in pool if _acts(e)]
    if kind == "thing":
        named = {_singular(w) for w in re.findall(r"[a-z]+", question.lower())}
        pool = [e for e in pool if _singular(re.split(r"[\s\-]", e.text.lower())[-1]) not in named] or pool
    if pool and kind == "person" and pool[0].kind != "person":  # a name read as a person from now on
        return Entity(pool[0].text, "person", sex)
    return pool[0] if pool else None


def _ordinal(match: re.Match, memory: _Memory) -> str:
    """ "the second one" → the second item of the last answer's list, or "the second <noun asked about>"."""
    word = match.group(2).lower()
    if not _refers_back(match):
        return match.group(0)
    counted = _ORDINAL_NOUN.search(memory.last.query) if word not in ("other", "latter", "former") else None
    if counted and counted.group(1).lower() not in _FUNCTION:  # "the first tour" asked: "the second tour"
        return f"{match.group(1)} {word} {counted.group(1)}"
    items = memory.items()
    index = _ORDINALS[word]
    if word == "other" and len(items) == 2:
        index = 0 if items[1].lower() in memory.last.query.lower() else 1
    elif word == "other":
        return match.group(0)
    if items and index < len(items):
        return items[index] if match.group(1).islower() or match.start() > 0 else _capitalise(items[index])
    noun = memory.plural_noun()
    return f"{match.group(1)} {word} {noun}" if noun else match.group(0)


_COUNTING = {"few", "couple", "several", "many"}  # "the first few months" names its noun; it is no "first one"


def _refers_back(match: re.Match) -> bool:
    """ "the second one", "the first?" point back; "the second half", "the first weekend" name their noun."""
    following = re.match(r"\s*([\w’']+)", match.string[match.end() :])
    return bool(match.group(3)) or not following or (following.group(1).lower() in _FUNCTION
                                                      and following.group(1).lower() not in _COUNTING)


def _one(match: re.Match, memory: _Memory) -> str:
    """ "the most expensive one" → "the most expensive bid" after "How many bids …?"."""
    noun = memory.plural_noun()
    return f"{match.group(0)[: -len('one')]}{noun}" if noun else match.group(0)


# -- frames -----------------------------------------------------------------------
_VERB_FRAME = re.compile(  # "How do I ", "How can the user ", "How to ": what a new verb phrase follows
    rf"^(.*?\b(?:{_AUX})\s+(?:i|you|we|one|they|he|she|it|the\s+\w+|(?-i:[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*))\s+|"
    r".*?\bhow\s+to\s+)", re.I)
_PP_AFTER_TO = re.compile(r"^to\s+(?:the|a|an|my|your|our|their|his|her|its|this|that|(?-i:[A-Z0-9]))", re.I)


def _frame(piece: str, memory: _Memory) -> str | None:
    """The previous question with ``piece`` ("in London", "if a pro installs it", "to reset it", "CNES")
    in the place of the part of its kind, or added at its end; ``None`` when no frame fits."""
    stem = memory.last.query.strip().rstrip("?.! ")
    first = piece.split()[0].lower()
    if first == "to" and len(piece.split()) > 1 and not _PP_AFTER_TO.match(piece):
        head = _VERB_FRAME.match(stem)
        return f"{head.group(1)}{piece[3:]}?" if head else None
    if _TIME.fullmatch(piece):
        spots = list(_TIME.finditer(stem))
        if spots:
            return f"{stem[: spots[-1].start()]}{piece}{stem[spots[-1].end() :]}?"
        return f"{stem} {piece}?"
    periods = list(_PERIOD.finditer(stem)) if first in _PREPOSITIONS and _PERIOD.search(piece) else []
    if periods:  # "at weekends" after "How much is weekday call-out paid?" or "… open on weekdays?": in its place
        period, before = periods[-1], stem[: periods[-1].start()]
        if re.search(r"\b(?:all|every|each|per|a|one)\s+$", before, re.I) and not re.search(
                rf"\b(?:{'|'.join(_PREPOSITIONS)})\s+an?\s+$", before, re.I):  # "on all night", not "on a weekday"
            return f"{stem} {piece}?"
        opened = re.search(rf"\b(?:{'|'.join(_PREPOSITIONS)})\s+(?:(?:the|a|an)\s+)?(?:[\w\-]+\s+)?$", before, re.I)
        if opened:  # "in January", "for a weekday night": "over Christmas", "on a bank holiday" instead
            return f"{stem[: opened.start()]}{piece}{stem[period.end() :]}?"
        return f"{before}{stem[period.end() :].lstrip()} {piece}?"
    if first in _PREPOSITIONS or any(piece.lower().startswith(c + " ") for c in _CONDITIONS):
        spot = _phrase_of(stem, first)
        if spot:
            return f"{stem[: spot[0]]}{piece}{stem[spot[1] :]}?"
        owner = _OWNER.search(stem) if first == "for" else None  # "a dog's yearly booster" "and for cats?"
        return f"{stem[: owner.start()]}the {stem[owner.end() :]} {piece}?" if owner else f"{stem} {piece}?"
    if " " not in piece and (peer := _hyphen_peer(stem, piece)):  # "And off-peak?" after "… at peak times?"
        before = re.sub(r"\b([Aa])n?(\s+)$", lambda m: m.group(1) + ("n" if piece[:1].lower() in "aeiou" else "")
                        + m.group(2), stem[: peer.start()])  # "an off-peak ticket", "a peak ticket"
        return f"{before}{piece}{stem[peer.end() :]}?"
    if " " not in piece and ("-" in piece or piece.lower() in _MANNER):  # "And next-day?", "And online?"
        return f"{stem} {piece}?"
    return _swap_entity(stem, piece)


_CORE = re.compile(r"\s(?:next|near|in|at|of|from|with|on|by|who|whose|that|behind|opposite)\b", re.I)
_OWNER = re.compile(r"\b(?:a|an|the|my|your|our)\s+[a-z]+['’]s\s+", re.I)
_MANNER = {"online", "abroad", "overseas", "overnight", "today", "tomorrow", "tonight", "later", "earlier",
           "weekly", "monthly", "yearly", "annually", "daily", "express", "upstairs", "downstairs", "outside",
           "indoors", "outdoors", "inside", "instead"}


def _hyphen_peer(stem: str, piece: str) -> re.Match | None:
    """The word of ``stem`` that ``piece`` varies when one of the two is hyphenated and they share a part:
    "peak" for "off-peak", "off-peak" for "peak", "two-day" for "one-day"."""
    parts = set(piece.lower().split("-")) - _FUNCTION
    for found in re.finditer(r"[\w’'][\w’'\-]*", stem):
        word = found.group().lower()
        if word != piece.lower() and "-" in word + piece and set(word.split("-")) & parts:
            return found
    return None


def _phrase_of(stem: str, opener: str) -> tuple[int, int] | None:
    """Where the last phrase of ``stem`` opened by ``opener`` runs: up to the next preposition or comma."""
    found = list(re.finditer(rf"\b{re.escape(opener)}\s", stem, re.I))
    if not found:
        return None
    rest = stem[found[-1].end() :]
    named = re.match(r"[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*", rest)
    if named and named.end() < len(rest) and rest[named.end()] == " ":  # "at Ravensholt park": the name only
        return found[-1].start(), found[-1].end() + named.end()
    others = "|".join(p for p in (*_PREPOSITIONS, "if", "when") if p != opener)
    stop = re.search(rf",|\s(?:{others})\s", rest)
    return found[-1].start(), found[-1].end() + (stop.start() if stop else len(rest))


_CLAUSE = re.compile(r"\b(?:i|we|you|they|he|she|it)\s+(?:can|could|will|would|should|must|may|have|do|did|am|are|"
                     r"is|was|were|need|get|[a-z]+(?:ed|s))\b", re.I)  # a subject and its verb: a clause of its own


def _swap_entity(stem: str, piece: str) -> str | None:
    """ "And CNES?" after "Who heads Roscosmos?": the part of the previous question that the piece is a
    peer of, swapped for it: a person for a person, a name for the last name, "a weekly one" for "a day
    pass", "children" for "adults"; ``None`` when the piece has no peer there ("And the cost?")."""
    given = names(piece, initial=False)
    own = names(stem)
    if given:
        people = [m for m in own if m[0].kind == "person"] if any(e.kind == "person" for e, _, _ in given) else []
        asked = [p for p in noun_phrases(stem) if not re.search(r"\bhow\s+(?:many|much)\s+$", stem[: p[1]], re.I)]
        spots = people + own[::-1] + asked  # "how many extra stalls": what is counted, no peer of a name
        if not spots:
            return None
        _, start, end = spots[0]
        if re.search(r"\b(?:the|a|an|my|your|our)\s+$", stem[:start], re.I):  # "the Teal launch" "And the Heron?"
            piece = re.sub(r"^(?:the|a|an|my|your|our)\s+", "", piece, flags=re.I)
        elif re.fullmatch(r"\s*(?:which|what)\s+", stem[:start], re.I):  # "Which e-readers can …?" "And the Flame?"
            asks = re.match(rf"\s*({_AUX}|{_BE})\s+(?!(?:the|a|an|my|your|our|i|you|we|they|he|she|it)\b)"
                            r"(?-i:[a-z])", stem[end:], re.I)
            if not asks:
                return None
            return f"{_capitalise(asks.group(1).lower())} {piece} {stem[end:][asks.end(1):].strip()}?"
        return f"{stem[:start]}{piece}{stem[end:]}?"
    head = piece.split()[-1].lower()
    if head in _ATTRIBUTES:
        return None  # "And the floor size?" asks an attribute of what was asked about, not a peer of it
    if _singular(_CORE.split(piece)[0].split()[-1].lower()) in _ROLES:  # "What about the farmer next to …?"
        pronoun = re.search(r"\b(?:he|she)\b", stem, re.I)
        spots = [(m[1], m[2]) for m in own if m[0].kind == "person"] + ([pronoun.span()] if pronoun else [])
        if spots:
            start, end = min(spots)
            return f"{stem[:start]}{piece}{stem[end:]}?"
    copula = re.match(rf"^(?:what|who|which|where|when|how\s+much|how\s+many)(?:['’]s|\s+(?:{_BE}))\s+"
                      r"(?:the|a|an|my|your|our)\s", stem, re.I)
    phrases = noun_phrases(stem)
    if copula and phrases and phrases[0][1] == copula.end() - len(copula.group().split()[-1]) - 1 and \
            piece.split()[0].lower() in {"the", "a", "an", "my", "your", "our"}:
        # "How much is a day pass?" "And a single ride?"; "What is the price of the kettle?" "And the toaster?"
        _, start, end = next((p for p in phrases[1:2] if stem[phrases[0][2] : p[1]].strip() == "of"), phrases[0])
        peer = stem[start:end].split()[-1]
        if _CLAUSE.search(piece):  # "What's the earliest I can start?" "And the latest I can finish?"
            return f"{stem[:start]}{piece}?"
        if head == "one" and peer.lower().endswith("est"):  # "the earliest" names no thing for "one"
            return None
        return f"{stem[:start]}{piece[: -len('one')] + peer if head == 'one' else piece}{stem[end:]}?"
    for _, start, end in phrases:
        peer = stem[start:end].split()[-1]
        if head == "one" and len(piece.split()) > 1:
            return f"{stem[:start]}{piece[: -len('one')]}{peer}{stem[end:]}?"
        if _singular(head) == _singular(peer):
            return f"{stem[:start]}{piece}{stem[end:]}?"
    if len(piece.split()) == 1 and _plural(head):
        bare = [m for m in re.finditer(r"\b[a-z]+\b", stem) if _plural(m.group()) and m.group() not in _FUNCTION
                and not re.search(r"\b(?:who|he|she|it|that)\s+$", stem[: m.start()], re.I)]  # "who counts": a verb
        if bare:
            return f"{stem[: bare[-1].start()]}{piece}{stem[bare[-1].end() :]}?"
    if len(phrases) == 1 and piece.split()[0].lower() in {"the", "a", "an", "my", "your", "our"} \
            and len(piece.split()) > 2 and not _when(piece) and not _PERIOD.search(piece) \
            and not re.search(r"\b(?:there|it|them)$", piece, re.I):  # "the temperature in there" asks of it
        _, start, end = phrases[0]  # "How much does the annual plan cost?" "What about the student version?"
        return f"{stem[:start]}{piece}{stem[end:]}?"
    return None


_ATTRIBUTES = set("size sizes price prices cost costs fee fees length width height depth weight capacity colour color "
                  "colours colors address number age temperature duration deadline date time times".split())


def _bare_frame(wh: str, memory: _Memory) -> str:
    """ "When?" after "How did he come back?": "When did he come back?"; after "Who's in charge of the
    museum?": "Since when is <the person named> in charge of the museum?"; else the last question
    and the new one joined: "What did Thomas Pesquet do in 2016, and when?"."""
    stem = memory.last.query.strip().rstrip("?.! ")
    return _wh_frame(wh, stem, memory) or f"{stem}, and {wh.strip().lower()}?"


# verbs whose measure is their object ("take an hour", "cost £5"): a question asking it has no frame for another wh
_MEASURED = re.compile(r"\b(?:take|cost|last|weigh|hold|seat|fit|need|pay|charge|earn|save|raise)s?\b"
                       r"(?:\s+(?:now|then|today|altogether|overall|in\s+total|each|per\s+\w+|a\s+\w+))?$", re.I)


def _wh_frame(wh: str, stem: str, memory: _Memory) -> str | None:
    """The previous question asked with ``wh`` in its place, when its form allows; else ``None``."""
    wh = _capitalise(wh.strip())
    adjunct = re.match(rf"^\s*(?:how(?:\s+\w+)?|when|where|why|(?:\w+\s+)?what\s+\w+|since\s+when)\s+"
                       rf"(({_AUX})|{_BE})\s+(.+)$", stem, re.I)
    if adjunct and (adjunct.group(2) or re.search(r"\w(?:ed|en|ing)$", adjunct.group(3))):
        if _MEASURED.search(adjunct.group(3)) and re.match(r"\s*how\s+\w", stem, re.I):
            return None  # "How long will the ride take now?" "Why?": "take" keeps its measure, so joined
        return f"{wh} {adjunct.group(1).lower()} {adjunct.group(3)}?"
    who = re.match(rf"^\s*who\b(?:\s+(?P<be>{_BE})\b|(?P<c>['’]s)\b|\s+(?P<aux>{_AUX})\b)?\s*(?P<rest>.+)$", stem,
                   re.I)
    if not who:
        return None
    rest, aux = who.group("rest"), (who.group("aux") or "").lower()
    person = memory.answer_person(stem)
    if person is None:
        return None
    if aux in {"do", "does", "did"}:  # "Who did he meet?": the person met fills the gap
        return f"{wh} {aux} {rest} {person.text}?"
    if aux:
        return f"{wh} {aux} {person.text} {rest}?"
    if who.group("be") or who.group("c"):
        if " ".join(e.text for e, _, _ in names(rest)) == rest:
            return None  # "Who is Igor Komarov?" asks who; it has no frame to reuse
        return f"{wh} {(who.group('be') or 'is').lower()} {person.text} {rest}?"
    verb = rest.split()[0].lower()
    if not verb.endswith(("ed", "s")):
        return None
    return f"{wh} {'was' if verb.endswith('ed') else 'is'} it that {person.text} {rest}?"
