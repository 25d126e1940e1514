"""The general-language data files of index/language: every message key the engine asks for is in
messages.toml (a missing one would raise KeyError only when its message is first shown), every template
there is used and formats, and every word list has its header."""
from __future__ import annotations

import ast
import string
from importlib import resources
from pathlib import Path

import pytest

from index.language import message, messages, read_groups, read_list, read_words, template

REPO = Path(__file__).resolve().parents[2]


def _keys_in_code() -> dict[str, str]:
    """The literal keys passed to message()/template() in assistant/ and index/, with where they are."""
    found = {}
    for package in ("assistant", "index"):
        for path in sorted((REPO / package).rglob("*.py")):
            if path == REPO / "index" / "language" / "__init__.py":   # the loader itself
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("message", "template"):
                    first = node.args[0] if node.args else None
                    # message("a" if x else "b"): both keys.
                    options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                    for arg in options:
                        assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), \
                            f"{path.relative_to(REPO)}:{node.lineno}: a message key must be written out"
                        found[arg.value] = f"{path.relative_to(REPO)}:{node.lineno}"
    return found


def test_every_key_the_code_asks_for_is_in_the_file():
    used = _keys_in_code()
    assert used
    missing = {k: where for k, where in used.items() if k not in messages()}
    assert not missing, missing


def test_every_template_in_the_file_is_used():
    unused = sorted(set(messages()) - set(_keys_in_code()))
    assert not unused, unused


def test_templates_are_strings_grouped_by_module():
    for key, value in messages().items():
        assert isinstance(value, str), key
        module = key.rsplit(".", 1)[0]
        assert module.split(".")[0] in ("assistant", "index"), key
        # A field is a name ({noun}, {doc!r}, {seconds:g}); a literal brace is written {{ }}.
        for _, field, _, _ in string.Formatter().parse(value):
            assert field is None or field.isidentifier(), (key, field)


def test_a_missing_key_is_an_error_not_a_printed_key():
    with pytest.raises(KeyError):
        message("assistant.core.no_such_message")
    with pytest.raises(KeyError):
        template("no.such.key")


def test_a_message_is_its_template_filled_in():
    assert message("assistant.answer.refusal.nothing", noun="讲话") == "讲话中没有提到这方面的内容。"
    assert message("index.documents.unknown", doc="x", known="a, b") == "没有文档 'x'；已载入：a, b"
    assert message("index.store.stalled", what="w", seconds=2.5) == \
        "Chroma 服务器 w 在 2.5 秒内没有回应 (Chroma server stalled)"


def test_every_word_list_says_what_it_is():
    for entry in resources.files("index.language").iterdir():
        if entry.name.endswith((".txt", ".toml")):
            first = entry.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("#"), entry.name
            assert read_words(entry.name) if entry.name.endswith(".txt") else messages()


def test_read_list_keeps_the_file_order():
    words = read_list("shared_duty_words.txt")
    assert words[:2] == ("共同", "一起") and set(words) == read_words("shared_duty_words.txt")
    assert read_groups("shared_duty_words.txt")[0] == ("共同",)
