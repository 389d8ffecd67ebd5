"""What kind of answer a question asks for, and whether a sentence offers one.

"How much did the probe cost?" wants an amount of money; a sentence about the
probe with no amount in it names the topic but does not answer. The types are
classic ones of question answering (money, quantity, date) and contact details
(a phone number, an e-mail or web address), read off the question's wording; a
sentence offers a quantity or a date when it holds such a token that the
question does not already contain, money when it names any amount or currency,
contact details when it gives any. "Who" and "where" were tried too and
left out: nearly every sentence names someone or somewhere, so on ReQA their
absence told answered and unanswered questions apart no better than chance.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.ranking.lexical import content_tokens

MONEY, QUANTITY, DATE, CONTACT = "money", "quantity", "date", "contact"
TYPES = (MONEY, QUANTITY, DATE, CONTACT)

_MONEY_VERBS = (
    r"cost|costs|costing|price|priced|pay|pays|paid|spend|spends|spent|worth|budget|budgeted|fund|funded|"
    r"funding|earn|earns|earned|charge|charged|sell|sold|invest|invested|raise|raised|fee|fees|salary|"
    r"revenue|revenues|income|profit|profits|value|valued|afford"
)
_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b")
_AUXILIARIES = r"is|are|was|were|do|does|did|will|would|can|could|has|have|had|should|shall|might|must|may"
_AUXILIARY = re.compile(rf"\s+(?:{_AUXILIARIES}|and)\b|\W*$")
_PHRASE_TYPES = (
    (DATE, re.compile(r"^how long ago\b|^how often\b|^when\b|"  # how often: "each Friday", "weekly", "every hour"
                      r"^(?:what|which) (?:year|years|date|dates|day|days|month|century|decade|time|times|hours|"
                      r"period|era)\b|"
                      r"^(?:what|which) (?:is|was|were|are) the (?:date|year|day|month)\b")),
    (MONEY, re.compile(rf"^how much (?:(?:{_AUXILIARIES})\b.*\b(?:{_MONEY_VERBS})|money|cash|funding|revenue|profit|"
                       r"rent|salary|wages|compensation|postage|tax)\b|"  # "how much rent …": 29 sets +1 declined
                       r"^what (?:was|is|were|are) the (?:total |overall |estimated |annual )?"
                       r"(?:cost|price|budget|fee|salary|revenue|value)s?\b|"
                       rf"^what (?:{_AUXILIARIES})\b.*\bcost\b|"  # "What did the overhaul cost?"
                       r"^how much (?:is|are|was|were|will)\b(?!.*\b(?:notice|time|leave|space|room|water|data|"
                       r"storage|weight|rain|snow|longer|later|earlier|bigger|faster)\b).*\b(?:tickets?|licen[cs]es?|"
                       r"memberships?|pass(?:es)?|courses?|class(?:es)?|lessons?|sessions?|fees?|fares?|permits?|"
                       r"plans?|subscriptions?|entry|admission|hire|rental|rent|deposits?|fines?|charges?|rides?|"
                       r"tours?|places?|cards?|pitch(?:es)?|parking|upgrades?|replacements?|tokens?|vouchers?)\b")),
    (QUANTITY, re.compile(r"^how (?:many|much|long|old|far|big|large|tall|high|deep|wide|heavy|fast|quickly|"
                          r"soon)\b|"
                          r"^(?:what|which) (?:percentage|percent|proportion|share|number|amount|size|distance)\b")),
)

# a phone number, an e-mail or web address asked for, by a question that is no yes/no, who or how question
_CONTACT_ASKED = re.compile(r"\b(?:(?:phone|telephone|mobile|fax|contact|support|help|helpline|hotline|enquiries|"
                            r"emergency|customer service)\s+(?:number|no|line)\b|e-?mail\s+address|"
                            r"\bnumber\s+(?:to|(?:should|do|can|must|shall)\s+(?:i|we|you))\s+(?:ring|call|phone|dial|text)\b|"
                            r"web\s*(?:site|address|page)\b|url\b|(?:phone|telephone|e-?mail|extension)\W*$|"
                            r"^(?:and\s+)?what is (?:the|their|its|his|her) number\W*$)")  # "and what's the number?"
_CONTACT_KINDS = (
    (re.compile(r"e-?mail"), lambda token: "@" in token),
    (re.compile(r"web\s*(?:site|address|page)|\burl\b"), lambda token: "@" not in token and not token[:1].isdigit()),
    (re.compile(r"phone|fax|mobile|number|extension"),
     lambda token: any(c.isdigit() for c in token) and "@" not in token),
)
_NOT_CONTACT = re.compile(  # "By when do I ask for the extension?" asks for a date
    rf"^(?:(?:by|since|until|till|from|for)\s+)?(?:{_AUXILIARIES}|can|who|whom|whose|how|why|when)\b")
# a question of a few words without a question word, ending in a noun that names the type ("Opening date?")
_SHORT_TYPES = {
    **dict.fromkeys(("date", "dates", "day", "year", "deadline", "time", "times", "hours", "when"), DATE),
    **dict.fromkeys(("price", "prices", "cost", "costs", "fee", "fees", "fine", "salary", "budget", "charge",
                     "charges"), MONEY),
    **dict.fromkeys(("size", "number", "count", "rate", "limit", "age", "length", "duration", "capacity",
                     "weight", "height", "distance", "percentage", "amount", "total", "pay", "allowance", "balance",
                     "life"), QUANTITY),
}
_NAMED_TYPES = {**_SHORT_TYPES, "share": QUANTITY, "proportion": QUANTITY}  # "What share of voters …?"
_SHORT_FORM = re.compile(rf"^(?!(?:{_AUXILIARIES}|can)\b)(?:[\w'’\-]+ ){{0,3}}({'|'.join(_SHORT_TYPES)})"
                         r" (?:for|of|on|at|in) (?:[\w'’\-]+ ){0,7}[\w'’\-]+\W*$|"  # "Price for a single day?"
                         rf"^(?:[\w'’\-]+ ){{0,4}}?({'|'.join(_SHORT_TYPES)})"  # "Cost per day?"
                         r"(?: (?:per|a|an|each) (?:hour|day|night|week|month|year|person))?\W*$")

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|"
    r"thousand|thousands|million|millions|billion|billions|trillion|dozen|dozens|half|twice|thrice|single|"
    r"double|triple|once|several|few|none"
)
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = "|".join(_MONTH_NAMES) + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_ORDINALS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|"
    r"fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first"
)
_UNITS = (
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|millennia|millennium|"
    r"percent|per cent|km|kilometres?|kilometers?|metres?|meters?|miles?|feet|foot|inches?|kg|kilograms?|tons?|"
    r"tonnes?|pounds?|degrees?|acres?|hectares?"
)
_DAYS = "|".join(_WEEK)
_DATE_WORDS = (
    rf"{_MONTHS}|{_DAYS}|{_ORDINALS}|year|years|month|months|week|weeks|day|days|century|centuries|decade|decades|"
    r"today|yesterday|tomorrow|tonight|ago|spring|summer|autumn|fall|winter|season|era|period|age|"
    r"morning|afternoon|evening|night|noon|midnight|bc|bce|ad|ce|annual|annually|daily|weekly|monthly|"
    r"recently|since|until|later|earlier|last|medieval|ancient|dynasty|reign|bp|epoch|eve|beginning|start|end|time|times"
)
CONTACT_TOKEN = re.compile(  # a phone number, an e-mail address, a web address or an extension
    r"(?<![\w+(])(?:\+|\(?0)[\d ()\-]{6,}\d|(?<![\d\-])(?![12]\d{3}[\-–][12]\d{3}\b)\d(?:[ \-]?\d){7,}(?![\d\-])|"
    r"\(\d{3}\) ?\d{3}[ \-]\d{4}\b|"
    r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+|(?:https?://|www\.)[^\s,;)]*[^\s,;).]|"
    r"(?<![\w.\-])[\w\-]+(?:\.[\w\-]+)*\.(?:com|org|net|gov|edu|io|info|eu|uk|de|fr|example)\b(?:/[^\s,;)]*[^\s,;).])?|"
    r"\bext(?:ension|\.)? ?\d+", re.I)
_TOKENS = {
    MONEY: re.compile(
        r"[$€£¥₽₹]|\b(?:dollars?|euros?|pounds? sterling|yen|yuan|roubles?|rubles?|francs?|cents?|"
        r"usd|eur|gbp|jpy|rub|chf|pence|penny|pennies|million|millions|billion|billions|trillion)\b|(?<![\d.,])\d+(?:[.,]\d+)*+\s?(?:k|m|bn)\b|"
        r"\b(?:double|triple|treble) time\b|\btime and a half\b|"  # pay as a multiple of a rate
        r"\b\d+(?:\.\d+)?\s?(?:times|x) (?:the |their |your )?(?:\w+ ){0,2}?(?:rate|pay|salary|wage)s?\b"
    ),
    QUANTITY: re.compile(rf"\d[\d,.]*\d|\d|%|\b(?:{_NUMBER_WORDS}|{_ORDINALS}|{_UNITS})\b"),
    CONTACT: CONTACT_TOKEN,
    DATE: re.compile(rf"(?<!\d)[12]\d{{3}}s?\b|\b\d{{1,2}}(?:st|nd|rd|th)\b|\b\d{{1,2}}[:.]\d{{2}}\b|"
                     rf"\b\d{{1,2}}\s?(?:am|pm|a\.m\.|p\.m\.)|\b(?:{_DATE_WORDS})\b|"
                     rf"\b(?:\d+|{_NUMBER_WORDS}) (?:minutes?|hours?|mins?) (?:before|after)\b|"
                     rf"\bafter (?:\d+|{_NUMBER_WORDS}) (?:working )?(?:minutes?|hours?|mins?)\b|"  # "after 30 minutes"
                     r"\b(?:every|each|per|an?)\s+(?:[\w\-]+\s+)?(?:hours?|minutes?|mins?)\b|"  # how often
                     r"\b(?:when(?:ever)?|once|as soon as)\s+(?:the|a|an|its?|you|your|they|their|we|our)\s|"
                     rf"\bwithin (?:\d+|{_NUMBER_WORDS}) (?:working |calendar |business )?"  # a deadline
                     r"(?:minutes?|hours?|days?|weeks?|months?)\b"),
}
_WORD = re.compile(r"[\w'’\-]+")
_NO_YEAR = r"(?!(?:1[5-9]|20)\d\d\b)"  # not a year: "2025 was …" counts nothing
_ENUMERATOR = re.compile(r"^\s*(?:\(?\d{1,2}|[ivx]{1,4}|[a-z])[.)]\s+")


_LENGTH = (r"\d\s?(?:km|m|cm|mm|ft|mi)\b(?!/)|\b(?:kilomet(?:re|er)s?|met(?:re|er)s?|centimet(?:re|er)s?|miles?|"
           r"feet|foot|inch(?:es)?|yards?|storeys?|stories|floors?|levels?)\b")
# a person's age: "aged 52", "a 9-year-old", "Ann Reed, 71,"
_AGE = re.compile(r"\bage[sd]?\b|\byears?[- ]old\b|\bborn\b|,\s*\d{1,3}\s*[,)]|\(\d{1,3}\)")
# Finer kinds of quantity or date, each with the units that express it ("How fast …?" is answered in km/h, not
# in bikes; "What year …?" with a year); a sentence without such a unit does not offer what is asked for.
_MEASURES = (
    (re.compile(r"^how fast\b(?!.*\b(?:come|comes|respond|responds|reply|replies|arrive|arrives|get|gets|be|"
                r"hear|answer|answers|deliver|delivers|sort|fix|fixed|refund|refunded|visit|process|processed)\b)|"
                r"^(?:what|which) (?:is the )?(?:top |maximum |average )?speed\b"),
     re.compile(r"km/h|kph|mph|\bknots?\b|m/s\b|(?:kilomet(?:re|er)s?|miles?|met(?:re|er)s?) (?:per|an|a) "
                r"(?:hour|second)")),
    (re.compile(r"^how far(?! (?:ahead|in advance|back|before|beforehand)\b)"),  # a distance, or a travel time
     re.compile(rf"{_LENGTH}|\b(?:within|in|under|about|around)\s+\d+\s?(?:minutes?|mins)\b|"
                rf"(?:\d+|\b(?:{_NUMBER_WORDS}))[- ]?min(?:ute)?s?\s+(?:walk|drive|ride|away)\b")),
    (re.compile(r"^how (?:tall|high|deep|wide)\b"), re.compile(_LENGTH)),
    (re.compile(r"^how heavy\b|^(?:what|which) (?:is the )?weight\b|^how much (?:[\w'’\-]+ ){1,6}?weighs?\b"),
     re.compile(r"\d\s?(?:kg|g|t|lb|lbs|oz)\b|\b(?:kilo(?:gram)?s?|grams?|tonnes?|tons?|pounds?|ounces?)\b")),
    (re.compile(r"^how (?:hot|cold|warm)\b|^(?:what|which) (?:is the )?temperature\b"),
     re.compile(r"°|\bdegrees?\b|\b(?:celsius|fahrenheit|kelvin)\b")),
    (re.compile(r"^(?:what|which) year\b"), re.compile(r"(?<!\d)[12]\d{3}s?\b")),
    # a time of day: "from 7am to 7pm", "at 10.30", "noon"; not "evenings" ("on the evenings of 8 and 15 April"; no
    # "what time" question of 42 sets is answered so; +2 declined, none lost)
    (re.compile(r"^what times?\b"),
     re.compile(r"\d\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[:.]\d{2}\b|\b(?:noon|midday|midnight|o['’]clock|dawn|dusk|"
                r"sunrise|sunset|lunchtime|teatime)\b|"
                rf"\b(?:\d+|{_NUMBER_WORDS}) (?:minutes?|mins?|hours?) (?:before|after)\b", re.I)),
    # an age: "aged 52", "Ann Reed, 71,", "built in 1871" (32 sets: +2 declined, none lost; unseen18 +1 answered);
    # a person's, asked of a person (``_PERSON_AGED``), is ``_AGE`` alone
    (re.compile(r"^how old (?:is|are|was|were)\b"),
     re.compile(rf"{_AGE.pattern}|\b(?:years?|decades?|centur(?:y|ies))[- ](?:old|ago)\b|"
                r"(?<![\d.,£$€])[12]\d{3}s?\b")),
    (re.compile(r"^how old (?:do|does|must|should|will|would|can|have)\b|^what age\b|"  # an age limit
                r"^(?:what|which) (?:is the )?(?:minimum |maximum |lowest |youngest )?age\b"),
     re.compile(r"\bage[sd]?\b|\byears?[- ]old\b|\b(?:over|under|above|below)[- ]?\d|\d\s?\+|"
                r"\d+\s+(?:and|or)\s+(?:over|above|under|older|younger)\b")),
    (re.compile(r"^how (?:long(?! ago\b)|quickly|soon|fast)\b"),  # a duration, a length, until when; "how fast …?"
     re.compile(rf"\b(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|years?|"
                rf"decades?|centur(?:y|ies)|overnight|until|till|since)\b|{_LENGTH}")),  # "since 2016"
    (re.compile(r"^how often\b"),  # a frequency: "every three years", "twice a month", "weekly"
     re.compile(r"\b(?:every|each|per|once|twice|thrice|times|daily|nightly|weekly|fortnightly|monthly|quarterly|"
                r"yearly|annually|hourly|weekdays|weekends)\b|\ba (?:day|night|week|fortnight|month|year)\b|"
                r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days\b")),
    # a count: a year alone ("2025 was …") is none, nor a share ("23 per cent of those who replied"; no "how many"
    # question of 42 sets is answered by one; +1 declined, none lost), a sum, a day of a date or a time of day (+5, −1)
    (re.compile(r"^how many (?!years?\b|decades?\b|centur)"),
     re.compile(rf"(?<![\d.,£$€]){_NO_YEAR}(?!\d{{1,2}}[:.]\d\d\b)\d[\d,.]*+(?!\s*(?:%|per\s?cent\b|(?:{_MONTHS})\b|(?:am|pm)\b)|[:.]\d)|"
                rf"\b(?:{_NUMBER_WORDS})\b(?!\s*per\s?cent\b)", re.I)),
    (re.compile(r"^(?:what|which) (?:percentage|percent|proportion|share)\b"),
     re.compile(r"%|\bper ?cent\b|\bhalf\b|\bthirds?\b|\bquarters?\b")),
)


def measure(question: str) -> re.Pattern | None:
    """The units that a question asking for a speed, a distance or height, a weight, a temperature, a year, an
    age limit or a percentage wants in its answer, or None."""
    if _PERSON_AGED.match(question):
        return _AGE
    text = " ".join(question.lower().split())
    head = _WH.search(text)
    if head is None:
        return None
    phrase = text[head.start():]
    return next((units for asks, units in _MEASURES if asks.search(phrase)), None)


@lru_cache(maxsize=4096)
def expected_type(question: str) -> str | None:
    """The answer type the question asks for, or None when its wording does not say (kept per question: the
    ranking's type penalty and frame, its date and header rules and the decline's features each ask it again)."""
    text = re.sub(r"\b(what|who|when|where|how)['’]s\b", r"\1 is", " ".join(question.lower().split()))
    words = list(_WH.finditer(text))
    if _CONTACT_ASKED.search(text) and not _NOT_CONTACT.match(text):
        return CONTACT
    if not words:
        short = _SHORT_FORM.match(text)
        return _SHORT_TYPES[short.group(1) or short.group(2)] if short else None
    head = words[0]
    if head.group() in ("when", "where") and len(words) > 1 and not _AUXILIARY.match(text, head.end()):
        head = words[1]  # "When cells divide, what do they make?": a clause, not the question word
    phrase = text[head.start() :]
    for kind, pattern in _PHRASE_TYPES:
        if pattern.search(phrase):
            return kind
    return None


# "How much money can the setting save?": a saving is a sum or a share ("up to 18 percent"; docs-dev +1, none lost)
_SAVED = re.compile(r"\b(?:save|saves|saved|cut|cuts|reduce|reduces|reduced|lower|lowers|lowered)\b")
_SHARE = re.compile(r"\d\s?%|\d\s+per\s?cent\b", re.I)


def offers(kind: str, sentence: str, question: str, found: tuple[str, ...] | None = None) -> bool:
    """Whether ``sentence`` holds a token of type ``kind`` (for a quantity or a date: one that ``question``
    does not already hold); ``found``: its ``type_tokens``, when already read."""
    if kind == MONEY and _SAVED.search(question.lower()) and _SHARE.search(sentence):
        return True
    return offered(kind, type_tokens(kind, sentence) if found is None else found, question)


def type_tokens(kind: str, sentence: str) -> tuple[str, ...]:
    """The tokens of type ``kind`` in ``sentence``, lowercased; a list item's number ("4. Cars and mileage")
    is not one."""
    return tuple(_TOKENS[kind].findall(_ENUMERATOR.sub("", sentence.lower(), count=1)))


def contact_wanted(question: str):
    """Which contact tokens a contact question wants (a predicate: e-mail, web address, number), or None."""
    return next((wanted for asks, wanted in _CONTACT_KINDS if asks.search(question.lower())), None)


def offered(kind: str, found: tuple[str, ...], question: str) -> bool:
    """Whether any of ``found`` (``type_tokens`` of a sentence) is new to ``question``."""
    if kind == CONTACT:  # the kind asked for: an e-mail address, a web address, or else a number
        wanted = contact_wanted(question)
        return any(wanted is None or wanted(token) for token in found)
    if kind == MONEY:
        return bool(found)
    asked = {w.lower() for w in _WORD.findall(question)}
    return any(_stripped(token) not in asked for token in found)


def _stripped(token: str) -> str:
    return token.lower().strip("'’-")


def missing(question: str, sentence: str) -> float:
    """1.0 when the question asks for a type of answer that the sentence does not offer, else 0.0."""
    kind = expected_type(question)
    return float(kind is not None and lacks(kind, sentence, question))


def lacks(kind: str, sentence: str, question: str, found: tuple[str, ...] | None = None) -> bool:
    """Whether ``sentence`` lacks the answer type ``kind`` that ``question`` asks for, or its measure (the one
    check of ranking and declining; ``found``: the sentence's ``type_tokens``, when already read)."""
    return not (offers(kind, sentence, question, found) and measured(question, sentence))


def measured(question: str, sentence: str) -> bool:
    """Whether ``sentence`` holds a unit of the measure the question asks for (True when it asks for none)."""
    units = measure(question)
    return units is None or bool(units.search(sentence.lower()))


_DEFINITION = re.compile(
    r"^(?:what|wat)(?:'s|’s| is| does| do| did)? (?:the )?(?:abbreviation |acronym |term |letters )?"
    r"([\w&\-]{2,12})\s*(?:stand for|stands for|mean|means|short for|abbreviate|refer to)?\W*$"
    r"|^(?:meaning of|definition of|what is meant by) ([\w&\-]{2,12})\W*$"
    r"|^([\w&\-]{2,12}) (?:stands for|means|stand for|meaning)\W*$",
    re.I,
)


# the frame of "What does TOIL stand for?": words a definition question holds besides its term
DEFINING_WORDS = frozenset(content_tokens("stand stands mean means meaning short abbreviation abbreviate acronym "
                                          "letters refer refers definition"))


# The frame of a question for a contact or a quantity: words it holds besides what the answer is about ("What's the
# head's email?": whose; "Team size?": the team's), not words the answer must hold (28 sets: +2 declined, +1 answered)
FRAME_WORDS = {
    CONTACT: frozenset(content_tokens("phone telephone number numbers email e-mail address addresses contact details "
                                      "mobile tel")),
    QUANTITY: frozenset(content_tokens("size number amount total altogether overall sum count quantity")),
}


def defined_term(question: str) -> str | None:
    """The abbreviation a question asks to expand ("What does BRT stand for?" → "BRT"), or None: a word in
    capitals, or any short word when the question says "stand for", "mean" or "abbreviation"."""
    m = _DEFINITION.match(" ".join(question.split()))
    if not m:
        return None
    term = next(g for g in m.groups() if g)
    asks = re.search(r"stand|short for|abbreviat|acronym|mean", question, re.I)
    return term if term.isupper() or (asks and term.isalpha() and len(term) <= 6) else None


def defines(sentence: str, term: str) -> bool:
    """Whether ``sentence`` spells ``term`` out: "bus rapid transit (BRT)", "BRT (bus rapid transit)",
    "BRT stands for …"."""
    t = re.escape(term)
    return bool(re.search(rf"\(\s*{t}s?\s*[),;]|\b{t}s?\s*\((?!\s*\d)|\b{t} (?:stands for|means|is short for)",
                          sentence, re.I))


def undefined(question: str, sentence: str) -> bool:
    """A definition question ("What does VIP stand for?") against a sentence that neither spells the term out
    (``defines``) nor holds words whose initials make it ("display screen equipment" for DSE): declined whatever
    else the evidence says (32 sets: +2 unanswerable declined, none of 55 answerable definitions lost)."""
    term = defined_term(question)
    return bool(term) and term.isalpha() and not defines(sentence, term) and not initials_spell(sentence, term)


_GLUE = frozenset("and of for the a an in on to at by with".split())


def initials_spell(sentence: str, term: str) -> bool:
    """Whether words of ``sentence`` in a row start with the letters of ``term`` (small words between them may be
    left out: "beyond visual line of sight", "pay as you go")."""
    letters = term.lower()
    return any(_initials_in(letters, [w.lower() for w in re.findall(pattern, sentence)])
               for pattern in (r"[^\W\d_]+", r"[^\W\d_]+(?:-[^\W\d_]+)*"))  # "In-situ": one word or two


def _initials_in(letters: str, words: list[str]) -> bool:
    for start in range(len(words)):
        i, j = start, 0
        while i < len(words) and j < len(letters):
            if words[i][0] == letters[j]:
                j += 1
            elif words[i] not in _GLUE or i == start:
                break
            i += 1
        if j == len(letters):
            return True
    return False


_ROLES = (
    r"president|vice-president|director|chair|chairman|chairwoman|chairperson|head|chief|officer|manager|minister|"
    r"mayor|councillor|councilor|spokesperson|spokesman|spokeswoman|founder|co-founder|ceo|cfo|cto|coo|professor|"
    r"researcher|scientist|author|editor|secretary|treasurer|coordinator|leader|engineer|architect|lawyer|doctor|"
    r"nurse|teacher|lecturer|instructor|contact|curator|owner|governor|senator|deputy|commissioner|astronaut|"
    r"captain|counterpart|colleague|inspector|supervisor|administrator|analyst|economist|surgeon|vet|veterinarian|"
    r"dentist|designer|artist|coach|principal|dean|tutor|student|member|partner|representative|volunteer|"
    r"organiser|organizer|owner|landlord|tenant|resident|agent|advisor|adviser|consultant|clerk|judge"
)
ROLE_WORDS = frozenset(_ROLES.split("|"))
# A person's age is no year ("How old is he?" against "… met in the winter of 2021"; a building's is): asked of
# "he", "she", a role ("the headteacher", "the ferry master") or a name (43 sets: +2 declined, none lost)
_PERSON_AGED = re.compile(rf"(?i:^\s*how\s+old\s+(?:is|was)\s+(?:he|she|(?:the|our|your|their|his|her)\s+"
                          rf"(?:[\w\-]+\s+)?[\w\-]*(?:{_ROLES}|master|keeper|teacher|man|woman)))\b|"
                          r"^\s*(?i:how\s+old\s+(?:is|was))\s+[A-Z][a-z]+(?:[\s\-][A-Z][a-z]+)+\W*$")
# Words that make a capitalised run a job, not a name ("Consultant Haematologist", "Chief Executive")
JOB_TITLES = frozenset(
    "consultant manager director officer coordinator co-ordinator supervisor administrator secretary treasurer "
    "assistant adviser advisor specialist executive engineer technician inspector analyst editor reporter "
    "correspondent spokesperson spokeswoman spokesman chair chairman chairwoman chairperson".split())
_NAME = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?:\s+(?:[A-Z]\.\s*)*[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)+"
_PERSON = re.compile(
    rf"\b(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame|Lady|Lord|Rev|Revd|Mayor|President|Minister|Councillor|Cllr|"
    rf"Senator|Governor|Judge|Captain|Chancellor|Director|Chief|Dean|Sgt|Insp|Supt|Canon)\.?\s+[A-Z][a-z]"
    rf"|\b(?:{_ROLES})s?\b[:,]?\s+(?:{_NAME})"
    rf"|(?:{_NAME}),?\s+(?:the\s+|a\s+|an\s+|its\s+|our\s+|their\s+)?(?:[\w'’-]+\s+){{0,2}}(?i:{_ROLES})\b"
    rf"|(?:{_NAME})\s+(?:said|says|commented|added|told|explained|noted|stated|announced|wrote|argued|warned)\b"
    rf"|(?:{_NAME}),\s+(?:\d{{1,3}},\s+)?who\b|(?:{_NAME}),\s+\d{{1,3}},"  # "Mabel Ogundipe, 81, who ran …"
    rf"|\b(?:said|according to|led by|headed by|chaired by|run by|founded by|signed by|written by|[Bb]y)\s+(?:{_NAME})"
)
# words that end the name of an organisation, a place or an event, not a person's
ORG_WORDS = frozenset(
    "university institute institution college school academy council committee board agency authority ministry "
    "department office service services company corporation corp inc ltd llc plc group association society "
    "foundation trust fund bank museum gallery library hospital clinic centre center hall house station airport "
    "port harbour harbor bridge road street lane avenue square park line route river lake sea ocean island city "
    "town county state republic kingdom union alliance party league club team festival prize award programme "
    "program project mission act law plan market exchange café cafe hotel restaurant church cathedral castle "
    "palace tower building block estate court garden gardens stadium arena theatre theater builders roofing "
    "sons brothers partners systems technologies labs laboratory observatory research journal letters times "
    "news press review mobility transport planning analytics travel network system app card mode day week month "
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday north south east west northern southern eastern western national "
    "international royal federal european global new old grand upper lower central meeting conference "
    "summit assembly congress parliament senate".split()
)


_PLACE_NOUNS = (r"room|floor|storey|building|office|reception|desk|counter|bay|door|car\s?park|station|street|road|"
                r"lane|avenue|square|site|centre|center|hall|yard|depot|entrance|gate|wing|library|church|chapel|"
                r"school|park|field|ground|pool|quay|wharf|harbour|pier|slipway|shop|branch|town|village|city|county|"
                r"estate|campus|ward|clinic|hospital|kitchen|garage|shed|corridor|basement|stairs|lobby|website|"
                r"online|app|address|postcode|area|zone|route|stop|terminal|platform|museum|gallery|pub|café|cafe|"
                r"market|warehouse|workshop|studio|boatyard|river|bridge|lake|beach|coast|island|wood|forest")
_CALENDAR_NAMES = "|".join(name.capitalize() for name in _MONTH_NAMES + _WEEK)
_PLACE = re.compile(
    rf"\b(?:at|in|on|near|next\s+to|behind|beside|opposite|outside|inside|from|to|into|within|across|along|"
    rf"off|under|above|below|between|towards|via)\s+(?:the\s+|a\s+|an\s+|our\s+|their\s+|its\s+|your\s+)?"
    rf"(?:[\w'’\-]+\s+){{0,2}}?(?:(?!(?:{_CALENDAR_NAMES})\b)[A-Z][\w'’\-]+|(?i:{_PLACE_NOUNS})s?\b)"
    rf"|\b\d+(?:\.\d+)?\s?(?:miles?|km|kilomet(?:re|er)s?|met(?:re|er)s?|minutes?)\s+"
    rf"(?:north|south|east|west|from|away|walk|drive)"
    rf"|\b[A-Z]{{1,2}}\d{{1,2}}[A-Z]?\s+\d[A-Z]{{2}}\b"  # a postcode
    rf"|\b(?:north|south|east|west|upstairs|downstairs|nearby|locally|abroad|overseas)\b")


def names_place(sentence: str) -> bool:
    """Whether ``sentence`` says where: a place after a preposition ("next to Door 14", "at the depot"), a
    distance and direction, a postcode."""
    return bool(_PLACE.search(sentence))


REASON = re.compile(r"\b(?:because|since|as a result|due to|owing to|thanks to|so that|in order to|to avoid|"
                    r"the reason|reasons?\b|caused|causes|led to|after|so\s+(?:the|that|we|they|it|you)\b|"
                    r"means|meant|otherwise|unless|aim(?:s|ed)?\s+(?:at|to)|intended|designed to|in a bid to|"
                    r"so as to|to (?:help|ensure|make sure|protect|prevent|reduce|stop|keep|cut|save|allow|encourage|"
                    r"free up|tackle|deal with))\b|\((?-i:[a-z]+)(?:\s(?-i:[a-z]+)){0,2}\)",
                    re.I)  # "Cllr Shaw (illness)", "aimed at stopping"


def gives_reason(sentence: str) -> bool:
    """Whether ``sentence`` gives a reason ("because", "so that", "due to", "caused", "(illness)")."""
    return bool(REASON.search(sentence))


def asks_where(question: str) -> bool:
    """Whether the question asks for a place ("Where …?")."""
    return bool(re.match(r"\s*where\b", question, re.I))


def asks_why(question: str) -> bool:
    """Whether the question asks for a reason ("Why …?")."""
    return bool(re.match(r"\s*why\b", question, re.I))


def asks_person(question: str) -> bool:
    """Whether the question asks who someone is ("Who heads CNES?", "Whom should I contact?")."""
    return bool(re.match(r"^\s*(?:who|whom)\b", question, re.I))


_FUNDER_ASKED = re.compile(r"^\s*who(?:['’]s|\s+is|\s+are|\s+was|\s+were|\s+will)?\s+"
                           r"(?:paying|paid|pays|funding|funded|funds|financ\w*|sponsor\w*|bankroll\w*|gave|gives|giving|put\s+up)\b(?!.*\bif\b)",
                           re.I)  # "Who's paying for the trial?", "who gave the grant" (not "Who pays if …?")
_FUNDS = re.compile(r"\b(?:funded|financed|sponsored|paid\s+for|bankrolled|backed)\s+(?:\w+\s+){0,2}?by\b|"
                    r"\b(?:grants?|donations?|gifts?|contributions?|funding|loans?)\s+(?:\w+\s+){0,2}?from\b", re.I)


def asks_funder(question: str) -> bool:
    """Whether the question asks who pays for something ("Who's paying for the trial scheme?")."""
    return bool(_FUNDER_ASKED.match(question))


def names_funder(sentence: str) -> bool:
    """Whether ``sentence`` says who pays ("funded jointly by", "a £48,000 grant from the Strendle Foundation")."""
    return bool(_FUNDS.search(sentence))


# "Who runs the charity?" is answered by the person said to lead it ("Marisol Upjohn, director of Fixwell"), not by
# any person the document names.
_LEADER_ASKED = re.compile(r"^\s*who(?:['’]s|\s+is|\s+are|\s+was|\s+were|\s+will\s+be)?\s+(?:(?:in\s+)?charge|"
                           r"running|runs?|ran|heads?|headed|heading|leads?|led|leading|manages?|managed|managing|"
                           r"chairs?|chaired|chairing|oversees?|oversaw|the\s+(?:head|boss|leader|manager|director|"
                           r"chair\w*|chief|president|principal|lead))\b", re.I)
_LEADS = re.compile(r"\b(?:director|chief\s+executive|head\s+of|headteacher|head\s+teacher|chair(?:s|ed|man|woman|"
                    r"person)?|manager|managed\s+by|manages|leads|led\s+by|leader|runs|run\s+by|in\s+charge|"
                    r"president|principal|boss|chief)\b", re.I)
_BY_NAME = re.compile(r"\bby\s+(?:[a-z][\w-]*\s+){0,3}?[A-Z][\w'’-]+\s+[A-Z][\w'’-]+")  # "chaired by retired … Ann Lee"


def asks_leader(question: str) -> bool:
    """Whether the question asks who leads something ("Who's in charge of SkyComb?", "Who runs the library?")."""
    return bool(_LEADER_ASKED.match(question))


_LEADING = frozenset(content_tokens("charge running runs run ran heads head headed leads lead led manages manager "
                                    "managed chairs chair chaired oversees oversaw boss leader director chief"))


def led_topic(question: str) -> frozenset[str]:
    """What a question asking who leads something names (the stems of "library" in "Who runs the library?"),
    its words of leading left out; empty when it asks no such thing."""
    return frozenset(content_tokens(question)) - _LEADING if asks_leader(question) else frozenset()


def names_leader(sentence: str) -> bool:
    """Whether ``sentence`` says who leads something ("chaired by …", "Our manager, Wenna Trevarrick, …")."""
    return bool(_LEADS.search(sentence)) and (names_person(sentence) or bool(_BY_NAME.search(sentence)))


# "When do the new rules kick in?": a rule's start is said "takes effect on …", whose words the question lacks.
_RULES = (r"polic(?:y|ies)|rules?|regulations?|procedures?|guidance|changes?|limits?|ban|restrictions?|charges?|"
          r"prices?|fares?|fees?|rates?|tariffs?|allowances?|arrangements?|scheme|system|timetable|law|memo")
_STARTS = (r"kick(?:s|ing)?\s+in|come?s?\s+in|coming\s+in|come?s?\s+into\s+(?:force|effect|play)|take?s?\s+effect|"
           r"start(?:s|ing)?|begin(?:s|ning)?|appl(?:y|ies)|go(?:es)?\s+live|become?s?\s+(?:effective|valid)|"
           r"effective|in\s+force|change")
_EFFECT_ASKED = re.compile(rf"^\s*(?:from\s+|since\s+|as\s+of\s+)?(?:when|what\s+date|which\s+date|what\s+day)\b"
                           rf"(?=.*\b(?:{_RULES})\b).*\b(?:{_STARTS})\b", re.I)
_EFFECT = re.compile(r"\b(?:take[sn]?|taking|took)\s+effect\b|\beffective\s+(?:from|on|as\s+of)\b|"
                     r"\bc[oa]me?s?\s+into\s+(?:force|effect)\b|\bin\s+force\s+(?:from|on)\b|"
                     # "(effective 1 March 2025)", "applies to all staff from 3 March 2025"
                     rf"\b(?:effective:?|appl(?:y|ies)\b[^.;]{{0,80}}?\bfrom)\s+(?:\w+day,?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+"
                     rf"(?:{_MONTHS})\b", re.I)


def asks_effect(question: str) -> bool:
    """Whether the question asks when a rule starts to apply ("When does this policy come into force?")."""
    return bool(_EFFECT_ASKED.match(question))


def states_effect(sentence: str) -> bool:
    """Whether ``sentence`` says when something takes effect ("The revised rules take effect on 1 June.")."""
    return bool(_EFFECT.search(sentence))


# "How many villages …?" is answered by a number of villages ("14 villages"), not by any number ("2.8 kg").
_MODIFIERS = frozenset("new extra more additional different other separate individual free paid local young old "
                       "total actual full-time part-time".split())
_COUNT = re.compile(rf"(?<![\w.,]){_NO_YEAR}(?:\d[\d,.]*\d|\d|{_NUMBER_WORDS})"
                    r"((?:\s+[\w'’\-]+){1,3})", re.I)


def counted_noun(question: str) -> str | None:
    """What "How many …?" counts ("villages" in "How many villages are covered?"), or None."""
    m = re.match(r"\s*how\s+many\s+((?:[\w'’\-]+\s*){1,3})", question, re.I)
    if not m:
        return None
    return next((w.lower() for w in m.group(1).split() if w.lower() not in _MODIFIERS), None)


def counted_words(sentence: str) -> list[str]:
    """The words just after each count in ``sentence`` (up to three: "fourteen oak gates"), a year not a count."""
    return [w.lower() for m in _COUNT.finditer(sentence) for w in re.findall(r"[^\W\d_][\w'’\-]*", m.group(1))]


def bare_count(sentence: str) -> bool:
    """Whether a count of ``sentence`` names nothing after it ("six a day", "12 of them"): it may count anything."""
    return any((m.group(1).split() or [""])[0].lower() in _BARE for m in _COUNT.finditer(sentence))


_BARE = frozenset("a an per each every of and or to in on at for from by with than more is are was were".split())


def names_person(sentence: str) -> bool:
    """Whether ``sentence`` names a person in a recognisable way: a title before a name, a role beside it,
    a verb of saying after it."""
    return bool(_PERSON.search(sentence))


# The thing a question asks about ("What is the credit limit on the card?" → credit limit): a sentence that
# names the card but no limit, nor a paraphrase of it, does not answer. Read off the usual English shapes.
_VERBS = "is|are|was|were|does|do|did|will|can|has|have|should|would"
_NOUN = rf"(?!(?:{_VERBS}|i|you|he|she|it|we|they|there)\b)[\w\-]+"  # a word of the asked noun phrase
_ASKED = (
    re.compile(r"^(?:what|which) is (?:the |a |an )?(?:[\w\-]+ is )?(?P<f>[\w\-]+(?: [\w\-]+){0,2}?) "
               r"(?:of|for|on|in|at|to|under|with|per|does|do|did|is|are|was|were|that|between|behind|from)\b"),
    re.compile(r"^(?:what|which) is (?:the |a |an )?(?:[\w\-]+ ){0,2}[\w\-]+(?:'s|’s) "
               r"(?P<f>[\w\-]+(?: [\w\-]+){0,2}?)\W*$"),
    re.compile(rf"^(?:what|which) (?P<f>{_NOUN}(?: (?:and )?{_NOUN})?) (?:of [\w\-]+ )?(?:{_VERBS})\b"),
    re.compile(r"^who is (?:the |a |an )(?P<f>[\w\-]+(?: [\w\-]+){0,2}?) (?:of|for|at|in|on)\b"),
    re.compile(r"^how many (?P<f>[\w\-]+)"),
    re.compile(rf"^(?:is|are) there (?:a |an |any |some )?(?P<f>{_NOUN}(?: {_NOUN})?)"
               r"(?: (?:at|in|on|for|near|with)\b|\W*$)"),
    re.compile(rf"^(?:does|do) (?:the |a |an )?[\w\-]+(?: [\w\-]+)? have (?:a |an |any |some )?(?P<f>{_NOUN})\W*$"),
)
_NOT_ASKED = frozenset(
    "the a an of name names kind kinds type types sort part thing things one ones way ways main new best other "
    "last first next current exact total average and".split()
)


def type_named(word: str) -> str | None:
    """The answer type a word asking for one names ("deadline": a date, "fee": an amount), or None."""
    return _NAMED_TYPES.get(word.lower()) if word.lower() != "when" else None


def asked_for(question: str) -> tuple[str, ...]:
    """The words naming what the question asks about ("Which party does Mayor Dorn belong to?" → party), or ()
    when its shape does not say."""
    text = re.sub(r"\b(what|which|who)['’]s\b", r"\1 is", " ".join(question.lower().split()))
    text = re.sub(r"^(what|which|who) (?:are|was|were)\b", r"\1 is", text)
    for shape in _ASKED:
        m = shape.search(text)
        if m:
            return tuple(w for w in m.group("f").split() if w not in _NOT_ASKED)
    return ()


# A question about the memo, letter or article itself ("Who wrote the memo?", "What date is the email?") is
# answered by its header line ("From: …", "By …", "Date: …"), whose words share nothing with the question.
_LETTERS = r"memo|memorandum|e-?mail|letter|message|notice|circular|newsletter|press\s+release|announcement|bulletin"
_ARTICLES = r"article|story|news\s+story|report(?:age)?\s+piece|(?<=this )piece"  # not "the new piece" (music)
_THE = r"\b(?:the|this|that|your|our)\s+(?:[\w\-]+\s+){0,3}?"
_ISSUED = r"sent|written|issued|dated|published|circulated|released|put\s+out|came\s+out|sent\s+out|out"
# "When was the release put out?": a press release; "the release" alone may be a beaver release
_RELEASE_OUT = (r"\b(?:the|this)\s+(release)\s+(?:(?:was|is|been)\s+)?"
                r"(?:issued|published|circulated|put\s+out|sent\s+out)\b")
_ITSELF = (rf"(?:{_THE}(?:{_LETTERS}|{_ARTICLES})\b|\bthis\s+(?:(?:was|is)\s+)?(?:{_ISSUED})\b|"  # "when was this sent"
           rf"{_RELEASE_OUT})")
_BYLINE = r"by\s+(?:(?-i:[A-Z])\.\s*)*(?-i:[A-Z])[^.!?]*$"  # "By Ottoline Brisk, Transport Reporter"
_WRITER = re.compile(r"\b(?:wrote|written|writer|author|authored|penned)\b", re.I)
_WROTE = r"(?:who|whom)\b.*\b(?:wrote|writes|write|written|sent|sends|send|signed|issued|authored|from|by)\b"
# "When can journalists publish this?": a press release's embargo line
_EMBARGO_ASKED = re.compile(r"\bembargo|^\s*when\b(?=.*\b(?:can|could|may|allowed)\b)(?=.*\b(?:journalists?|"
                            r"press|media|reporters?|papers|newspapers|broadcasters?|editors?|this|it)\b)"
                            r".*\b(?:publish|print|report|run|broadcast|cover|share)\w*", re.I)
_HEADERS = (  # a letter's recipient is its "To:" line, its sender its "From:" line, an article's author its byline
    (re.compile(r"^(?:who|whom)\b.*\b(?:copied\s+(?:in|on|into)|cc|cc['’]?d|carbon[\s-]cop\w*)\b", re.I),
     re.compile(r"^cc\s*:", re.I)),  # "Who is copied in on this?": its "Cc:" line
    (_EMBARGO_ASKED, re.compile(r"^(?:.*\W)?embargo(?:ed)?\b", re.I)),  # "When can journalists publish this?"
    (re.compile(rf"^(?=.*{_ITSELF})(?:who|whom)\b.*\b(?:to|addressed|received|receives|recipients?)\b", re.I),
     re.compile(r"^to\s*:", re.I)),
    (re.compile(r"^\s*when\s+(?:was|were|did|has|have)\b.*\b(?:page|site|document|article|memo|notice|guide|this)\b"
                r".*\blast\b", re.I),  # "When was this page last changed?": its "Last updated …" line
     re.compile(r"^(?:.*\W)?(?:last\s+(?:updated|reviewed|checked|modified|edited|revised|changed)|"
                r"(?:updated|reviewed|revised)\s*:)", re.I)),
    (re.compile(rf"^(?=.*{_THE}(?:{_LETTERS})\b)(?:{_WROTE}|.*\b(?:author|sender|writer)\b)", re.I),
     re.compile(r"^(?:from|sender|author|written by)\s*:", re.I)),
    (re.compile(rf"^(?=.*{_THE}(?:{_ARTICLES})\b)(?:{_WROTE}|.*\b(?:author|reporter|writer|journalist)\b)|"
                r"^who(?:['’]s|\s+is|\s+was)\s+the\s+(?:reporter|journalist)\W*$", re.I),
     re.compile(rf"^(?:(?:author|written by)\s*:|{_BYLINE})", re.I)),
    (re.compile(rf"^(?=.*{_ITSELF})(?:when\b.*\b(?:{_ISSUED}|from)\b|what\s+(?:date|day)\b|.*\bdate\s+of\b)",
                re.I),
     re.compile(r"^(?!.*;\s+[\w ]{1,30}:)(?:(?:date|dated|sent|issued|published|"
                r"date\s+of\s+(?:issue|release|publication))\s*:|for (?:immediate )?release\b|"
                r"embargoed\b|(?:(?:(?!\.\s).){0,120}?\b)?(?:issued|published|dated|released)\s+(?:on\s+)?"
                r"\d{1,2}\s+[a-z]+\s+\d{4}\b|(?:[a-z][\w .'’-]{1,40},\s+)?(?:[a-z]+day\s+)?\d{1,2}\s+[a-z]+\s+\d{4}$|"
                r"[a-z]+\s+\d{1,2},\s+\d{4}$)", re.I)),  # not a table row; "Carrowmere, 19 May 2025" alone
    (re.compile(rf"^(?=.*{_ITSELF})what(?:['’]?s)?\b.*\b(?:about\W*$|(?:subject|topic)\b)", re.I),
     re.compile(r"^(?:subject|re)\s*:", re.I)),
    (re.compile(r"^(?:who\s+(?:wrote|authored|penned)\s+(?:this|it)|who(?:['’]s|\s+is)\s+the\s+(?:author|writer))\W*$",
                re.I),  # "Who wrote this?": a letter's sender or an article's byline, whichever the documents have
     re.compile(rf"^(?:(?:from|author|written by)\s*:|{_BYLINE})", re.I)),
)


def document_kind(question: str) -> str | None:
    """The kind of document a question about one names ("release" of "When was this press release put out?")."""
    m = re.search(rf"{_THE}({_LETTERS}|{_ARTICLES})\b|{_RELEASE_OUT}", question, re.I)
    return kind_of(m.group(1) or m.group(2)) if m else None


_KIND_WORD = re.compile(rf"\b(?:{_LETTERS}|{_ARTICLES}|(?:news|media|immediate)\s+release)\b", re.I)
_SAME_KIND = {"memorandum": "memo", "e-mail": "email", "story": "article", "piece": "article"}


def kind_of(word: str) -> str:
    """One name for a kind of document ("memo" of "memorandum", "release" of "press release")."""
    word = word.lower().split()[-1]
    return _SAME_KIND.get(word, word)


def kinds_named(head: str) -> set[str]:
    """The kinds of document the top of one names ("memo" of "MEMORANDUM To: …", "release" of "NEWS RELEASE")."""
    return {kind_of(m.group(0)) for m in _KIND_WORD.finditer(head)}


def asks_writer(question: str) -> bool:
    """Whether a question about the document asks who wrote it: an article's byline answers before a memo's
    "From:" line ("Who wrote this?": an article is written by its reporter, a memo sent by its sender)."""
    return bool(_WRITER.search(question))


def is_byline(line: str) -> bool:
    """Whether ``line`` is an article's byline ("By Ottoline Brisk, Transport Reporter")."""
    return bool(re.match(_BYLINE, line, re.I))


def header_asked(question: str) -> re.Pattern | None:
    """The header line that a question about the document itself asks for ("From: …" for "Who sent this
    memo?"), or None."""
    text = " ".join(question.split())
    return next((line for asks, line in _HEADERS if asks.search(text)), None)


def answers_header(question: str, sentence: str) -> bool:
    """Whether ``sentence`` is the header line that ``question``, about the document itself, asks for."""
    line = header_asked(question)
    return bool(line and line.match(sentence))


# Closed sets of cases a question names one of ("on Saturdays", "in summer", "a yellow warning"): a sentence
# naming another of the same set and not the question's answers a sibling case, not the one asked about.
_CASES = (
    {d: {d} for d in _WEEK} | {"weekday": set(_WEEK[:5]), "weekend": set(_WEEK[5:])},
    {s: {s} for s in ("spring", "summer", "autumn", "winter")},
    {c: {c} for c in ("red", "amber", "yellow", "green", "blue", "orange", "purple", "black", "white", "grey",
                      "pink", "brown")},
)
_CASE_WORD = re.compile(r"[a-z]+")
_DAY_RANGE = re.compile(rf"\b({_DAYS})s?\s*(?:to|-|–|until|till|and)\s*({_DAYS})s?\b")


def _cases(text: str, cases: dict[str, set[str]]) -> set[str]:
    """The members of one closed set that ``text`` names (days, with the days of a range and of "weekend")."""
    found: set[str] = set()
    for word in _CASE_WORD.findall(text):
        word = word.removesuffix("s") if word.removesuffix("s") in cases else word
        found |= cases.get(word, set())
    if "monday" in cases:
        for a, b in _DAY_RANGE.findall(text):
            i, j = _WEEK.index(a), _WEEK.index(b)
            found |= set(_WEEK[i:j + 1] if i <= j else _WEEK[i:] + _WEEK[:j + 1])
    return found


def asks_yes_no(question: str) -> bool:
    """Whether the question asks yes or no ("Can we bring a dog?", "Is parking free?")."""
    return bool(re.match(rf"\W*(?:{_AUXILIARIES})\b", question, re.I))


_WHOSE = re.compile(r"\b([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)+)['’]s\b")  # "Thaddeus Drury’s"


def others_contact(question: str, sentence: str) -> bool:
    """Whether a question for a named person's contact ("What's Thaddeus Drury’s extension?") meets a sentence
    that never names them (another person's extension, the press office's e-mail)."""
    whose = _WHOSE.search(question) if expected_type(question) == CONTACT else None
    if whose is None:
        return False
    return not any(re.search(rf"\b{re.escape(part)}\b", sentence) for part in whose.group(1).split() if len(part) > 2)


_THE_ROLE = rf"(?:the|your|our|their|his|her|its|this|that)\s+(?:[\w\-’']+\s+){{0,3}}?(?:{_ROLES})"
_WHICH_PERSON = re.compile(  # "Which councillor …?", "Which union rep …?", "What's the cover manager's name?"
    rf"^\s*(?:(?:which|what)\s+(?:(?!(?:{_AUXILIARIES})\b)[\w\-]+\s+)?(?:{_ROLES}|rep)s?\b(?!\s+(?:of|for)\b)|"
    rf"what(?:['’]?s|\s+is|\s+was)\s+(?:the\s+)?names?\s+of\s+{_THE_ROLE}\b|"
    rf"what(?:['’]?s|\s+is|\s+was)\s+{_THE_ROLE}['’]s?\s+names?\b|"
    rf"who(?:['’]s|\s+is|\s+was)\s+{_THE_ROLE}\b(?!s))", re.I)  # "Who is the part-time coordinator?"


def unnamed_person(question: str, sentence: str) -> bool:
    """Whether a question for a person ("Which councillor abstained?", "Who is the site manager?", "What's the
    cover manager's name?") meets a sentence naming nobody ("… with one abstention"; "which": 29 sets +1
    unanswerable declined, none lost; the other shapes: 42 sets +1 declined, none lost)."""
    return bool(_WHICH_PERSON.match(question)) and not re.search(_NAME, sentence) and not _PERSON.search(sentence)


# "Which three river catchments …?", "Which libraries …?": the things asked for by name, and a sentence that only counts
# them ("across three catchments", "in 12 libraries") names none (42 sets: +9 declined, no answerable question met)
_WHICH_THINGS = re.compile(rf"^\s*(?:which|what)\s+(?:(?:\d+|{_NUMBER_WORDS}|other|main|new)\s+)?(?:[a-z\-]+\s+)?"
                           r"([a-z\-]{3,}s)\b", re.I)
_NOT_THINGS = frozenset("days times hours years months weeks dates kinds types sorts ones things items parts".split())
_COUNTED = re.compile(rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS}|several|many|some|few|both)\s+(?:[a-z\-]+\s+)?$", re.I)
_NAMED_AFTER = re.compile(rf"^\W*(?:\w+\W+){{0,12}}?(?:(?!(?:{_CALENDAR_NAMES})\b)[A-Z][a-z]|including\b|such as\b|"
                          r"namely\b)|^[^.;]*:")


def counted_only(question: str, sentence: str) -> bool:
    """Whether "Which X …?" meets a sentence that names X only with a count before it and no name after it."""
    m = _WHICH_THINGS.match(question)
    if m is None or m.group(1).lower() in _NOT_THINGS:
        return False
    found = list(re.finditer(rf"\b{re.escape(m.group(1)[:-1])}s?\b", sentence, re.I))
    return bool(found) and all(_COUNTED.search(sentence[max(0, f.start() - 30):f.start()])
                               and not _NAMED_AFTER.search(sentence[f.end():]) for f in found)


def other_case(question: str, sentence: str) -> bool:
    """Whether ``sentence`` names another day, season or colour than the one ``question`` asks about and not
    that one ("When do the summer term courses start?" against "Spring term courses start …"); never for a
    yes/no question, which such a sentence may answer."""
    q, s = " ".join(question.lower().split()), sentence.lower()
    if re.search(rf"(?:^|[?.!]\s+)(?:{_AUXILIARIES}|are|is|can)\b", q):  # "Open on Sundays?" "Monday to Friday": no
        return False
    for cases in _CASES:
        asked, named = _cases(q, cases), _cases(s, cases)
        if asked and named and not asked & named:
            return True
    return _other_label(question, sentence)


# A thing told apart by a letter or number ("Shelter A", "Car Park C", "Year 9", "Flex 8"); the label is read in the
# sentence after the same noun, with lists and ranges ("Shelters B and C", "Years 7–9", "Bands 5-7"; 42 sets: +3
# declined, 1 answer lost near the threshold).
_LABELLED = re.compile(r"\b([A-Za-z][a-z]{2,})\s+([A-HJ-Z]|\d{1,3})\b(?![.,:/]?\d|\s*(?:%|per\b|am\b|pm\b))")
_NOT_LABELLED = frozenset(_MONTH_NAMES) | frozenset(_WEEK) | frozenset(
    "aged age ages over under about around after before until till from to and the of in on at by for with than "
    "page pages step steps section sections paragraph item items number top first last only just plus "
    "costs cost pay pays paid get gets got have has had take takes took".split())
_LABEL_RUN = r"(?:[A-HJ-Z]|\d{1,3})(?:\s*(?:,|and|or|to|-|–|—)\s*(?:[A-HJ-Z]|\d{1,3}))*"


def _other_label(question: str, sentence: str) -> bool:
    """Whether ``sentence`` labels the noun ``question`` labels ("What time does Shelter A get locked?") with
    other labels only ("Shelter B is locked at 9pm")."""
    for m in _LABELLED.finditer(question):
        noun, label = m.group(1).lower(), m.group(2)
        if noun in _NOT_LABELLED or (label.isalpha() and m.start() == 0):
            continue
        stem = noun.removesuffix("s")
        named = set()
        for run in re.finditer(rf"(?i:\b{re.escape(stem)}(?:s|es)?)\s+({_LABEL_RUN})\b", sentence):
            labels = re.findall(r"[A-HJ-Z]|\d{1,3}", run.group(1))
            named |= set(labels)
            for a, b in re.findall(r"(\d{1,3})\s*(?:to|-|–|—)\s*(\d{1,3})", run.group(1)):
                named |= {str(n) for n in range(int(a), int(b) + 1)}
        if named and label not in named:
            return True
    return False


ANSWER_TYPES = (MONEY, QUANTITY, DATE, CONTACT)  # a question's answer type as a number: its position, -1 for none
QUESTION_WORDS = ("who", "what", "which", "when", "where", "why", "how much", "how many", "how long", "how")
_QUESTION_WORD = re.compile(r"\b(" + "|".join(QUESTION_WORDS) + r")\b")


def question_shape(question: str) -> tuple[float, float, float, float]:
    """The question's shape as numbers, for the trees that read evidence by kind: its question word and the
    answer type it asks for (positions in ``QUESTION_WORDS`` and ``ANSWER_TYPES``, -1 for none), whether it
    asks yes or no, and its number of content words."""
    word = _QUESTION_WORD.search(question.lower())
    kind = expected_type(question)
    return (float(QUESTION_WORDS.index(word.group(1)) if word else -1),
            float(ANSWER_TYPES.index(kind) if kind in ANSWER_TYPES else -1),
            float(asks_yes_no(question)), float(len(content_tokens(question))))
