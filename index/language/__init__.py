"""General language resources as data files: word lists (one word per line, ``#`` comments) and the
user-facing message templates (``messages.toml``).

They describe how people write questions and how the assistant answers, in Chinese and English, not any
document; what the engine knows about a document is derived from the document (index.bodies, index.facts,
index.tokens.derived_terms).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


@lru_cache(maxsize=None)
def read_words(name: str) -> frozenset[str]:
    return frozenset(_lines(name))


@lru_cache(maxsize=None)
def read_list(name: str) -> tuple[str, ...]:
    """The words of a file in the file's order (for a regex alternation, where order decides the match)."""
    return tuple(_lines(name))


@lru_cache(maxsize=None)
def read_groups(name: str) -> tuple[tuple[str, ...], ...]:
    """A file of ``|``-separated groups of names, one group a line (``#`` comments)."""
    return tuple(tuple(n.strip() for n in line.split("|") if n.strip()) for line in _lines(name))


@lru_cache(maxsize=None)
def messages() -> dict[str, str]:
    """Every template of ``messages.toml`` by its dotted key (table path and name: ``assistant.core.timeout``)."""
    def flat(table: dict, prefix: str):
        for key, value in table.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value
    data = tomllib.loads(resources.files(__name__).joinpath("messages.toml").read_text(encoding="utf-8"))
    return dict(flat(data, ""))


def template(key: str) -> str:
    """One message template, unformatted; a key the file lacks raises KeyError."""
    return messages()[key]


def message(key: str, /, **fields) -> str:
    """One message with its ``{fields}`` filled in (``str.format``); a key the file lacks raises KeyError."""
    return template(key).format(**fields)
