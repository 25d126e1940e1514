"""The documents as a LangChain ``BaseRetriever``: hybrid (BM25 + dense, RRF) ranking, one ``Document``
per passage, ``k`` honoured at construction and at ``invoke(query, k=…)``.

Kept apart from the rest of ``retrieve`` because importing LangChain's retriever machinery costs about
half a second, which a one-shot ``assistant ask`` does not need. It passes LangChain's standard
retriever tests (tests/assistant/retrieve/test_langchain.py).
"""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the loaded documents (``Assistant.retriever``)."""

    searcher: Any
    k: int = 6

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None) -> list[Document]:
        k = self.k if k is None else k
        if k <= 0:
            return []
        q = self.searcher.prepare(query)
        corpus = self.searcher.index.corpus
        docs = []
        for hit in self.searcher.passages_ranked(q, k)[:k]:
            p = self.searcher.passages[hit.id]
            source = corpus.locate(p.start)
            # Offsets local to the passage's document, like every citation: its text is source.text[start:end].
            docs.append(Document(page_content=p.text, id=p.id, metadata={
                "passage_id": p.id, "doc": source.id, "doc_title": source.label(), "section": p.section, "start": p.start - source.start,
                "end": p.end - source.start, "score": hit.score, "dense": hit.dense, "bm25": hit.bm25}))
        return docs
