"""Token lists turned around into postings: for each term, the rows (passages, sentences) it occurs in and how
often, with each row's length — what a BM25 ranking needs of them, as a few numpy arrays.

A build computes them once and keeps them in its snapshot (index.snapshot): counting three million tokens
again was a second and a half of every open of a 1,000-document library, and the arrays read back in a
fraction of that. Terms are numbered by first appearance, the order a ranker meets them when it counts the
lists itself, so scores computed from either are the same, bit for bit.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np

# An empty list gets this one token, which no query contains: a ranking's average length needs every row
# to have one (rank-bm25 counts an empty document the same way after this substitution).
EMPTY = "∅"


@dataclass
class Postings:
    """Term ``terms[i]`` occurs in ``rows[bounds[i]:bounds[i + 1]]`` (ascending), ``counts`` times in each;
    ``lengths[r]`` is row ``r``'s number of tokens."""

    terms: list[str]
    bounds: np.ndarray
    rows: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray

    @property
    def size(self) -> int:
        return len(self.lengths)

    @classmethod
    def of(cls, documents: list[list[str]]) -> "Postings":
        size = len(documents)
        documents = [tokens or [EMPTY] for tokens in documents]
        vocabulary = _Numbering()
        # Counted in numpy rather than one dict per row (a library has hundreds of thousands of sentences).
        terms = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(documents)), dtype=np.int64)
        lengths = np.fromiter((len(tokens) for tokens in documents), dtype=np.int64, count=size)
        rows = np.repeat(np.arange(size, dtype=np.int64), lengths)
        pairs, counts = np.unique(terms * max(size, 1) + rows, return_counts=True)   # by term, then row
        per_term = np.bincount(pairs // max(size, 1), minlength=len(vocabulary))
        return cls(list(vocabulary), np.concatenate([[0], np.cumsum(per_term)]).astype(np.int64),
                   (pairs % max(size, 1)).astype(np.int32), counts.astype(np.int32), lengths)

    def frequencies(self) -> dict[str, int]:
        """How many rows hold each term, in term order."""
        return dict(zip(self.terms, np.diff(self.bounds).tolist()))


class _Numbering(dict):
    """term → its number, numbering a term not met before next (a lookup per token, the miss in Python)."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number
