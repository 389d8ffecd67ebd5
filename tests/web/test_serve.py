"""Serving defaults: loopback only, a warning and a password for the network, no analytics."""

import os

import pytest

from bot.cli import build_parser
from bot.web import app as app_module


class FakeApp:
    def __init__(self):
        self.launched = None

    def queue(self, **kw):
        return self

    def launch(self, **kw):
        self.launched = kw


@pytest.fixture
def fake(monkeypatch):
    made = FakeApp()
    monkeypatch.setattr(app_module, "build_app", lambda bot: made)
    monkeypatch.delenv("QABOT_AUTH", raising=False)
    return made


def test_default_host_is_loopback():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 7860)


def test_loopback_serves_without_warning(fake, capsys):
    assert app_module.serve(object(), host="127.0.0.1", port=7860) == 0
    assert fake.launched["server_name"] == "127.0.0.1" and fake.launched["share"] is False
    assert fake.launched["auth"] is None and capsys.readouterr().err == ""
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"


def test_network_without_auth_warns(fake, capsys):
    app_module.serve(object(), host="0.0.0.0", port=7860)
    assert "without --auth" in capsys.readouterr().err


def test_network_with_auth(fake, capsys, monkeypatch):
    app_module.serve(object(), host="0.0.0.0", port=7860, auth="ana:s3cret")
    assert fake.launched["auth"] == ("ana", "s3cret") and capsys.readouterr().err == ""
    monkeypatch.setenv("QABOT_AUTH", "bo:pw")
    app_module.serve(object(), host="0.0.0.0", port=7860)
    assert fake.launched["auth"] == ("bo", "pw")


def test_malformed_auth_is_refused(fake, capsys):
    assert app_module.serve(object(), host="0.0.0.0", auth="nocolon") == 2
    assert "--auth takes user:password" in capsys.readouterr().err

