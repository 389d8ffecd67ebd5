"""``qabot bench calibrate``: fit the decline model (boosted trees over ``decline.FEATURES``).

``--users`` fits it on users' questions: every turn of every development set (``weights.question_sets``:
paraphrases, short forms, typos; conversations asked in order), answered as the bot answers them and
labelled answerable or not, plus a sample of the other sets' answerable questions asked of each set's
documents as off-topic rows (weighted ``OFF_TOPIC_WEIGHT``: users rarely ask another domain's questions,
but a question sharing a few words with the documents must still be seen declined). Each set's figures
come from a model fitted on rows that involve neither its documents nor its questions, and the threshold
is chosen on those left-out figures.

Without ``--users`` it fits on ReQA SQuAD, one article at a time: each article stands in for a user's
document, its own questions answerable, the same questions with their answer sentences removed
in-scope but unanswered, questions from other articles out of scope. SQuAD questions borrow their
sentence's words, users paraphrase: every answerable and answer-removed question is also asked reworded,
a third of its content words swapped for words no document holds (its vector unchanged, as a paraphrase
keeps the meaning). The model is fitted on half of the articles and its threshold chosen there; the
figures are reported on the other half.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import numpy as np

from bot.benchmarks.trees import exported_trees, fit_trees
from bot.documents.clauses import clauses_of
from bot.ranking.decline import FEATURES, MODEL_FILE, WordMatcher, features
from bot.ranking.lexical import content_tokens
from bot.ranking.retrieval import Retriever
from bot.store.indexer import Clauses, Indexer

PER_DOCUMENT = 40
REWORDED = 1 / 3  # share of a question's content words that a rewording replaces
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
WINDOW = 25
WINDOWS_PER_ARTICLE = 2
KINDS = ("answerable", "answerable, reworded", "gold removed", "gold removed, reworded", "off-topic")


def documents(data, rng: random.Random) -> list[tuple[str, int, int]]:
    """Stand-in documents: each whole article, and windows of ``WINDOW`` sentences of it."""
    out, start = [], 0
    for doc, units in data.units_by_doc.items():
        out.append((doc, start, start + len(units)))
        chunks = [(lo, min(lo + WINDOW, len(units))) for lo in range(0, len(units) - WINDOW // 2, WINDOW)]
        for lo, hi in rng.sample(chunks, min(WINDOWS_PER_ARTICLE, len(chunks))):
            out.append((doc, start + lo, start + hi))
        start += len(units)
    return out


def document_rows(data, embedder, vectors: np.ndarray, qvecs: np.ndarray, clauses: Clauses, seed: int = 0):
    """(article, features, label, kind) for sampled questions asked of every stand-in document."""
    rng = random.Random(seed)
    position = {sid: i for i, sid in enumerate(data.ids)}
    doc_of = data.doc_of
    indexer = Indexer(embedder)
    matcher = WordMatcher(embedder)
    first = {doc: doc_of.index(doc) for doc in data.units_by_doc}
    rows = []
    spans = documents(data, rng)
    for n, (doc, lo, hi) in enumerate(spans):
        inside = [qi for qi, q in enumerate(data.questions) if lo <= position[q["answers"][0]] < hi]
        outside = [qi for qi, q in enumerate(data.questions) if doc_of[position[q["answers"][0]]] != doc]
        mine = rng.sample(inside, min(PER_DOCUMENT, len(inside)))
        others = rng.sample(outside, min(PER_DOCUMENT, len(outside)))
        full = _retriever(indexer, data, doc, lo - first[doc], lo, hi, vectors, clauses, set())
        for qi, label, kind in [(qi, 1, "answerable") for qi in mine] + [(qi, 0, "off-topic") for qi in others]:
            ranking = full.rank_vectors([data.questions[qi]["question"]], qvecs[qi : qi + 1])[0]
            rows.append((doc, features(ranking, full.top_text(ranking), matcher, _document(full, ranking)), label,
                         kind))
        for qi in mine:
            question, qvec = data.questions[qi]["question"], qvecs[qi : qi + 1]
            reworded = reword(question, rng)
            removed = {position[a] - lo for a in data.questions[qi]["answers"] if lo <= position[a] < hi}
            partial = _retriever(indexer, data, doc, lo - first[doc], lo, hi, vectors, clauses, removed)
            for retriever, text, label, kind in [(partial, question, 0, "gold removed"),
                                                 (full, reworded, 1, "answerable, reworded"),
                                                 (partial, reworded, 0, "gold removed, reworded")]:
                ranking = retriever.rank_vectors([text], qvec)[0]
                found = features(ranking, retriever.top_text(ranking), matcher, _document(retriever, ranking))
                rows.append((doc, found, label, kind))
        print(f"\rdocuments {n + 1}/{len(spans)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return rows


def _document(retriever, ranking) -> str:
    """The text of the top sentence's document ('' when nothing ranked)."""
    return retriever.joined(retriever.unit(ranking.hits[0].unit).doc) if ranking.hits else ""


def reword(question: str, rng: random.Random) -> str:
    """``question`` with ``REWORDED`` of its content words (at least one) replaced by words of no document."""
    words = [m for m in _WORD.finditer(question) if content_tokens(m.group())]
    if not words:
        return question
    chosen = sorted(rng.sample(words, max(1, round(len(words) * REWORDED))), key=lambda m: m.start())
    out, at = [], 0
    for i, match in enumerate(chosen):
        out += [question[at : match.start()], "qzx" + "abcdefghij"[i % 10]]
        at = match.end()
    return "".join(out) + question[at:]


def _retriever(indexer, data, doc, offset, lo, hi, vectors, clauses: Clauses, removed: set[int]) -> Retriever:
    """A retriever over corpus sentences ``lo:hi`` (``offset`` onwards in ``doc``), less the ``removed`` ones
    (positions from ``lo``), with their clauses as the product would index them."""
    keep = [i for i in range(hi - lo) if i not in removed]
    units = [data.units_by_doc[doc][offset + i] for i in keep]
    meta = {doc: {"sha256": "", "kind": "units", "title": doc}}
    owner, clause_vectors = clauses
    at = np.full(hi - lo, -1)
    at[keep] = np.arange(len(keep))
    first, last = np.searchsorted(owner, [lo, hi])
    local = at[owner[first:last] - lo]
    mine = (local[local >= 0], clause_vectors[first:last][local >= 0])
    index = indexer.assemble({doc: units}, {doc: vectors[lo:hi][keep]}, meta, {doc: mine})
    return Retriever(index, indexer.embedder)


def _embeddings(data, embedder, cache: Path | None) -> tuple[np.ndarray, np.ndarray, Clauses]:
    """Corpus, question and clause vectors, kept in ``cache`` (keyed by model and texts) between runs."""
    import hashlib

    texts = [u.text for units in data.units_by_doc.values() for u in units]
    questions = [q["question"] for q in data.questions]
    owned, parts = clauses_of(texts)
    owner = np.array(owned, np.int64)
    key = hashlib.sha256((embedder.fingerprint + "\n".join(texts + questions + parts)).encode()).hexdigest()[:16]
    path = cache / f"reqa-{key}.npz" if cache else None
    if path and path.exists():
        saved = np.load(path, allow_pickle=False)
        return saved["corpus"], saved["questions"], (owner, saved["clauses"])
    vectors = embedder.encode_documents(texts + parts, progress=True)
    qvecs = embedder.encode_queries(questions)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, corpus=vectors[: len(texts)], questions=qvecs, clauses=vectors[len(texts) :])
    return vectors[: len(texts)], qvecs, (owner, vectors[len(texts) :])


def exported(model, threshold: float) -> dict:
    """A fitted classifier as ``decline_model.json`` holds it (``DeclineModel.load`` reads it back)."""
    return {**exported_trees(model, FEATURES), "threshold": threshold}


def trade_off(p: np.ndarray, y: np.ndarray, thresholds) -> list[dict]:
    """Decline recall and false refusal rate at each threshold."""
    return [{"threshold": float(t), "decline_recall": float((p[y == 0] < t).mean()),
             "false_refusal_rate": float((p[y == 1] < t).mean())} for t in thresholds]


def choose_threshold(p: np.ndarray, y: np.ndarray, max_false_refusal: float = 0.05) -> float:
    """The highest threshold whose false refusal rate stays within ``max_false_refusal``."""
    grid = np.round(np.arange(0.01, 0.99, 0.01), 2)
    ok = [t for t in grid if (p[y == 1] < t).mean() <= max_false_refusal]
    return float(max(ok)) if ok else 0.01


# The left-out refusal rate the threshold keeps to: the rate of the logistic model these trees replaced, on the same
# rows (every turn of 34 sets, 2026-12-01: it refused 0.065 and declined 0.467 of unanswerable questions; the trees,
# left out, 0.070 and 0.528).
MAX_FALSE_REFUSAL = 0.07
OFF_TOPIC = 150  # other sets' answerable questions asked of each set's documents
OFF_TOPIC_WEIGHT = 0.1  # 0: more in-scope questions declined, fewer off-topic (0.58 / 0.49 against 0.53 / 0.63)
UserRow = tuple[str, str, list[float], float, str, np.ndarray]  # documents' and questions' set, features, label,
# kind, the question's vector


def user_rows(args) -> list[UserRow]:
    """Every question of the user-style sets (``weights.question_sets``; a conversation's turns asked in
    order), answered as the bot answers them and labelled answerable or not; plus, as off-topic rows,
    ``OFF_TOPIC`` of the other sets' answerable single questions and first turns asked of each set's
    documents."""
    from bot.answering.pipeline import Bot
    from bot.benchmarks.trees import UNDECIDED, answered
    from bot.benchmarks.weights import question_sets

    sets = question_sets(args, answerable_only=False, follow_ups=True)
    rng = random.Random(7)
    rows: list[UserRow] = []
    for name, (folder, items) in sets.items():
        bot = Bot(source=folder, index=Path(args.index or "runs/calibrate-index") / name, decline=UNDECIDED)
        others = [(origin, it) for origin, (_, rows_of) in sets.items() if origin != name
                  for it in rows_of if it.get("answerable") and (it.get("turn") or 0) <= 1]
        off_topic = rng.sample(others, min(OFF_TOPIC, len(others)))
        asked = [((name, it), r) for it, r in answered(bot, items)]
        asked += zip(off_topic, bot.answer_many([it["question"] for _, it in off_topic])[1])
        bot.word_matcher.prepare_many([(r, bot.retriever.top_text(r)) for _, r in asked if r])
        for (origin, it), ranking in asked:
            if ranking is None or ranking.placed:  # a rule answered it: the model is not asked
                continue
            kind = ("answerable" if it.get("answerable") else "unanswerable") if origin == name else "off-topic"
            rows.append((name, origin, features(ranking, bot.retriever.top_text(ranking), bot.word_matcher,
                                                _document(bot.retriever, ranking)),
                         float(kind == "answerable"), kind, ranking.vector))
        print(f"\r{name}: {len(asked)} questions", end="", file=sys.stderr)
    print(file=sys.stderr)
    return rows


def fit_users(args) -> dict:
    """The model fitted on users' questions. Each set's figures come from a fit on rows that involve neither
    its documents nor its questions; the threshold is the best balance of those left-out figures with false
    refusals within ``MAX_FALSE_REFUSAL`` (``balanced_threshold``); the installed model is fitted on all."""
    rows = user_rows(args)
    docs, origin = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    x, y, kinds = np.array([r[2] for r in rows]), np.array([r[3] for r in rows]), np.array([r[4] for r in rows])
    names = sorted(set(docs))
    if len(names) < 3:
        raise SystemExit("calibrate --users: each set is scored by a model fitted on the others, so it needs three "
                         "sets or more (tests/data and ../shared/eval beside the clone)")
    weight = np.where(kinds == "off-topic", OFF_TOPIC_WEIGHT, 1.0)
    vectors = np.array([r[5] for r in rows])
    x[:, FEATURES.index("prior")] = prior_left_out(docs, origin, vectors, y)
    left_out = np.zeros(len(rows))
    for name in names:
        fit_on, scored = (docs != name) & (origin != name), docs == name
        left_out[scored] = fit_trees(x[fit_on], y[fit_on], weight[fit_on]).predict_proba(x[scored])[:, 1]
    own = origin == docs
    threshold = balanced_threshold(left_out[own], y[own], MAX_FALSE_REFUSAL)
    per_set = {name: {kind: {"n": int(((docs == name) & (kinds == kind)).sum()),
                             "declined": float((left_out[(docs == name) & (kinds == kind)] < threshold).mean())}
                      for kind in ("answerable", "unanswerable", "off-topic")} for name in names}
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    prior = fit_prior(vectors[own], y[own])
    return {"fitted_on": "users' questions", **exported(fit_trees(x, y, weight), threshold),
            "prior": [float(w) for w in prior.coef_[0]] + [float(prior.intercept_[0])], "left_out": per_set,
            "curve": trade_off(left_out[own], y[own], grid)}


def fit_prior(vectors: np.ndarray, y: np.ndarray):
    """``DeclineModel.question_prior``'s logistic model: questions' vectors labelled answerable or not."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=3000, class_weight="balanced").fit(vectors, y)


def prior_left_out(docs: np.ndarray, origin: np.ndarray, vectors: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each row's question prior from a model fitted on the questions of the other sets than its documents' and
    its question's (their own questions asked of their own documents), as the trees then read it."""
    own = docs == origin
    out = np.zeros(len(y))
    for name in sorted(set(docs)):
        for other in sorted(set(origin[docs == name])):
            fit_on, scored = own & (docs != name) & (docs != other), (docs == name) & (origin == other)
            if len(set(y[fit_on])) == 2:
                out[scored] = fit_prior(vectors[fit_on], y[fit_on]).decision_function(vectors[scored])
    return out


def balanced_threshold(p: np.ndarray, y: np.ndarray, max_false_refusal: float = 0.05) -> float:
    """Of the thresholds keeping false refusals within ``max_false_refusal``, the one declining the most
    unanswerable questions for the fewest refusals (highest difference; the middle one on a tie, as far as
    can be from either side's questions)."""
    grid = np.round(np.arange(0.01, 0.99, 0.01), 2)
    scored = {float(t): (p[y == 0] < t).mean() - (p[y == 1] < t).mean() for t in grid
              if (p[y == 1] < t).mean() <= max_false_refusal}
    if not scored:
        return 0.01
    best = [t for t, v in scored.items() if v == max(scored.values())]
    return best[(len(best) - 1) // 2]


def run(args) -> dict:
    from bot.benchmarks.bench import DEFAULT_REQA
    from bot.benchmarks.reqa import load_reqa
    from bot.embedding.embedder import Embedder

    if getattr(args, "users", False):
        report = fit_users(args)
        _install(args, report)
        return report
    data = load_reqa(Path(args.data or DEFAULT_REQA))
    embedder = Embedder()
    vectors, qvecs, clauses = _embeddings(data, embedder, Path(args.cache) if getattr(args, "cache", None) else None)
    rows = document_rows(data, embedder, vectors, qvecs, clauses)
    docs = sorted({r[0] for r in rows})
    fit_docs = set(random.Random(1).sample(docs, len(docs) // 2))
    x = np.array([r[1] for r in rows])
    y = np.array([r[2] for r in rows], float)
    kinds = np.array([r[3] for r in rows])
    train = np.array([r[0] in fit_docs for r in rows])
    model = fit_trees(x[train], y[train])
    threshold = choose_threshold(model.predict_proba(x[train])[:, 1], y[train])
    p = model.predict_proba(x[~train])[:, 1]
    test_y, test_kinds = y[~train], kinds[~train]
    report = {
        **exported(model, threshold), "fit_articles": len(fit_docs), "test_articles": len(docs) - len(fit_docs),
        "test": {kind: {"n": int((test_kinds == kind).sum()),
                        "declined": float((p[test_kinds == kind] < threshold).mean())}
                 for kind in KINDS},
        "curve": trade_off(p, test_y, np.round(np.arange(0.05, 0.96, 0.05), 2)),
    }
    for kind, figures in report["test"].items():
        print(f"{kind:>22}: {figures['declined']:.3f} declined (n={figures['n']})", file=sys.stderr)
    _install(args, report)
    return report


def _install(args, report: dict) -> None:
    """With ``--install``, write the fitted model into the package."""
    if getattr(args, "install", False):
        model = {k: report[k] for k in ("features", "baseline", "trees", "threshold", "prior") if k in report}
        MODEL_FILE.write_text(json.dumps(model) + "\n")
