"""Token lists turned around into postings: for each term, the rows (passages, sentences) it occurs in and how
often, with each row's length — what a BM25 ranking needs of them, as a few numpy arrays.

A build computes them once and keeps them in its snapshot (index.snapshot): counting three million tokens
again was a second and a half of every open of a 1,000-document library, and the arrays read back in a
fraction of that. Each document's are computed once and kept with its cut (index.document_tokens), and a
library's are those merged. Terms are numbered by first appearance, the order a ranker meets them when it
counts the lists itself, so scores computed from either are the same, bit for bit.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np

# An empty list gets this one token, which no query contains: a ranking's average length needs every row
# to have one (rank-bm25 counts an empty document the same way after this substitution).
EMPTY = "∅"


@dataclass(eq=False)
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
        vocabulary = Numbering()
        # Counted in numpy rather than one dict per row (a library has hundreds of thousands of sentences).
        terms = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(documents)), dtype=np.int64)
        lengths = np.fromiter((len(tokens) for tokens in documents), dtype=np.int64, count=size)
        rows = np.repeat(np.arange(size, dtype=np.int64), lengths)
        pairs, counts = np.unique(terms * max(size, 1) + rows, return_counts=True)   # by term, then row
        return cls._sorted(list(vocabulary), pairs // max(size, 1), pairs % max(size, 1), counts, lengths)

    @classmethod
    def merged(cls, parts: list["Postings"], rows_of: list[np.ndarray], size: int) -> "Postings":
        """One postings of ``size`` rows from ``parts``, part ``k``'s row ``r`` being row ``rows_of[k][r]``. Given
        in row order (a library's documents, each one run of rows), the terms are numbered as ``of`` numbers
        them over all the rows, so the result is what ``of`` gives for the whole, array for array."""
        vocabulary = Numbering()
        lengths = np.ones(size, dtype=np.int64)
        terms, rows, counts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int32)]
        for part, where in zip(parts, rows_of):
            where = np.asarray(where, dtype=np.int64)
            numbers = np.fromiter(map(vocabulary.__getitem__, part.terms), dtype=np.int64, count=len(part.terms))
            terms.append(np.repeat(numbers, np.diff(part.bounds)))
            rows.append(where[part.rows])
            counts.append(part.counts)
            lengths[where] = part.lengths
        term, row, count = np.concatenate(terms), np.concatenate(rows), np.concatenate(counts)
        order = np.lexsort((row, term))   # by term, then row
        return cls._sorted(list(vocabulary), term[order], row[order], count[order], lengths)

    @classmethod
    def _sorted(cls, terms: list[str], term: np.ndarray, row: np.ndarray, count: np.ndarray,
                lengths: np.ndarray) -> "Postings":
        """From (term number, row, count) triples sorted by term, then row."""
        per_term = np.bincount(term, minlength=len(terms))
        return cls(terms, np.concatenate([[0], np.cumsum(per_term)]).astype(np.int64), row.astype(np.int32),
                   count.astype(np.int32), lengths)

    def __eq__(self, other) -> bool:
        return isinstance(other, Postings) and self.terms == other.terms and all(
            np.array_equal(getattr(self, k), getattr(other, k)) for k in ("bounds", "rows", "counts", "lengths"))

    def bags(self) -> list[dict[str, int]]:
        """Each row's terms with their counts (for checks; a ranking never needs them)."""
        out: list[dict[str, int]] = [{} for _ in range(self.size)]
        for i, term in enumerate(self.terms):
            for row, count in zip(self.rows[self.bounds[i]:self.bounds[i + 1]].tolist(),
                                  self.counts[self.bounds[i]:self.bounds[i + 1]].tolist()):
                out[row][term] = count
        return out

    def frequencies(self) -> dict[str, int]:
        """How many rows hold each term, in term order."""
        return dict(zip(self.terms, np.diff(self.bounds).tolist()))


class Numbering(dict):
    """term → its number, numbering a term not met before next: ``map(numbering.__getitem__, tokens)`` numbers
    a stream of tokens at C speed but for the first meeting of each term."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number
