"""Retrieval: BM25 (``bm25``) and dense (``dense``) rankers, reciprocal rank fusion (``fuse``), and the
``Searcher`` that runs them over one opened index (``searcher``). ``langchain`` exposes the passage
ranking as a LangChain ``BaseRetriever`` (imported only on use)."""
from assistant.retrieve.fuse import RRF_K, rrf
from assistant.retrieve.hits import Hit, Query
from assistant.retrieve.searcher import Searcher

__all__ = ["Searcher", "Query", "Hit", "rrf", "RRF_K"]
