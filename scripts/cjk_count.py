"""Count the Chinese (CJK) characters written into the engine's string literals.

The project's rule: no document's words in engine code, and general language belongs in the data files of
``index/language/``. This script measures how much Chinese is still written into code: the CJK characters
(U+4E00–U+9FFF, U+3400–U+4DBF) inside the string literals of ``assistant/**/*.py`` and ``index/**/*.py``.
Comments are not strings and are not counted; nor are docstrings (the first statement of a module, class
or function when it is a string), which may use Chinese as examples. The parts of an f-string count as
its literal text only (the expressions inside ``{}`` are code).

Usage: ``python scripts/cjk_count.py [--top N] [ROOT]`` prints the total and the top N files (20).
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
PACKAGES = ("assistant", "index")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                ids.add(id(first.value))
    return ids


def count_file(path: Path) -> int:
    """CJK characters in the string literals of one Python file, docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree)
    n = 0
    for node in ast.walk(tree):
        # A plain string, or a literal part of an f-string (ast.JoinedStr holds them as Constants).
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            n += len(CJK.findall(node.value))
    return n


def count_tree(root: Path) -> dict[str, int]:
    counts = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            counts[str(path.relative_to(root))] = count_file(path)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    counts = count_tree(Path(args.root))
    print(f"total {sum(counts.values())} CJK characters in string literals "
          f"({sum(1 for n in counts.values() if n)} of {len(counts)} files)")
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:args.top]:
        if n:
            print(f"{n:6d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
