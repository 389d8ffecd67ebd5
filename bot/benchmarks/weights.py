"""``qabot bench weights``: refit the fused score's weights on user-style questions (how today's were found).

Each candidate sentence of a question (the 100 best by the current fused score) is described by the
terms ``Retriever`` sums — the BM25 terms, document BM25, dense score, heading, numbers present, answer
type missing, abbreviation defined, person named — and a conditional logit (softmax over the candidates,
gold sentence as the target) is fitted with L-BFGS-B: evidence weights non-negative, penalties
non-positive, L2 pull towards the current weights. Sets are the development questions in ``tests/data``
(and ``../shared/eval/docs-dev`` when present), plus a sample of ReQA questions outside
``questions-small.jsonl`` so SQuAD does not fall (``--limit``, default 600). Each set is also left out
in turn and ranked with weights fitted on the others: those are the figures to trust.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.answering.pipeline import ROOT, Bot
from bot.evaluation.evaluate import matches
from bot.ranking.answer_type import asks_person, defined_term, defines, expected_type, names_person
from bot.ranking.retrieval import RetrievalConfig, Retriever, _top

DEPTH = 100
L2 = 0.1


def feature_names(config: RetrievalConfig) -> list[str]:
    return ([f"bm25_{t.before}_{t.after}" for t in config.lexical]
            + ["document", "dense", "heading", "numbers", "type_missing", "definition", "person"])


def current_weights(config: RetrievalConfig) -> np.ndarray:
    return np.array([t.weight for t in config.lexical] + [config.w_document, config.w_dense, -config.heading_penalty,
                    config.number_bonus, -config.type_penalty, config.definition_bonus, config.person_bonus])


def features(retriever: Retriever, query: str, qvec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The terms of every candidate (rows) and the candidates' unit indices."""
    tokens, n = retriever.tokens(query), len(retriever.index.units)
    everyone = np.arange(n)
    sentence_bm25 = retriever.sentences.scores(tokens)
    lexical = retriever.lexical_terms(tokens, everyone, sentence_bm25)
    document = retriever.document_term(tokens)[retriever.doc_of] if retriever.documents.size > 1 else np.zeros(n)
    dense = retriever.field.dense(qvec, retriever.index.vectors @ qvec, everyone, retriever.field.best_clause(qvec))
    base = sum(t.weight * c for (t, _), c in zip(retriever.terms, lexical)) + retriever.config.w_dense * dense
    cand = np.sort(_top(base, min(DEPTH, n)))
    checked = set(_top(base, min(retriever.config.type_depth, n)).tolist())
    kind, term, person = expected_type(query), defined_term(query), asks_person(query)
    checks = np.zeros((3, n))
    for i in checked:
        text = retriever.index.units[i].text
        checks[0, i] = bool(kind) and retriever.lacks_type(kind, int(i), query)
        checks[1, i] = bool(term) and defines(text, term)
        checks[2, i] = person and names_person(text)
    columns = lexical + [document, dense, retriever.heading.astype(float),
                         retriever._numbers_present(tokens, everyone), *checks]
    return np.array(columns, np.float64).T[cand], cand


def _nll(w, rows, w0, l2):
    loss, grad = l2 * ((w - w0) ** 2).sum(), 2 * l2 * (w - w0)
    for x, gold in rows:
        s = x @ w
        p = np.exp(s - s.max())
        p /= p.sum()
        pg = p[gold].sum()
        loss -= np.log(pg + 1e-12)
        grad -= x[gold].T @ p[gold] / (pg + 1e-12) - x.T @ p
    return loss, grad


def fit(rows, config: RetrievalConfig, l2: float = L2) -> np.ndarray:
    from scipy.optimize import minimize

    names, w0 = feature_names(config), current_weights(config)
    bounds = [(None, 0) if n in ("heading", "type_missing") else (0, None) for n in names]
    return minimize(_nll, w0, args=(rows, w0, l2), jac=True, method="L-BFGS-B", bounds=bounds).x


def p_at_1(w, rows) -> float:
    return float(np.mean([gold[int(np.argmax(x @ w))] for x, gold in rows])) if rows else float("nan")


def question_sets(args, answerable_only: bool = True, follow_ups: bool = False) -> dict[str, tuple[Path, list[dict]]]:
    """The user-style sets (name → documents folder, single questions and first turns, and with ``follow_ups``
    the later turns too): every folder of ``tests/data`` holding ``source/`` and ``questions.jsonl``, docs-dev,
    the release's and the harbour library's; ``--source`` and ``--questions`` give one instead. A row about a
    document its folder lacks is left out."""
    data, release = ROOT / "tests" / "data", ROOT / "source"
    found = {"docs-dev": (ROOT.parent / "shared" / "eval" / "docs-dev" / "source",
                          ROOT.parent / "shared" / "eval" / "docs-dev" / "questions.jsonl"),
             "release": (release, [ROOT.parent / "shared" / "eval" / "release_dev.jsonl",
                                   data / "release_heldout.jsonl", data / "release_probe.jsonl"]),
             "harbour": (data / "other", data / "other" / "harbour-library.jsonl"),
             **{d.name: (d / "source", d / "questions.jsonl") for d in sorted(data.iterdir())
                if (d / "source").is_dir() and (d / "questions.jsonl").is_file()}}
    if args.source:
        found = {"given": (Path(args.source), Path(args.questions))}
    out = {}
    for name, (folder, files) in found.items():
        rows = [json.loads(line) for f in (files if isinstance(files, list) else [files]) if f.exists()
                for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        if folder.is_dir() and rows:
            out[name] = (folder, [r for r in rows if (r.get("answerable") or not answerable_only)
                                  and (follow_ups or (r.get("turn") or 0) <= 1)
                                  and (folder / (r.get("doc") or "")).exists()])
    return out


def run(args) -> dict:
    config, sets = RetrievalConfig(), {}
    for name, (folder, items) in question_sets(args).items():
        bot = Bot(source=folder, index=Path(args.index or "runs/weights-index") / name)
        retriever = Retriever(bot.load(), bot.embedder, replace(config, spelling=False))
        queries = [retriever.speller.correct(it["question"]) for it in items]
        rows = []
        for query, it, qvec in zip(queries, items, bot.embedder.encode_queries(queries)):
            x, cand = features(retriever, query, qvec)
            gold = np.array([matches(retriever.index.units[u].text, it["expect"]) for u in cand])
            if gold.any():
                rows.append((x, gold))
        sets[name] = rows
    if args.data or args.limit:
        from bot.benchmarks.bench import DEFAULT_REQA
        sets["reqa"] = _reqa_rows(Path(args.data) if args.data else DEFAULT_REQA, args.limit or 600, config)
    everything = [r for rows in sets.values() for r in rows]
    fitted = fit(everything, config)
    left_out = {name: {"questions": len(rows), "p_at_1_current": p_at_1(current_weights(config), rows),
                       "p_at_1_left_out": p_at_1(fit([r for n, rs in sets.items() if n != name for r in rs], config),
                                                 rows)} for name, rows in sets.items()}
    return {"benchmark": "weights", "features": feature_names(config),
            "current": dict(zip(feature_names(config), current_weights(config).round(3).tolist())),
            "fitted": dict(zip(feature_names(config), fitted.round(3).tolist())), "sets": left_out}


def _reqa_rows(folder: Path, count: int, config: RetrievalConfig) -> list:
    from bot.benchmarks.bench import reqa_index
    from bot.benchmarks.reqa import load_reqa

    data = load_reqa(folder)
    small = {json.loads(line)["id"] for line in (folder / "questions-small.jsonl").read_text().splitlines()}
    pool = [q for q in data.questions if q["id"] not in small]
    picked = [pool[i] for i in np.random.default_rng(0).choice(len(pool), min(count, len(pool)), replace=False)]
    bot = Bot()
    index, _ = reqa_index(data, bot.embedder)
    retriever = Retriever(index, bot.embedder, replace(config, spelling=False))
    position = {sid: i for i, sid in enumerate(data.ids)}
    rows = []
    vectors = bot.embedder.encode_queries([q["question"] for q in picked])
    for q, qvec in zip(picked, vectors):
        x, cand = features(retriever, q["question"], qvec)
        gold = np.isin(cand, [position[a] for a in q["answers"]])
        if gold.any():
            rows.append((x, gold))
    return rows
