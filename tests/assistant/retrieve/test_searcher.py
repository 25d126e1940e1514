"""The retrieval components alone: fusion, the shared ordering rule, BM25 and dense rankers."""
import numpy as np

from assistant.retrieve.bm25 import BM25Ranker
from assistant.retrieve.dense import DenseRanker
from assistant.retrieve.fuse import ordered, rrf


def test_rrf_rewards_agreement_between_rankings():
    scores = rrf([["a", "b", "c"], ["b", "a", "d"]])
    assert scores["a"] == scores["b"] > scores["c"] > 0
    assert set(scores) == {"a", "b", "c", "d"}


def test_near_ties_break_by_document_order_on_every_machine():
    # Scores that differ only in the last float digits are ties: the earlier position wins.
    scores = [0.5, 0.7000000001, 0.7, 0.0]
    assert ordered(range(4), scores) == [1, 2, 0, 3]
    assert ordered(range(4), [0.7, 0.7000000001, 0.1, 0.0], positive=True) == [0, 1, 2]


def test_bm25_scores_matching_documents_and_handles_empty_input():
    ranker = BM25Ranker([["交通局", "道路"], ["住建局", "工地"], []])
    scores = ranker.run(["工地"])
    assert scores[1] > 0 and scores[0] == 0 and scores[2] == 0
    assert not ranker.run([]).any()


def test_dense_ranker_is_cosine_of_unit_vectors():
    vectors = np.eye(3, dtype=np.float32)
    assert list(DenseRanker(vectors).run(np.array([0, 1, 0], dtype=np.float32))) == [0, 1, 0]


def test_bm25_over_no_documents_is_an_empty_ranking():
    assert BM25Ranker([]).run(["任务"]).shape == (0,)
