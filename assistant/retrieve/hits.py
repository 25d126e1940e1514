"""What retrieval takes and gives: a prepared ``Query`` and scored ``Hit``s."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Query:
    """A question prepared once for every ranking: dense vector and BM25 tokens (with expansions)."""

    text: str
    vector: np.ndarray
    tokens: list[str]


@dataclass
class Hit:
    id: str
    score: float                       # fused RRF score
    dense: float = 0.0                 # cosine similarity
    bm25: float = 0.0
    ranks: dict = field(default_factory=dict)
