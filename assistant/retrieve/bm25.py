"""BM25 over jieba tokens: rank-bm25's Okapi BM25 (its idf, k1, b and length normalisation), scored from
postings (index.postings), so a query costs the length of its terms' postings rather than a pass over every
sentence (the same scores, bit for bit: the same arithmetic, term by term, in query order)."""
from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi

from index.postings import Postings


class BM25Ranker:
    """Scores a fixed list of token lists (or their postings, as a build keeps them) against query tokens."""

    def __init__(self, documents: list[list[str]] | Postings):
        postings = documents if isinstance(documents, Postings) else Postings.of(documents)
        self.size = postings.size
        # No documents at all (a text with no duties) is an empty ranking.
        self._bm25 = BM25Okapi.__new__(BM25Okapi) if self.size else None
        if self._bm25 is None:
            return
        bm = self._bm25
        bm.k1, bm.b, bm.epsilon = 1.5, 0.75, 0.25   # BM25Okapi's defaults
        bm.corpus_size, bm.doc_len, bm.doc_freqs, bm.idf, bm.tokenizer = self.size, None, None, {}, None
        bm.avgdl = int(postings.lengths.sum()) / self.size
        bm._calc_idf(postings.frequencies())   # a float sum over the terms in order: their first appearance
        self._term = {t: i for i, t in enumerate(postings.terms)}
        self._postings = postings
        self._doc_len = postings.lengths

    def run(self, tokens: list[str]) -> np.ndarray:
        """One score per document (zeros for an empty query)."""
        score = np.zeros(self.size)
        bm = self._bm25
        if not tokens or bm is None:
            return score
        p = self._postings
        for q in tokens:
            i = self._term.get(q)
            if i is None:
                continue   # rank-bm25 adds 0 for a term no document has
            rows, f = p.rows[p.bounds[i]:p.bounds[i + 1]], p.counts[p.bounds[i]:p.bounds[i + 1]]
            score[rows] += (bm.idf.get(q) or 0) * (f * (bm.k1 + 1) /
                                                   (f + bm.k1 * (1 - bm.b + bm.b * self._doc_len[rows] / bm.avgdl)))
        return score
