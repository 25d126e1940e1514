"""Reciprocal rank fusion, and the one ordering rule every ranking shares: near-ties break by position."""
from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60
TIE = 6  # scores equal to 1e-6 are ties, so last-digit float differences never reorder results


def rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion of several ranked id lists."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return scores


def ordered(indices: Sequence[int], scores: Sequence[float], positive: bool = False) -> list[int]:
    """``indices`` by descending score, near-ties by index (document order); only scores > 0 if asked."""
    out = sorted(indices, key=lambda i: (-round(float(scores[i]), TIE), i))
    return [i for i in out if scores[i] > 0] if positive else out
