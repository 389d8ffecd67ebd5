import socket

import pytest

from bot.answering.answer import Answer, Citation
from bot.web.render import answer_markdown, document_html, escape_md


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(bot, tmp_path_factory):
    from bot.web.app import LAUNCH_OPTIONS, build_app

    app = build_app(bot, feedback_path=tmp_path_factory.mktemp("fb") / "feedback.jsonl")
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                       **LAUNCH_OPTIONS)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_gradio_client_gets_the_structured_answer(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    data = client.predict("Who is the head of Roscosmos?", api_name="/ask")
    assert data["abstained"] is False
    top = data["citations"][0]
    assert "Igor Komarov" in top["text"] and (top["doc"], top["line"]) == ("cnes-maks-2017.txt", 6)
    assert data["short"] == "Igor Komarov" and len(top["span"]) == 2


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001])
def test_api_refuses_bad_questions_clearly(server, question):
    from gradio_client import Client

    data = Client(server, verbose=False).predict(question, api_name="/ask")
    assert data["abstained"] is True and data["citations"] == [] and data["error"]


def test_two_sessions_keep_separate_conversations(server):
    from gradio_client import Client

    first, second = Client(server, verbose=False), Client(server, verbose=False)
    first.predict("Who is Igor Komarov?", [], api_name="/respond")
    second.predict("What did Thomas Pesquet do in 2016?", [], api_name="/respond")
    one = first.predict("Who did he meet?", [], api_name="/respond")[-1]
    two = second.predict("How did he come back?", [], api_name="/respond")[-1]
    assert one["query"] == "Who did Igor Komarov meet?" and "Jean-Yves Le Gall" in one["citations"][0]["text"]
    assert two["query"] == "How did Thomas Pesquet come back?" and "Soyuz" in two["citations"][0]["text"]


def test_only_ask_and_respond_are_public(server):
    from gradio_client import Client

    api = Client(server, verbose=False).view_api(print_info=False, return_format="dict")
    assert sorted(api["named_endpoints"]) == ["/ask", "/respond"]


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> **bold** [link](http://x)"


def test_user_and_document_text_is_escaped():
    cite = Citation("d<b>.txt", HOSTILE, 0, len(HOSTILE), 1, 1.0, span=(0, 17))
    answer = Answer(HOSTILE, "[1] " + HOSTILE, [cite], False, HOSTILE + " more", short=HOSTILE[:17])
    for rendered in (answer_markdown(answer), escape_md(HOSTILE), document_html("d<b>.txt", HOSTILE, [cite])):
        assert "<script>" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;" in escape_md(HOSTILE)
    assert "\\*\\*bold\\*\\*" in escape_md(HOSTILE)


def test_document_panel_marks_cited_sentences(bot):
    answer = bot.ask("When did Thomas Pesquet return to Earth?")
    page = document_html(answer.top.doc, bot.document_text(answer.top.doc), answer.citations)
    assert "<mark id='cite-1' class='cited'" in page
    sentence = page.split("<mark id='cite-1'")[1].split("</mark></mark>")[0]
    assert "return to Earth on <mark id='span-1' class='span'>2 June" in sentence


def test_short_answer_first_in_bold_and_confidence_in_words(bot):
    answer = bot.ask("When did Thomas Pesquet return to Earth?")
    rendered = answer_markdown(answer)
    assert rendered.startswith("**2 June**\n\n")
    assert "return to Earth on <mark class='short'>2 June</mark> in a Soyuz" in rendered
    assert "score" not in rendered.replace("ranking score", "") and "Confidence: " in rendered
    assert f"confidence {answer.confidence:.2f}" in rendered  # the exact figure in the tooltip
    open_question = answer_markdown(bot.ask("What did Jean-Yves Le Gall say?"))
    assert not open_question.startswith("**") and "<mark" not in open_question


def test_decline_is_distinct(bot):
    rendered = answer_markdown(bot.ask("Who won the 2016 Tour de France?"))
    assert rendered.startswith("**🤷 The document does not say.**")
    assert "do not answer it" in rendered
