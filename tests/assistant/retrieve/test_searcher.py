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


def test_bm25_from_postings_scores_as_rank_bm25_does():
    """The ranker scores from postings (what a build keeps) exactly as rank-bm25 scores the token lists."""
    from rank_bm25 import BM25Okapi

    from index.postings import Postings

    documents = [["交通局", "道路", "道路", "养护"], ["住建局", "工地", "扬尘"], ["道路", "扬尘", "扬尘", "工地", "管控"],
                 ["工作"], ["交通局", "工作", "道路"]]
    reference = BM25Okapi(documents)
    ranker = BM25Ranker(Postings.of(documents))
    for query in (["道路"], ["扬尘", "工地"], ["交通局", "道路", "不在"], ["工作", "工作"]):
        assert ranker.run(query).tolist() == reference.get_scores(query).tolist()
        assert BM25Ranker(documents).run(query).tolist() == reference.get_scores(query).tolist()
