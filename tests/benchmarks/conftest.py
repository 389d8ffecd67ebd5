import json

import pytest


@pytest.fixture
def user_sets(tmp_path, monkeypatch) -> dict:
    """Three small user-style sets (the release's held-out and probe questions, the harbour library's), each in
    a folder of its own, served as ``weights.question_sets`` to the tree models' fitters."""
    import bot.benchmarks.weights as weights
    from tests.conftest import RELEASE, ROOT

    data = ROOT / "tests" / "data"
    sets = {}
    for name, doc, questions in (("heldout", RELEASE, data / "release_heldout.jsonl"),
                                 ("probe", RELEASE, data / "release_probe.jsonl"),
                                 ("other", data / "other" / "harbour-library.txt",
                                  data / "other" / "harbour-library.jsonl")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / doc.name).write_bytes(doc.read_bytes())
        sets[name] = (folder, [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines()])
    monkeypatch.setattr(weights, "question_sets", lambda args, answerable_only=True, follow_ups=False: sets)
    return sets
