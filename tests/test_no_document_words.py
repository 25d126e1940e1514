"""What the engine knows about a document comes from the document: none of the names the counterfactual copy
changes (bodies, places, rivers, people, figures, the bulletin's name; eval/counterfactual_map.json) is
written into a string of the engine's code (assistant/, index/). Docstrings and comments may use them as
examples; string constants, which the engine acts on, may not."""
from __future__ import annotations

import ast
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _code_strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_name_from_the_document_is_written_into_engine_code():
    names = [original for original, _ in json.loads((REPO / "eval" / "counterfactual_map.json")
                                                    .read_text(encoding="utf-8"))["replacements"]]
    assert len(names) > 50
    found = []
    for package in ("assistant", "index"):
        for path in sorted((REPO / package).rglob("*.py")):
            for line, text in _code_strings(path):
                found += [f"{path.relative_to(REPO)}:{line}: {name}" for name in names if name in text]
    assert not found, found
