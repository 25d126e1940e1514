"""The speech as a LangChain ``BaseRetriever``: hybrid RRF ranking, one ``Document`` per passage.

Kept apart from ``retrieve.py`` because importing LangChain's retriever machinery costs about half a
second, which a one-shot ``assistant ask`` does not need.
"""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the speech: hybrid RRF ranking, one ``Document`` per passage."""

    searcher: Any
    k: int = 6

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        q = self.searcher.prepare(query)
        docs = []
        for hit in self.searcher.passages_ranked(q, self.k):
            p = self.searcher.passages[hit.id]
            docs.append(Document(page_content=p.text, id=p.id, metadata={
                "passage_id": p.id, "section": p.section, "start": p.start, "end": p.end,
                "score": hit.score, "dense": hit.dense, "bm25": hit.bm25}))
        return docs
