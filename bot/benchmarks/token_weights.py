"""Fit the token match's weights (``token_match.TokenMatch``) on users' questions, for ``qabot bench rerank``.

Each question's candidates are scored by their weighted token match; a softmax over them (its temperature fitted
too) gives the right ones their share, and the mean log share is maximised by Adam over all questions at once.
``cross_fitted`` scores each fold of sets by weights fitted on the others, so that the trees fitted on the scores
learn how far to trust weights that never saw the question.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.ranking.token_match import TokenMatch

# as a reranker feature beside the plain mean, left out: 3,012 of 3,780 first right (batches of 64 for 25 epochs
# 3,008, for 6 epochs 2,983; the plain mean alone 2,947); shipped in its place: 3,007 (150 steps 3,000, 1,000 steps
# 2,987: more overfit)
STEPS, RATE = 300, 0.01
FOLDS = 5


@dataclass(frozen=True)
class Asked:
    """One question's token evidence: its token vectors (``asked``), each candidate's best cosine per question
    token (``best``, candidates × tokens) and which candidates answer (``label``)."""

    asked: np.ndarray
    best: np.ndarray
    label: np.ndarray


def fit(questions: list[Asked], steps: int = STEPS) -> TokenMatch:
    """The weights that best pick each question's right candidates (questions with none are left out)."""
    import torch

    kept = [q for q in questions if q.label.any() and len(q.asked)]
    if not kept:
        return TokenMatch()
    width, tokens = kept[0].asked.shape[1], max(len(q.asked) for q in kept)
    depth = max(len(q.label) for q in kept)
    asked = np.zeros((len(kept), tokens, width), np.float32)
    best = np.zeros((len(kept), depth, tokens), np.float32)
    label = np.zeros((len(kept), depth), np.float32)
    present = np.zeros((len(kept), depth), bool)
    filled = np.zeros((len(kept), tokens), np.float32)
    for i, q in enumerate(kept):
        asked[i, : len(q.asked)], best[i, : len(q.label), : len(q.asked)] = q.asked, q.best
        label[i, : len(q.label)], present[i, : len(q.label)] = q.label, True
        filled[i, : len(q.asked)] = 1.0
    filled = torch.from_numpy(filled)
    asked_t, best_t = torch.from_numpy(asked), torch.from_numpy(best)
    shut = torch.from_numpy(np.where(present, 0.0, -1e4).astype(np.float32))
    wrong = torch.from_numpy(np.where(label > 0, 0.0, -1e4).astype(np.float32))
    torch.manual_seed(0)
    a = torch.zeros(width, requires_grad=True)
    b = torch.tensor(0.5413, requires_grad=True)  # softplus(b) = 1: every token weighs the same at first
    temperature = torch.tensor(20.0, requires_grad=True)
    step = torch.optim.Adam([a, b, temperature], lr=RATE)
    for _ in range(steps):
        weight = torch.nn.functional.softplus(asked_t @ a + b) * filled
        match = (best_t * weight[:, None, :]).sum(-1) / weight.sum(-1, keepdim=True).clamp_min(1e-6)
        z = temperature * match + shut
        loss = (torch.logsumexp(z, 1) - torch.logsumexp(z + wrong, 1)).mean()
        step.zero_grad()
        loss.backward()
        step.step()
    return TokenMatch(a.detach().numpy().astype(np.float32), float(b.detach()))


def cross_fitted(questions: list[Asked], sets: list[str], folds: int = FOLDS) -> list[np.ndarray]:
    """Each question's candidates' token matches, by weights fitted on the questions of the other folds of sets
    (``sets``: each question's set; a set's fold is its place in the sorted names, modulo ``folds``)."""
    fold_of = {name: i % folds for i, name in enumerate(sorted(set(sets)))}
    fold = np.array([fold_of[name] for name in sets])
    out: list[np.ndarray] = [np.zeros(0, np.float32)] * len(questions)
    for f in sorted(set(fold.tolist())):
        match = fit([q for q, g in zip(questions, fold) if g != f])
        for i in np.flatnonzero(fold == f):
            out[i] = match.weighted(questions[i].asked, questions[i].best)
    return out
