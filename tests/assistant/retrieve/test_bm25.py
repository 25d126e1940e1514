"""bm25: the keyword ranker scores documents that share rare terms with the query highest."""
from __future__ import annotations

from assistant.retrieve.bm25 import BM25Ranker


def test_rare_shared_terms_rank_first():
    docs = [["道路", "清扫", "保洁"], ["汽修", "行业", "检查"], ["道路", "扬尘", "管控"], ["会议", "讲话"]]
    scores = BM25Ranker(docs).run(["汽修", "检查"])
    assert int(scores.argmax()) == 1
    assert scores[3] == 0
    assert BM25Ranker(docs).run(["不存在的词"]).max() == 0
