#!/usr/bin/env python3
"""Consistency check for the unseen2 question set (standard library only).

Adapted from unseen/check.py (itself adapted from docs-dev/check.py).
Documents are read from source/.  HTML documents (.html/.htm) are checked
against their visible text: tags are stripped with html.parser, <script> and
<style> contents are dropped, character references are decoded, and block
elements (<p>, <li>, <h1>-<h6>, <td>, <th>, <tr>, <title>, <br>, and the
container elements <div>, <ul>, <ol>, <table>, <header>, <footer>, <nav>,
<main>, <section>, <article>) are line and sentence boundaries: every block
becomes its own paragraph.  If the shared source folder of the product exists,
its documents are also used for the "no other document" test (they need no
questions).

Usage: python3 check.py            (run from anywhere)

Checks:
  * every row has the required fields with the right types, ids are unique;
  * every `doc` exists under source/;
  * unanswerable rows have expect == [];
  * for answerable rows, each expect string (whitespace collapsed) occurs in
    the document (whitespace collapsed), lies inside ONE sentence, occurs in
    only one sentence of the document, and all expect strings of a row lie in
    the same sentence;
  * conversation turns are numbered 1..n (n >= 2), share one doc and are all
    answerable;
  * at most a quarter of the single answerable questions of a document repeat
    a phrase of three or more words from the answering sentence;
  * expect strings do not occur (case-insensitively) in any other document
    (the other documents of source/ and those of the shared source folder);
  * an optional `short` field is a non-empty string on an answerable row that
    lies inside the answering sentence;
  * ids of a document share one prefix.
Exits with status 1 if anything is wrong.
"""
import collections
import html.parser
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "source")
SHARED_CANDIDATES = [os.path.normpath(os.path.join(HERE, "..", "..", "shared", "source")),
                     "/work/shared/source", "/work/main/../shared/source"]
SHARED = next((d for d in SHARED_CANDIDATES if os.path.isdir(d)), None)
QUESTIONS = os.path.join(HERE, "questions.jsonl")

REQUIRED = {"id": str, "doc": str, "question": str, "expect": list, "answerable": bool}
ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "e.g", "i.e", "etc", "vs", "no", "approx", "ca"}
STOPWORDS = set("""a an the of to in on at for and or is are was were be by with from it its this that
do does did i my me you your we our they their he she his her what which who when where how why
can will would should may much many any there than as if not""".split())
LIST_START = re.compile(r"^\s*(?:[-*+]\s|#|\d+[.)]\s)")
WRAP_MIN = 70  # a line at least this long that is followed by text is taken as hard-wrapped


BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "title", "br",
              "div", "ul", "ol", "table", "header", "footer", "nav", "main", "section", "article",
              "blockquote", "dt", "dd", "caption", "figcaption", "hr"}
SKIP_TAGS = {"script", "style", "template", "noscript"}


class _Visible(html.parser.HTMLParser):
    """Collects the visible text of an HTML page, one block element per paragraph."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.cur, self.skip = [], [], 0

    def _flush(self):
        text = collapse("".join(self.cur))
        if text:
            self.blocks.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)

    def close(self):
        super().close()
        self._flush()


def visible_text(name, text):
    """Plain text of a document: HTML is reduced to its visible text, blocks separated by blank lines."""
    if not name.lower().endswith((".html", ".htm")):
        return text
    parser = _Visible()
    parser.feed(text)
    parser.close()
    return "\n\n".join(parser.blocks) + "\n"


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def units(text):
    """Blocks of text: paragraphs (hard-wrapped lines joined), list items, headings, short lines."""
    out, cur, prev_len = [], [], 0
    for line in text.splitlines():
        if not line.strip():
            if cur:
                out.append(" ".join(cur))
            cur, prev_len = [], 0
            continue
        if cur and prev_len >= WRAP_MIN and not LIST_START.match(line):
            cur.append(line)
        else:
            if cur:
                out.append(" ".join(cur))
            cur = [line]
        prev_len = len(line)
    if cur:
        out.append(" ".join(cur))
    return [collapse(u) for u in out if u.strip()]


def split_sentences(unit):
    """Rough sentence split on . ! ? (plus closing quotes) followed by whitespace."""
    sents, start = [], 0
    for m in re.finditer(r"[.!?][\"”’)\]]*\s+", unit):
        if unit[m.start()] == ".":
            before = unit[start:m.start()].split()
            word = before[-1].lstrip("(“\"'‘").lower() if before else ""
            if word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
                continue
            if len(before) == 1 and word.isdigit():  # "1. Booking": list/section number
                continue
        sents.append(unit[start:m.end()].strip())
        start = m.end()
    rest = unit[start:].strip()
    if rest:
        sents.append(rest)
    return sents


def words(s):
    return re.findall(r"[0-9a-z]+(?:[.,'’][0-9a-z]+)*", s.lower())


def longest_shared_phrase(question, sentence):
    """Longest run of consecutive words shared by question and sentence (not only stopwords)."""
    q, s = words(question), words(sentence)
    best = []
    for i in range(len(q)):
        for j in range(len(s)):
            k = 0
            while i + k < len(q) and j + k < len(s) and q[i + k] == s[j + k]:
                k += 1
            if k > len(best) and any(w not in STOPWORDS for w in q[i:i + k]):
                best = q[i:i + k]
    return best


def main():
    errors, notes = [], []
    rows = []
    with open(QUESTIONS, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append((n, json.loads(line)))
            except json.JSONDecodeError as e:
                errors.append(f"line {n}: invalid JSON ({e})")

    docs, extra = {}, {}
    paths = {name: os.path.join(SOURCE, name) for name in sorted(os.listdir(SOURCE))}
    if SHARED:
        for name in sorted(os.listdir(SHARED)):
            if name not in paths:
                extra[name] = os.path.join(SHARED, name)
    for name, path in sorted(list(paths.items()) + list(extra.items())):
        with open(path, encoding="utf-8") as f:
            text = visible_text(name, f.read())
        sents = [s for u in units(text) for s in split_sentences(u)]
        entry = {"flat": collapse(text), "sents": sents,
                 "low": collapse(text).lower(), "lsents": [s.lower() for s in sents]}
        if name in paths:
            docs[name] = entry
            notes.append(f"{name}: {len(sents)} sentence-like segments, {len(text.split())} words")
        else:
            extra[name] = entry
            notes.append(f"{name} (shared, for the cross-document test only)")

    seen = set()
    convs = collections.defaultdict(list)
    counts = collections.defaultdict(collections.Counter)
    reuse = collections.defaultdict(list)
    prefixes = collections.defaultdict(set)
    shorts = collections.Counter()

    for n, r in rows:
        where = f"line {n} ({r.get('id', '?')})"
        bad = False
        for field, typ in REQUIRED.items():
            if field not in r:
                errors.append(f"{where}: missing field '{field}'")
                bad = True
            elif not isinstance(r[field], typ):
                errors.append(f"{where}: field '{field}' should be {typ.__name__}")
                bad = True
        if bad:
            continue
        if r["id"] in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(r["id"])
        prefixes[r["doc"]].add(re.sub(r"\d+$", "", r["id"]))
        if not r["question"].strip():
            errors.append(f"{where}: empty question")
        if r["doc"] not in docs:
            errors.append(f"{where}: unknown doc '{r['doc']}'")
            continue
        if ("conv" in r) != ("turn" in r):
            errors.append(f"{where}: 'conv' and 'turn' must appear together")
        if "conv" in r:
            if not isinstance(r["conv"], str) or not isinstance(r["turn"], int):
                errors.append(f"{where}: 'conv' must be a string and 'turn' an integer")
            else:
                convs[r["conv"]].append(r)

        doc = docs[r["doc"]]
        kind = "conv turn" if "conv" in r else ("answerable" if r["answerable"] else "unanswerable")
        counts[r["doc"]][kind] += 1

        if "short" in r and (not r["answerable"] or not isinstance(r["short"], str)
                             or not r["short"].strip()):
            errors.append(f"{where}: 'short' must be a non-empty string on an answerable row")
        if not r["answerable"]:
            if r["expect"]:
                errors.append(f"{where}: unanswerable row must have expect == []")
            continue
        if not r["expect"]:
            errors.append(f"{where}: answerable row needs at least one expect string")
            continue

        common = None
        for e in r["expect"]:
            if not isinstance(e, str) or not e.strip():
                errors.append(f"{where}: expect entries must be non-empty strings")
                common = set()
                continue
            ec = collapse(e)
            if ec not in doc["flat"]:
                errors.append(f"{where}: expect {e!r} not found in {r['doc']}")
                common = set()
                continue
            el = ec.lower()
            hits = {i for i, s in enumerate(doc["sents"]) if ec in s}
            lhits = {i for i, s in enumerate(doc["lsents"]) if el in s}
            if not hits:
                errors.append(f"{where}: expect {e!r} crosses a sentence boundary")
            elif len(lhits) > 1 or doc["low"].count(el) > 1:
                errors.append(f"{where}: expect {e!r} is ambiguous (in {len(lhits)} sentences, "
                              f"{doc['low'].count(el)} times in the document, ignoring case)")
            others = [d for d in list(docs) + list(extra)
                      if d != r["doc"] and el in (docs.get(d) or extra[d])["low"]]
            if others:
                errors.append(f"{where}: expect {e!r} also occurs in {others}")
            common = hits if common is None else common & hits
        if common is not None and not common and len(r["expect"]) > 1:
            errors.append(f"{where}: expect strings are not all in the same sentence")

        if "short" in r and isinstance(r["short"], str) and r["short"].strip() and common:
            shorts[r["doc"]] += 1
            sentence = doc["sents"][min(common)]
            if collapse(r["short"]) not in sentence:
                errors.append(f"{where}: short {r['short']!r} is not in the answering sentence")

        if "conv" not in r and common:
            sentence = doc["sents"][min(common)]
            phrase = longest_shared_phrase(r["question"], sentence)
            if len(phrase) >= 3:
                reuse[r["doc"]].append(f"{r['id']}: '{' '.join(phrase)}'")

    for cid, turns in sorted(convs.items()):
        nums = sorted(t["turn"] for t in turns)
        if nums != list(range(1, len(nums) + 1)) or len(nums) < 2:
            errors.append(f"conv {cid}: turns should be numbered 1..n with n >= 2, got {nums}")
        if len({t["doc"] for t in turns}) != 1:
            errors.append(f"conv {cid}: turns refer to different documents")
        if not all(t["answerable"] for t in turns):
            errors.append(f"conv {cid}: every turn should be answerable")

    for doc_name, p in sorted(prefixes.items()):
        if len(p) != 1:
            errors.append(f"{doc_name}: ids use several prefixes {sorted(p)}")

    for doc_name, c in sorted(counts.items()):
        single = c["answerable"]
        flagged = reuse.get(doc_name, [])
        if single and len(flagged) * 4 > single:
            errors.append(f"{doc_name}: {len(flagged)} of {single} single questions repeat a "
                          f"3+ word phrase of the answer sentence (max a quarter): {flagged}")

    print("Documents")
    for line in notes:
        print("  " + line)
    print("Rows per document")
    total = collections.Counter()
    for doc_name, c in sorted(counts.items()):
        conv_ids = {r["conv"] for _, r in rows if r.get("doc") == doc_name and "conv" in r}
        print(f"  {doc_name}: {c['answerable']} answerable, {c['unanswerable']} unanswerable, "
              f"{c['conv turn']} conversation turns in {len(conv_ids)} conversations "
              f"= {sum(c.values())} rows; {shorts[doc_name]} with 'short'")
        total.update(c)
    print(f"  total: {sum(total.values())} rows ({total['answerable']} answerable, "
          f"{total['unanswerable']} unanswerable, {total['conv turn']} conversation turns)")
    print("Single questions that repeat a 3+ word phrase of their answer sentence")
    for doc_name in sorted(counts):
        print(f"  {doc_name}: {reuse.get(doc_name) or 'none'}")
    for docs_missing in sorted(set(docs) - set(counts)):
        errors.append(f"document {docs_missing} has no questions")

    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
