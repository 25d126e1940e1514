"""General language resources (stopwords, frame words) as data files: one word per line, ``#`` comments.

They describe how people write questions in Chinese and English, not any document; what the engine knows
about a document is derived from the document (index.bodies, index.facts, index.tokens.derived_terms).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def read_words(name: str) -> frozenset[str]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=None)
def read_groups(name: str) -> tuple[tuple[str, ...], ...]:
    """A file of ``|``-separated groups of names, one group a line (``#`` comments)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return tuple(tuple(n.strip() for n in line.split("|") if n.strip())
                 for line in text.splitlines() if line.strip() and not line.startswith("#"))
