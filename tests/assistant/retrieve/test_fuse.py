"""fuse: reciprocal rank fusion, and ties broken by document order, never by float noise."""
from __future__ import annotations

from assistant.retrieve.fuse import RRF_K, ordered, rrf


def test_rrf_rewards_agreement_between_rankings():
    scores = rrf([["a", "b", "c"], ["b", "a", "d"]])
    assert scores["a"] == scores["b"] == 1 / (RRF_K + 1) + 1 / (RRF_K + 2)
    assert scores["a"] > scores["c"] > 0 and scores["d"] == scores["c"]


def test_near_ties_keep_document_order_and_positive_filters():
    scores = [0.5, 0.5 + 1e-9, 0.9, 0.0, -0.1]
    assert ordered(range(5), scores) == [2, 0, 1, 3, 4]
    assert ordered(range(5), scores, positive=True) == [2, 0, 1]
