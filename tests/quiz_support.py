"""Helpers shared by the quiz tests (their fixtures, ``bank``/``by_id``/``grade``/``names``, live in conftest)."""
from __future__ import annotations


def one(bank, pred):
    """The first question of the bank that matches, failing the test when none does."""
    found = [q for q in bank if pred(q)]
    assert found, "no question matches"
    return found[0]


def named(surface: dict, actor: str, text: str) -> bool:
    """Whether ``text`` names ``actor`` by any of its surface forms."""
    return any(f in text for f in surface[actor])
