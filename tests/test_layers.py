"""The layout of ``bot/``: each wing imports only itself and the wings below it, and no imports go round a cycle.

Bottom to top, the way the data flows: documents → embedding → store → ranking → answering → evaluation →
cluster (the same work spread over Ray) → benchmarks → the faces (the web page and the command line, which also
offer the evaluator and the benchmarks). Every ``import`` is read from the source with ``ast``: at the top of a
module or inside a function, absolute or relative.
"""

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LAYERS = {"documents": 0, "embedding": 1, "store": 2, "ranking": 3, "answering": 4,
          "evaluation": 5, "cluster": 6, "benchmarks": 7, "web": 8, "cli": 8}
# Modules at the package root and the wing they belong to. bot/__init__.py re-exports the answering
# wing (Bot, ask, Answer, Citation), so importing ``bot`` is importing that wing.
AT_ROOT = {"": "answering", "cli": "cli", "__main__": "cli"}


def find_modules(package: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a sub-package by its own name, for its __init__.py)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports, wherever the import statement stands."""
    top = name.split(".")[0]
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()

    def owner(dotted: str) -> str | None:  # the module itself, or the nearest package holding the name
        parts = dotted.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        return ".".join(parts) or None

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {owner(alias.name) for alias in node.names if alias.name.split(".")[0] == top}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != top:
                continue
            for alias in node.names:
                found.add(owner(f"{base}.{alias.name}") if f"{base}.{alias.name}" in known else owner(base))
    found.discard(None)
    found.discard(name)
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    known = find_modules(package)
    return {name: imported(name, path, known) for name, path in known.items()}


def wing(name: str) -> str:
    inner = name.split(".")[1:]
    if not inner or (len(inner) == 1 and inner[0] in AT_ROOT):
        return AT_ROOT["".join(inner)]
    return inner[0]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports that go from a wing to a higher one (or to a module in no known wing)."""
    bad = []
    for name, targets in sorted(graph.items()):
        for target in sorted(targets):
            low, high = wing(name), wing(target)
            if low not in LAYERS or high not in LAYERS:
                bad.append(f"{name} -> {target}: not in a known wing (add it to LAYERS)")
            elif low != high and LAYERS[high] > LAYERS[low]:
                bad.append(f"{name} ({low}) -> {target} ({high}): a lower wing imports a higher one")
    return bad


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other round a cycle (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_every_module_is_in_a_wing():
    assert {wing(name) for name in find_modules(ROOT / "bot")} == set(LAYERS)


def test_lower_wings_never_import_higher_ones():
    assert upward_imports(import_graph(ROOT / "bot")) == []


def test_no_import_cycles():
    assert cycles(import_graph(ROOT / "bot")) == []


def test_the_checks_catch_an_upward_import_and_a_cycle(tmp_path):
    """A small package breaking both rules, with the imports the checks must see through: relative,
    inside a function, ``from package import module``."""
    files = {
        "__init__.py": "",
        "documents/__init__.py": "",
        "documents/reader.py": "def read():\n    from ..ranking import scorer\n    return scorer\n",
        "ranking/__init__.py": "",
        "ranking/scorer.py": "from bot.documents.reader import read\n",
        "ranking/other.py": "from . import scorer\n",
    }
    for name, text in files.items():
        (tmp_path / "bot" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "bot" / name).write_text(text)
    graph = import_graph(tmp_path / "bot")
    assert graph["bot.documents.reader"] == {"bot.ranking.scorer"}
    assert graph["bot.ranking.other"] == {"bot.ranking.scorer"}
    assert upward_imports(graph) == ["bot.documents.reader (documents) -> bot.ranking.scorer (ranking): "
                                     "a lower wing imports a higher one"]
    assert cycles(graph) == [["bot.documents.reader", "bot.ranking.scorer"]]


def test_wing_packages_only_say_what_they_offer():
    """Each sub-package's __init__.py is a one-line docstring: importing a wing loads nothing else."""
    for init in sorted((ROOT / "bot").glob("*/__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc and "\n" not in doc and len(tree.body) == 1, init


def test_answering_a_question_imports_no_torch(bot):
    """The query path stays light: a new process answers without loading torch or sentence-transformers."""
    code = ("import sys\nfrom bot import Bot\n"
            f"bot = Bot(source={str(bot.source)!r}, index={str(bot.index_dir)!r})\n"
            "answer = bot.ask('Who is the head of Roscosmos?')\n"
            "assert answer.citations, answer.text\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'sentence_transformers', 'gradio'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_plain_commands_never_import_ray(bot, tmp_path):
    """Ray is an optional engine: ``qabot ask`` and ``qabot eval`` without ``--ray`` leave it unloaded."""
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q1", "question": "Who is the head of Roscosmos?", "expect": ["Igor Komarov"]}\n')
    where = ["--source", str(bot.source), "--index", str(bot.index_dir)]
    code = ("import sys\nfrom bot.cli import main\n"
            f"main(['ask', *{where!r}, 'Who is the head of Roscosmos?'])\n"
            f"main(['eval', {str(questions)!r}, *{where!r}, '--quiet'])\n"
            "print('ray loaded' if 'ray' in sys.modules else 'no ray')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "no ray"
