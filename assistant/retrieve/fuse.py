"""Reciprocal rank fusion, and the one ordering rule every ranking shares: near-ties break by position."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RRF_K = 60
TIE = 6  # scores equal to 1e-6 are ties, so last-digit float differences never reorder results


def rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion of several ranked id lists."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return scores


def ranked(rows: np.ndarray, scores: np.ndarray, positive: bool = False) -> np.ndarray:
    """``ordered`` for arrays: ``rows`` by descending score, near-ties by row (a numpy sort, for rankings of
    10^4–10^5 sentences)."""
    if positive:
        rows = rows[scores[rows] > 0]
    key = np.round(scores[rows].astype(np.float64), TIE)
    return rows[np.lexsort((rows, -key))]


def rrf_top(rankings: list[np.ndarray], size: int, k: int, rrf_k: int = RRF_K) -> tuple[np.ndarray, np.ndarray]:
    """``rrf`` over row rankings, as arrays: the ``k`` best rows (near-ties by row) and every row's fused
    score (``size`` rows; 0 for rows in no ranking)."""
    fused = np.zeros(size, dtype=np.float64)
    for ranking in rankings:
        fused[ranking] += 1.0 / (rrf_k + np.arange(len(ranking), dtype=np.float64) + 1)
    # Every row of a ranking has a positive fused score and no other row has one: those are the candidates,
    # ascending (np.unique of the rankings gave the same, at 10 ms an ask over a 1,000-document library).
    candidates = np.flatnonzero(fused)
    key = np.round(fused[candidates], TIE)
    return candidates[np.lexsort((candidates, -key))][:k], fused


def ordered(indices: Sequence[int], scores: Sequence[float], positive: bool = False) -> list[int]:
    """``indices`` by descending score, near-ties by index (document order); only scores > 0 if asked."""
    out = sorted(indices, key=lambda i: (-round(float(scores[i]), TIE), i))
    return [i for i in out if scores[i] > 0] if positive else out
