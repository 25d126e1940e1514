"""What every answerer shares: the answer being built (``Composed``), the evidence it is built from
(``Evidence``), and ``Answerer`` — the document's facts, its sentences and vectors, citation and refusal
helpers. Answerers read this data; they never call the searcher (retrieval happens before, in
``Searcher.evidence``)."""
from __future__ import annotations

from bisect import bisect_right
from functools import cached_property, lru_cache
from itertools import accumulate

import re
from dataclasses import dataclass, field

from assistant import scope as document_scope
from assistant.cite import Citer
from assistant.retrieve.bm25 import BM25Ranker
from assistant.retrieve.hits import Hit
from assistant.understand import Analysis
from index.enumerations import derive_enumerations
from index.facts import Duty, Figure
from index.language import read_list
from index.segment import DISTRIBUTION_LABEL, TITLE_LABEL, Sentence
from index.tokens import content_terms, tokenize

MAX_GENERAL_SENTENCES = 3
MAX_SECTION_SENTENCES = 8
MAX_WHO_TASKS = 8  # a "who" answer quotes at most this many tasks (a display limit, not a relevance cut)


@dataclass
class Composed:
    answer: str
    answerable: bool
    citer: Citer
    related: list[dict] = field(default_factory=list)
    route: str = "general"
    actors: list[str] = field(default_factory=list)  # who the answer names (for "这个部门还管什么？")
    items: list[str] = field(default_factory=list)   # a list answer's items, in order (for "第三个呢？")


class Answerer:
    """The document's facts and sentences, with the helpers every answer type uses."""

    def __init__(self, corpus, registry, sentences, vectors, expand, answerability=None, duty_selection=None,
                 sentence_selection=None, figure_selection=None, list_selection=None,
                 figure_check=None, metadata_fields=None, embed=None):
        self.corpus = corpus
        self.registry = registry
        self.answerability = answerability
        self.duty_selection = duty_selection          # fitted models (assistant.models.SelectionModel)
        self.sentence_selection = sentence_selection
        self.figure_selection = figure_selection
        self.list_selection = list_selection
        self.figure_check = figure_check
        self.metadata_fields = metadata_fields    # assistant.models.AnswerTypeModel over masthead fields
        self.embed = embed                        # text → query vector (the metadata answer's clauses)
        self.text = corpus.text
        self._noun = corpus.noun  # 讲话, 通知, 报告 …: how answers call the document
        # Question terms come lower-cased from the tokenizer (pm2.5, vocs): they are looked up lower-cased.
        self._text_lower = corpus.text.lower()
        self.duties: list[Duty] = corpus.duties
        self.figures: list[Figure] = corpus.figures
        self.passages = corpus.passages
        self.sentences: list[Sentence] = sentences
        self.sentence_by_id = {s.id: s for s in sentences}
        self.row = {s.id: i for i, s in enumerate(sentences)}
        self._starts = [s.start for s in sentences]
        self._paragraph_starts = [p.start for p in corpus.doc.paragraphs]
        self.vectors = vectors                  # sentence vectors, rows in ``sentences`` order
        self.expand = expand                    # English question → the document's Chinese terms
        self.groups = derive_enumerations(corpus.doc)
        self._masthead = "".join(s.text for s in sentences if s.path[:1] in ([TITLE_LABEL], [DISTRIBUTION_LABEL]))
        # Every sentence lower-cased in one text, "\x00" between them: a term's sentences are found by str.find
        # (C speed) instead of a test of each sentence (20 ms a term over a 1,000-document library).
        lowered = [s.text.lower() for s in sentences]
        self._lower_joined = "\x00".join(lowered)
        self._lower_starts = list(accumulate([0] + [len(x) + 1 for x in lowered[:-1]])) if lowered else []
        self._duty_bm25 = BM25Ranker([tokenize(f"{d.topic} {d.task}") for d in self.duties])

    @property
    def noun(self) -> str:
        """How answers call the document: its kind (讲话) when one is loaded; in a library, the title of the
        one document the question is answered from, else 文件 (each citation names its document)."""
        scope = document_scope.current()
        if scope is not None and len(scope.docs) == 1 and len(self.corpus.documents) > 1:
            return f"《{self.corpus.document(scope.docs[0]).label()}》"
        return self._noun

    @property
    def text_lower(self) -> str:
        """The lower-cased text of the documents the question is answered from (assistant.scope): what the
        refusal checks and term lookups read."""
        scope = document_scope.current()
        if scope is None:
            return self._text_lower
        return self._scope_text_lower(scope)

    @lru_cache(maxsize=16)
    def _scope_text_lower(self, scope) -> str:
        # Joined once per scope: a question reads it several times, a library's text is megabytes.
        return "\n".join(self._text_lower[s:e] for s, e in scope.spans)

    def _paragraph_at(self, pos: int):
        """The paragraph that holds a text position."""
        i = bisect_right(self._paragraph_starts, pos) - 1
        return self.corpus.doc.paragraphs[max(i, 0)]

    def _sentence_at(self, pos: int) -> Sentence:
        """The sentence that holds a text position."""
        i = bisect_right(self._starts, pos) - 1
        return self.sentences[max(i, 0)]

    def _citer(self) -> Citer:
        return Citer(self.text, self.passages, self.corpus.locate, titles=len(self.corpus.documents) > 1)

    def _named(self, pos: int) -> str:
        """How an answer calls the document holding ``pos``: its kind (讲话) when one document is loaded,
        its title in 《》 when several are."""
        if len(self.corpus.documents) > 1:
            return f"《{self.corpus.locate(pos).label()}》"
        return self.noun

    def _refuse(self, message: str, hits: list[Hit] | None = None, route: str = "refusal") -> Composed:
        citer = self._citer()
        related = []
        body = [h for h in (hits or []) if self.sentence_by_id[h.id].path[:1] not in ([TITLE_LABEL], [DISTRIBUTION_LABEL])]
        for h in body[:3]:
            sent = self.sentence_by_id[h.id]
            related.append({"quote": sent.text, "start": sent.start, "end": sent.end, "section": sent.section})
        return Composed(message, False, citer, related, route)

    def _mentions(self, names: list[str]) -> list[Hit]:
        hits = []
        forms = [f for n in names for f in self.registry.forms_of(n)]
        for sent in self.sentences:
            if any(f in sent.text for f in forms) and sent.path[0] not in (DISTRIBUTION_LABEL,) \
                    and document_scope.holds(sent.start):
                hits.append(Hit(sent.id, 1.0))
        return hits

    def _tasked_actors(self) -> list[str]:
        names: list[str] = []
        for d in self.duties:
            if not document_scope.holds(d.start):
                continue
            for n in d.actors:
                if n not in names:
                    names.append(n)
        return names

    def duties_of(self, name: str) -> list[Duty]:
        """Every duty of an actor, including those of the narrower actors it covers."""
        names = {name, *self.registry.get(name).covers}
        return [d for d in self.duties if names & set(d.actors) and document_scope.holds(d.start)]

    def _rarest_term(self, a: Analysis, skip: tuple[str, ...] = ()) -> str | None:
        """The question's most specific word that the speech uses (fewest sentences contain it), ``skip`` aside."""
        counts = {t: self._sentence_count(t) for t in content_terms(a.question) if t not in skip}
        counts = {t: c for t, c in counts.items() if c}
        return min(counts, key=counts.get) if counts else None

    def _sentence_count(self, term: str) -> int:
        """How many sentences of the documents in scope contain ``term`` (lower-cased)."""
        per_document = self._sentence_counts(term)
        scope = document_scope.current()
        if scope is None:
            return sum(per_document.values())
        return sum(per_document.get(d, 0) for d in scope.docs)

    @lru_cache(maxsize=4096)
    def _sentence_counts(self, term: str) -> dict[str, int]:
        """Sentences containing ``term``, per document id (one pass over the sentences, then cached)."""
        out: dict[str, int] = {}
        text, starts, docs = self._lower_joined, self._lower_starts, self._sentence_docs
        at = text.find(term) if starts else -1
        while at != -1:
            i = bisect_right(starts, at) - 1
            out[docs[i]] = out.get(docs[i], 0) + 1
            at = text.find(term, starts[i + 1]) if i + 1 < len(starts) else -1   # each sentence once
        return out

    @cached_property
    def _sentence_docs(self) -> list[str]:
        """Each sentence's document id ("" with one document)."""
        if len(self.corpus.documents) <= 1:
            return [""] * len(self.sentences)
        return [self.corpus.locate(s.start).id for s in self.sentences]

    @cached_property
    def _figures_by_sentence(self) -> dict[int, list[Figure]]:
        """The figures of each sentence (by its start), in text order."""
        out: dict[int, list[Figure]] = {}
        for f in self.figures:
            out.setdefault(f.sentence_start, []).append(f)
        return out

    def figures_of(self, sentence_start: int) -> list[Figure]:
        return self._figures_by_sentence.get(sentence_start, [])

    def _section_of(self, pos: int) -> str:
        """The section of the sentence that holds a text position ("" between sentences)."""
        sent = self._sentence_at(pos)
        return sent.section if sent.start <= pos < sent.end else ""


def _is_heading(sentence: Sentence) -> bool:
    """The sentence that opens and names its section (一是…, 第二，…, a part heading)."""
    return bool(sentence.path) and sentence.text.rstrip("。！？；：") == sentence.path[-1].rstrip("。！？；：")


def _quote(text: str) -> str:
    # Quotes are shown verbatim; only markdown-significant characters at line start are neutralised.
    return text.replace("\n", " ")


# One character of a question's frame (index/language/frame_characters.txt).
_FRAME_BIGRAMS = re.compile("[" + "".join(read_list("frame_characters.txt")) + "]")


_BODY_WORDS = re.compile("|".join(read_list("naming_words.txt")))


def _names_someone(text: str) -> bool:
    """Whether a sentence names a body or a person (an answer to "who")."""
    return bool(_BODY_WORDS.search(text))


def _lexical_winner_first(a: Analysis, hits: list[Hit]) -> list[Hit]:
    """English questions reach BM25 only through the glossary; when that match is clear-cut (twice the
    next BM25 score), it beats cross-lingual dense similarity, which favours short headings."""
    if not a.english or len(hits) < 2:
        return hits
    by_bm25 = sorted(hits, key=lambda h: -h.bm25)
    if by_bm25[0].bm25 > 0 and by_bm25[0].bm25 >= 2 * by_bm25[1].bm25 and by_bm25[0] is not hits[0]:
        return [by_bm25[0]] + [h for h in hits if h is not by_bm25[0]]
    return hits


def _terms_with_expansions(text: str, expand=lambda t: "") -> set[str]:
    return {t for t in content_terms(text) + expand(text).split() if len(t) >= 2}





def _by_topic(duties: list[Duty]) -> list[tuple[str, list[Duty]]]:
    groups: dict[str, list[Duty]] = {}
    for d in sorted(duties, key=lambda d: d.start):
        groups.setdefault(d.topic, []).append(d)
    return list(groups.items())


def _ordered_actors(duties: list[Duty]) -> list[str]:
    names: list[str] = []
    for d in sorted(duties, key=lambda d: d.start):
        for n in d.actors:
            if n not in names:
                names.append(n)
    return names
