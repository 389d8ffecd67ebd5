"""The no-op floor of ``qabot bench load``: an endpoint of the chat page's shape whose handler does nothing.

Same inputs and outputs as ``/respond`` (question, chat history, session state → question box, chat, state,
document panel, structured answer) and the same queue settings, so that its server CPU per answer is Gradio's
own cost for that load. Run as ``python -m bot.web.floor PORT`` (served with the chat page's Gradio settings) or
``python -m bot.web.floor PORT --gradio-defaults`` (Gradio as it comes).
"""

from __future__ import annotations

import os
import sys

import gradio as gr

from bot.web.app import GRADIO_SETTINGS, QUEUE


def noop(question: str, history: list, state: dict | None):
    """The question and a fixed reply added to the chat, nothing else done."""
    history = history + [{"role": "user", "content": question}, {"role": "assistant", "content": "-"}]
    return "", history, state, "", {"query": question}


def build_floor() -> gr.Blocks:
    with gr.Blocks(title="floor", analytics_enabled=False) as app:
        state = gr.State(None)
        chat = gr.Chatbot()
        box = gr.Textbox()
        panel = gr.HTML()
        last = gr.JSON(visible=False)
        box.submit(noop, [box, chat, state], [box, chat, state, panel, last], api_name="respond")
    return app


if __name__ == "__main__":
    os.environ.update(GRADIO_SETTINGS if "--gradio-defaults" not in sys.argv else {"GRADIO_ANALYTICS_ENABLED": "False"})
    build_floor().queue(**QUEUE).launch(server_name="127.0.0.1", server_port=int(sys.argv[1]), quiet=True)
