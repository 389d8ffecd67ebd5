"""The chat page in headless Chromium (Debian's chromium, driven by Playwright)."""

import os
import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium: `make test` installs Debian's chromium "
                       "where apt-get can; here it could not"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    """Where the screenshots go: a temporary folder, or the README's pictures with QABOT_SCREENSHOTS=docs
    (what `make screenshots` does), so that a test run leaves the work tree as it found it."""
    folder = os.environ.get("QABOT_SCREENSHOTS")
    if not folder:
        return tmp_path_factory.mktemp("pictures")
    path = ROOT / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(bot, browser, tmp_path_factory):
    from bot import Bot
    from bot.web.app import LAUNCH_OPTIONS, build_app

    root = tmp_path_factory.mktemp("ui")
    shutil.copytree(bot.source, root / "source")
    shutil.copytree(bot.index_dir, root / "index")
    own = Bot(source=root / "source", index=root / "index")
    app = build_app(own, feedback_path=root / "feedback.jsonl")
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                       **LAUNCH_OPTIONS)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.tmp = root
    yield page
    page.close()
    app.close()


def ask(page, question: str) -> str:
    before = page.locator("#chat .message-row, #chat [data-testid='bot']").count()
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(
        "(n) => { const bots = document.querySelectorAll(\"#chat [data-testid='bot']\");"
        " return bots.length > 0 && document.querySelectorAll(\"#chat .message-row, #chat [data-testid='bot']\")"
        ".length > n && !bots[bots.length - 1].innerText.includes('Searching the document'); }",
        arg=before, timeout=60_000)
    page.wait_for_timeout(400)
    return page.locator("#chat [data-testid='bot']").last.inner_text()


def test_question_citation_followup_clear_and_injection(page, pictures):
    text = ask(page, "Who is the head of Roscosmos?")
    assert "Igor Komarov" in text and "cnes-maks-2017.txt, line 6" in text
    mark = page.locator("#doc-panel mark#cite-1")
    assert "Igor Komarov, Head of Roscosmos" in mark.inner_text()

    page.locator("#chat [data-testid='bot']").last.locator("a.cite").first.click()
    page.wait_for_function("() => document.querySelector('#doc-panel mark#cite-1').classList.contains('active')",
                           timeout=10_000)
    page.screenshot(path=str(pictures / "screenshot.png"))

    text = ask(page, "Who did he meet?")
    assert "Jean-Yves Le Gall" in text and "understood as" in text and "Who did Igor Komarov meet?" in text

    page.click("#clear")
    page.wait_for_function("() => document.querySelectorAll(\"#chat [data-testid='bot']\").length === 0")
    text = ask(page, "Who did he meet?")
    assert "understood as" not in text  # a new conversation has nothing to refer back to

    page.evaluate("() => { window.__pwned = 0; }")
    hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> what?"
    text = ask(page, hostile)
    user_text = page.locator("#chat [data-testid='user']").last.inner_text()
    assert "<script>window.__pwned=1</script>" in user_text
    assert page.evaluate("() => window.__pwned") == 0
    assert page.locator("#chat img[src='x']").count() == 0


def test_short_answer_in_bold_and_its_span_marked(page):
    text = ask(page, "When did Thomas Pesquet return to Earth?")
    message = page.locator("#chat [data-testid='bot']").last
    assert text.startswith("2 June")
    bold = message.locator("strong").first
    assert bold.inner_text() == "2 June"
    assert message.locator("mark.short").inner_text() == "2 June"
    assert "score" not in text and "Confidence:" in text
    span = page.locator("#doc-panel mark#cite-1 mark#span-1.span")
    assert span.inner_text() == "2 June"
    weights = page.evaluate("() => [getComputedStyle(document.querySelector('#doc-panel mark#cite-1')).fontWeight,"
                            " getComputedStyle(document.querySelector('#doc-panel mark#span-1')).fontWeight]")
    assert int(weights[1]) > int(weights[0])  # the span stands out from the rest of its sentence
    text = ask(page, "What did Jean-Yves Le Gall say?")
    assert page.locator("#chat [data-testid='bot']").last.locator("mark.short").count() == 0


def test_decline_looks_different(page):
    text = ask(page, "Who won the 2016 Tour de France?")
    assert text.startswith("🤷 The document does not say.")
    assert "do not answer it" in text


def test_upload_a_document_and_ask_about_it(page):
    doc = page.tmp / "comet.txt"
    doc.write_text("The comet Zarnow-7 was discovered by Lena Ortiz in 1998 from a farm in Chile.\n")
    page.get_by_text("Add a document").click()
    page.set_input_files("#upload input[type=file]", str(doc))
    page.wait_for_timeout(500)
    page.click("#add-doc")
    page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('Added')",
                           timeout=60_000)
    text = ask(page, "Who discovered the comet Zarnow-7?")
    assert "Lena Ortiz" in text and "comet.txt, line 1" in text
    assert "Lena Ortiz" in page.locator("#doc-panel mark#cite-1").inner_text()


def test_rejected_upload_says_why(page):
    bad = page.tmp / "fake.pdf"
    bad.write_text("not really a pdf")
    page.set_input_files("#upload input[type=file]", str(bad))
    page.wait_for_timeout(500)
    page.click("#add-doc")
    page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('Not added')",
                           timeout=30_000)
    assert "does not start with %PDF-" in page.locator("#upload-status").inner_text()


def test_report_html_renders_plots_and_misses(bot, browser, tmp_path, pictures):
    import json

    from bot.evaluation.evalio import read_items
    from bot.evaluation.evaluate import compute_metrics, run, write_outputs

    rows = [{"id": "a", "question": "Who is the head of Roscosmos?", "expect": ["Igor Komarov"]},
            {"id": "b", "question": "When did Thomas Pesquet return to Earth?", "expect": ["not in the text"]},
            {"id": "c", "question": "Who won the Tour de France?", "expect": [], "answerable": False}]
    (tmp_path / "q.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    items, _ = read_items(tmp_path / "q.jsonl")
    records = run(bot, items, quiet=True)
    write_outputs(tmp_path / "out", records, compute_metrics(records, bot))
    report = browser.new_page(viewport={"width": 1300, "height": 1000})
    report.goto((tmp_path / "out" / "report.html").as_uri())
    assert report.locator("#rank-plot svg rect.bar").count() == 11
    assert report.locator("#risk-coverage svg polyline.curve").count() == 1
    assert report.locator("#misses tr.miss").count() == 1
    assert "When did Thomas Pesquet return to Earth?" in report.locator("#misses").inner_text()
    path = pictures / "report.png"
    report.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    report.close()


def test_like_is_saved_for_review(page):
    ask(page, "When did Thomas Pesquet return to Earth?")
    page.locator("#chat button[aria-label='Like']").last.click()
    feedback = page.tmp / "feedback.jsonl"
    for _ in range(50):
        if feedback.exists() and feedback.read_text().strip():
            break
        page.wait_for_timeout(200)
    import json

    record = json.loads(feedback.read_text().splitlines()[-1])
    assert record["liked"] is True and record["question"] == "When did Thomas Pesquet return to Earth?"
    assert "2 June" in record["answer"]["citations"][0]["text"]


def test_evaluate_tab_runs_a_questions_file(page):
    import json

    rows = [{"id": "e1", "question": "Who is the head of Roscosmos?", "expect": ["Igor Komarov"]},
            {"id": "e2", "question": "Who won the Tour de France?", "expect": [], "answerable": False}]
    questions = page.tmp / "questions.jsonl"
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    page.get_by_role("tab", name="Evaluate").click()
    page.set_input_files("#eval-file input[type=file]", str(questions))
    page.wait_for_timeout(500)
    page.click("#eval-run")
    page.wait_for_function("() => document.querySelector('#eval-summary').innerText.includes('p_at_1')",
                           timeout=60_000)
    summary = page.locator("#eval-summary").inner_text()
    assert "p_at_1: 1.000" in summary and "decline_recall: 1.000" in summary
    assert page.locator("#eval-results").inner_text().count(".") >= 4  # four result files offered
    page.get_by_role("tab", name="Chat").click()
