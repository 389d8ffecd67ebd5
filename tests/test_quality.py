"""Answer-quality figures, guarded with a margin so that a regression fails CI.

Each set is answered as ``qabot eval`` answers it: single questions in batches, conversations in order.
"""

import re
import shutil

import pytest

from bot import Bot
from bot.evaluation.evalio import read_items
from bot.evaluation.evaluate import compute_metrics, run
from tests.conftest import DEV, RELEASE, ROOT, SHARED, needs_shared

DATA = ROOT / "tests" / "data"
OTHER = DATA / "other"
DOCS_DEV = SHARED / "eval" / "docs-dev"


def figures(bot, path, count: int | None = None) -> dict:
    """The evaluation metrics of the questions in ``path`` (all rows readable; ``count`` of them)."""
    items, errors = read_items(path)
    assert errors == [] and (count is None or len(items) == count)
    return compute_metrics(run(bot, items, quiet=True))


@needs_shared
def test_release_dev_figures(bot):
    metrics = figures(bot, DEV)
    # measured: P@1 1.00, MRR 1.00, decline recall 1.00 (4 of 4), false refusals 0.00, follow-ups 1.00
    assert metrics["p_at_1"] >= 0.90
    assert metrics["mrr"] >= 0.95
    assert metrics["false_refusal_rate"] <= 0.10
    assert metrics["decline_recall"] >= 0.75
    assert metrics["followup_p_at_1"] == 1.0


def test_another_document_figures(tmp_path):
    """A press release of another kind, with questions written before the bot ever saw it."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(OTHER / "harbour-library.txt", source)
    metrics = figures(Bot(source=source, index=tmp_path / "index"), OTHER / "harbour-library.jsonl", 19)
    # measured: P@1 0.83 (10 of 12), MRR 0.90, decline recall 0.71 (5 of 7; 6 of 7 with the decline model
    # fitted on ReQA alone), false refusals 0.08 (1 of 12)
    assert metrics["p_at_1"] >= 0.75
    assert metrics["mrr"] >= 0.85
    assert metrics["decline_recall"] >= 0.57
    assert metrics["false_refusal_rate"] <= 0.17


def test_release_held_out_figures(bot):
    """More questions about the release, written apart from the development set."""
    metrics = figures(bot, ROOT / "tests" / "data" / "release_heldout.jsonl", 28)
    # measured: P@1 0.95 (20 of 21), MRR 0.98, decline recall 0.43 (3 of 7), false refusals 0.00 (2026-11-30, and
    # before); with the decline model fitted on ReQA alone 0.90, 0.98, 0.43, 0.05; before the user-style weights
    # 0.76, 0.94, 0.57, 0.14
    assert metrics["p_at_1"] >= 0.85
    assert metrics["mrr"] >= 0.93
    assert metrics["decline_recall"] >= 0.28
    assert metrics["false_refusal_rate"] <= 0.20


def folder_figures(tmp_path, sources: list, questions, count: int) -> dict:
    """Figures of ``questions`` over a fresh index of the files ``sources``, indexed together."""
    folder = tmp_path / "source"
    folder.mkdir()
    for path in sources:
        shutil.copy(path, folder)
    return figures(Bot(source=folder, index=tmp_path / "index"), questions, count)


@needs_shared
def test_docs_dev_figures(set_runs):
    """Four documents of other kinds, user-style questions (the shared development set)."""
    records = set_runs(DOCS_DEV / "source", DOCS_DEV / "questions.jsonl")
    assert len(records) == 108
    metrics = compute_metrics(records)
    # measured (2026-12-01, boosted decline model): 0.76, 0.79 (0.86), declined 0.75 (18 of 24), 0.05, 0.83 (10 of
    # 12); (2026-11-30, third session): answered and correct 0.70, ranking alone 0.74 (MRR 0.83), unanswerable
    # declined 0.63 (15 of 24), answerable declined 0.07, follow-ups 0.92 (11 of 12); the rounds before 0.68, 0.73
    # (0.82), 0.54, 0.07, 0.83 and 0.67, 0.70 (0.81), 0.42, 0.06, 0.75; before this work 0.52, 0.57 (0.72), 0.46,
    # 0.18, 0.42
    assert metrics["p_at_1"] >= 0.64
    assert metrics["retrieval_p_at_1"] >= 0.67
    assert metrics["mrr"] >= 0.77
    assert metrics["decline_recall"] >= 0.65
    assert metrics["false_refusal_rate"] <= 0.10
    assert metrics["followup_p_at_1"] >= 0.66


def test_unseen_figures(tmp_path):
    """Held out while developing: an annual report, a clinic FAQ, a syllabus, and the release."""
    sources = sorted((DATA / "unseen" / "source").iterdir()) + [RELEASE]
    metrics = folder_figures(tmp_path, sources, DATA / "unseen" / "questions.jsonl", 93)
    # measured (2026-12-01, boosted decline model): 0.74, 0.74 (0.83), declined 0.50 (10 of 20), 0.01, 0.55;
    # (2026-11-30): answered and correct 0.68, ranking alone 0.74 (MRR 0.83), unanswerable declined 0.30
    # (6 of 20), answerable declined 0.08, follow-ups 0.36 (4 of 11); the round before 0.68, 0.73 (0.82), 0.40,
    # 0.11, 0.36; before this work 0.60, 0.64 (0.76), 0.50, 0.18, 0.55
    assert metrics["p_at_1"] >= 0.63
    assert metrics["retrieval_p_at_1"] >= 0.67
    assert metrics["decline_recall"] >= 0.40
    assert metrics["false_refusal_rate"] <= 0.16
    assert metrics["followup_p_at_1"] >= 0.27


@needs_shared
@pytest.mark.parametrize(("name", "least"),
                         [("docs-dev", 0.83), ("dev2", 0.66), ("own", 0.7), ("dev3", 0.75), ("dev4", 0.62)])
def test_follow_up_figures(conversation_runs, name, least):
    """Follow-up turns (asked in order within their conversation) on documents other than the release."""
    if name not in conversation_runs:
        pytest.skip(f"the {name} documents are not beside this clone")
    # measured (2026-11-30): docs-dev 0.92 (11 of 12), dev2 0.78 (7 of 9), own 0.83 (15 of 18), dev3 0.81 (13 of
    # 16), dev4 0.69 (11 of 16); before this work docs-dev 0.42 and dev2 0.22
    assert compute_metrics(conversation_runs[name])["followup_p_at_1"] >= least


# Our sets in tests/data, each answered over a fresh index of its source folder: (rows, floors; a
# false-refusal figure is a ceiling). In the comments, measured: answered and correct, ranking alone (MRR),
# unanswerable declined, answerable declined, follow-ups; and before.
FOLDER_SETS = {
    # an HTML page, board minutes and a Markdown FAQ (ours). 2026-11-30: 0.83, 0.83 (0.90), 0.50 (9 of 18), 0.00,
    # 0.78 (7 of 9); the round before 0.81, 0.83 (0.90), 0.50, 0.02, 0.67; before this work 0.59, 0.59 (0.73), 0.44,
    # 0.06, 0.22
    "dev2": (81, {"p_at_1": 0.78, "retrieval_p_at_1": 0.78, "decline_recall": 0.56, "false_refusal_rate": 0.05,
                  "followup_p_at_1": 0.66}),
    # tables: an HTML lecture programme and a Markdown fee table, each row one unit with its headings: 0.85 (11 of
    # 13), 0.85 (0.89), 1 of 1, 0.00; with a unit per cell and the Markdown rows joined, 0.23 (MRR 0.40)
    "tables": (14, {"p_at_1": 0.75, "mrr": 0.80, "false_refusal_rate": 0.16}),
    # the four kinds (news, PDF-style press release, Markdown support page, policy memo), written by a separate
    # session from the brief before the bot answered it: 0.67, 0.67 (0.80), 0.61 (17 of 28), 0.06, 0.81 (13 of
    # 16); before the sessions of 2026-11-30 0.57, 0.58 (0.72), 0.43, 0.11, 0.50 (three rows' expect mended since)
    "dev3": (128, {"p_at_1": 0.62, "retrieval_p_at_1": 0.62, "decline_recall": 0.61, "false_refusal_rate": 0.10,
                   "followup_p_at_1": 0.68}),
    # news article, PDF-style press release, Markdown help page with a table, policy memo, HTML visitor page with
    # tables (written likewise): 0.72, 0.72 (0.80), 0.52 (17 of 33), 0.03, 0.69 (11 of 16); with the code before
    # it was used 0.62, 0.63 (0.74), 0.33, 0.02, 0.50 (8 of 16)
    "dev4": (132, {"p_at_1": 0.66, "retrieval_p_at_1": 0.66, "decline_recall": 0.53, "false_refusal_rate": 0.07,
                   "followup_p_at_1": 0.62}),
    # held out (written by a separate session, run once at the end of 2026-11-30): a museum web page with a table,
    # council minutes, a Markdown biography, a PDF-style recall notice: 0.54, 0.58 (0.71), 0.62 (15 of 24), 0.11,
    # 0.56 (9 of 16); with the code before that session 0.52, 0.55 (0.69), 0.62, 0.12, 0.38
    "unseen2": (116, {"p_at_1": 0.49, "retrieval_p_at_1": 0.52, "decline_recall": 0.56, "false_refusal_rate": 0.16,
                      "followup_p_at_1": 0.43}),
    # held out (likewise, run once at the end of the second session of 2026-11-30): a news article with a byline,
    # a PDF-style annual report, a Markdown help page with a table, an HTML festival programme with tables: 0.67,
    # 0.67 (0.78), 0.44 (12 of 27), 0.01, 0.47 (7 of 15); with the code before that session 0.66, 0.66 (0.76),
    # 0.44, 0.01, 0.47; after the third session (seen by then) the same but declined 0.52 (14 of 27)
    "unseen3": (113, {"p_at_1": 0.62, "retrieval_p_at_1": 0.62, "decline_recall": 0.52, "false_refusal_rate": 0.06,
                      "followup_p_at_1": 0.40}),
    # held out (likewise, run once at the end of the third session of 2026-11-30): a news article, a PDF-style
    # press release with page footers, a Markdown help page with a price table, an on-call policy memo, an HTML
    # observatory page with two tables: 0.67, 0.67 (0.77), 0.59 (19 of 32), 0.03, 0.64 (9 of 14); with the code
    # before that session 0.66, 0.66 (0.76), 0.50, 0.03, 0.57; after the fixes that followed (seen by then) 0.68,
    # 0.68 (0.78), 0.59, 0.03, 0.64
    "unseen4": (126, {"p_at_1": 0.62, "retrieval_p_at_1": 0.62, "decline_recall": 0.55, "false_refusal_rate": 0.07,
                      "followup_p_at_1": 0.57}),
    # written likewise for development in the fourth session of 2026-11-30 (news, PDF-style release, Markdown help
    # page with a plan table, pool-car memo, HTML club page with two tables): first run 0.69, 0.70 (0.80), 0.39
    # (12 of 31), 0.06, 0.64 (9 of 14); at the end of that session 0.73, 0.73 (0.83), 0.39, 0.06, 0.64
    "dev5": (125, {"p_at_1": 0.68, "retrieval_p_at_1": 0.68, "decline_recall": 0.38, "false_refusal_rate": 0.10,
                   "followup_p_at_1": 0.57}),
    # held out (likewise, run once at the end of the fourth session of 2026-11-30): a news article, a PDF-style
    # release, a Markdown help page with a price table, a hybrid-working memo, an HTML allotment page with tables:
    # 0.66, 0.66 (0.76), 0.26 (8 of 31), 0.02, 0.71 (10 of 14); with the code before that session 0.66, 0.66
    # (0.76), 0.29, 0.03, 0.71; after the fixes that followed (seen by then) 0.69, 0.70 (0.79), 0.29, 0.03, 0.79
    "unseen5": (125, {"p_at_1": 0.60, "retrieval_p_at_1": 0.60, "decline_recall": 0.25, "false_refusal_rate": 0.07,
                      "followup_p_at_1": 0.57}),
    # written likewise for development in the fifth session of 2026-11-30 (ferry news, museum release, Markdown
    # boat-hire page with a price table, forklift memo, HTML rent-deposit page): first run 0.69, 0.71 (0.81), 0.38
    # (12 of 32), 0.05, 0.69 (9 of 13); at the end of that session 0.71, 0.74 (0.83), 0.44, 0.05, 0.77
    "dev6": (125, {"p_at_1": 0.66, "retrieval_p_at_1": 0.69, "decline_recall": 0.49, "false_refusal_rate": 0.10,
                   "followup_p_at_1": 0.69}),
    # held out in that session, run once after its first three commits (chain-ferry news, hearing-bus release,
    # lost-property help page, severe-weather memo, pottery studio page): 0.67, 0.68 (0.77), 0.39, 0.03, 0.57;
    # read afterwards (seen), at the end of the session 0.69, 0.70 (0.79), 0.45, 0.02, 0.64
    "unseen6": (125, {"p_at_1": 0.64, "retrieval_p_at_1": 0.65, "decline_recall": 0.44, "false_refusal_rate": 0.06,
                      "followup_p_at_1": 0.57}),
    # held out, run once near its end (post office news, cathedral bells release, bike-share help page, hospital
    # parking memo, ice rink page): 0.68 before and after (0.72 (0.82), 0.55, 0.16 -> 0.14, 6 -> 7 of 14); with
    # the pence fix that followed (seen) 0.69, 0.73 (0.82), 0.55, 0.14, 0.50
    "unseen7": (125, {"p_at_1": 0.64, "retrieval_p_at_1": 0.68, "decline_recall": 0.54, "false_refusal_rate": 0.18,
                      "followup_p_at_1": 0.43}),
    # held out, written after the session's code was final and run once (community fridge news, van permit
    # release, dental waiting-list page, term-dates memo, farmers' market page): 0.68 -> 0.69, 0.70 -> 0.71
    # (0.80 -> 0.81), 0.39 -> 0.42, 0.05, 8 of 14
    "unseen8": (125, {"p_at_1": 0.64, "retrieval_p_at_1": 0.66, "decline_recall": 0.51, "false_refusal_rate": 0.09,
                      "followup_p_at_1": 0.50}),
    # written for development in the sixth session of 2026-11-30 (verge-mowing news, blood-van release, Markdown
    # coworking help page with a plan table, lone-working memo, HTML youth-orchestra page): first run 0.65, 0.67
    # (0.77), 0.55, 0.09, 0.64 (9 of 14); at the end of that session 0.69, 0.69 (0.79), 0.55, 0.06, 0.71
    "dev7": (125, {"p_at_1": 0.64, "retrieval_p_at_1": 0.64, "decline_recall": 0.60, "false_refusal_rate": 0.10,
                   "followup_p_at_1": 0.64}),
    # held out, written in that session by a session that never saw the code and run once when the code was final
    # (river clean-up news, care-home reading release, e-book lending help page, fuel-card memo, climbing wall
    # page): 0.67 -> 0.68, 0.70 -> 0.71 (0.79 -> 0.79), 0.39, 0.13, 10 of 14 (seen from then on)
    "unseen9": (125, {"p_at_1": 0.63, "retrieval_p_at_1": 0.66, "decline_recall": 0.38, "false_refusal_rate": 0.17,
                      "followup_p_at_1": 0.64}),
    # held out, written at the end of that session by a session that never saw the code, run once on its final
    # code (bakery share-offer news, school earthquake-sensor release, water-meter help page with a tariff table,
    # jury-service memo, tennis courts page): 0.65 -> 0.69, 0.66 -> 0.70 (0.76 -> 0.79), 0.38, 0.10 -> 0.06,
    # 12 of 13 both (seen from then on)
    "unseen10": (125, {"p_at_1": 0.64, "retrieval_p_at_1": 0.65, "decline_recall": 0.36, "false_refusal_rate": 0.11,
                       "followup_p_at_1": 0.84}),
    # written for development in the seventh session of 2026-11-30 (seaweed-farm news, rooftop-beehive release,
    # Markdown car-club help page with a rates table, laptop and lost-device memo, HTML community cinema page):
    # first run 0.62, 0.63 (0.75), 0.59, 0.04, 0.62 (8 of 13); at the end of that session 0.62, 0.62 (0.75), 0.59,
    # 0.04, 0.54 (7 of 13)
    "dev8": (125, {"p_at_1": 0.57, "retrieval_p_at_1": 0.57, "decline_recall": 0.55, "false_refusal_rate": 0.09,
                   "followup_p_at_1": 0.46}),
    # held out, written at the start of that session by a session that never saw the code, run once on its final
    # code (community toilet scheme news, hospital-at-home release, bulky-waste help page with a price table,
    # carers' leave memo, city farm page): 0.63 -> 0.63 (59 of 93 both), 0.66 (0.76) both, 0.44 -> 0.41, 0.06 ->
    # 0.08, 7 of 13 both (seen from then on)
    "unseen11": (125, {"p_at_1": 0.58, "retrieval_p_at_1": 0.60, "decline_recall": 0.55, "false_refusal_rate": 0.13,
                       "followup_p_at_1": 0.46}),
    # written for development in that session after unseen11 was run (20mph news, hospice clothes-library release,
    # Markdown broadband home-move help page with a fees table, school sickness-absence memo, HTML glasshouse tours
    # page): first run 0.73, 0.79 (0.87), 0.41, 0.09, 0.62 (8 of 13); at the end of that session 0.76, 0.79 (0.87),
    # 0.41, 0.03, 0.62
    "dev9": (125, {"p_at_1": 0.71, "retrieval_p_at_1": 0.73, "decline_recall": 0.40, "false_refusal_rate": 0.08,
                   "followup_p_at_1": 0.53}),
    # held out, written in that session by a session that never saw the code and run once on its final code
    # (banking hub news, beaver release, delay-repay help page with a compensation table, home-working kit memo,
    # lifeboat station page): 0.65 -> 0.66 (60 -> 61 of 93), 0.65 -> 0.66 (0.75 -> 0.76), 0.34 -> 0.38, 0.03,
    # 7 -> 8 of 13 (seen from then on)
    "unseen12": (125, {"p_at_1": 0.60, "retrieval_p_at_1": 0.60, "decline_recall": 0.43, "false_refusal_rate": 0.09,
                       "followup_p_at_1": 0.53}),
    # written for development in the eighth session of 2026-11-30, conversations stressed (15 of 3-4 turns: pub post
    # office news, smart-meter release, e-book app help page with a loan table, lost-property memo, HTML
    # planetarium page): first run 0.67, 0.69 (0.78), 0.43, 0.07, 0.75 (26 of 35); at the end of that session
    # 0.71, 0.72 (0.80), 0.43, 0.06, 0.75
    "dev10": (135, {"p_at_1": 0.64, "retrieval_p_at_1": 0.65, "decline_recall": 0.50, "false_refusal_rate": 0.10,
                    "followup_p_at_1": 0.68}),
    # held out, written at the start of that session by a session that never saw the code and run once on its final
    # code (foot-ferry news, sheep-vaccine release, parcel-locker help page, volunteering-leave memo, climbing
    # centre page): 0.68 -> 0.72 (63 -> 67 of 93), 0.69 -> 0.72 (0.79 -> 0.80), 0.47 both, 0.05 -> 0.03, 12 of 13
    # both (seen from then on)
    "unseen13": (125, {"p_at_1": 0.66, "retrieval_p_at_1": 0.66, "decline_recall": 0.40, "false_refusal_rate": 0.09,
                       "followup_p_at_1": 0.84}),
    # written for development in the ninth session of 2026-11-30, neighbour traps and in-scope unanswerables
    # stressed (community orchard news, heat-pump grant release, swim school help page, dog-walker licence memo,
    # harbour sauna page): first run 0.60, 0.63 (0.75), 0.48, 0.11, 0.52 (22 of 42); at the end of that session
    # 0.66, 0.68 (0.79), 0.52, 0.08, 0.56
    "dev11": (135, {"p_at_1": 0.58, "retrieval_p_at_1": 0.60, "decline_recall": 0.50, "false_refusal_rate": 0.13,
                    "followup_p_at_1": 0.45}),
    # held out, written at the start of that session by a session that never saw the code and run once on its final
    # code (choir news, school-uniform grant release, phone-repair warranty help page, gifts and hospitality memo,
    # dry ski slope page): 0.68 both (63 of 93), 0.69 both (0.80), 0.31, 0.05, 10 of 13 both (seen from then on)
    "unseen14": (125, {"p_at_1": 0.61, "retrieval_p_at_1": 0.62, "decline_recall": 0.30, "false_refusal_rate": 0.10,
                       "followup_p_at_1": 0.69}),
    # held out, written at the start of the session of 2026-12-01 by a session that never saw the code and run once
    # on its final code (school crossing patrols news, fire-service home-visit release, launderette help page,
    # annual leave memo, village hall page): 0.69 before and after (64 of 93), 0.71 (0.78), 0.41, 0.10, 11 of 13
    # both (seen from then on; three garbled rewrites it showed were mended after, no answer moved)
    "unseen15": (125, {"p_at_1": 0.62, "retrieval_p_at_1": 0.64, "decline_recall": 0.33, "false_refusal_rate": 0.15,
                       "followup_p_at_1": 0.69}),
    # held out, written at the start of the second session of 2026-12-01 by a session that never saw the code and
    # run once on its final code (chess club in a signal box news, pothole-camera release, breakdown-cover help
    # page, study-support memo, reservoir fishing page): 0.72 -> 0.71 (67 -> 66 of 93), 0.75 -> 0.74 (0.83 ->
    # 0.82), 0.28 both, 0.10 both, 12 of 13 both (seen from then on; the answer lost, to a superlative read in "the
    # most recent year", was mended after: 0.72, 0.75)
    "unseen16": (125, {"p_at_1": 0.66, "retrieval_p_at_1": 0.69, "decline_recall": 0.30, "false_refusal_rate": 0.15,
                       "followup_p_at_1": 0.76}),
    # held out, written at the start of the third session of 2026-12-01 by a session that never saw the code and run
    # once on its final code and on the code it started from (skate-park news, school loan-box release, ticket-resale
    # help page, eye-care memo, riding-centre page): 0.62 both (58 of 93), 0.63 both (MRR 0.74 both), declined 0.19
    # -> 0.22 ("how old is biscuit", the new age rule), 0.03 both, follow-ups 8 of 13 both (seen from then on)
    "unseen17": (125, {"p_at_1": 0.57, "retrieval_p_at_1": 0.58, "decline_recall": 0.27, "false_refusal_rate": 0.10,
                       "followup_p_at_1": 0.46}),
    # held out, written mid-session by another session that never saw the code (instrument amnesty news, airport
    # night-flight release, photo-book help page, outside-work memo, archery range page) and run once on the code
    # of that moment and on the code the session started from: 0.74 both (69 of 93), 0.76 both (MRR 0.84 both),
    # declined 0.28 both, refused 0.04 -> 0.03, follow-ups 10 of 13 both; one answerable question declined before
    # was answered wrongly ("How old is the man fixing them?" from "spent decades in lofts"), mended after: 0.75
    "unseen18": (125, {"p_at_1": 0.69, "retrieval_p_at_1": 0.71, "decline_recall": 0.27, "false_refusal_rate": 0.10,
                       "followup_p_at_1": 0.61}),
    # held out, written at the start of the fourth session of 2026-12-01 by a session that never saw the code (beach
    # huts news, hosepipe-ban release, recipe-box help page, overtime and TOIL memo, bowling centre page), run once
    # on the code with the boosted decline model and on the code the session started from: 0.68 both (63 of 93),
    # 0.68 both (MRR 0.78), declined 0.44 -> 0.47, refused 0.03 -> 0.04, follow-ups 10 of 13 both; seen since (the
    # model refitted with it: 0.68, 0.68, 0.59, 0.02, 10 of 13)
    "unseen19": (125, {"p_at_1": 0.62, "retrieval_p_at_1": 0.62, "decline_recall": 0.43, "false_refusal_rate": 0.09,
                       "followup_p_at_1": 0.61}),
    # held out, written in the fourth session of 2026-12-01 for the fifth by a session that never saw the code
    # (tide-mill news, waymarks arts release, travel eSIM help page, referral-bonus memo, falconry centre page), run
    # once on the code with the reranker and on the code the session started from: 0.78 -> 0.77 (73 -> 72 of 93),
    # ranking 0.80 both (MRR 0.865 -> 0.870), declined 0.53 -> 0.56, refused 0.03 -> 0.04, follow-ups 10 of 13
    # both; seen since (both tree models refitted with it: 0.80, 0.81, 0.63, 0.03, 10 of 13)
    "unseen20": (125, {"p_at_1": 0.69, "retrieval_p_at_1": 0.70, "decline_recall": 0.49, "false_refusal_rate": 0.12,
                       "followup_p_at_1": 0.61}),
    # held out, written in the fifth session of 2026-12-01 for the next by a session that never saw the code (clock
    # tower news, bumblebee-count release, EV charging help page, cycle-to-work memo, show-cave page), run once on
    # the code with the reranker reading the distance to the last answer and on the code that session started from:
    # 0.70 -> 0.68 (65 -> 63 of 93), ranking 0.71 both (MRR 0.802 -> 0.804), declined 0.34 -> 0.41, refused 0.04 ->
    # 0.07, follow-ups 9 of 13 both; seen since (both tree models refitted with it: 0.70, 0.73, 0.50, 0.04, 9 of 13)
    "unseen21": (125, {"p_at_1": 0.59, "retrieval_p_at_1": 0.62, "decline_recall": 0.38, "false_refusal_rate": 0.13,
                       "followup_p_at_1": 0.53}),
    # held out, written in the sixth session of 2026-12-01 for the next by a session that never saw the code (bathing
    # water news, bog rewetting release, school-meals app help page, family-leave memo, miniature railway page), run
    # once on that session's code and on the code it started from: 0.72, ranking 0.73 (MRR 0.845), declined 0.38,
    # refused 0.04, follow-ups 9 of 13, both alike; seen since (in both fits of trees without early stopping: 0.74,
    # 0.75, 0.41, 0.02, 10 of 13 in the eval)
    "unseen22": (125, {"p_at_1": 0.62, "retrieval_p_at_1": 0.63, "decline_recall": 0.27, "false_refusal_rate": 0.14,
                       "followup_p_at_1": 0.59}),
    # held out, written at the start of the eighth session of 2026-12-01 by two sessions that never saw the code
    # (bus timetable news, seagrass release, prescription-delivery help page, long-service memo, velodrome page;
    # fountain news, parish-registers release, pet-insurance claims help page, staff-gym memo, canal-boat museum
    # page), run once on that session's final code and on the code it started from: identical answers (one question
    # read better, "volunters" as "volunteers"): unseen23 0.82, ranking 0.84 (MRR 0.90), declined 0.56, refused
    # 0.03, follow-ups 11 of 13; unseen24 0.68, 0.71 (0.81), 0.44, 0.08, 11 of 13; seen since
    "unseen23": (125, {"p_at_1": 0.75, "retrieval_p_at_1": 0.77, "decline_recall": 0.45, "false_refusal_rate": 0.10,
                       "followup_p_at_1": 0.69}),
    "unseen24": (125, {"p_at_1": 0.60, "retrieval_p_at_1": 0.64, "decline_recall": 0.31, "false_refusal_rate": 0.15,
                       "followup_p_at_1": 0.69}),
    # held out, written during that session by a third session that never saw the code (village school news,
    # hedgehog-tracking release, broadband router help page, staff-discount memo, pick-your-own farm page), run once
    # on the final code and on the code the session started from: identical, 0.81, ranking 0.82 (MRR 0.88), declined
    # 0.47, refused 0.03, follow-ups 13 of 13; seen since
    "unseen25": (125, {"p_at_1": 0.74, "retrieval_p_at_1": 0.75, "decline_recall": 0.34, "false_refusal_rate": 0.10,
                       "followup_p_at_1": 0.84}),
    # held out, written at the start of the ninth session of 2026-12-01 by a session that never saw the code (cliff
    # lane news, sensor-insole trial release, self-storage help page, smoking and vaping memo, pitch-and-putt page),
    # run once on that session's final code and on the code it started from: identical answers, 0.77, ranking 0.78
    # (MRR 0.85), declined 0.41, refused 0.05, follow-ups 10 of 13 (two short answers mended); seen since
    "unseen26": (125, {"p_at_1": 0.70, "retrieval_p_at_1": 0.71, "decline_recall": 0.31, "false_refusal_rate": 0.12,
                       "followup_p_at_1": 0.61}),
    # held out, written at the start of the session of 2026-12-02 by a session that never saw the code (cemetery
    # rules news, wind-farm community fund release, pocket-money card help page, first-aid memo, county show page),
    # run once on that session's final code and on the code it started from: 0.70 (0.71 before), ranking 0.73 (MRR
    # 0.83) both, declined 0.53 (0.56), refused 0.06 both, follow-ups 12 of 13 both; seen since
    "unseen27": (125, {"p_at_1": 0.63, "retrieval_p_at_1": 0.67, "decline_recall": 0.43, "false_refusal_rate": 0.12,
                       "followup_p_at_1": 0.76}),
    # held out, written at the start of the second session of 2026-12-02 by a session that never saw the code
    # (busking permits news, pay-what-you-can theatre seats release, driving lessons help page, bereavement leave
    # memo, trampoline park page), run once on that session's final code and on the code it started from: 0.69
    # both, ranking 0.74 (0.73), MRR 0.82 (0.81), declined 0.59 (0.53), refused 0.12 (0.14), follow-ups 11 of 13
    # (10); seen since
    "unseen28": (125, {"p_at_1": 0.62, "retrieval_p_at_1": 0.68, "decline_recall": 0.50, "false_refusal_rate": 0.17,
                       "followup_p_at_1": 0.76}),
    # held out, written at the start of the third session of 2026-12-02 by a session that never saw the code (gull
    # feeding ban news, walking football league release, deposit return help page, pay advance memo, escape rooms
    # page), run once on that session's final code and on the code it started from: 0.67 (0.66), ranking 0.69 both
    # (MRR 0.80), declined 0.56 (0.50), refused 0.08 (0.11), follow-ups 9 of 13 both; seen since
    "unseen29": (125, {"p_at_1": 0.60, "retrieval_p_at_1": 0.62, "decline_recall": 0.44, "false_refusal_rate": 0.14,
                       "followup_p_at_1": 0.53}),
    # held out, written at the start of the fourth session of 2026-12-02 by a session that never saw the code (dog
    # mess DNA testing news, Roman villa dig release, wedding ceremonies help page, sabbatical memo, rehearsal rooms
    # page), run once on that session's final code and on the code it started from: 0.71 both, ranking 0.72 both
    # (MRR 0.79), declined 0.50 (0.47), refused 0.04 both, follow-ups 12 of 13 both; seen since
    "unseen30": (125, {"p_at_1": 0.64, "retrieval_p_at_1": 0.65, "decline_recall": 0.38, "false_refusal_rate": 0.10,
                       "followup_p_at_1": 0.76}),
    # held out, written at the start of the fifth session of 2026-12-02 by a session that never saw the code (quiet
    # fireworks news, hospice night-walk release, grocery delivery help page, staff social events memo, karting
    # page), run once on the code that session started from and once on its final code: 0.70 -> 0.72, ranking 0.74
    # -> 0.76 (MRR 0.82 -> 0.84), declined 0.53 -> 0.56, refused 0.10 -> 0.09, follow-ups 10 of 13 both; seen since
    "unseen31": (125, {"p_at_1": 0.66, "retrieval_p_at_1": 0.70, "decline_recall": 0.47, "false_refusal_rate": 0.13,
                       "followup_p_at_1": 0.69}),
    # held out, written at the start of the sixth session of 2026-12-02 by a session that never saw the code (car boot
    # sale news, garden tree giveaway release, dog-grooming help page, hotel shift-swap memo, cookery school page),
    # run once on the code that session started from and once on its final code: 0.60 -> 0.61, ranking 0.66 -> 0.65
    # (MRR 0.78 -> 0.77), declined 0.41 -> 0.47, refused 0.13 -> 0.10, follow-ups 9 of 13 both; seen since
    "unseen32": (125, {"p_at_1": 0.55, "retrieval_p_at_1": 0.58, "decline_recall": 0.38, "false_refusal_rate": 0.16,
                       "followup_p_at_1": 0.61}),
}


@pytest.mark.parametrize("name", FOLDER_SETS)
def test_folder_figures(set_runs, name):
    """Each of our sets answered over its own documents, against its floors."""
    rows, floors = FOLDER_SETS[name]
    records = set_runs(DATA / name / "source", DATA / name / "questions.jsonl")
    assert len(records) == rows
    metrics = compute_metrics(records)
    for metric, floor in floors.items():
        if metric == "false_refusal_rate":
            assert metrics[metric] <= floor, metric
        else:
            assert metrics[metric] >= floor, metric


def test_short_answers_agree(set_runs):
    """The bold short answer over a right sentence shares a word with what the question's writer marked as the
    answer, where that mark is short (at most four words): 0.867 over these 36 sets at the end of the ninth session
    of 2026-12-01, 0.819 at its start ("How long does Meet the Owls last?" was answered "£35")."""
    agree = shown = 0
    for name in FOLDER_SETS:
        for record in set_runs(DATA / name / "source", DATA / name / "questions.jsonl"):
            marks = [e for e in record.item.expect if len(e.split()) <= 4]
            short = record.answer.short
            if not (record.item.answerable and record.rank == 1 and not record.answer.abstained and marks and short):
                continue
            shown += 1
            agree += any(_words(short) & _words(mark) for mark in marks)
    assert shown > 900 and agree / shown >= 0.83, (agree, shown)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w£$€%]+", text.lower())) - {"the", "a", "an", "of", "and", "to", "in", "on", "at", "for"}
