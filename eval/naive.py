"""The naive baseline: dense-only RAG over 500-character chunks, answering with the top-1 chunk."""
from __future__ import annotations

import time

import numpy as np

CHUNK_CHARS = 500


class NaiveRAG:
    """Fixed 500-character windows, embedded once; the nearest window is the whole answer."""

    def __init__(self, source: str, embedder):
        self.source, self.embedder = source, embedder
        self.spans = [(i, min(i + CHUNK_CHARS, len(source))) for i in range(0, len(source), CHUNK_CHARS)]
        self.vectors = embedder.embed_passage_vectors([source[a:b] for a, b in self.spans])

    def rank(self, question: str) -> list[tuple[int, int]]:
        scores = self.vectors @ self.embedder.embed_query_vector(question)
        return [self.spans[i] for i in np.argsort(-scores)]

    def ask(self, question: str, history: list[str] | None = None) -> dict:
        t0 = time.perf_counter()
        a, b = self.rank(question)[0]
        quote = self.source[a:b]
        return {"question": question, "standalone_question": question, "answer": f"{quote}[1]", "answerable": True,
                "citations": [{"n": 1, "quote": quote, "start": a, "end": b, "section": "", "passage_id": f"c{a}"}],
                "backend": "naive", "timings_ms": {"total": round((time.perf_counter() - t0) * 1000, 2)}}
