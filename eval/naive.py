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


class NaiveHybrid:
    """The naive hybrid retriever the issue measures against: BM25 over plain jieba words and dense vectors
    over the same sentences, fused by reciprocal rank fusion (k=60); the top three sentences, in document
    order, are the whole answer. It never refuses and knows nothing about bodies, figures or lists."""

    def __init__(self, sentences, vectors, embedder, top: int = 3, k: int = 60):
        import jieba
        from rank_bm25 import BM25Okapi

        self.sentences, self.vectors, self.embedder, self.top, self.k = sentences, vectors, embedder, top, k
        self._cut = lambda text: [w for w in jieba.lcut(text.lower()) if w.strip()]
        self.bm25 = BM25Okapi([self._cut(s.text) or ["_"] for s in sentences])

    def rank(self, question: str) -> list[int]:
        dense = self.vectors @ self.embedder.embed_query_vector(question)
        sparse = self.bm25.get_scores(self._cut(question))
        fused = np.zeros(len(self.sentences))
        for scores in (dense, sparse):
            for rank, i in enumerate(np.argsort(-scores, kind="stable")):
                fused[i] += 1.0 / (self.k + rank + 1)
        return [int(i) for i in np.argsort(-fused, kind="stable")]

    def ask(self, question: str, history: list[str] | None = None) -> dict:
        t0 = time.perf_counter()
        best = sorted(self.rank(question)[: self.top])
        cits = [{"n": n, "quote": self.sentences[i].text, "start": self.sentences[i].start,
                 "end": self.sentences[i].end, "section": "", "passage_id": self.sentences[i].id}
                for n, i in enumerate(best, 1)]
        answer = "".join(f"{c['quote']}[{c['n']}]" for c in cits)
        return {"question": question, "standalone_question": question, "answer": answer, "answerable": True,
                "citations": cits, "backend": "naive-hybrid",
                "timings_ms": {"total": round((time.perf_counter() - t0) * 1000, 2)}}
