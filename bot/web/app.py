"""The Gradio chat page: answers with citations beside the document they come from."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import deque
from pathlib import Path

import gradio as gr

from bot.answering.answer import Answer
from bot.answering.pipeline import Bot
from bot.documents.uploads import UploadError, save_upload
from bot.store.store import IndexWriteError
from bot.web.render import answer_markdown, document_html, escape_md

EXAMPLES = [
    "Who is the head of Roscosmos?",
    "When did Thomas Pesquet return to Earth?",
    "What is planned for the second half of the year?",
]
CSS = """
.doc-body { white-space: pre-wrap; font-family: Georgia, serif; line-height: 1.5;
            max-height: 70vh; overflow-y: auto; padding: 0.5em; }
.doc-title { font-weight: 600; margin-bottom: 0.4em; }
mark.cited { background: #fff3a0; border-radius: 3px; padding: 0 2px; }
mark.cited.active { background: #ffb347; outline: 2px solid #e07b00; }
mark.span { background: #f08c00; color: #000; font-weight: 700; border-radius: 3px; padding: 0 1px; }
mark.short { background: #fff3a0; font-weight: 600; border-radius: 3px; padding: 0 1px; }
"""
JS_CITE = """
() => { document.addEventListener('click', (e) => {
  const a = e.target.closest('a.cite'); if (!a) return; e.preventDefault();
  const id = a.getAttribute('href').slice(1); const m = document.getElementById(id);
  if (!m) return; document.querySelectorAll('mark.cited.active').forEach(x => x.classList.remove('active'));
  m.classList.add('active'); m.scrollIntoView({behavior: 'smooth', block: 'center'}); }); }
"""

LAUNCH_OPTIONS = {"css": CSS, "js": JS_CITE, "footer_links": ["api"], "theme": "soft"}
QUEUE = {"default_concurrency_limit": 8}
# Gradio's queue records every event and, after each one, sums all the records up with pandas for its monitoring
# page, which this app does not offer: 3-5 ms per answer at first, 16 ms once it holds its 10,000 records, and
# memory that grows with them. A few records, summed up never.
GRADIO_SETTINGS = {"GRADIO_ANALYTICS_ENABLED": "False", "GRADIO_ANALYTICS_MAX_EVENTS": "100",
                   "GRADIO_ANALYTICS_CACHE_FREQUENCY": str(2**31)}
KEPT_ANSWERS = 200  # per browser session, for likes: a session's memory stays bounded however long it chats


class FeedbackLog:
    """Likes and dislikes, one JSON line each, for review."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()

    def record(self, liked: bool, question: str, answer: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"time": time.time(), "liked": liked, "question": question, "answer": answer},
                          ensure_ascii=False)
        with self.lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


def build_app(bot: Bot, feedback_path: Path | None = None):
    """The Blocks app; each browser session holds its own conversation."""
    feedback = FeedbackLog(feedback_path or bot.index_dir.parent / "feedback" / "feedback.jsonl")
    bot.load()

    def panel(answer: Answer | None) -> str:
        cites = (answer.citations or answer.closest) if answer else []
        doc = cites[0].doc if cites else bot.documents[0] if bot.documents else None
        if doc is None:
            return "<div class='doc-body'>No documents.</div>"
        return document_html(doc, bot.document_text(doc), cites)

    def respond(question: str, history: list, state: dict | None):
        """Answer in the conversation of this browser session: the question and its whole answer added to the
        chat in one message (an answer takes milliseconds; streaming it in pieces cost more than it)."""
        state = state or {"conversation": bot.conversation(), "answers": deque(maxlen=KEPT_ANSWERS), "turns": 0}
        answer = state["conversation"].ask(question)
        record = answer.to_dict()
        state["answers"].append(record)
        state["turns"] += 1
        history = history + [{"role": "user", "content": escape_md(question)},
                             {"role": "assistant", "content": answer_markdown(answer)}]
        return "", history, state, panel(answer), record

    def clear():
        return [], None, panel(None), None

    def on_like(data: gr.LikeData, state: dict | None):
        if not state or data.index is None:
            return
        turn = data.index[0] // 2 if isinstance(data.index, list | tuple) else data.index // 2
        kept = turn - (state["turns"] - len(state["answers"]))  # the oldest answers are no longer kept
        if 0 <= kept < len(state["answers"]):
            record = state["answers"][kept]
            feedback.record(bool(data.liked), record["question"], record)

    def upload(file):
        """Add an uploaded document and index it: a status line, the document shown, the picker cleared."""
        if file is None:
            return "Choose a file first.", gr.skip(), None
        path = Path(file if isinstance(file, str) else file.name)
        try:
            saved = save_upload(path.read_bytes(), path.name, bot.source)
        except UploadError as err:
            return f"⚠️ Not added — {escape_md(str(err))}", gr.skip(), None
        doc = saved.relative_to(bot.source.resolve()).as_posix()
        try:
            report = bot.reindex()
        except IndexWriteError as err:  # the index in use keeps answering; the next start indexes the file
            return f"⚠️ {escape_md(doc)} was saved but not indexed — {escape_md(str(err))}", gr.skip(), None
        problem = next((p for p in report.problems if p.doc == doc), None)
        if problem:
            return f"⚠️ {escape_md(problem.doc)} could not be read: {escape_md(problem.reason)}", gr.skip(), None
        return (f"✅ Added **{escape_md(doc)}** ({escape_md(report.summary())}). Ask about it now.",
                document_html(doc, bot.document_text(doc), []), None)

    def evaluate_file(file, progress=gr.Progress()):  # noqa: B008 - Gradio injects progress this way
        """Evaluate an uploaded questions file; returns the summary and the result files."""
        import tempfile

        from bot.evaluation.evalio import read_items
        from bot.evaluation.evaluate import compute_metrics, run, summary_text, write_outputs

        if file is None:
            return "Choose a questions file (.jsonl, .csv or .tsv).", None
        try:
            items, errors = read_items(Path(file if isinstance(file, str) else file.name))
        except (OSError, ValueError) as err:
            return f"⚠️ {escape_md(str(err))}", None
        if not items:
            return "⚠️ No question could be read from that file.", None
        records = run(bot, items, quiet=True, on_progress=lambda d, t: progress(d / t, desc=f"{d}/{t} questions"))
        metrics = compute_metrics(records, bot)
        out = Path(tempfile.mkdtemp(prefix="qabot-eval-"))
        write_outputs(out, records, metrics)
        notes = "".join(f"\n- skipped {escape_md(str(e))}" for e in errors)
        summary = f"```\n{summary_text(metrics)}\n```{notes}"
        return summary, [str(out / n) for n in ("report.html", "metrics.json", "answers.jsonl", "answers.csv")]

    def ask(question: str) -> dict:
        """Answer one question; returns ``Answer.to_dict()``."""
        return bot.ask(question).to_dict()

    with gr.Blocks(title="Ask the document", analytics_enabled=False) as app:
        gr.Markdown("## Ask the document\nAnswers are sentences quoted from the document, each cited.")
        state = gr.State(None)
        with gr.Tab("Chat"), gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Chat", height=520, buttons=["copy"], sanitize_html=True,
                                  elem_id="chat")
                with gr.Row():
                    box = gr.Textbox(placeholder="Ask a question about the document…", show_label=False,
                                     scale=5, elem_id="question", max_length=2000)
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                clear_btn = gr.Button("Clear chat (new conversation)", elem_id="clear")
                gr.Examples(EXAMPLES, inputs=box)
                last = gr.JSON(label="Structured answer", visible=False)
            with gr.Column(scale=2):
                doc_panel = gr.HTML(panel(None), elem_id="doc-panel")
                with gr.Accordion("Add a document", open=False):
                    new_doc = gr.File(label=".txt, .md, .pdf or .html, up to 20 MiB", elem_id="upload",
                                      file_types=[".txt", ".md", ".pdf", ".html", ".htm"])
                    add = gr.Button("Add and index", elem_id="add-doc")
                    added = gr.Markdown(elem_id="upload-status")
        with gr.Tab("Evaluate"):
            gr.Markdown("Upload questions (`.jsonl` like the dev set, or `.csv`/`.tsv` with a `question` column "
                        "and optionally `expect`, `answerable`, `conv`, `turn`, `id`).")
            questions_file = gr.File(label="Questions file", file_types=[".jsonl", ".csv", ".tsv"],
                                     elem_id="eval-file")
            run_eval = gr.Button("Evaluate", variant="primary", elem_id="eval-run")
            eval_summary = gr.Markdown(elem_id="eval-summary")
            eval_files = gr.File(label="Results", file_count="multiple", elem_id="eval-results")
        outputs = [box, chat, state, doc_panel, last]
        box.submit(respond, [box, chat, state], outputs, api_name="respond")
        send.click(respond, [box, chat, state], outputs, api_visibility="private")
        clear_btn.click(clear, None, [chat, state, doc_panel, last], api_visibility="private")
        chat.like(on_like, [state], None, api_visibility="private")
        add.click(upload, [new_doc], [added, doc_panel, new_doc], api_visibility="private")
        run_eval.click(evaluate_file, [questions_file], [eval_summary, eval_files], api_visibility="private")
        gr.api(ask, api_name="ask")
    return app


def serve(bot: Bot, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None) -> int:
    """Serve on ``host:port``; binding beyond this machine wants ``--auth``."""
    for name, value in GRADIO_SETTINGS.items():
        os.environ.setdefault(name, value)
    auth = auth or os.environ.get("QABOT_AUTH")
    credentials = tuple(auth.split(":", 1)) if auth else None
    if auth and len(credentials) != 2:
        print("qabot: --auth takes user:password", file=sys.stderr)
        return 2
    if host not in ("127.0.0.1", "localhost", "::1") and not credentials:
        print(f"warning: serving on {host} without --auth: anyone on the network can use it", file=sys.stderr)
    from threadpoolctl import threadpool_limits

    app = build_app(bot)
    # Answers run side by side, one core each: BLAS's own threads would only spin on the cores they need (a
    # question's matrix product takes 14 times the CPU with two OpenBLAS threads).
    with threadpool_limits(1, user_api="blas"):
        app.queue(**QUEUE).launch(
            server_name=host, server_port=port, auth=credentials, share=False, **LAUNCH_OPTIONS)
    return 0
