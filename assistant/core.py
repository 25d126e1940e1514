"""The ``Assistant``: one object that owns the flow from question to cited answer.

question (+history) → follow-up resolution → analysis → hybrid retrieval → compose → verify → ``Answer``.
The CLI, UI and eval are thin layers over this class. LangChain is on two paths, both imported on
first use: ``Assistant.retriever`` (a standard ``BaseRetriever``) and the optional LLM reader.
"""
from __future__ import annotations

import functools
import gc
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

import numpy as np

from assistant.cite import Citation, verify
from assistant.clean import InvalidQuestion, clean_history, clean_question
from assistant.answer import Composer
from assistant.config import Settings
from assistant.conversations import Conversations
from assistant.followup import ordinal, refers_to_body, refers_to_several, resolve, strip_cue, substitute_body
from assistant.turns import TurnModel, turn_features
from assistant.answer import joined
from assistant.library import DocumentNames, Naming, strip_naming
from assistant.scope import MAX_DOCUMENTS, TOP_DOCUMENT_HITS, Scope, scoped
from assistant.scope import current as scope_now
from assistant.names import CommonNames
from assistant.places import own_places
from assistant.models import (DUTY_FEATURES, DUTY_SELECTION_FILE, FIGURE_CHECK_FEATURES, FIGURE_CHECK_FILE,
                              FIGURE_FEATURES, FIGURE_SELECTION_FILE,
                              LIST_FEATURES, LIST_SELECTION_FILE, METADATA_FIELD_FILE, SENTENCE_FEATURES, SENTENCE_SELECTION_FILE, AnswerabilityModel, AnswerTypeModel,
                              ModelMissing, SelectionModel)
from assistant.retrieve import Searcher
from assistant.understand import analyse, last_clause, strip_markup, task_hops
from index.build import DICTIONARY, Index, IndexError_, collector_paused, open_index
from index.language import message
from index.store import StoreUnavailable
from index.tokens import cut_words, dictionary as tokenizer_dictionary

__all__ = ["Answer", "Assistant", "Conversation", "InvalidQuestion", "RequestTimeout"]

MAX_READ = 4  # passages ranked for the LLM reader, besides the engine's own cited sentences


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


class RequestTimeout(RuntimeError):
    """A request ran past its deadline; ``str(err)`` is one line for the user."""


def _check_deadline(deadline: float | None) -> None:
    """Between the steps of one request: a server gives each request a deadline (``time.monotonic()``),
    so no single request holds a worker for long, whatever it sends."""
    if deadline is not None and time.monotonic() > deadline:
        raise RequestTimeout(message("assistant.core.deadline"))


def _own_tokenizer(method):
    """Run an answering step with this assistant's own tokenizer dictionary: an index opened later in the
    same process (another corpus) must not change how this one reads questions (index.tokens.dictionary)."""
    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        with tokenizer_dictionary(self.index.path / DICTIONARY):
            return method(self, *args, **kwargs)
    return wrapped


@dataclass
class Answer:
    question: str
    standalone_question: str
    answer: str
    answerable: bool
    citations: list[Citation]
    backend: str = "extractive"
    timings_ms: dict = field(default_factory=dict)
    related: list[dict] = field(default_factory=list)
    route: str = ""
    actors: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    answer_type: str = ""
    notices: list[str] = field(default_factory=list)
    llm: dict = field(default_factory=dict)  # {"used", "reason", "dropped", "added", …} when an LLM is configured
    vector: "np.ndarray | None" = field(default=None, repr=False)  # the standalone question's vector
    turn: str = ""   # how it was read after the previous turn: standalone | merge | swap ("" for a first question)

    def to_dict(self) -> dict:
        out = {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "answerable": self.answerable,
            "citations": [c.to_dict() for c in self.citations],
            "backend": self.backend,
            "timings_ms": self.timings_ms,
        }
        if self.turn:
            out["turn"] = self.turn
        if self.related:
            out["related"] = self.related
        if self.notices:
            out["notices"] = self.notices
        if self.llm:
            out["llm"] = {k: v for k, v in self.llm.items() if k not in ("dropped_claims", "reply")}
        return out


@dataclass
class Conversation:
    """The answers of one chat so far: follow-ups resolve against them, never by re-asking a turn."""

    answers: list[Answer] = field(default_factory=list)
    max_turns: int = 6

    def add(self, answer: Answer) -> None:
        self.answers = (self.answers + [answer])[-self.max_turns:]

    @property
    def last(self) -> Answer | None:
        return self.answers[-1] if self.answers else None


class Assistant:
    """Question answering over the loaded documents with verbatim citations."""

    def __init__(self, index: Index, settings: Settings):
        self.index = index
        self.settings = settings
        self.searcher = Searcher(index)
        self.registry = self.searcher.registry
        self.type_model = _answer_type_model(index)
        docs = index.corpus.documents
        # One document: the place it is about is implied in a question (with several, it picks the document).
        own = own_places([(d.metadata.get(k) or {}).get("value") or "" for d in docs for k in ("title", "issuer")]) \
            if len(docs) == 1 else frozenset()
        self.common_names = CommonNames(index.corpus.text, own=own, cut=cut_words)
        self._scoped_names: dict[str, CommonNames] = {}
        try:
            answerability = AnswerabilityModel.load()
        except ModelMissing:
            answerability = None  # `assistant train` writes it; without it only the fact-based refusals apply
        s = self.searcher
        self.composer = Composer(index.corpus, self.registry, s.sentences, s.vectors, s.expand, answerability,
                                 *_selection_models(), metadata_fields=_metadata_field_model(index),
                                 embed=index.embedder.embed_query_vector)
        self.document_names = DocumentNames(docs) if len(docs) > 1 else None
        try:
            self.turn_model = TurnModel.load()
        except ModelMissing:
            self.turn_model = None  # `assistant train` writes it; without it the follow-up rules decide
        self.conversations = Conversations()
        self.reader = None
        if settings.llm:
            from assistant.llm.reader import Reader

            self.reader = Reader(settings.llm, self.registry, index.corpus, dictionary=index.path / DICTIONARY)

    @classmethod
    def open(cls, settings: Settings | None = None, rebuild: bool = False, progress=None, **overrides) -> "Assistant":
        """Open (building on first use) the index of the configured documents under the data dir."""
        from index.documents import Sources

        settings = settings or Settings.from_env(**overrides)
        # The index and everything derived from it here live as long as the assistant: the collector is off while
        # they are made and never walks them after (index.build.collector_paused).
        with collector_paused(keep=True):
            sources = Sources.load(settings.corpus_paths() or None)
            index = open_index(settings.home, settings.embedding, settings.chroma_url, settings.threads, rebuild=rebuild,
                               progress=progress, corpus=sources, chroma_timeout=settings.chroma_timeout)
            try:
                assistant = cls(index, settings)
            except StoreUnavailable as exc:  # the server went silent while its vectors were read
                raise IndexError_(str(exc)) from None
            if index.rebuilt:
                gc.collect()   # a build's own garbage goes first: set aside with the rest it would never be freed
            return assistant

    def warm(self, question: str) -> None:
        """Ask ``question`` once and load the part-of-speech tagger and the English glossary, so that the first
        real question waits for none of them (a server calls it before it serves; over a 1,000-document library
        the tagger took 1.5 s of a first question and the glossary 1 s of the first English one)."""
        from assistant import places

        self.ask(question)
        places.warm()
        self.searcher.glossary   # noqa: B018 - read now (a cached property)

    @cached_property
    def retriever(self):
        """The LangChain ``BaseRetriever`` over the documents (imported on first use: it is slow to import)."""
        from assistant.retrieve.langchain import HybridRetriever

        return HybridRetriever(searcher=self.searcher, k=self.settings.top_k)

    def source(self, doc: str | None = None) -> str:
        """A document's canonical text, which its citations' offsets point into (default: the first)."""
        return self.index.corpus.document(doc).text

    @property
    def viewer_text(self) -> str:
        """The text a full-text viewer shows: the documents end to end, each a newline after the one before
        (one document: its canonical text). A citation of document ``doc`` at ``start`` sits at
        ``document_start(doc) + start`` in it; duty and figure offsets are already in it."""
        return self.index.corpus.text

    def document_start(self, doc: str | None) -> int:
        return self.index.corpus.document(doc or None).start

    def own_tokenizer(self):
        """A ``with`` block in which tokenizing uses this assistant's index dictionary (``assistant train``
        calls the answerers' parts directly, outside the answering steps that set it)."""
        return tokenizer_dictionary(self.index.path / DICTIONARY)

    @property
    def streams(self) -> bool:
        """Whether answers arrive as streamed text (an LLM reader is configured) rather than all at once."""
        return self.reader is not None

    def reader_checker(self):
        """The LLM reader's claim checker over these documents (usable without a model configured)."""
        from assistant.llm.reader import claim_checker

        if self.reader is not None:
            return self.reader.checker
        return claim_checker(self.registry, self.index.corpus, self.index.path / DICTIONARY)

    def place(self, doc: str | None, start: int) -> dict:
        """Where a citation sits, for people: the full heading path and the paragraph number (1-based,
        counted in its document) of the local offset ``start`` of document ``doc``."""
        source = self.index.corpus.document(doc or None)
        pos = source.start + start
        paragraphs = [p for p in self.index.corpus.doc.paragraphs if source.start <= p.start < source.end]
        for n, para in enumerate(paragraphs, 1):
            if para.start <= pos < para.end or pos < para.start:
                return {"path": list(para.path), "paragraph": n}
        return {"path": [], "paragraph": len(paragraphs)}

    @property
    def documents(self) -> list[dict]:
        """The loaded documents: id, name, title and masthead metadata."""
        return [{"id": d.id, "name": d.name, "title": d.label(), "metadata": d.metadata}
                for d in self.index.corpus.documents]

    # ---- the steps -------------------------------------------------------------------------
    @_own_tokenizer
    def _retrieve_step(self, state: dict) -> dict:
        t0 = time.perf_counter()
        # GDP, CPI, 交通厅 … read in the documents' own words (地区生产总值 …); the answer shows the reading.
        names = self._names_in_scope()
        question = state["standalone_question"] = names(state["standalone_question"])
        embed = self.index.embedder.embed_query_vector
        own = names(state["question"])
        # A follow-up merged onto the previous question ("…，多久查一次？") asks what its own words ask
        # (without the cue they are also the last clause the figure answerer ranks: one embedding).
        merged = own != question and question.endswith("，" + strip_cue(own))
        type_vector = embed(strip_cue(own)) if merged else None
        if merged and self.type_model.predict(type_vector)[0] == "out_of_scope":
            # "今天天气怎么样？" after a question is a new, out-of-scope question, not a follow-up to it.
            question, merged, type_vector = own, False, None
            state["standalone_question"] = own
        previous = state.get("previous_vector")
        if merged and previous is not None:
            # The merged question's vector from the two it joins: the earlier turn's is already known.
            joined = previous + type_vector
            vector = (joined / np.linalg.norm(joined)).astype(np.float32)
        else:
            vector = embed(strip_markup(question) or question)
        analysis = analyse(question, vector, self.registry, self.type_model, type_vector)
        analysis.merged = merged
        query = self.searcher.prepare(analysis.question, vector if analysis.question == question else None)
        hits = self.searcher.sentences_ranked(query, k=12)
        hops = task_hops(analysis.question) if analysis.intent == "who" else [analysis.question]
        evidence = self.searcher.evidence(analysis.question, query, hits, hops, last_clause(analysis.question))
        state.update(analysis=analysis, query=query, hits=hits, evidence=evidence)
        state["timings_ms"]["retrieve"] = round((time.perf_counter() - t0) * 1000, 2)
        return state

    def _names_in_scope(self) -> CommonNames:
        """Common names read in the words of the documents the question is answered from: one document of
        a library reads GDP as its own 地区生产总值 even when another document writes GDP, and its own place
        is implied, as when it is loaded alone."""
        current = scope_now()
        if current is None or len(current.docs) != 1 or len(self.index.corpus.documents) == 1:
            return self.common_names
        doc_id = current.docs[0]
        if doc_id not in self._scoped_names:
            d = self.index.corpus.document(doc_id)
            own = own_places([(d.metadata.get(k) or {}).get("value") or "" for k in ("title", "issuer")])
            self._scoped_names[doc_id] = CommonNames(d.text, own=own, cut=cut_words)
        return self._scoped_names[doc_id]

    @_own_tokenizer
    def _compose_step(self, state: dict) -> dict:
        t0 = time.perf_counter()
        state["composed"] = self.composer.compose(state["analysis"], state["evidence"])
        state["backend"] = "extractive"
        state["timings_ms"]["compose"] = round((time.perf_counter() - t0) * 1000, 2)
        return state

    def _read_events(self, state: dict) -> Iterator[str]:
        """The LLM reader over the evidence: yields the reply's tokens, then settles ``state`` (the answer
        becomes the verified reading, or stays extractive with the reason in ``state["llm"]``)."""
        composed, analysis = state["composed"], state["analysis"]
        if not composed.answerable or composed.route == "metadata":
            state["llm"] = {"used": False, "model": self.settings.llm,
                            "reason": "" if composed.answerable else message("assistant.core.no_answer_in_text")}
            return
        t0 = time.perf_counter()
        ranked = [self.searcher.passages[h.id] for h in self.searcher.passages_ranked(state["query"], k=MAX_READ)]
        passages = self.reader.passages(composed, ranked)
        reply, first = "", None
        try:
            for token in self.reader.stream(analysis.question, analysis.english, passages):
                if first is None:
                    first = time.perf_counter()
                reply += token
                yield token
        except GeneratorExit:
            raise
        except Exception as exc:  # a dead server, a timeout, a crashed worker: the extractive answer stands
            state["llm"] = {"used": False, "model": self.settings.llm,
                            "reason": message("assistant.core.model_unavailable", reason=_one_line(exc))}
            return
        finally:
            state["timings_ms"]["llm"] = round((time.perf_counter() - t0) * 1000, 2)
            if first is not None:
                state["timings_ms"]["llm_first_token"] = round((first - t0) * 1000, 2)
        reading = self.reader.settle(reply, passages, composed)
        state["llm"] = reading.info
        if reading.info["used"]:
            from assistant.answer import Composed

            state["composed"] = Composed(reading.answer, True, reading.citer, composed.related, composed.route,
                                         composed.actors, composed.items)
            state["backend"] = f"llm:{self.settings.llm}"

    # ---- public API ------------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None,
            conversation: Conversation | None = None, *, deadline: float | None = None,
            docs: list[str] | None = None) -> Answer:
        """Answer one question (``docs``: only from these document ids; by default from the documents the
        question names, else from all). Follow-ups resolve against ``conversation`` (the earlier answers); a plain
        ``history`` of earlier questions is replayed once, oldest first, to build one. Invalid history
        entries are dropped with a notice; an invalid question raises ``InvalidQuestion``. ``deadline``
        (a ``time.monotonic()`` value): past it, ``RequestTimeout`` between steps."""
        cleaned = clean_question(question)
        notices: list[str] = []
        past = None
        if conversation is None:
            conversation, notices, past = self._replay(history or [], deadline)
        answer = self._answer(cleaned, conversation, deadline=deadline, docs=docs)
        answer.notices = notices
        self._keep(past, cleaned, conversation, answer)
        return answer

    def _replay(self, history: list[str], deadline: float | None = None) -> tuple[Conversation, list[str], list[str]]:
        """A conversation from a plain history of earlier questions: the one the last turn of that chat left
        (assistant.conversations), else the questions replayed once, oldest first, without the LLM (only their
        resolution matters). Also returns the cleaned questions, which name it."""
        past, notices = clean_history(history)
        conversation = Conversation()
        kept = self.conversations.get(past)
        if kept is not None:
            conversation.answers = kept
            return conversation, notices, past
        for earlier in past[-conversation.max_turns:]:
            _check_deadline(deadline)
            try:
                conversation.add(self._answer(earlier, conversation, read=False, deadline=deadline))
            except InvalidQuestion:
                continue
        return conversation, notices, past

    def _keep(self, past: list[str] | None, cleaned: str, conversation: Conversation, answer: Answer) -> None:
        """Leave the conversation this answer ends for the chat's next turn (``past``: its earlier questions)."""
        if past is not None:
            self.conversations.put(past + [cleaned], (conversation.answers + [answer])[-conversation.max_turns:])

    def _answer(self, cleaned: str, conversation: Conversation, read: bool = True,
                deadline: float | None = None, docs: list[str] | None = None) -> Answer:
        events = self._answer_events(cleaned, conversation, read, deadline, docs)
        for event in events:
            if isinstance(event, Answer):
                return event
        raise RuntimeError("no answer")  # pragma: no cover - _answer_events always ends with one

    def _answer_events(self, cleaned: str, conversation: Conversation, read: bool = True,
                       deadline: float | None = None, docs: list[str] | None = None) -> Iterator["str | Answer"]:
        """The LLM reply's tokens as they come (when an LLM is configured), then the settled ``Answer``.
        ``deadline`` bounds the engine's own steps; an LLM reply has its own timeouts. ``docs``: answer from
        these documents only (ids); otherwise from those the question names, else from all."""
        t0 = time.perf_counter()
        last = conversation.last
        standalone, turn = self._read_turn(cleaned, conversation)
        _check_deadline(deadline)
        previous = last.vector if last is not None else None
        naming = self._naming(standalone)
        chosen = self._chosen(naming, docs)
        if naming.absent and (not chosen or naming.kind) and not naming.which and docs is None:
            state = self._absent_state(standalone, naming)
        elif len(chosen) > 1 and not naming.which and not naming.kind:
            state = self._per_document(cleaned, standalone, chosen, naming, previous, deadline)
        else:
            # A named document answers as if loaded alone; "which document" words ask nothing of the text.
            words = (naming.words if len(chosen) == 1 and not naming.kind else []) \
                + (naming.which_words if naming.which else [])
            question = strip_naming(standalone, words) if words else standalone
            state = self._scoped_steps(cleaned, question, self._scope(chosen or docs), previous, deadline)
            cited = self._cited_documents(state["composed"])
            if naming.which and len(self.index.corpus.documents) > 1:
                state["composed"] = joined.which(state["composed"], [self._described(d) for d in cited])
            elif state["composed"].answerable and len(self._candidates(state, cited)) > 1 and not chosen:
                # Several documents may answer a question that names none: each that does answers under its
                # own title (a duty list or a figure never mixes documents; one document's answer does not
                # hide another's). A question no document answers across the library stays refused.
                state = self._per_document(cleaned, standalone, self._candidates(state, cited), naming, previous,
                                           deadline, answered_only=True)
            elif len(cited) == 1 and len(self.index.corpus.documents) > 1:
                state["composed"] = joined.named(state["composed"], self.index.corpus.document(cited[0]).label())
        if self.reader is not None and read and state.get("parts", 1) == 1:
            with scoped(state.get("scope")):
                yield from self._read_events(state)
        composed = state["composed"]
        citations = composed.citer.citations
        verify(composed.answer, citations, self.source)
        timings = state["timings_ms"] | {"total": round((time.perf_counter() - t0) * 1000, 2)}
        analysis = state.get("analysis")
        yield Answer(cleaned, state["standalone_question"], composed.answer, composed.answerable, citations, state["backend"],
                     timings, composed.related, composed.route, composed.actors, composed.items,
                     analysis.answer_type if analysis else "", llm=state.get("llm", {}),
                     vector=state["query"].vector if "query" in state else None, turn=turn)

    # ---- documents of a library ------------------------------------------------------------------
    @_own_tokenizer
    def _naming(self, question: str) -> Naming:
        """Which loaded documents the question names (nothing with one document loaded)."""
        if self.document_names is None:
            return Naming()
        return self.document_names(question, cut_words)

    def _chosen(self, naming: Naming, docs: list[str] | None) -> list[str]:
        known = [d.id for d in self.index.corpus.documents]
        if docs is not None:
            unknown = [d for d in docs if d not in known]
            if unknown:
                raise InvalidQuestion(message("assistant.core.unknown_document", doc=unknown[0],
                                              known=", ".join(known[:8]), more=" …" if len(known) > 8 else ""))
            return [d for d in naming.docs if d in docs]
        return list(naming.docs)

    def _scope(self, ids: list[str] | None) -> Scope | None:
        if not ids:
            return None
        return Scope.of(self.index.corpus, ids)

    def _scoped_steps(self, cleaned: str, question: str, scope: Scope | None, previous, deadline) -> dict:
        with scoped(scope):
            state = self._retrieve_step({"question": cleaned, "standalone_question": question, "timings_ms": {},
                                         "previous_vector": previous})
            _check_deadline(deadline)
            state = self._compose_step(state)
        state["scope"] = scope
        return state

    def _candidates(self, state: dict, cited: list[str]) -> list[str]:
        """The documents a question that names none may be answered from: those its answer cites, then
        those of its best sentences (at most ``MAX_DOCUMENTS``)."""
        if len(self.index.corpus.documents) == 1 or "hits" not in state:
            return cited
        out = list(cited)
        for hit in state["hits"][:TOP_DOCUMENT_HITS]:
            doc = self.index.corpus.locate(self.searcher.sentence_by_id[hit.id].start).id
            if doc not in out:
                out.append(doc)
        return out[:MAX_DOCUMENTS]

    def _per_document(self, cleaned: str, standalone: str, ids: list[str], naming: Naming, previous, deadline,
                      answered_only: bool = False) -> dict:
        """One answer per document, each composed inside its document alone, joined under their titles
        (``answered_only``: the documents that cannot answer are left out)."""
        question = strip_naming(standalone, naming.words, compare=True)
        parts, states = [], []
        for doc_id in ids:
            _check_deadline(deadline)
            state = self._scoped_steps(cleaned, question, self._scope([doc_id]), previous, deadline)
            parts.append((self.index.corpus.document(doc_id).label(), state["composed"]))
            states.append(state)
        corpus = self.index.corpus
        if answered_only and any(p.answerable for _, p in parts):
            kept = [k for k, (_, p) in enumerate(parts) if p.answerable]
            parts, states = [parts[k] for k in kept], [states[k] for k in kept]
        if len(parts) == 1:
            composed = joined.named(parts[0][1], parts[0][0])
        else:
            composed = joined.join(parts, corpus.text, corpus.passages, corpus.locate,
                                   message("assistant.core.nothing_found"))
        first = states[0]
        timings = {k: round(sum(s["timings_ms"].get(k, 0) for s in states), 2) for k in first["timings_ms"]}
        return {"composed": composed, "backend": "extractive", "timings_ms": timings, "analysis": first["analysis"],
                "query": first["query"], "standalone_question": standalone, "parts": len(parts)}

    def _absent_state(self, standalone: str, naming: Naming) -> dict:
        from assistant.answer import Composed
        from assistant.cite import Citer

        corpus = self.index.corpus
        places = "、".join(naming.absent)
        refusal = message("assistant.core.no_document_about", places=places)
        return {"composed": Composed(refusal, False, Citer(corpus.text, corpus.passages, corpus.locate), [], "refusal"),
                "backend": "extractive", "timings_ms": {}, "standalone_question": standalone}

    def _described(self, doc_id: str) -> str:
        """A document as a "which document" answer names it: its title, then its issuer and date."""
        doc = self.index.corpus.document(doc_id)
        extra = [((doc.metadata or {}).get(k) or {}).get("value") or "" for k in ("issuer", "date")]
        extra = [e for e in extra if e and e not in doc.label()]
        return f"《{doc.label()}》" + (f"（{'，'.join(extra)}）" if extra else "")

    def _cited_documents(self, composed) -> list[str]:
        out: list[str] = []
        for c in composed.citer.citations:
            if c.doc and c.doc not in out:
                out.append(c.doc)
        return out

    @cached_property
    def _lower_text(self) -> str:
        return self.index.corpus.text.lower()

    @_own_tokenizer
    def turn_row(self, question: str, previous: Answer) -> list[float]:
        """``TURN_FEATURES`` of ``question`` asked after the answer ``previous``."""
        from index.tokens import content_terms

        vector = self.index.embedder.embed_query_vector(strip_markup(question) or question)
        return turn_features(
            question, previous.standalone_question,
            bodies=self.registry.find(question) or self.registry.unknown(question),
            previous_bodies=self.registry.find(previous.standalone_question) or list(previous.actors or []),
            terms=content_terms(strip_cue(question)), document=self._lower_text, vector=vector,
            previous_vector=previous.vector, sentence_vectors=self.searcher.vectors,
            types=self.type_model.probabilities(vector), bm25_top=self.searcher.bm25_top(strip_cue(question)),
            previous_answered=previous.answerable)

    def turn_label(self, question: str, conversation: Conversation) -> str | None:
        """standalone / merge / swap for ``question`` after the conversation's last turn (None: no earlier
        turn, or no fitted turn model)."""
        previous = conversation.last
        if previous is None or self.turn_model is None:
            return None
        return self.turn_model.predict(self.turn_row(question, previous))

    def _standalone(self, question: str, conversation: Conversation) -> str:
        return self._read_turn(question, conversation)[0]

    def read_turn(self, question: str, history: list[str]) -> dict:
        """How ``question`` is read after the earlier questions ``history``: ``{"turn", "standalone_question"}``
        (turn: standalone / merge / swap, or "" for a first question)."""
        conversation, _, _ = self._replay(history)
        standalone, turn = self._read_turn(clean_question(question), conversation)
        return {"turn": turn, "standalone_question": standalone}

    @_own_tokenizer
    def _read_turn(self, question: str, conversation: Conversation) -> tuple[str, str]:
        """Resolve a follow-up against the earlier answers (their standalone questions, bodies, items): the
        standalone question and how the question was read (the fitted turn model's label, else "merge"
        when the rules changed it)."""
        previous = conversation.last
        if previous is None:
            return question, ""
        label = self.turn_label(question, conversation)
        standalone = self._resolved(question, conversation, label)
        return standalone, label or ("standalone" if standalone == question else "merge")

    def _resolved(self, question: str, conversation: Conversation, label: str | None) -> str:
        previous = conversation.last
        # A question that points at earlier turns (这两个部门, 这个部门, 第四个) is resolved by what it points at,
        # whatever the model read; otherwise a standalone question is answered as it was asked. A swap of a
        # body replaces the earlier body (resolve); a swap of a topic joins the earlier question, whose last
        # clause the retriever reads as what is asked now (measured on the development sets: rewriting the
        # earlier question's words instead answered 0.658 of the follow-up pairs, joining 0.700).
        standalone = question if label == "standalone" else \
            resolve(question, previous.standalone_question, self.registry, force=label is not None)
        if refers_to_several(question) and not self.registry.find(question):
            # "这两个部门有啥共同任务？": the bodies named by the last turns.
            names: list[str] = []
            for earlier in reversed(conversation.answers):
                for name in self.registry.find(earlier.standalone_question) or earlier.actors:
                    if name not in names:
                        names.append(name)
                if len(names) >= 2:
                    break
            if len(names) >= 2:
                return substitute_body(question, names[:2])
        if refers_to_body(question, self.registry) and previous.actors:
            # "这个部门还管什么？": the body is the one the previous answer named.
            return substitute_body(question, previous.actors)
        k = ordinal(question)
        if k and not self.registry.find(question) and previous.route == "list":
            # "第四个具体指什么？": item k of the list the previous answer gave.
            index = k - 1 if k > 0 else k
            if -len(previous.items) <= index < len(previous.items):
                return previous.items[index]
        return standalone

    def stream(self, question: str, history: list[str] | None = None,
               conversation: Conversation | None = None, *, deadline: float | None = None,
               docs: list[str] | None = None) -> Iterator["str | Answer"]:
        """For chat UIs: the LLM reply's text chunks as they stream (none for an extractive answer), then
        the settled ``Answer`` (verified; it may drop or add sentences). Closing the generator cancels
        the model request. Invalid input raises ``InvalidQuestion`` before anything is yielded;
        ``deadline`` as in ``ask``."""
        cleaned = clean_question(question)
        notices: list[str] = []
        past = None
        if conversation is None:
            conversation, notices, past = self._replay(history or [], deadline)
        for event in self._answer_events(cleaned, conversation, deadline=deadline, docs=docs):
            if isinstance(event, Answer):
                event.notices = notices
                self._keep(past, cleaned, conversation, event)
            yield event

    def duties(self, actor: str | None = None) -> list[dict]:
        """The duty map, optionally for one body (any form, paraphrase or English name)."""
        duties = self.composer.duties
        if actor:
            names = self.registry.find(actor) or ([actor] if actor in self.registry.by_name else [])
            duties = [d for n in names for d in self.composer.duties_of(n)]
        return [d.to_dict() for d in duties]

    @_own_tokenizer
    def quiz(self, n: int = 10, seed: int | None = None, kind: str | None = None, level: int | None = None,
             ids: list[str] | None = None):
        """A self-quiz drawn from questions generated from the duty map, figures and the document's lists
        (``ids``: exactly those questions, in that order, e.g. a retry of the missed ones)."""
        from assistant.quiz import make_quiz

        return make_quiz(self.quiz_bank(), n, seed, kind, level, ids=ids)

    @_own_tokenizer
    def quiz_bank(self):
        """Every quiz question the documents support (the same on every run)."""
        from assistant.quiz import generate

        return generate(self)

    @_own_tokenizer
    def grade(self, question, response: str | None):
        """Grade a quiz response; names of bodies may be given in any form the documents use."""
        from assistant.quiz import ActorNames, grade

        return grade(question, response, ActorNames(self.registry))

    @cached_property
    def progress(self):
        """The trainee's quiz history under the data dir."""
        from assistant.quiz import Progress

        return Progress.for_assistant(self)

    def figures(self) -> list[dict]:
        """Every number in the documents with unit, measure, kind, qualifier and sentence."""
        return [f.to_dict() for f in self.index.corpus.figures]


def _selection_models() -> list[SelectionModel | None]:
    """The fitted duty, sentence, figure and list selection models and the figure check (None until ``assistant train`` wrote them)."""
    out = []
    for name, features in ((DUTY_SELECTION_FILE, DUTY_FEATURES), (SENTENCE_SELECTION_FILE, SENTENCE_FEATURES),
                           (FIGURE_SELECTION_FILE, FIGURE_FEATURES), (LIST_SELECTION_FILE, LIST_FEATURES),
                           (FIGURE_CHECK_FILE, FIGURE_CHECK_FEATURES)):
        try:
            out.append(SelectionModel.load(name, features))
        except ModelMissing:
            out.append(None)
    return out


def _metadata_field_model(index: Index) -> AnswerTypeModel | None:
    """The fitted masthead-field model (None until ``assistant train`` wrote it for this embedding model:
    metadata answers then give the whole masthead)."""
    try:
        return AnswerTypeModel.load(index.embedder.model_id, METADATA_FIELD_FILE)
    except ModelMissing:
        return None


def _answer_type_model(index: Index) -> AnswerTypeModel:
    """The fitted answer-type model for this embedding model; fitted here, once, for another model."""
    try:
        return AnswerTypeModel.load(index.embedder.model_id)
    except ModelMissing:
        from assistant.train import fit_answer_type

        return fit_answer_type(index.embedder)[0]
