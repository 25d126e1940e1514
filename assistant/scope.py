"""The documents one question is answered from, within a library of several.

A question that names its document (陕西, 殷勇, 《…》, 1月18日) or a caller that picks documents
(``Assistant.ask(q, docs=[…])``) narrows every step to those documents: retrieval, the duty map, the
figures and the refusal checks. The scope is a context variable, so concurrent requests in a server's
threads each see their own.
"""
from __future__ import annotations

from bisect import bisect_right
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Scope:
    """Document ids and their spans ``(start, end)`` in the combined corpus text."""

    docs: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, corpus, ids) -> "Scope":
        """The scope of the documents ``ids`` of ``corpus``."""
        documents = [corpus.document(d) for d in ids]
        return cls(tuple(d.id for d in documents), tuple(sorted((d.start, d.end) for d in documents)))

    def holds(self, pos: int) -> bool:
        i = bisect_right([s for s, _ in self.spans], pos) - 1
        return i >= 0 and pos <= self.spans[i][1]


MAX_DOCUMENTS = 4  # a question that names no document is answered under at most this many (a display limit)
TOP_DOCUMENT_HITS = 3  # the documents of a question's best sentences that are asked too, when it names none

_CURRENT: ContextVar[Scope | None] = ContextVar("document_scope", default=None)


def current() -> Scope | None:
    """The scope of the question being answered (None: every loaded document)."""
    return _CURRENT.get()


def holds(pos: int) -> bool:
    """Whether a combined-text position is inside the current scope (always, without one)."""
    scope = _CURRENT.get()
    return scope is None or scope.holds(pos)


@contextmanager
def scoped(scope: Scope | None) -> Iterator[None]:
    token = _CURRENT.set(scope)
    try:
        yield
    finally:
        _CURRENT.reset(token)
