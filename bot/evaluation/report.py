"""A self-contained HTML report of an evaluation run: figures, plots as inline SVG, misses."""

from __future__ import annotations

import html
import math

import numpy as np

from bot.evaluation.metrics import SUMMARY_KEYS

CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:14px}th{background:#f3f3f3}
.figs{display:flex;gap:2em;flex-wrap:wrap}.fig{border:1px solid #ddd;padding:8px}h2{margin-top:1.5em}"""


def _bars(labels: list[str], values: list[float], title: str, color: str = "#4a78c2") -> str:
    w, h, pad = 420, 220, 30
    top = max(values) if values and max(values) > 0 else 1
    bw = (w - 2 * pad) / max(len(values), 1)
    parts = [f"<svg width='{w}' height='{h}' role='img' aria-label='{html.escape(title)}'>",
             f"<text x='{w / 2}' y='14' text-anchor='middle' font-size='13'>{html.escape(title)}</text>"]
    for i, (label, v) in enumerate(zip(labels, values)):
        bh = (h - 2 * pad - 10) * v / top
        x = pad + i * bw
        parts.append(f"<rect class='bar' x='{x + 2:.1f}' y='{h - pad - bh:.1f}' width='{bw - 4:.1f}' "
                     f"height='{bh:.1f}' fill='{color}'><title>{html.escape(label)}: {v:g}</title></rect>")
        parts.append(f"<text x='{x + bw / 2:.1f}' y='{h - pad + 14}' font-size='10' "
                     f"text-anchor='middle'>{html.escape(label)}</text>")
        parts.append(f"<text x='{x + bw / 2:.1f}' y='{h - pad - bh - 3:.1f}' font-size='10' "
                     f"text-anchor='middle'>{v:g}</text>")
    return "".join(parts) + "</svg>"


def _curve(points: list[tuple[float, float, float]], title: str) -> str:
    w, h, pad = 420, 220, 36
    parts = [f"<svg width='{w}' height='{h}' role='img' aria-label='{html.escape(title)}'>",
             f"<text x='{w / 2}' y='14' text-anchor='middle' font-size='13'>{html.escape(title)}</text>",
             f"<line x1='{pad}' y1='{h - pad}' x2='{w - pad}' y2='{h - pad}' stroke='#888'/>",
             f"<line x1='{pad}' y1='{pad}' x2='{pad}' y2='{h - pad}' stroke='#888'/>",
             f"<text x='{w / 2}' y='{h - 6}' font-size='11' text-anchor='middle'>coverage</text>",
             f"<text x='10' y='{h / 2}' font-size='11' transform='rotate(-90 10 {h / 2})' "
             "text-anchor='middle'>risk</text>"]
    if points:
        max_risk = max(max(p[2] for p in points), 0.05)
        coords = " ".join(f"{pad + c * (w - 2 * pad):.1f},{h - pad - r / max_risk * (h - 2 * pad):.1f}"
                          for _, c, r in points)
        parts.append(f"<polyline class='curve' points='{coords}' fill='none' stroke='#c2404a' stroke-width='2'/>")
        parts.append(f"<text x='{pad + 2}' y='{pad - 4}' font-size='10'>{max_risk:.2f}</text>")
    return "".join(parts) + "</svg>"


def report_html(records, metrics: dict, curve) -> str:
    """The report page: summary table, rank and latency plots, risk–coverage curve, misses, and every
    question's answer with its short answer (and the expected one, when the file gives it)."""
    rows = "".join(f"<tr><th>{k}</th><td>{_fmt(metrics.get(k))}</td></tr>" for k in SUMMARY_KEYS
                   if k in metrics)
    if "n_short" in metrics:
        rows += f"<tr><th>questions with an expected short answer</th><td>{metrics['n_short']}</td></tr>"
    for stage, q in metrics.get("latency_ms", {}).items():
        rows += f"<tr><th>{stage} p50 / p95</th><td>{q['p50']:.1f} / {q['p95']:.1f} ms</td></tr>"
    ranked = [r.rank for r in records if r.item.answerable and r.item.expect]
    labels = [str(i) for i in range(1, 11)] + [">10"]
    counts = [sum(1 for x in ranked if x == i) for i in range(1, 11)] + [
        sum(1 for x in ranked if x is None or x > 10)]
    latencies = [r.answer.timings.get("total_ms", 0.0) for r in records]
    lat_labels, lat_counts = _histogram(latencies)
    misses = sorted((r for r in records if r.correct is False), key=_badness, reverse=True)
    miss_rows = "".join(
        f"<tr class='miss'><td>{html.escape(r.item.id)}</td><td>{html.escape(r.item.question)}"
        f"{_query(r)}</td><td>{html.escape(_cited(r))}</td>"
        f"<td>{html.escape(' | '.join(r.item.expect) or '(should decline)')}</td>"
        f"<td>{r.rank or '–'}</td><td>{r.answer.confidence:.2f}</td></tr>"
        for r in misses)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Evaluation report</title><style>{CSS}</style></head><body>
<h1>Evaluation report</h1>
<p>{metrics.get('n', 0)} questions · version {html.escape(str(metrics.get('version', '?')))} ·
model {html.escape(str(metrics.get('model_hash', '?'))[:12])} ·
index {html.escape(str(metrics.get('index_manifest_hash', '?'))[:12])}</p>
<h2>Summary</h2><table id="summary">{rows}</table>
<h2>Plots</h2><div class="figs">
<div class="fig" id="rank-plot">{_bars(labels, counts, "Rank of the expected sentence")}</div>
<div class="fig" id="latency-plot">{_bars(lat_labels, lat_counts, "Latency per question (ms)", "#3a9a5b")}</div>
<div class="fig" id="risk-coverage">{_curve(curve, "Risk–coverage of the decline decision")}</div>
</div>
<h2>Misses ({len(misses)}), worst first</h2>
<table id="misses"><tr><th>id</th><th>question</th><th>cited</th><th>expected</th><th>rank</th>
<th>confidence</th></tr>{miss_rows}</table>
{_answers(records)}
</body></html>"""


def _answers(records) -> str:
    """Every question with the sentence cited and the short answer given; the expected short answer and the
    span's token F1 when the questions file gives ``short``."""
    expected = any(r.item.short is not None for r in records)
    head = "<th>id</th><th>question</th><th>cited</th><th>short answer</th>"
    if expected:
        head += "<th>expected short</th><th>span F1</th>"
    rows = []
    for r in records:
        given = f"<b>{html.escape(r.answer.short)}</b>" if r.answer.short else "–"
        row = (f"<td>{html.escape(r.item.id)}</td><td>{html.escape(r.item.question)}{_query(r)}</td>"
               f"<td>{html.escape(_cited(r))}</td><td class='short'>{given}</td>")
        if expected:
            f1 = "" if r.span_f1 is None else f"{r.span_f1:.2f}"
            row += f"<td class='expect-short'>{html.escape(r.item.short or '')}</td><td>{f1}</td>"
        rows.append(f"<tr>{row}</tr>")
    return f"<h2>Answers ({len(records)})</h2>\n<table id='answers'><tr>{head}</tr>{''.join(rows)}</table>"


def _fmt(value) -> str:
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.3f}"
    return html.escape(str(value))


def _histogram(values: list[float], bins: int = 8) -> tuple[list[str], list[int]]:
    if not values:
        return [], []
    edges = np.linspace(0, max(values) * 1.0001 or 1, bins + 1)
    counts, _ = np.histogram(values, edges)
    digits = 0 if edges[-1] >= 20 else 1
    return [f"{edges[i]:.{digits}f}" for i in range(bins)], [int(c) for c in counts]


def _badness(record) -> tuple:
    """Confident wrong answers first, then misses ranked far down."""
    return (record.answer.confidence if not record.answer.abstained else 0.0, record.rank is None,
            record.rank or 0)


def _cited(record) -> str:
    top = record.answer.top
    return f"{top.text} ({top.location})" if top else "(declined)"


def _query(record) -> str:
    if record.answer.query and record.answer.query != record.item.question:
        return f"<br><small>understood as: {html.escape(record.answer.query)}</small>"
    return ""
