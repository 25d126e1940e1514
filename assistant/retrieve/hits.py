"""What retrieval takes and gives: a prepared ``Query``, scored ``Hit``s, and the ``Evidence`` handed to
the answerers."""
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


@dataclass
class Evidence:
    """What retrieval found for one analysed question: everything the answerers may use."""

    query: Query
    hits: list[Hit]
    focus_hits: list[Hit] = field(default_factory=list)   # the last clause's own best sentences
    hop_queries: list[Query] = field(default_factory=list)  # one per task of a multi-hop "who" question
