"""The LLM reader: the model reads the engine's evidence and answers with [n] after each claim; the reply
streams as it comes, then is settled by claim-level verification (``verify.py``).

The chain is LangChain's ``prompt | model | parser`` over the prompts in ``prompts/reader_{zh,en}.md``.
The model never rewrites the engine's answer: it reads numbered passages (the engine's cited sentences
first, then the best passages for the question). Whatever it says that its passages do not support is
dropped; what the engine's answer cites and the reply leaves out is appended from the evidence, cited. When it says the
documents do not answer, that is reported next to the engine's answer, not silently overridden.
"""
from __future__ import annotations

import contextvars
import queue
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterator

from assistant.cite import Citer
from assistant.llm.clients import LLMOptions, chat_model
from assistant.llm.verify import ClaimChecker, Passage, Verdict, verify
from index.language import message, template

MAX_PASSAGES = 6


@dataclass
class Reading:
    """One settled LLM reading: the answer text with renumbered markers, its citer, and what happened."""

    answer: str
    citer: Citer
    info: dict = field(default_factory=dict)   # the answer JSON's ``llm`` field


def load_prompt(english: bool) -> str:
    return resources.files("prompts").joinpath("reader_en.md" if english else "reader_zh.md").read_text("utf-8")


class Reader:
    """Reads evidence with the configured chat model and settles the reply against it."""

    def __init__(self, spec: str, registry, corpus, options: LLMOptions | None = None, dictionary=None):
        self.spec = spec
        self.options = options or LLMOptions.from_env()
        self.checker = claim_checker(registry, corpus, dictionary)
        self.corpus = corpus
        self._chains: dict[bool, object] = {}

    def chain(self, english: bool):
        """``prompt | model | parser`` (built on first use: importing the clients takes about a second)."""
        if english not in self._chains:
            from langchain_core.messages import SystemMessage
            from langchain_core.output_parsers import StrOutputParser
            from langchain_core.prompts import ChatPromptTemplate

            # The human turn's template: LangChain fills in {passages} and {question}.
            human = template("assistant.llm.reader.human_en" if english else "assistant.llm.reader.human_zh")
            prompt = ChatPromptTemplate.from_messages([SystemMessage(content=load_prompt(english)), ("human", human)])
            self._chains[english] = prompt | chat_model(self.spec, self.options) | StrOutputParser()
        return self._chains[english]

    # ---- what the model reads ------------------------------------------------------------------------------
    def passages(self, composed, ranked_passages: list) -> list[Passage]:
        """The engine's cited sentences first (each item the answer must cover), then the best passages."""
        out: list[Passage] = []
        for c in composed.citer.citations:
            start = self.corpus.document(c.doc).start + c.start if c.doc else c.start
            out.append(Passage(len(out) + 1, c.quote, start, start + len(c.quote), c.section))
        for p in ranked_passages:
            if len(out) >= MAX_PASSAGES:
                break
            if any(q.start <= p.start and p.end <= q.end or p.start <= q.start and q.end <= p.end for q in out):
                continue
            out.append(Passage(len(out) + 1, p.text, p.start, p.end, p.section))
        return out[:max(MAX_PASSAGES, len(composed.citer.citations))]

    @staticmethod
    def render(passages: list[Passage]) -> str:
        return "\n".join(f"[{p.n}]（{p.section}）{p.text}" for p in passages)

    # ---- reading ---------------------------------------------------------------------------------------------
    def stream(self, question: str, english: bool, passages: list[Passage]) -> Iterator[str]:
        """The reply's text as it streams. Raises on a dead server, a timeout (the client's, between any two
        chunks), a reply still running at ``options.deadline_s``, or a reply cut off before the model
        finished (a server that dies mid-stream)."""
        chain = self.chain(english)
        prompt_and_model, parser = chain.first | chain.middle[0], chain.last
        chunks = prompt_and_model.stream({"passages": self.render(passages), "question": question})
        # The model is read on a worker thread so that the wait for each chunk is bounded by what is left
        # of the deadline; closing this generator (or the deadline) tells the worker to close the stream.
        inbox: queue.Queue = queue.Queue()
        stop = threading.Event()

        def pump() -> None:
            try:
                for chunk in chunks:
                    inbox.put(("chunk", chunk))
                    if stop.is_set():
                        break
                inbox.put(("end", None))
            except BaseException as exc:  # noqa: BLE001 - handed to the reader below
                inbox.put(("error", exc))
            finally:
                chunks.close()   # stop reading, close the connection

        context = contextvars.copy_context()
        threading.Thread(target=context.run, args=(pump,), name="llm-reply", daemon=True).start()
        deadline = time.monotonic() + self.options.deadline_s
        finished = False
        try:
            while True:
                try:
                    kind, item = inbox.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    raise TimeoutError(message("assistant.llm.reader.deadline",
                                               seconds=self.options.deadline_s)) from None
                if kind == "end":
                    break
                if kind == "error":
                    raise item
                meta = item.response_metadata or {}
                finished = finished or bool(meta.get("finish_reason") or meta.get("done_reason") or meta.get("done"))
                text = parser.invoke(item)
                if text:
                    yield text
        finally:
            stop.set()
        if not finished:
            raise ConnectionError(message("assistant.llm.reader.cut_off"))

    @staticmethod
    def required(passages: list[Passage], composed) -> list[Passage]:
        """What the reply must cover: every sentence the engine's own answer cites (each duty, each figure's
        sentence), or for a list each item (not the sentence that introduces it). A reply may say it more
        briefly; what it leaves out is appended verbatim, so reading never loses a fact the engine found."""
        cited = passages[:len(composed.citer.citations)]
        if composed.items:
            return [p for p in cited if any(item.strip("。；")[:12] in p.text for item in composed.items)]
        return cited

    def settle(self, reply: str, passages: list[Passage], composed) -> Reading:
        """Verify the reply; the answer keeps supported sentences and adds the items it missed, cited."""
        required = self.required(passages, composed)
        verdict = verify(reply, passages, self.checker, required)
        # The engine's own cited sentences are what the question is about: a reply none of whose kept
        # sentences rests on one of them answers something else ("what is the target?" → a true but
        # unrelated sentence), and is not shown as the answer.
        engine = passages[:len(composed.citer.citations)]
        if verdict.kept and engine and not any(p in engine for _, ps in verdict.kept for p in ps):
            verdict.dropped += [(claim, message("assistant.llm.reader.unrelated")) for claim, _ in verdict.kept]
            verdict.kept = []
            verdict.added = []
        citer = Citer(self.corpus.text, self.corpus.passages, self.corpus.locate, titles=len(self.corpus.documents) > 1)
        lines = []
        for claim, cited in verdict.kept:
            marks = "".join(f"[{citer.cite(p.start, p.end, p.section)}]" for p in cited)
            body = claim.rstrip("。；;.! ")
            lines.append(f"- {body}{marks}" if len(verdict.kept) + len(verdict.added) > 1 else f"{body}{marks}。")
        for p in verdict.added:
            lines.append(f"- {p.text.rstrip('。；')}[{citer.cite(p.start, p.end, p.section)}]")
        info = _info(self.spec, verdict)
        info["reply"] = reply  # the model's own words, kept for the bench and the UI (not in the answer JSON)
        return Reading("\n".join(lines), citer, info)


def claim_checker(registry, corpus, dictionary=None) -> ClaimChecker:
    """``dictionary``: the index's tokenizer dictionary (see ClaimChecker)."""
    return ClaimChecker(registry, corpus.duties, _masthead(corpus), dictionary)


def _masthead(corpus) -> str:
    """The documents' masthead values (title, issuer, speaker…): what 我市/我们 refer to."""
    return " ".join(str(v.get("value", "")) for d in corpus.documents for v in (d.metadata or {}).values()
                    if isinstance(v, dict))


def _info(spec: str, verdict: Verdict) -> dict:
    used = bool(verdict.kept)
    if verdict.refused and not verdict.kept:
        reason = message("assistant.llm.reader.refused")
    elif not verdict.kept:
        reason = message("assistant.llm.reader.none_verified" if verdict.dropped else "assistant.llm.reader.no_reply")
    else:
        reason = ""
    return {"used": used, "model": spec, "reason": reason, "dropped": len(verdict.dropped),
            "added": len(verdict.added), "refused": verdict.refused,
            "dropped_claims": [{"claim": c, "why": w} for c, w in verdict.dropped]}
