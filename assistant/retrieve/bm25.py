"""BM25 over jieba tokens (rank-bm25's Okapi BM25)."""
from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi


class BM25Ranker:
    """Scores a fixed list of token lists against query tokens."""

    def __init__(self, documents: list[list[str]]):
        self.size = len(documents)
        # An empty document would break BM25's averages: it gets a token no query contains. No documents
        # at all (a text with no duties) is an empty ranking.
        self._bm25 = BM25Okapi([tokens or ["∅"] for tokens in documents]) if documents else None

    def run(self, tokens: list[str]) -> np.ndarray:
        """One score per document (zeros for an empty query)."""
        return self._bm25.get_scores(tokens) if tokens and self._bm25 else np.zeros(self.size)
