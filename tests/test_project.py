"""The project's set-up: pinned dependencies installed within constraints.txt."""

import tomllib

from tests.conftest import ROOT


def test_dependencies_are_pinned_and_installed_with_constraints():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = project["project"]["dependencies"]
    assert "torch==2.13.0" in deps
    assert all(any(op in d for op in ("==", "<")) for d in deps), deps
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text()
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().split() if "==" in line)
    assert pins["torch"] == "2.13.0"
