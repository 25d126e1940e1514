"""Dense ranking: cosine similarity of normalized vectors (the stored mE5 sentence vectors)."""
from __future__ import annotations

import numpy as np


class DenseRanker:
    """Scores a fixed matrix of unit vectors against a query vector."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors

    def run(self, vector: np.ndarray) -> np.ndarray:
        return self.vectors @ vector
