"""The words inside a cited sentence that answer the question: "2 June" in a 40-word sentence.

Pure rules, no model. The question's form says what it asks for: a kind of answer (a person, organisation or
place; a date or time; a number, amount or quantity; the expansion of an abbreviation), a kind of thing
("What type of reaction…"), or the words that fill the gap its "what" leaves ("What did the Act extend?").
A lead-in before the question word ("Along with X, who…") is set aside, and a question word in place ("… for
what season?") is read as such. Candidates of a kind are found with regular expressions (dates, amounts,
numbers) or as runs of capitalised words (names); a candidate made only of the question's own words is
dropped; those that stand where the answer is expected win (beside the asked noun, "the scientist Davros";
after the question's verb and "by"; after its verb for "Who did X meet?"); among the rest, the one nearest
the question's words that the sentence repeats. Open questions ("why", "what happened"), yes/no questions
and ties get no span.
"""

from __future__ import annotations

import re

from bot.ranking.answer_type import (
    _ROLES,
    CONTACT,
    CONTACT_TOKEN,
    DATE,
    JOB_TITLES,
    MONEY,
    ORG_WORDS,
    QUANTITY,
    ROLE_WORDS,
    answers_header,
    contact_wanted,
    defined_term,
    expected_type,
    initials_spell,
    measure,
)
from bot.ranking.superlative import ROW_CELL

NAME, PLACE, DEFINITION = "name", "place", "definition"
OBJECT_AFTER = 0.5  # "Who did X meet?" asks for what follows the verb: question words after a candidate count less
MARGIN = 0.2  # a name's lead over the runner-up, as a share of its closeness, below which none is shown

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
_YEAR = r"(?:[12]\d{3}|'\d\d)s?(?:\s?(?:BC|BCE|AD|CE)\b)?"
_TIME = r"\d{1,2}[:.]\d{2}(?:\s?(?:am|pm|a\.m\.|p\.m\.))?|\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)|midnight|midday|noon"
_DATE_ATOM = (
    rf"(?:{_DAY},?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?|{_MONTH}(?:\s+{_YEAR})?)"
    rf"|{_DAY}|(?:early\s+|late\s+|mid-?)?{_YEAR}|{_TIME}"
    r"|(?:the\s+)?(?:early\s+|late\s+|mid-?)?\d{1,2}(?:st|nd|rd|th)\s+century"
)
_DATE = re.compile(rf"(?<![\w$€£])(?:{_DATE_ATOM})(?:(?:,?\s+(?:at|from|to|and|until|till)\s+|\s?[–-]\s?)"
                   rf"(?:{_DATE_ATOM}))*(?![\w%])")
_NUMBER_WORD = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                r"hundred|thousand|million|billion|dozen|half")
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|m|k)\b"
_UNIT = (r"%|°\s?[CF]?|percent\b|per\s?cent\b|euros?\b|dollars?\b|pounds?\b|yen\b|yuan\b|roubles?\b|francs?\b|cents?\b|"
         r"km/h\b|mph\b|km\b|kilomet(?:re|er)s?\b|met(?:re|er)s?\b|miles?\b|feet\b|foot\b|inch(?:es)?\b|"
         r"kg\b|kilograms?\b|tonnes?\b|tons?\b|degrees?\b|acres?\b|hectares?\b|square\s+\w+\b|"
         r"[kMGT]?B\b|mAh\b|k?Wh?\b|litres?\b|liters?\b|ml\b|cm\b|mm\b|"
         r"seconds?\b|minutes?\b|hours?\b|(?:(?:working|calendar|business|school|clear|consecutive)\s+)?days?\b|"
         r"weeks?\b|months?\b|years?\b|decades?\b|centur(?:y|ies)\b")
_NUMBER_ATOM = (rf"[$€£¥]\s?\d(?:[\d,.]*\d)?(?:\s?{_SCALE})?|\d(?:[\d,.]*\d)?(?:\s?{_SCALE})?"
                rf"|(?:{_NUMBER_WORD})(?:[\s-](?:{_NUMBER_WORD}))*")
_QUALIFIER = r"(?:about|around|approximately|roughly|nearly|almost|over|more than|less than|fewer than|up to)\s+"
_NUMBER = re.compile(rf"(?<![\w.,])(?:{_QUALIFIER})?(?:{_NUMBER_ATOM})(?:\s*(?:{_UNIT}))?"
                     rf"(?:\s+(?:and|to|or|–|-)\s+(?:{_NUMBER_ATOM})(?:\s*(?:{_UNIT}))?)?(?![\w])", re.I)
_MONEY = re.compile(r"[$€£¥]|euro|dollar|pound|yen|yuan|rouble|franc|cent", re.I)
_CAP = r"(?:[A-Z][\w'’&.-]*|\d+[A-Za-z]*)"
# runs of capitalised words: "9 Quayside Street", "Royal Observatory of Sundby"
_NAMES = re.compile(rf"(?<![\w-])(?:\d+[a-z]?\s+(?=[A-Z]))?[A-Z][\w'’&.-]*"
                    rf"(?:\s+(?:(?:of|de|du|la|le|van|von|der|den|da|del|the|and|&)\s+)?{_CAP})*")
_NOT_NAMES = {
    "the", "a", "an", "in", "on", "at", "of", "for", "by", "to", "from", "with", "he", "she", "it", "they",
    "we", "i", "you", "his", "her", "its", "their", "our", "this", "that", "these", "those", "there", "as",
    "after", "before", "during", "when", "while", "if", "but", "and", "or", "however", "although", "since",
    "because", "then", "also", "some", "many", "most", "all", "each", "both", "other", "such", "one",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
_PLACE_NOUNS = (r"city|country|state|town|village|region|province|county|continent|island|river|place|location|"
                r"area|nation|capital|building|venue|stadium|street|district|neighbo(?:u)?rhood")
_NAME_NOUNS = (r"company|companies|firm|organi[sz]ation|agency|team|group|party|body|university|college|school|"
               r"institution|institute|band|newspaper|network|club|league|firm|business|contractor|person|man|"
               r"woman|king|queen|emperor|president|author|artist|scientist|ship|airline|bank|church|family|"
               r"dynasty|tribe|empire|conference|award|prize|"
               r"chair|chairman|chairwoman|director|head|secretary|treasurer|leader")
_NOUN_TYPES = {
    **dict.fromkeys(("date", "day", "year", "deadline", "time"), DATE),
    **dict.fromkeys(("price", "cost", "fee", "fine", "salary", "budget", "charge", "rent", "payment", "grant",
                     "bonus", "refund", "deposit", "excess"), MONEY),
    **dict.fromkeys(("age", "number", "speed", "size", "length", "height", "weight", "distance", "population",
                     "percentage", "share", "rate", "limit", "capacity", "duration", "temperature"), QUANTITY),
}
_PREPOSITIONS = {"in", "on", "at", "by", "for", "from", "to", "with", "of", "during", "under", "into", "through",
                 "after", "before", "since", "until", "against", "between", "among", "about", "over", "within"}
_AUX = r"is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must|kind|type|sort"
_OBJECT = re.compile(r"^\s*(?:who|whom|what|which(?: \w+)?) (?:did|does|do|will|would|can|could)\b", re.I)
_SUBJECT = re.compile(rf"^\s*(?:who|(?:what|which) [a-z]+) (?!(?:{_AUX}|did|does|do|has|have|had)\b)[a-z]+(?<!ing)\b",
                      re.I)  # "Who runs…", "Which company built…"
_WH = r"(?:what|which|who|whom|whose|when|where|how)\b"
_WH_FIRST = re.compile(rf"^\W*(?:(?:\w+ ){{0,2}}{_WH}|why\b)", re.I)
_LEAD_IN = re.compile(rf"^[^,?]{{3,80}},\s*(?:(?:and|but|so|then)\s+)?({_WH}.*)$", re.I)
_YES_NO = re.compile(rf"^\W*(?:{_AUX}|do|did|has|have|had|shall)\b", re.I)
_IN_SITU = re.compile(rf"\b({_WH}[^,]*)$", re.I)
_COPULA_NOUN = re.compile(r"^\s*what (?:is|was|are|were) (?:the|a|an) (.+)", re.I)
_ROLE = re.compile(rf"(?:{_ROLES})s?")
_WORD = re.compile(r"[\w'’]+")
_STOP = {
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or", "is", "are", "was",
    "were", "be", "been", "do", "does", "did", "what", "which", "who", "whom", "whose", "when", "where", "why",
    "how", "many", "much", "that", "this", "it", "its", "as", "has", "have", "had", "s", "can", "i", "my",
    "there", "their", "they", "he", "she", "his", "her", "name", "called", "year", "time", "date",
}


def asked_kind(question: str) -> str | None:
    """The kind of short answer the question asks for, or None for an open question."""
    question = _core(question)[0]
    if defined_term(question):
        return DEFINITION
    kind = expected_type(question)
    if kind:
        return kind
    q = " ".join(question.lower().split()).replace("what's", "what is")
    if _MEASURE_ASKED.match(q):  # "what depth is the bowl going to be": a measure (only for the short answer: over
        return QUANTITY  # 41 sets, the ranking's type penalty for these lost 2 answered)
    nouns = re.match(r"^what (?:is|was|are|were) (?:the|its|his|her|their|your|my) (\w+)(?: (\w+))?", q)
    if not nouns and not re.search(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", q):
        nouns = re.match(r"^(?:[\w'’-]+ ){0,5}?(date|day|year|deadline|price|cost|fee|fine|charge|age|number)\b()", q)
    for noun in reversed(nouns.groups() if nouns else ()):
        if noun in _NOUN_TYPES:
            return _NOUN_TYPES[noun]
    if re.match(r"^(?:who|whom|whose)\b", q) or re.match(rf"^(?:(?:what|which) (?:\w+ )?(?:{_NAME_NOUNS})\b|"
                                                         rf"(?:{_NAME_NOUNS})\W*$)", q):
        return NAME
    if re.match(rf"^where\b|^(?:what|which|in what|in which) (?:\w+ )?(?:{_PLACE_NOUNS})\b", q):
        return PLACE
    if re.match(rf"^(?:what|which|in what|in which) (?!(?:{_AUX})\b)[a-z]+(?<!ed)\b|^what (?:is|was) the name\b", q):
        return NAME
    return None


def find_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Offsets into ``sentence`` of the words that answer ``question``, or None when its kind is open, no
    candidate fits, or two candidates tie."""
    core, in_situ = _core(question)
    if core == question and _YES_NO.match(question) or _WHAT_HAPPENS.match(core):
        return None  # "Is it open when it rains?" asks yes or no; "What happens if …?" for an account
    if (who := _WHO_IS.match(core)) and (named := _named_in(who.group(1), sentence)):  # "Who is Tomasz Wierzbicki?"
        return _identity(named, sentence)
    if answers_header(core, sentence):  # "From: Rosalind Achterberg, Director …": the sender
        found = _HEADER_VALUE.match(sentence)
        return found.span(1) if found else None
    kind = asked_kind(core)
    if kind == DEFINITION:
        return _expansion(defined_term(core) or "", sentence)
    cell = _cell(core, sentence)
    if cell and (kind in (None, NAME, PLACE) or _candidates(kind, sentence[cell[0]:cell[1]])):
        return cell  # the column the question names, holding what it asks for
    asked = {w.lower() for w in _WORD.findall(question)}
    asked |= {re.sub(r"['’]s$", "", w) for w in asked}  # "Komarov's" asks about Komarov
    noun = _asked_noun(core) if kind in (None, NAME, PLACE) else None
    if noun and noun[1] and (kinds := _modified(noun, sentence, asked)):  # "What type of reaction…"
        return _nearest(core, sentence, kinds, asked, NAME, in_situ)
    candidates = _typed(kind, sentence, asked) if kind else []
    if kind == QUANTITY and _HOW_MUCH.match(core):  # "how much is a child ticket?": an amount of money if one is given
        candidates = [c for c in candidates if _MONEY.search(sentence[c[0]:c[1]])] or candidates
    if kind == QUANTITY and _HOW_MANY.match(core):  # "How many days …?": a count, not "£96", "a six-week amnesty"
        candidates = [c for c in candidates if not _MONEY.search(sentence[c[0]:c[1]]) and _counts(sentence, c, asked)]
    if kind in (DATE, QUANTITY) and (units := _units(core)):  # "How long …?": "45 minutes", not "£35"
        since = _HOW_LONG.match(core)  # "How long has the line been running?": "since 1961"
        candidates = [c for c in (_with_unit(sentence, c, asked) for c in candidates)
                      if units.search(sentence[c[0]:c[1]]) or since and _SINCE.search(sentence[:c[0]])]
    if kind == DATE and len(candidates) > 1:  # "When does the trial finish?": "… run until 30 September"
        candidates = _bound(core, sentence, candidates)
    if kind == NAME and _WHO_PERSON.match(core):  # "Who is the museum's director?": a person, not the museum
        candidates = [c for c in candidates if _personal(sentence[slice(*_after_role(sentence, c))])] or candidates
    if kind == CONTACT and (wanted := contact_wanted(core)):  # "phone number?": the number, not the e-mail
        candidates = [c for c in candidates if wanted(sentence[c[0]:c[1]])]
    found = _nearest(core, sentence, _preferred(core, kind, noun, sentence, candidates), asked, kind, in_situ)
    if found is None and kind is None and (subject := _COPULA_NOUN.match(core)):
        named = _asked_noun("what " + subject.group(1))  # "What was the first battle…" asks for a battle
        beside = _beside(named[0][-1], sentence, _typed(NAME, sentence, asked)) if named else []
        found = _nearest(core, sentence, beside, asked, NAME)
    if found is None and kind in (None, NAME, PLACE):
        found = _gap(core, sentence, asked)
    if found is None and noun and not candidates:  # no name at all: the words before the noun ("wool trade")
        found = _nearest(core, sentence, _modified(noun, sentence, asked), asked, NAME, in_situ)
    if found and kind == NAME and not re.search(r"[^\W\d_]", sentence[found[0]:found[1]]):
        return None  # a person or organisation is no bare number
    return found


def _named_in(name: str, sentence: str) -> re.Match | None:
    """Where ``sentence`` names the person a "Who is X?" asks about (no possessive: "Who is Valmora's mayor?" asks
    for a name), or None."""
    if _NOT_A_NAME.match(name) or re.search(r"\w['’]s\b|s['’](?!\w)", name):  # "Valmora's", not "O'Brien"
        return None
    return re.search(rf"(?<!\w){re.escape(name)}(?![\w'’])", sentence, re.I)


def _identity(found: re.Match, sentence: str) -> tuple[int, int] | None:
    """Who someone is: the phrase set beside their name ("Tomasz Wierzbicki, chair of the Kessler Park residents'
    association, who …"), or the title before it ("CNES President Jean-Yves Le Gall"); None without either."""
    beside = _APPOSITIVE.match(sentence, found.end())
    if beside:
        return beside.span(1)
    before = _TITLE_BEFORE.search(sentence, 0, found.start())
    if before and any(w.lower() in _JOB_WORDS for w in _WORD.findall(before.group(1))):
        return before.start(1), before.start(1) + len(before.group(1).rstrip())
    return None


def _units(question: str) -> re.Pattern | None:
    """The units a short answer must hold: a duration or length for "how long", else the question's measure
    (a time of day for "what time", a speed, a weight …; ``answer_type.measure``), but for an age, often a bare
    number ("Gilbert Tillerton, 71")."""
    if _HOW_LONG.match(question):
        return _HOW_LONG_UNITS
    return None if re.match(r"\W*(?:how old|what age)\b", question, re.I) else measure(question)


def _with_unit(sentence: str, span: tuple[int, int], asked: set[str]) -> tuple[int, int]:
    """A number with the unit hyphened to it when it measures what is asked about ("How long is the piece?":
    "25-minute piece"; "ten-minute walk"), not some other thing ("a 40-metre tunnel")."""
    tail = _HYPHENED.match(sentence, span[1])
    if not tail:
        return span
    after = re.findall(r"[a-z]+", sentence[tail.end():tail.end() + 40].lower())[:3]
    measured = tail.group(1) or {_singular(w) for w in after} & {_singular(w) for w in asked}
    return (span[0], tail.end()) if measured else span


def _counts(sentence: str, span: tuple[int, int], asked: set[str]) -> bool:
    """Whether a number can answer "How many …?": not one hyphened to a word the question does not count ("a
    six-week amnesty", "a two-bedroom flat"; "a 42-bed ward" for "how many beds") nor a person's age ("Jolyon
    Haverill, 74, whose …")."""
    tail = _HYPHENED.match(sentence, span[1])
    if tail and _singular(tail.group().lstrip("-").split()[0].lower()) not in {_singular(w) for w in asked}:
        return False
    return not (re.search(r"[^\W\d_],\s*$", sentence[:span[0]]) and re.match(r"\s*,", sentence[span[1]:]))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _cell(question: str, sentence: str) -> tuple[int, int] | None:
    """In a table row ("Date: Sat 13 December; Event: …; Presenter: Aled Morcombe"), the value of the one column
    whose heading shares a word's first five letters with the question ("who's presenting …?"), the row's first
    column (its name) aside; None for any other sentence or question."""
    cells = list(ROW_CELL.finditer(sentence))
    if len(cells) < 3 or cells[0].start() != 0:
        return None
    words = {w.lower()[:5] for w in _WORD.findall(question) if len(w) >= 4 and w.lower() not in _STOP}
    named = [c for c in cells[1:] if words & {w.lower()[:5] for w in _WORD.findall(c.group(1)) if len(w) >= 4}]
    if len(named) > 1:  # "Non-members: £4.60; Members: £3.10": the negated heading only when the question negates
        negates = bool(re.search(r"\bnon\b|\bnot\b", question, re.I))
        named = [c for c in named if bool(_NEGATED.match(c.group(1))) == negates] or named
    return named[0].span(2) if len(named) == 1 else None


def _typed(kind: str, sentence: str, asked: set[str]) -> list[tuple[int, int]]:
    """The sentence's candidates of ``kind`` that hold a word of their own, without the question's words at
    their ends."""
    return [_trimmed(sentence, c, asked) for c in _candidates(kind, sentence) if _new(sentence[c[0]:c[1]], asked)]


def _preferred(question: str, kind: str | None, noun: tuple[list[str], bool] | None, sentence: str,
               candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates that stand where the answer is expected, if any do, else all of them: beside the asked
    noun, as the verb's agent or object, (for a place) a street address, or (for "who") a name with its role
    beside it ("Jonah Prentice, Press Officer")."""
    who = kind == NAME and re.match(r"\W*who\b", question, re.I) and not _IDENTITY.match(question)
    return ((_beside(noun[0][-1], sentence, candidates) if noun else [])
            or _agents(question, sentence, candidates)
            or (_relative_subjects(sentence, candidates) if _SUBJECT.match(question) and kind == NAME else [])
            or (_following(question, sentence, candidates) if kind == DATE else [])
            or [c for c in candidates if kind == PLACE and _ADDRESS.match(sentence, c[0])]
            or [c for c in candidates if kind == PLACE and _WHERE.match(question)
                and _LOCATIVE.search(sentence, max(0, c[0] - 16), c[0])]  # not "What city …?": often the subject
            or [c for c in (_after_role(sentence, c) for c in candidates if who and _has_role(sentence, c))
                if not _only_roles(sentence[c[0]:c[1]])] or candidates)


def _bound(question: str, sentence: str, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For a question about when something ends (or starts), the dates the sentence marks as an end ("until",
    "closed in") or a start ("from", "opened in"), when it marks both; else all the candidates."""
    ends, starts = bool(_END_ASKED.search(question)), bool(_START_ASKED.search(question))
    if ends == starts:
        return candidates
    marked = [[c for c in candidates if cue.search(sentence, max(0, c[0] - 40), c[0])]
              for cue in (_END_CUE, _START_CUE)]
    return marked[not ends] if all(marked) else candidates  # a range: "opened in 1934 and closed in 2019"


def _personal(text: str) -> bool:
    """Whether a name candidate reads as a person's full name ("Dr Petronella Vask"), not an organisation's or a
    place's ("Tarrowgate Museums Trust", "Market Street") nor a job's."""
    return bool(_FULL_NAME.fullmatch(text)) and not any(w.lower() in ORG_WORDS for w in _WORD.findall(text)) \
        and not _only_roles(text)


def _only_roles(text: str) -> bool:
    """Whether a name candidate is a job and no name: "Executive" of "Chief Executive", "Press Officer"."""
    return all(w.lower() in _JOB_WORDS or _PROFESSION.search(w) for w in _WORD.findall(text))


_JOB_WORDS = ROLE_WORDS | JOB_TITLES | {"press", "operations"}


def _after_role(sentence: str, candidate: tuple[int, int]) -> tuple[int, int]:
    """The name without the titles and role before it: "Jean-Yves Le Gall" of "CNES President Jean-Yves Le Gall"."""
    inside = list(_ROLE_INSIDE.finditer(sentence, *candidate))
    return (inside[-1].end() - 1, candidate[1]) if inside else candidate


def _following(question: str, sentence: str, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates a few words after a word of the question, in the same clause: "will reopen to the public on
    Saturday 21 June" for "When does the lido reopen?"."""
    stems = {_stem(w.lower()) for w in _WORD.findall(question) if w.lower() not in _STOP}
    ends = [m.end() for m in _WORD.finditer(sentence) if _stem(m.group().lower()) in stems]
    return [c for c in candidates if any(0 <= c[0] - end <= 40 and not re.search(r"[,;:—–]", sentence[end:c[0]])
                                         for end in ends)]


def _has_role(sentence: str, candidate: tuple[int, int]) -> bool:
    """Whether a role stands right before the name or in its run ("CNES President Jean-Yves Le Gall") or after it
    ("Jonah Prentice, Press Officer")."""
    return bool(_ROLE_AFTER.match(sentence, candidate[1]) or _ROLE_BEFORE.search(sentence[: candidate[0]])
                or _ROLE_INSIDE.search(sentence, *candidate))


_DATELINE = re.compile(r"[A-Z][A-Z .'’-]+,[^—–\n]{3,40}?\s[—–-]+\s")
# "who" asked of a person ("Who is the museum's director?", "Who checked the seabed?"), not who someone is ("Who
# is Priya Nandakumar?") nor who pays, funds, owns, runs or supplies something, often an organisation
_WHO_PERSON = re.compile(r"\W*who(?=(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the|a|an|your|our|their)\b|"
                         r"\s+(?!is\b|was\b|are\b|were\b|do\b|does\b|did\b|should\b|can\b|to\b)[a-z]+\b)"
                         r"(?!.*\b(?:pa(?:y|ys|id|ying)|fund\w*|money|grant\w*|spons[eo]r\w*|donat\w*|back(?:s|ed|ing)?|"
                         r"support\w*|own(?:s|ed|ing)?|gave|giv\w*|award\w*|organi[sz]\w*|run(?:s|ning)?|ran|"
                         r"host\w*|operat\w*|sell\w*|sold|suppl\w*|provid\w*|buil[dt]\w*|insur\w*|employ\w*|"
                         r"manufactur\w*|promis\w*)\b)", re.I)
_FULL_NAME = re.compile(r"(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame|Cllr|Councillor|Rev|Revd)\.?\s+)?"
                        r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)+"
                        r"(?:\s+and\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)+)?")
_PROFESSION = re.compile(r"\w{4,}(?:ologist|ician|ist)$", re.I)  # "Consultant Haematologist", "Physician"
_END_ASKED = re.compile(r"\b(?:finish\w*|end|ends|ended|ending|close|closes|closed|closing|shut\w*|stop\w*|"
                        r"expire\w*|until|till|last day)\b", re.I)
_START_ASKED = re.compile(r"\b(?:start|starts|started|begin|begins|began|begun|open|opens|opened|commence\w*|"
                          r"kick\w* off)\b", re.I)
_END_CUE = re.compile(r"\b(?:(?:until|till|closed?|closes|closing|ended|ends?|finish\w*|off|expires?|expired|shut\w*|"
                      r"stopp?ed|stops?)\s+(?:[\w,]+\s+){0,3}|(?:to|through|[–-])\s*)$", re.I)  # "1 April to 30 May"
_START_CUE = re.compile(r"\b(?:from|since|opened|opens?|started|starts?|began|begins?|launch\w*|reopen\w*)"
                        r"\s+(?:[\w,]+\s+){0,4}$", re.I)
_WHAT_HAPPENS = re.compile(r"\W*what\s+(?:happens|happened|will happen|would happen|if)\b", re.I)
_MEASURE_ASKED = re.compile(r"(?:at |to )?(?:what|which) (?:depth|height|length|width|weight|capacity|temperature|"
                            r"speed|age)\b")
_NEGATED = re.compile(r"\s*(?:non|not|no)\b", re.I)
_WHO_IS = re.compile(r"\W*who(?:['’]s|\s+(?:is|was|are|were))\s+((?:dr|prof|professor|mr|mrs|ms|mx|sir|dame|cllr|"
                     r"councillor)?\.?\s*[\w'’-]+(?:\s+[\w'’-]+){1,3})\W*$", re.I)
_NOT_A_NAME = re.compile(r"(?:the|a|an|my|your|our|their|this|that|in|on|at|for|\w{3,}ing|\w{3,}ed)\b", re.I)
_APPOSITIVE = re.compile(r",\s+(?:\d{1,3},\s+)?((?:the\s+|a\s+|an\s+|our\s+|its\s+|their\s+)?[^,;:\"“”()]{3,80}?)"
                         r"(?=\s*,|\s+who\b|\s+(?:said|says|told|added)\b|\s*[.;:]|$)")
_TITLE_BEFORE = re.compile(r"((?:[A-Z][\w&’'-]*\s+){1,4})$")
_WHERE = re.compile(r"\W*where\b", re.I)
_LOCATIVE = re.compile(r"\b(?:at|in|on|near|outside|inside|behind|beside|opposite|from|to)\s+(?:the\s+)?$", re.I)
_HOW_LONG = re.compile(r"\W*how long\b(?! ago\b)", re.I)
_HOW_LONG_UNITS = re.compile(r"\b(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|"
                             r"years?|decades?|centur(?:y|ies)|km|m|cm|mm|ft|kilomet(?:re|er)s?|met(?:re|er)s?|"
                             r"centimet(?:re|er)s?|miles?|feet|foot|inch(?:es)?|yards?)\b", re.I)
_HYPHENED = re.compile(r"-[a-z]+\b(\s+(?:walk|drive|ride|away)\b)?")
_SINCE = re.compile(r"\bsince\s+$", re.I)
_HOW_MANY = re.compile(r"\W*how many\b(?!.*\b(?:pounds|euros|dollars|pence|cents)\b)", re.I)
_HOW_MUCH = re.compile(r"\W*how much(?:['’]s|\s+(?:is|are|was|were|for))\b", re.I)  # not "how much water"
_HEADER_VALUE = re.compile(r"\s*(?:[A-Za-z][\w ]{0,20}:|by\b)\s*([^,;(\n]*[^,;(\s])", re.I)  # the value, to a comma
_ROLE_AFTER = re.compile(rf",\s+(?:the\s+|our\s+)?(?:[A-Z][\w&-]*\s+){{0,3}}(?i:{_ROLES})\b")
_IDENTITY = re.compile(r"\W*(?i:who(?:['’]s|\s+(?:is|was|are|were)))\s+(?:[A-Z][\w'’.-]*\s*)+\W*$")  # its role
_ROLE_BEFORE = re.compile(rf"\b(?i:{_ROLES})\s+$")
_ROLE_INSIDE = re.compile(rf"\b(?i:{_ROLES})\s+[A-Z]")  # "CNES President Jean-Yves Le Gall"


# "9 Quayside Street": where a place is, when the sentence has one
_ADDRESS = re.compile(r"\d+[a-z]?\s+(?:[A-Z][\w'’-]*\s+)+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Boulevard|Square|"
                      r"Place|Drive|Way|Court|Terrace|Quay|Row|Crescent|Gardens|Parade|Walk)\b")


def _agents(question: str, sentence: str, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates that stand where the question's gap does: "run by Velora Mobility" for "Who runs the
    scheme?", "met his counterpart Igor Komarov" for "Who did he meet?"."""
    subject = _SUBJECT.match(question)
    if subject:
        verb, pattern = subject.group().split()[-1].lower(), _BY
    else:
        words = [w.lower() for w in _WORD.findall(question)]
        verb, pattern = (_did_verb(words), _OBJECT_AFTER) if words and words[0] in ("who", "whom") else (None, _BY)
    if not verb:
        return []
    places = [m.end() for m in pattern.finditer(sentence) if _stem(m.group(1).lower()) == _stem(verb)]
    return [c for c in candidates if c[0] in places]


def _relative_subjects(sentence: str, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The names a relative clause makes the doer ("Brigid Sneath, who founded Kellingworth Hedgehog Rescue …")
    for "Who started the local hedgehog rescue?"."""
    return [c for c in candidates if _WHO_CLAUSE.match(sentence, c[1])]


_WHO_CLAUSE = re.compile(r",\s+who\s+(?!(?:is|are|was|were)\b)[a-z]")
_BY = re.compile(r"([\w'’-]+),?\s+by\s+(?:the\s+)?")
_OBJECT_AFTER = re.compile(r"([\w'’-]+)\s+(?:(?:the|his|her|their|its|a|an)\s+)?(?:[a-z][\w-]*\s+){0,2}(?=[A-Z])")


def _did_verb(words: list[str]) -> str | None:
    """The verb of "what/who did SUBJECT VERB …" (lower-cased words): the first plain word after the subject
    that is followed by the end, a preposition, a pronoun or a determiner."""
    return next((w for w, after in zip(words[3:], [*words[4:], None])
                 if w not in _FUNCTION and not w.endswith(("s", "ed")) and w != "not"
                 and (after is None or after in _PREPOSITIONS or after in _PRONOUNS or after in _DETERMINERS)), None)


def _core(question: str) -> tuple[str, bool]:
    """The question from its question word on, and whether that word stands inside it: "Along with Dan Fouts,
    who served as…" → "who served as…"; "Super Bowl 50 decided the champion for what season?" → "what season?"
    (in place)."""
    if _WH_FIRST.match(question):
        return question, False
    lead = _LEAD_IN.match(question)
    if lead:
        return lead.group(1), False
    inside = _IN_SITU.search(question)
    if inside and not _YES_NO.match(question):  # "Is it open when it rains?" asks yes or no
        return inside.group(1), True
    return question, False


def _nearest(question: str, sentence: str, candidates: list[tuple[int, int]], asked: set[str],
             kind: str, in_situ: bool = False) -> tuple[int, int] | None:
    """The candidate nearest the question's words that the sentence repeats, unless the runner-up is as near;
    ``in_situ``: the question's words stand before its question word, as they stand before the answer."""
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    stems = {_stem(w) for w in asked - _STOP}
    anchors: dict[str, list[int]] = {}
    for m in _WORD.finditer(sentence):
        if _stem(m.group().lower()) in stems and m.group().lower() not in _STOP:
            anchors.setdefault(_stem(m.group().lower()), []).append(m.start())
    if not anchors:
        return None
    after = OBJECT_AFTER if in_situ or _OBJECT.match(question) else 1.0
    scored = sorted(((_closeness(c, anchors, sentence, after), c) for c in candidates), reverse=True)
    margin = MARGIN if kind in (NAME, PLACE) else 0.0
    return scored[0][1] if scored[0][0] - scored[1][0] > margin * scored[0][0] else None


_PLACE_WORDS = {"near", "like", "around", "across", "behind", "beyond", "inside", "outside", "along", "beside", "past"}
_KIND_OF = {"type", "types", "kind", "kinds", "sort", "sorts", "form", "forms", "variety", "style"}
_FUNCTION = _STOP | _NOT_NAMES | {
    "be", "being", "not", "no", "than", "so", "into", "onto", "upon", "about", "between", "among", "through",
    "over", "under", "within", "without", "against", "toward", "towards", "via", "per", "more", "less", "very",
    "only", "who", "whose", "which", "where", "what", "will", "would", "should", "could", "may", "might", "must",
    "shall", "any", "every", "either", "neither", "nor", "yet", "just", "even", "still", "up", "out",
    "off", "down", "called", "known", "named", "them", "him", "me", "us", "your", "said", "several", "few",
}
_TOKEN = re.compile(r"[\w'’.&-]*\w|[^\w\s]")


def _asked_noun(question: str) -> tuple[list[str], bool] | None:
    """The noun phrase a "what/which NOUN" question asks about, and whether it asks for a kind of it ("What
    type of rock…" → (["rock"], True)); None for other questions."""
    words = [w.lower() for w in _WORD.findall(question)]
    at = next((i for i, w in enumerate(words[:3]) if w in ("what", "which")), None)
    if at is None or (at and words[0] not in _PREPOSITIONS):
        return None
    rest = words[at + 1:]
    kind_of = len(rest) > 2 and rest[0] in _KIND_OF and rest[1] == "of"
    rest = rest[2:] if kind_of else rest
    phrase = []
    for w in rest[:4]:
        if (w in _FUNCTION or w in _PREPOSITIONS or w in _PLACE_WORDS or re.fullmatch(_AUX, w)
                or (phrase and w.endswith("ed"))):
            break
        phrase.append(w)
    if not phrase or phrase[-1] in _NOUN_TYPES or phrase[-1] in ("name", "names"):
        return None
    return phrase, kind_of


def _modified(noun: tuple[list[str], bool], sentence: str, asked: set[str]) -> list[tuple[int, int]]:
    """Where the sentence qualifies the asked noun with words of its own: "What type of reaction…" → "exothermic"
    in "the exothermic reaction"; "Which hall…" → "main hall" in "the main hall"."""
    phrase, kind_of = noun
    asked_stems = {_stem(w) for w in asked}
    tokens = list(_TOKEN.finditer(sentence))
    out = []
    for head in reversed(phrase):
        for i, t in enumerate(tokens):
            if _stem(t.group().lower()) != _stem(head):
                continue
            j = i
            while j > 0 and _stem(tokens[j - 1].group().lower()) in asked_stems and tokens[j - 1].group()[0].isalnum():
                j -= 1  # the question's own words of the phrase ("the 50th Super Bowl")
            k = j
            while k > 0 and _modifier(tokens, k - 1, asked_stems, count=j - k):
                k -= 1
            while k < j and not tokens[k].group()[0].isalnum() or k < j and tokens[k].group().lower() in ("and", "or"):
                k += 1
            if k == j:
                continue
            end = tokens[j - 1].end() if kind_of else t.end()
            out.append((tokens[k].start(), end))
        if out:
            break
    return out


def _beside(noun: str, sentence: str, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates that stand right beside the asked noun: "the scientist Davros", "the Selznick library",
    "the city of Ghent" for "What scientist/library/city…"."""
    stem = _stem(noun)
    places = [m.span() for m in _WORD.finditer(sentence) if _stem(m.group().lower()) == stem]
    for before in _BEFORE_NOUN:  # right beside it first, then with a word or two between ("Surveyor 3 lunar probe")
        beside = [c for c in candidates if any(before.fullmatch(sentence[c[1]:start])
                                               or _AFTER_NOUN.fullmatch(sentence[end:c[0]]) for start, end in places)]
        if beside:
            return beside
    return []


_BEFORE_NOUN = (re.compile(r"(?:['’]s)?\s+"), re.compile(r"(?:['’]s)?\s+(?:[a-z][\w-]*\s+){1,2}"))
_AFTER_NOUN = re.compile(r"\s+(?:of\s+(?:the\s+)?)?|,\s+")


def _modifier(tokens: list[re.Match], at: int, asked_stems: set[str], count: int) -> bool:
    """Whether ``tokens[at]`` can qualify the noun after it: a content word of the sentence's own, or a comma or
    "and" between two such ("commercial, scientific, and cultural growth")."""
    word = tokens[at].group()
    low = word.lower()
    if count >= 6:
        return False
    if low in (",", "and", "or"):  # "commercial, scientific(,) and cultural growth"
        before = tokens[at - 1].group() if at else ""
        return count > 0 and (before[:1].isalnum() or low != "," and before == ",")
    return (word[0].isalnum() and low not in _FUNCTION and not re.fullmatch(_AUX, low) and _stem(low) not in asked_stems
            and not low.endswith("ly") and not (low.endswith("ed") and count > 0))


_CLAUSE = {"that", "which", "who", "whom", "whose", "where", "when", "while", "because", "as", "since", "if",
           "although", "though", "but", "so", "than", "until", "unless", "whether", "and", "or", "not"}
_BE_HAVE = {"is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "may",
            "might", "do", "does", "did"}
_PRONOUNS = {"it", "them", "him", "her", "this", "these", "those", "itself", "themselves", "himself", "herself"}
_PARTICIPLES = {"known", "made", "born", "built", "given", "taken", "seen", "shown", "written", "held", "done",
                "kept", "found", "led", "won", "sold", "paid", "sent", "brought", "chosen", "told"}
_NAMING = {"called", "named", "known", "termed", "dubbed", "nicknamed", "titled", "renamed", "referred"}
_QUOTES = {'"', "“", "”", "'", "‘", "’"}
_PHRASE_WORDS = 5  # a phrase longer than this is not a short answer


def _gap(question: str, sentence: str, asked: set[str]) -> tuple[int, int] | None:
    """The sentence's words that fill the gap the question leaves where its "what" stands, read off four forms:
    "What did the Act extend?" → the words after "extends"; "What was the dialect known as?" → after "known
    as"; "What causes X?" → the words before "causes"; "By what process is it made?" → after "by"."""
    words = [w.lower() for w in _WORD.findall(question)]
    if len(words) < 3:
        return None
    stems = {_stem(w) for w in asked if w not in _DETERMINERS | {"what", "which", "who", "whom"}}
    tokens = list(_TOKEN.finditer(sentence))
    if words[0] in _PREPOSITIONS and words[1] in ("what", "which") and len(words) > 3:
        stems.discard(_stem(words[0]))
        candidates = [p for i, t in enumerate(tokens) if t.group().lower() == words[0]
                      if (p := _phrase_after(tokens, i + 1, stems))]
        return _nearest(question, sentence, candidates, asked, NAME)
    if words[0] not in ("what", "who", "whom"):
        return None
    verb = None
    if words[1] in ("did", "does", "do"):
        verb = _did_verb(words)
        if verb in _OPEN_VERBS:
            return None  # "What did X say?" asks for more than a few words
    elif words[1] in ("is", "was", "are", "were"):
        last = [j for j in range(max(3, len(words) - 2), len(words))
                if (j == len(words) - 1 or words[j + 1] in _PREPOSITIONS or words[j + 1] in ("as", "up", "out", "off"))
                and (words[j].endswith("ed") or words[j] in _PARTICIPLES)]
        verb = words[last[0]] if last else None
    elif words[1].endswith(("s", "ed")) and words[1] not in _FUNCTION | _KIND_OF:
        at = [i for i, t in enumerate(tokens) if _stem(t.group().lower()) == _stem(words[1])]
        return _phrase_before(tokens, at[0], stems) if len(at) == 1 else None
    at = [i for i, t in enumerate(tokens) if verb and _stem(t.group().lower()) == _stem(verb)]
    if not at and verb in _NAMING:  # "What are internet pharmacies called?": "(also known as online pharmacies)"
        at = [i for i, t in enumerate(tokens) if t.group().lower() in _NAMING]
    if len(at) != 1:
        return None
    i = at[0] + 1
    skipped = _PRONOUNS | ({"as", "to"} if tokens[at[0]].group().lower() in _NAMING else set())
    while i < len(tokens) and tokens[i].group()[0].isalnum() and (_stem(tokens[i].group().lower()) in stems
                                                                  or tokens[i].group().lower() in skipped):
        i += 1  # the question's own words after the verb ("known as"), and pronouns ("called it reckless")
    return _phrase_after(tokens, i, stems)


_OPEN_VERBS = {"say", "tell", "think", "believe", "argue", "claim", "write", "mean", "do", "happen", "feel", "suggest",
               "explain", "state", "propose", "want", "ask", "answer", "reply", "warn", "note", "add"}
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "my", "our", "your"}


def _phrase_after(tokens: list[re.Match], i: int, stems: set[str]) -> tuple[int, int] | None:
    """The words from ``tokens[i]`` up to a comma, a clause word, a preposition or a word of the question; or
    the words in quotation marks there ("also called "the dot"")."""
    if i < len(tokens) and tokens[i].group() in _QUOTES:
        close = next((j for j in range(i + 1, len(tokens)) if tokens[j].group() in _QUOTES), None)
        return _phrase(tokens[i + 1:close], stems) if close else None
    taken = []
    while i < len(tokens):
        low = tokens[i].group().lower()
        if not low[0].isalnum():
            break
        if low in _CLAUSE or low in _BE_HAVE or (low in _PREPOSITIONS and low != "of") or _stem(low) in stems:
            if not taken or taken[-1].group().lower() in _DETERMINERS:
                return None
            break
        taken.append(tokens[i])
        i += 1
    return _phrase(taken, stems)


def _phrase_before(tokens: list[re.Match], i: int, stems: set[str]) -> tuple[int, int] | None:
    """The words before ``tokens[i]`` back to a comma, a clause word, a determiner or a word of the question."""
    taken = []
    while i > 0:
        low = tokens[i - 1].group().lower()
        if (not low[0].isalnum() or low in _CLAUSE or low in _BE_HAVE or low in _PREPOSITIONS or low in _DETERMINERS
                or _stem(low) in stems):
            break
        taken.insert(0, tokens[i - 1])
        i -= 1
    return _phrase(taken, stems)


def _phrase(taken: list[re.Match], stems: set[str]) -> tuple[int, int] | None:
    while taken and taken[0].group().lower() in _DETERMINERS:
        taken.pop(0)
    if not taken or len(taken) > _PHRASE_WORDS or all(_stem(t.group().lower()) in stems for t in taken):
        return None
    return taken[0].start(), taken[-1].end()


def _candidates(kind: str, sentence: str) -> list[tuple[int, int]]:
    if kind == CONTACT:
        return [m.span() for m in CONTACT_TOKEN.finditer(sentence)]
    if kind == DATE:
        found = [m.span() for m in _DATE.finditer(sentence) if not _named(sentence, m.start())]
        dateline = _DATELINE.match(sentence)  # "BRACKENMOOR, 14 March — …": the day it was reported
        return [d for d in found if not (dateline and d[1] <= dateline.end())] if len(found) > 1 else found
    if kind in (MONEY, QUANTITY):
        spans = [m.span() for m in _NUMBER.finditer(sentence)
                 if (kind == QUANTITY or _MONEY.search(m.group())) and not _named(sentence, m.start())]
        dates = [m.span() for m in _DATE.finditer(sentence) if not sentence[m.start():m.end()].isdigit()]
        return [s for s in spans if not any(d[0] <= s[0] and s[1] <= d[1] for d in dates)]
    out = []
    for m in _NAMES.finditer(sentence):
        words = [w for w in re.finditer(r"\S+", m.group())]
        while words and words[0].group().lower() in _NOT_NAMES:  # "The Broncos", "In Paris"
            words.pop(0)
        text = m.group()[words[0].start():].rstrip(".,") if words else ""
        if re.search(r"['’]s?$", text):
            continue  # a possessive modifier ("Elway's last game")
        text = re.split(r"['’]s\b", text)[0]  # the owner, not the owned: "Thomas Pesquet’s Proxima mission"
        start = m.start() + (words[0].start() if words else 0)
        if _ADJECTIVE.match(sentence, start) and " " not in text:
            continue  # a people's adjective before a noun ("the British rock group")
        if (not text or (start == 0 and " " not in text and not _LEAD_NAME.match(sentence))
                or _DATE.search(text) and not text.isdigit()):
            continue  # a lone first word ("Later, …"), a date ("Around 1685")
        if sentence.startswith(":", start + len(text)):
            continue  # a label ("Presenter: Aled Morcombe" in a table row)
        out.append((start, start + len(text)))
    return out


_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:ish|ese|ian|an|ic|i)\s+(?!(?:said|says|told|wrote)\b)[a-z]+(?<!ed)(?<!s)\b")


# a sentence's lone first word is a name when a verb of the past or present follows it ("Sasse applauded …")
_LEAD_NAME = re.compile(r"[A-Z][\w'’.&-]*\s+(?:[a-z]+(?:ed|s)|is|was|has|had|said|wrote|won|led|made|became|began)\b")


def _named(sentence: str, at: int) -> bool:
    """Whether a number at ``at`` is part of a name ("ExoMars 2020", "Apollo 11"): it follows a capitalised word
    that is not the sentence's first."""
    before = re.search(r"(?<=\S)\s+([A-Z][\w-]*)\s+$", sentence[:at])
    return bool(before) and before.group(1).lower() not in _NOT_NAMES


_IRREGULAR = {"met": "meet", "made": "make", "won": "win", "began": "begin", "begun": "begin", "built": "build",
              "took": "take", "taken": "take", "gave": "give", "given": "give", "led": "lead", "wrote": "write",
              "written": "write", "sold": "sell", "bought": "buy", "paid": "pay", "held": "hold", "came": "come",
              "went": "go", "spent": "spend", "told": "tell", "said": "say", "chose": "choose", "chosen": "choose",
              "ran": "run", "became": "become", "brought": "bring", "sent": "send", "kept": "keep"}


def _stem(word: str) -> str:
    """A crude stem, enough to meet "runs" with "run", "baskets" with "basket" and "met" with "meet"."""
    word = _IRREGULAR.get(word, word)
    return re.sub(r"(?<=\w\w\w)(?:ing|ed|es|s|['’]s)$", "", word)


def _trimmed(sentence: str, span: tuple[int, int], asked: set[str]) -> tuple[int, int]:
    """``span`` without the question's own words at its ends: "CNES President Jean-Yves Le Gall" asked "Who is
    the CNES president?" is "Jean-Yves Le Gall"."""
    words = list(re.finditer(r"\S+", sentence[span[0]:span[1]]))
    joiners = {"of", "de", "du", "la", "le", "van", "von", "der", "den", "da", "del", "the", "and", "&"}
    while len(words) > 1 and words[0].group().lower().strip(",.") in asked | joiners:
        words.pop(0)
    while len(words) > 1 and words[-1].group().lower().strip(",.") in asked | joiners:
        words.pop()
    return span[0] + words[0].start(), span[0] + words[-1].end()


def _new(text: str, asked: set[str]) -> bool:
    """Whether the candidate holds a word the question does not, besides a title ("Dr" of "Dr Morwenna Teague"
    asked "Who was in the role before Morwenna Teague?")."""
    return any(w.lower() not in asked | _TITLES for w in _WORD.findall(text))


_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "lord", "lady", "cllr",
           "councillor", "rev", "revd", "st"}


def _closeness(span: tuple[int, int], anchors: dict[str, list[int]], sentence: str, after: float) -> float:
    """How near the question's words the candidate stands: each word the sentence repeats from the question
    adds 1/(1 + the number of words between its nearest occurrence and the candidate), times ``after`` when
    it stands after the candidate."""
    def gap(text: str) -> int:  # words between, not counting small words and role nouns ("met his counterpart X")
        return sum(1 for w in _WORD.findall(text) if w.lower() not in _STOP and not _ROLE.fullmatch(w.lower()))

    def weight(at: int) -> float:
        if at < span[0]:
            return 1 / (1 + gap(sentence[_WORD.match(sentence, at).end():span[0]]))
        return after / (1 + gap(sentence[span[1]:at]))
    return sum(max((weight(at) for at in places if not span[0] <= at < span[1]), default=0.0)
               for places in anchors.values())


def _expansion(term: str, sentence: str) -> tuple[int, int] | None:
    """Where ``sentence`` spells ``term`` out: the words before "(TERM)", inside "TERM (…)", or after "TERM
    stands for"."""
    t = re.escape(term)
    after = re.search(rf"\b{t}s?\s*\(([^()]+)\)|\b{t} (?:stands for|means|is short for) ([^,;.()]+)", sentence)
    if after:
        group = 1 if after.group(1) else 2
        return after.span(group)
    named = re.search(rf"\b{t}s?(?:\s+[a-z]+){{1,2}}\s*\(([^()]+)\)", sentence)  # "the MIRA method (Moored …)"
    if named and initials_spell(named.group(1), term):
        return named.span(1)
    before = re.search(rf"\(\s*{t}s?\s*[),;]", sentence)
    if not before:
        return None
    words = list(re.finditer(r"[\w'’&-]+", sentence[:before.start()]))
    letters = sum(1 for ch in term if ch.isupper()) or len(term)
    joiners = {"of", "and", "for", "the", "de", "du", "la", "&", "in", "on", "to"}
    taken: list[re.Match] = []
    initials = 0
    for w in reversed(words):
        if initials >= letters and w.group().lower() in joiners:
            break
        taken.append(w)
        if w.group().lower() not in joiners:
            initials += 1 + w.group().count("-")
        if initials >= letters:
            break
    if initials < letters or taken[-1].group().lower() in joiners:
        return None
    return taken[-1].start(), taken[0].end()
