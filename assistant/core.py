"""The ``Assistant``: one object that owns the flow from question to cited answer.

question (+history) → follow-up resolution → analysis → hybrid retrieval → compose → verify → ``Answer``.
The retrieval and composition steps are a LangChain runnable chain (``Assistant.chain``). The CLI, UI
and eval are thin layers over this class.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

from assistant.cite import Citation, verify
from assistant.compose import Composer
from assistant.config import Settings
from assistant.followup import ordinal, refers_to_body, refers_to_several, resolve, substitute_body
from assistant.retrieve import Searcher
from assistant.understand import InvalidQuestion, analyse, clean, strip_markup
from index.build import Index, open_index

__all__ = ["Answer", "Assistant", "InvalidQuestion"]


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
        if self.related:
            out["related"] = self.related
        return out


class Assistant:
    """Question answering over the speech with verbatim citations."""

    def __init__(self, index: Index, settings: Settings):
        self.index = index
        self.settings = settings
        self.searcher = Searcher(index)
        self.composer = Composer(self.searcher)

    @classmethod
    def open(cls, settings: Settings | None = None, rebuild: bool = False, progress=None, **overrides) -> "Assistant":
        """Open (building on first use) the index under the settings' data dir."""
        settings = settings or Settings.from_env(**overrides)
        index = open_index(settings.home, settings.embedding, settings.chroma_url, settings.threads,
                           rebuild=rebuild, progress=progress)
        return cls(index, settings)

    @cached_property
    def chain(self):
        """retrieve → compose as a LangChain runnable: input ``{"question", "standalone_question",
        "timings_ms"}``, output the state with ``composed``. ``ask`` runs the same two steps directly,
        without importing LangChain's runnable machinery (about 0.6 s at start-up)."""
        from langchain_core.runnables import RunnableLambda

        return RunnableLambda(self._retrieve_step, name="retrieve") | RunnableLambda(self._compose_step, name="compose")

    @cached_property
    def retriever(self):
        """The LangChain ``BaseRetriever`` over the speech (imported on first use: it is slow to import)."""
        from assistant.retriever import HybridRetriever

        return HybridRetriever(searcher=self.searcher, k=self.settings.top_k)

    @property
    def source(self) -> str:
        """The canonical text every citation offset points into."""
        return self.index.corpus.text

    # ---- the chain steps -------------------------------------------------------------------------
    def _retrieve_step(self, state: dict) -> dict:
        t0 = time.perf_counter()
        analysis = analyse(state["standalone_question"])
        query = self.searcher.prepare(analysis.question)
        hits = self.searcher.sentences_ranked(query, k=12)
        state.update(analysis=analysis, query=query, hits=hits)
        state["timings_ms"]["retrieve"] = round((time.perf_counter() - t0) * 1000, 2)
        return state

    def _compose_step(self, state: dict) -> dict:
        t0 = time.perf_counter()
        composed = self.composer.compose(state["analysis"], state["query"], state["hits"])
        backend = "extractive"
        if self.settings.llm and composed.answerable:
            from assistant.llm import rewrite_with_llm

            composed, backend = rewrite_with_llm(self.settings.llm, state["analysis"].question, composed, self.source)
        state.update(composed=composed, backend=backend)
        state["timings_ms"]["compose"] = round((time.perf_counter() - t0) * 1000, 2)
        return state

    # ---- public API ------------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        """Answer one question (``history``: the user's earlier questions, oldest first)."""
        t0 = time.perf_counter()
        cleaned = clean(question)
        # Earlier questions that were only markup or noise cannot be what a follow-up refers to.
        past = [clean(h) for h in (history or []) if isinstance(h, str) and strip_markup(h).strip()][-6:]
        standalone = self._standalone(cleaned, past)
        state = self._compose_step(self._retrieve_step(
            {"question": cleaned, "standalone_question": standalone, "timings_ms": {}}))
        composed = state["composed"]
        citations = composed.citer.citations
        verify(composed.answer, citations, self.source)
        timings = state["timings_ms"] | {"total": round((time.perf_counter() - t0) * 1000, 2)}
        return Answer(cleaned, standalone, composed.answer, composed.answerable, citations, state["backend"],
                      timings, composed.related, composed.route, composed.actors, composed.items)

    def _standalone(self, question: str, past: list[str]) -> str:
        """Resolve a follow-up; some need the earlier answers, not only the earlier questions."""
        standalone = resolve(question, past)
        if not past:
            return standalone
        from assistant.actors import find_actors

        if refers_to_several(question) and not find_actors(question):
            # "这两个部门有啥共同任务？": the bodies named by the last questions.
            names: list[str] = []
            for k in range(len(past), 0, -1):
                for name in find_actors(resolve(past[k - 1], past[:k - 1])):
                    if name not in names:
                        names.append(name)
                if len(names) >= 2:
                    break
            if len(names) >= 2:
                return substitute_body(question, names[:2])
        if refers_to_body(question):
            # "这个部门还管什么？": the body is the one the previous answer named.
            previous = self.ask(past[-1], past[:-1])
            if previous.actors:
                return substitute_body(question, previous.actors)
        k = ordinal(question)
        if k and not find_actors(question):
            # "第四个具体指什么？": item k of the list the previous answer gave.
            previous = self.ask(past[-1], past[:-1])
            index = k - 1 if k > 0 else k
            if previous.route == "list" and -len(previous.items) <= index < len(previous.items):
                return previous.items[index]
        return standalone

    def stream(self, question: str, history: list[str] | None = None) -> Iterator[str]:
        """The answer text in growing chunks (line by line), for chat UIs; the last chunk is complete."""
        answer = self.ask(question, history)
        shown = ""
        for line in answer.answer.split("\n"):
            shown = f"{shown}\n{line}" if shown else line
            yield shown

    def duties(self, actor: str | None = None) -> list[dict]:
        """The duty map, optionally for one actor (any alias or English name)."""
        from assistant.actors import find_actors

        duties = self.composer.duties
        if actor:
            names = find_actors(actor) or [actor]
            duties = [d for n in names for d in (self.composer.duties_of(n) if n in _registry_names() else [])]
        return [d.to_dict() for d in duties]

    def quiz(self, n: int = 10, seed: int | None = None, kind: str | None = None, level: int | None = None):
        """A self-quiz drawn from questions generated from the duty map, figures and the speech's lists."""
        from assistant.quiz import generate, make_quiz

        return make_quiz(generate(self), n, seed, kind, level)

    def figures(self) -> list[dict]:
        """Every number in the speech with unit, measure, kind and sentence."""
        return [f.to_dict() for f in self.index.corpus.figures]


def _registry_names() -> set[str]:
    from assistant.actors import ACTORS

    return {a.name for a in ACTORS}
