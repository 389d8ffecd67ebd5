"""The release figures, guarded with a margin so that a regression fails CI."""

from bot.evalio import read_items
from bot.evaluate import compute_metrics, run
from tests.conftest import DEV, needs_shared


@needs_shared
def test_release_dev_figures(bot):
    items, errors = read_items(DEV)
    assert errors == []
    metrics = compute_metrics(run(bot, items, quiet=True))
    # measured: P@1 1.00, MRR 1.00, decline recall 0.75 (3 of 4), false refusals 0.00, follow-ups 1.00
    assert metrics["p_at_1"] >= 0.90
    assert metrics["mrr"] >= 0.95
    assert metrics["false_refusal_rate"] <= 0.10
    assert metrics["decline_recall"] >= 0.75
    assert metrics["followup_p_at_1"] == 1.0
