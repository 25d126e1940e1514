"""The ``Searcher``: hybrid retrieval over one opened index — dense and BM25 rankings of passages and
sentences, fused by reciprocal rank fusion — and the query preparation they share (body names and English
terms added to the BM25 tokens)."""
from __future__ import annotations

import bisect
import functools
import re
from functools import cached_property

import numpy as np

from assistant import scope as document_scope
from assistant.actors import BodyRegistry
from assistant.retrieve.bm25 import BM25Ranker
from assistant.retrieve.dense import DenseRanker
from assistant.retrieve.fuse import ordered, ranked, rrf, rrf_top
from assistant.retrieve.hits import Evidence, Hit, Query
from index.build import Index
from index.segment import Sentence
from index.tokens import tokenize


class Searcher:
    """Passage and sentence rankings over one opened index."""

    def __init__(self, index: Index):
        self.index = index
        corpus = index.corpus
        self.registry = BodyRegistry(corpus.bodies, corpus.text, {n for d in corpus.duties for n in d.actors},
                                     english=lambda: self.english)
        self.passages = {p.id: p for p in corpus.passages}
        self.sentences: list[Sentence] = corpus.doc.sentences
        self.sentence_by_id = {s.id: s for s in self.sentences}
        self.row = {s.id: i for i, s in enumerate(self.sentences)}  # sentence id → row in the vector matrix
        # BM25 over the passage text with its section path, and over sentences with theirs.
        self._p_ids = [p.id for p in corpus.passages]
        # The build cut them once and kept their postings (index.snapshot); an index without them is cut here.
        p_tokens, s_tokens = index.postings or ([tokenize(p.embed_text()) for p in corpus.passages],
                                                [tokenize(s.search_text()) for s in self.sentences])
        self._p_bm25 = BM25Ranker(p_tokens)
        self._s_bm25 = BM25Ranker(s_tokens)
        index.postings = None   # the rankers hold them
        # Dense scoring is exact, in memory: the store's approximate (HNSW) neighbours differ from one build
        # of the same text to the next, and answers must not. The vectors are the build's own copy
        # (index.snapshot, checked against the store at open), else read from the store.
        p_kept, s_kept = index.vectors or (None, None)
        index.vectors = None
        self.vectors = s_kept if s_kept is not None else \
            index.sentences.vectors_in_order([s.id for s in self.sentences])
        self._s_dense = DenseRanker(self.vectors)
        self._p_dense = DenseRanker(p_kept if p_kept is not None else index.passages.vectors_in_order(self._p_ids))
        self._starts = {"s": [s.start for s in self.sentences], "p": [self.passages[pid].start for pid in self._p_ids]}
        self._p_body_set = {i for i, pid in enumerate(self._p_ids) if self.passages[pid].kind == "body"}

    def _rows_in_scope(self) -> range | list[int]:
        """Sentence rows of the documents the current question is answered from (assistant.scope)."""
        scope = document_scope.current()
        if scope is None:
            return range(len(self.sentences))
        return self._scope_rows(scope, "s")

    def _passages_in_scope(self) -> range | list[int]:
        scope = document_scope.current()
        if scope is None:
            return range(len(self._p_ids))
        return self._scope_rows(scope, "p")

    @functools.lru_cache(maxsize=64)
    def _scope_rows(self, scope, kind: str) -> list[int]:
        starts = self._starts[kind]   # rows are in text order: each document's rows are one run
        rows: list[int] = []
        for a, b in scope.spans:
            rows.extend(range(bisect.bisect_left(starts, a), bisect.bisect_right(starts, b)))
        return sorted(set(rows))

    def bm25_top(self, text: str) -> float:
        """The best BM25 score of ``text``'s words over the sentences (0 when none of them occurs)."""
        scores = self._s_bm25.run(tokenize(text))
        return float(scores.max()) if len(scores) else 0.0

    @cached_property
    def english(self) -> dict:
        """The index's English data (index.english), read on the first English question."""
        from index.english import FILE, read_english

        return read_english(self.index.path / FILE)

    @cached_property
    def glossary(self):
        """English glosses (CC-CEDICT) of the document's own words, built at index time."""
        from index.gloss import Glossary

        return Glossary.from_state(self.english["glossary"])

    def expand(self, text: str) -> str:
        """Chinese terms of the document that an English question asks about ("" for Chinese questions):
        those whose English gloss it uses, and the names it spells in pinyin."""
        if len(re.findall(r"[A-Za-z]", text)) < 3:
            return ""
        from index.romanize import words_spelled

        use = self.english.get("use", {})
        glossed = [term for term, _ in self.glossary.match(text, top=8, use=lambda term: use.get(term, 0))]
        return " ".join(glossed + words_spelled(text, self.english.get("pinyin", {})))

    def prepare(self, text: str, vector: np.ndarray | None = None) -> Query:
        # Body paraphrases add the document's own name (交通运输局 → 市交通局); English words their terms.
        extra = " ".join(self.registry.find(text)) + " " + self.expand(text)
        vector = self.index.embedder.embed_query_vector(text) if vector is None else vector
        return Query(text, vector, tokenize(f"{text} {extra}"))

    def evidence(self, question: str, query: Query, hits: list[Hit], hops: list[str], focus: str) -> Evidence:
        """Everything the answerers may use: the hits, the best sentences of the question's last clause
        (``focus``, when it differs), and one prepared query per task of a multi-hop question."""
        focus_hits = []
        if focus != question and tokenize(focus):
            # The last clause is read inside the documents the whole question reaches: alone, "how far is the
            # second phase" finds other reports' second phases before the one the question's river names.
            with document_scope.scoped(self._documents_of(hits[:3])):
                focus_hits = self.sentences_ranked(self.prepare(focus), k=3)
        hop_queries = [self.prepare(h) for h in hops] if len(hops) > 1 else []
        return Evidence(query, hits, focus_hits, hop_queries)

    def _documents_of(self, hits: list[Hit]) -> "document_scope.Scope | None":
        """The current scope, narrowed (in a library searched whole) to the documents of ``hits``."""
        current = document_scope.current()
        corpus = self.index.corpus
        if current is not None or len(corpus.documents) == 1 or not hits:
            return current
        docs = {corpus.locate(self.sentence_by_id[h.id].start).id: None for h in hits if h.id in self.sentence_by_id}
        return document_scope.Scope.of(corpus, docs) if docs else current

    def passages_ranked(self, q: Query, k: int = 8) -> list[Hit]:
        depth = max(k * 2, 12)
        scores = self._p_dense.run(q.vector)
        rows = self._passages_in_scope()
        top = ordered(rows, scores)[:depth]
        dense_ids = [self._p_ids[i] for i in top if i in self._p_body_set]
        bm = self._p_bm25.run(q.tokens)
        bm_order = [self._p_ids[i] for i in ordered(rows, bm, positive=True)][:depth]
        fused = rrf([dense_ids, bm_order])
        dense_sim = {self._p_ids[i]: float(scores[i]) for i in top}
        bm_by_id = dict(zip(self._p_ids, bm))
        hits = [Hit(pid, s, dense_sim.get(pid, 0.0), float(bm_by_id[pid])) for pid, s in fused.items()]
        order = {pid: i for i, pid in enumerate(self._p_ids)}
        return sorted(hits, key=lambda h: (-round(h.score, 6), order[h.id]))[:k]

    def sentences_ranked(self, q: Query, within: set[str] | None = None, k: int = 12) -> list[Hit]:
        """Sentences ranked by fused dense + BM25 (optionally only inside some passages)."""
        dense = self._s_dense.run(q.vector)
        bm = self._s_bm25.run(q.tokens)
        rows = self._rows_in_scope()
        if within is not None:
            rows = [i for i in rows if _para_of(self.sentences[i]) in within]
        allowed = np.asarray(rows, dtype=np.int64)
        # Near-ties (1e-6) break by document order, so every machine ranks alike.
        top, fused = rrf_top([ranked(allowed, dense), ranked(allowed, bm, positive=True)], len(self.sentences), k)
        return [Hit(self.sentences[i].id, float(fused[i]), float(dense[i]), float(bm[i])) for i in top]



def _para_of(sentence: Sentence) -> str:
    return f"p{sentence.paragraph:03d}"
