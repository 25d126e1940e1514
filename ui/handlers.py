"""The web UI's event handlers, as plain methods over one ``Assistant``: tests call them directly,
and ``ui/app.py`` only wires them to components.

Handlers return markup from ``ui.render`` and plain data, plus the few Gradio values an event needs
(``gr.skip()``, a download button, ``gr.Error``).
"""
from __future__ import annotations

import itertools
import json
import os
import re
import threading
import time
import traceback
import unicodedata
from datetime import datetime, timezone
from functools import cached_property, lru_cache
from pathlib import Path

import gradio as gr

from assistant import InvalidQuestion, RequestTimeout
from ui.identity import owner, owner_dir, people_root
from ui.render import (KIND_NAMES, conversation_markdown, documents_title, paragraph_number, paragraphs,
                       render_citations, render_conversation, render_duties, render_feedback_history,
                       render_figures, render_note, render_update)

ALL = "全部"
# Each web request's engine work stops past this many seconds (the answer ends in a one-line error), so
# no request holds one of the queue's few workers for long; measured answers take well under a second.
REQUEST_DEADLINE_S = 10.0
STREAM_EVERY_S = 0.15  # a streaming reply re-renders its turn at most this often
# Figures shown first: what was set and achieved, then the state of things, counts and dates.
KIND_ORDER = ["target", "result", "status", "count", "date"]
MASTHEAD_SECTIONS = ("标题", "主送抄送")
EXPORT_MAX_AGE_S = 3600
FEEDBACK_SHOWN = 20   # the newest ratings a browser sees in its own history
_feedback_lock = threading.Lock()


class Handlers:
    """Every UI action over one ``Assistant``."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.title = documents_title(assistant.documents)
        self.duties = assistant.duties()
        # The masthead's dates and numbers are the document's metadata (their own table), not figures.
        body = [f for f in assistant.figures() if f.get("section") not in MASTHEAD_SECTIONS]
        rank = {k: i for i, k in enumerate(KIND_ORDER)}
        self.figures = sorted(body, key=lambda f: (rank.get(f.get("kind"), len(rank)), f["start"]))
        counts: dict[str, int] = {}
        for d in self.duties:
            for a in d["actors"]:
                counts[a] = counts.get(a, 0) + 1
        self.actors = [ALL] + sorted(counts, key=lambda a: (-counts[a], a))
        self.kinds = [ALL] + [KIND_NAMES.get(k, k) for k in KIND_ORDER
                              if any(f.get("kind") == k for f in self.figures)]
        # Feedback and exports are each person's own (ui.identity: one folder per browser, or per login),
        # never one file for the whole server.
        self.home = Path(assistant.settings.home)
        # Exports live in the data dir (pruned after an hour), not in a new temp folder per server start;
        # the folders and the files are the owner's only (a conversation can be private).
        self.legacy_export_dir = self.home / "exports"   # where exports went before they were per person
        self._epochs = itertools.count(1)
        self._pruned_at = 0.0
        self._prune_exports()   # what earlier runs left: pruning otherwise waits for someone to export

    # ---- where things are ------------------------------------------------------------------------------
    @lru_cache(maxsize=16)
    def _starts(self, doc: str | None) -> list[int]:
        return [a for a, _, _ in paragraphs(self.assistant.source(doc or None))]

    def _placed(self, answer: dict) -> dict:
        """Citations with their full heading path and 第N段, as the viewer numbers paragraphs."""
        for c in answer["citations"]:
            place = self.assistant.place(c.get("doc") or None, c["start"])
            c["path"] = place["path"]
            c["paragraph"] = paragraph_number(self._starts(c.get("doc") or None), c["start"])
            # Where the full-text viewer (all documents end to end) shows it.
            base = self.assistant.document_start(c.get("doc") or None)
            c["view_start"], c["view_end"] = base + c["start"], base + c["end"]
        return answer

    @cached_property
    def body_starts(self) -> list[int]:
        """Paragraph starts of the viewer's text (duty and figure rows are numbered in it)."""
        return [a for a, _, _ in paragraphs(self.assistant.viewer_text)]

    # ---- chat ------------------------------------------------------------------------------------------
    def chat(self, question: str, turns: list[dict] | None, request: gr.Request | None = None,
             docs: list[str] | None = None, *, alone: bool = False):
        """Yields (latest turn, turns, export button, download button, note under the box) as the answer comes.
        Only the turn being answered is rendered and sent (``render_update``); the page appends it to the log.
        Nothing here writes to the question box: what the user types meanwhile is theirs. ``alone``: asked
        without the earlier turns (the user's "按原问题回答"). Each turn records whose it is (``ui.identity``):
        a conversation is only ever exported or rated by the browser that holds it. ``docs``: the documents
        picked on the page (none: those the question names, else all)."""
        turns = list(turns or [])
        if not self._holds(turns, request):
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        mine = owner(request) if request is not None else None
        question = question or ""
        if not question.strip():
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        i = len(turns)
        history = [] if alone else [t["question"] for t in turns if t.get("answer")]
        yield render_update(i, {"question": question}), gr.skip(), gr.skip(), gr.skip(), ""
        events = self.assistant.stream(question, history, deadline=time.monotonic() + REQUEST_DEADLINE_S,
                                       docs=list(docs) if docs else None)
        try:
            partial, shown_at = "", 0.0
            for event in events:
                if isinstance(event, str):  # an LLM reply streaming in: shown as it comes, a few times a second
                    partial += event
                    if time.monotonic() - shown_at > STREAM_EVERY_S:
                        shown_at = time.monotonic()
                        pending = {"question": question, "answer": _pending(question), "partial": partial}
                        yield render_update(i, pending), gr.skip(), gr.skip(), gr.skip(), gr.skip()
                    continue
                ans = self._placed(event.to_dict())
                ans["llm"] = dict(event.llm)  # with the dropped claims, which the page lists
        except InvalidQuestion as exc:  # the one validation, in Assistant: the question goes back in the box
            turns.append({"question": question, "error": str(exc), "rejected": True})
            yield render_update(i, turns[-1]), turns, gr.skip(), gr.skip(), render_note(str(exc))
            return
        except RequestTimeout as exc:  # past the deadline: the message is for the user
            turns.append({"question": question, "error": str(exc)})
            yield render_update(i, turns[-1]), turns, gr.skip(), gr.skip(), gr.skip()
            return
        except Exception as exc:  # keep the page alive; the traceback goes to the server log
            traceback.print_exc()
            turns.append({"question": question, "error": f"出错了：{type(exc).__name__}: {exc}"})
            yield render_update(i, turns[-1]), turns, gr.skip(), gr.skip(), gr.skip()
            return
        finally:
            events.close()  # the user left or asked again: the model request is cancelled
        turns.append({"question": question, "answer": ans, "owner": mine})
        # An earlier export is now out of date: its button goes until the user exports again.
        yield render_update(i, turns[-1]), turns, gr.Button(interactive=True), \
            gr.DownloadButton(value=None, visible=False), gr.skip()

    def chat_once(self, question: str, turns: list[dict] | None, request: gr.Request | None = None,
                  docs: list[str] | None = None, *, alone: bool = False):
        """``chat`` in one step, for an assistant without an LLM reader: the extractive answer is sent at once,
        as one update (a generator costs Gradio a round trip through its event loop per step)."""
        merged: list = []
        for update in self.chat(question, turns, request, docs, alone=alone):
            if not merged:
                merged = list(update)
                continue
            merged = [old if _is_skip(new) else new for old, new in zip(merged, update)]
        return tuple(merged)

    def export(self, turns: list[dict] | None, request: gr.Request | None = None):
        """Write the conversation as Markdown into this browser's exports, one file per page session (rewritten
        on each export), and offer it. Returns (download button, this browser's exports)."""
        turns = list(turns or [])
        if not any(t.get("answer") for t in turns) or not self._holds(turns, request):
            return gr.DownloadButton(value=None, visible=False), gr.skip()
        folder = self.export_dir(request)
        self._prune_exports()
        session = re.sub(r"[^0-9A-Za-z]", "", getattr(request, "session_hash", None) or "")[:16] or f"{os.getpid()}"
        path = folder / f"conversation-{datetime.now():%Y%m%d}-{session}.md"
        tmp = path.with_suffix(".md.tmp")
        # 0600 from the start (no moment world-readable); Gradio's cached copy keeps the mode (copy2).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), 0o600)   # a leftover .tmp of an older run may have had other bits
            fh.write(conversation_markdown(turns, self.title))
        tmp.replace(path)  # never a half-written file
        return gr.DownloadButton(value=str(path), visible=True), self.exports(request)

    def export_dir(self, request) -> Path:
        """``<home>/people/<owner>/exports`` (0700) for the browser or login behind ``request``."""
        folder = owner_dir(self.home, request) / "exports"
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)   # also a folder made by an older version
        return folder

    def exports(self, request) -> list[str]:
        """This browser's exports still kept (the last hour), newest first: paths for a file list."""
        folder = owner_dir(self.home, request, create=False) / "exports"
        cutoff = time.time() - EXPORT_MAX_AGE_S
        kept = []
        for f in folder.glob("conversation-*.md"):
            try:
                mtime = f.stat().st_mtime
            except OSError:
                continue
            if mtime >= cutoff:
                kept.append((mtime, str(f)))
        return [p for _, p in sorted(kept, reverse=True)]

    def feedback_path(self, request, create: bool = True) -> Path:
        return owner_dir(self.home, request, create=create) / "feedback.jsonl"

    def feedback_history(self, request) -> list[dict]:
        """This browser's ratings, newest first (at most FEEDBACK_SHOWN); a damaged line is skipped."""
        try:
            lines = self.feedback_path(request, create=False).read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out = []
        for line in reversed(lines):
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                out.append(rec)
            if len(out) >= FEEDBACK_SHOWN:
                break
        return out

    def my_records(self, request: gr.Request | None = None):
        """(feedback history markup, export file list) of the browser behind ``request``: on page load."""
        return render_feedback_history(self.feedback_history(request)), self.exports(request)

    def _prune_exports(self, max_age_s: float = EXPORT_MAX_AGE_S, every_s: float = 600) -> None:
        """Exports older than an hour go (every person's, and those of versions before exports were per
        person), checked at most every ten minutes."""
        now = time.time()
        if now - self._pruned_at < every_s:
            return
        self._pruned_at = now
        folders = [self.legacy_export_dir] + sorted(people_root(self.home).glob("*/exports"))
        for folder in folders:
            if not folder.is_dir():
                continue
            for old in folder.glob("conversation-*.md*"):
                try:
                    if old.stat().st_mtime < now - max_age_s:
                        old.unlink(missing_ok=True)
                except OSError:
                    pass

    def clear(self):
        """(log, citations, latest turn, turns, export, download, feedback status, note), all empty; the question
        box keeps what is typed there. Each clear is a new epoch, so the page replaces a log it has been
        appending to even though its value was unchanged."""
        epoch = next(self._epochs)
        return (render_conversation([], epoch), render_citations([], epoch=epoch), "", [],
                gr.Button(interactive=False), gr.DownloadButton(value=None, visible=False), "", "")

    @staticmethod
    def _holds(turns: list[dict], request) -> bool:
        """Whether the browser behind ``request`` is the one whose conversation ``turns`` is (a request that
        names another page's session gets that session's state: it must not read it back)."""
        if request is None:
            return True
        me = owner(request)
        return all(t.get("owner") in (None, me) for t in turns)

    def ask_alone(self, turns: list[dict] | None, data: dict, request: gr.Request | None = None):
        """The question of turn ``data["turn"]`` asked again on its own, without the earlier turns (its answer
        showed it was read together with them: "理解为…"). Same outputs as ``chat``."""
        idx, turns = data.get("turn"), list(turns or [])
        if not data.get("alone") or not isinstance(idx, int) or not 0 <= idx < len(turns) \
                or not turns[idx].get("answer"):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return self.chat_once(turns[idx]["answer"]["question"], turns, request, alone=True)

    def feedback(self, turns: list[dict] | None, data: dict, request: gr.Request | None = None):
        """A thumbs up/down on answer ``data["turn"]``: one JSON line in this browser's ``feedback.jsonl``
        (``<home>/people/<owner>/``). Returns (turns, status line, this browser's feedback history)."""
        rating, idx = data.get("rating"), data.get("turn")
        turns = list(turns or [])
        if rating not in ("up", "down") or not isinstance(idx, int) or not 0 <= idx < len(turns) \
                or not turns[idx].get("answer") or not self._holds(turns, request):
            return gr.skip(), gr.skip(), gr.skip()
        ans = turns[idx]["answer"]
        turns[idx] = dict(turns[idx], rating=rating)
        record = {"ts": datetime.now(timezone.utc).isoformat(timespec="seconds"), "rating": rating, "turn": idx,
                  "question": ans["question"], "standalone_question": ans["standalone_question"],
                  "answer": ans["answer"], "answerable": ans["answerable"], "citations": ans["citations"],
                  "backend": ans.get("backend", "")}
        path = self.feedback_path(request)
        with _feedback_lock:   # one whole line per write: two clicks never interleave
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            os.chmod(path, 0o600)
        label = "有帮助" if rating == "up" else "没帮助"
        return (turns, f"已记录第 {idx + 1} 问的反馈（{label}），谢谢。",
                render_feedback_history(self.feedback_history(request)))

    # ---- the tables ------------------------------------------------------------------------------------
    @cached_property
    def document_titles(self) -> list[str]:
        """The documents' titles, for the duty and figure tabs' document filter (one document: none)."""
        docs = self.assistant.documents
        return [d["title"] for d in docs] if len(docs) > 1 else []

    def _document_of(self, start: int) -> str:
        """The title of the document that holds a position of the viewer's text ("" with one document)."""
        if not self.document_titles:
            return ""
        return self.assistant.index.corpus.locate(start).label()

    def _in_document(self, rows: list[dict], doc: str | None) -> list[dict]:
        if not doc or doc == ALL or not self.document_titles:
            return rows
        return [r for r in rows if self._document_of(r["start"]) == doc]

    def filter_duties(self, actor: str | None, keyword: str | None, doc: str | None = None) -> tuple[str, str]:
        """Duties of ``actor``, then those matching ``keyword``: its words in the task, topic or actors (case and
        width folded), or a body it names in any form the engine knows (交通运输局, 交通部门, Transport Bureau
        → 市交通局: the assistant's body registry, as in the chat). ``doc``: only that document's (a title)."""
        rows = self._in_document(self.duties, doc)
        if actor and actor != ALL:
            rows = [d for d in rows if actor in d["actors"]]
        kw = _fold(keyword or "").strip()
        if kw:
            named = set(self.assistant.registry.find((keyword or "").strip()))
            rows = [d for d in rows if named & set(d["actors"])
                    or any(kw in _fold(v) for v in (d["task"], d.get("topic", ""), "、".join(d["actors"])))]
        return render_duties(rows, self.body_starts, self._titles_of(rows)), _count(len(rows), len(self.duties), "条任务")

    def _titles_of(self, rows: list[dict]) -> list[str] | None:
        return [self._document_of(r["start"]) for r in rows] if self.document_titles else None

    def filter_figures(self, kind: str | None, keyword: str | None, doc: str | None = None) -> tuple[str, str]:
        """Figures of ``kind`` whose shown text holds ``keyword``, ignoring case and full/half width (NFKC):
        "pm2.5" and "ＰＭ２.５" find PM2.5. ``doc``: only that document's (a title)."""
        rows = self._in_document(self.figures, doc)
        if kind and kind != ALL:
            rows = [f for f in rows if KIND_NAMES.get(f["kind"], f["kind"]) == kind]
        kw = _fold(keyword or "").strip()
        if kw:
            # Only what the table shows: a row matched by hidden text would look like a wrong result.
            rows = [f for f in rows if any(kw in _fold(f.get(k) or "") for k in ("text", "measure", "section"))]
        return render_figures(rows, self.body_starts, self._titles_of(rows)), _count(len(rows), len(self.figures), "个数字")

    # ---- the public API ---------------------------------------------------------------------------------
    def api_ask(self, question: str, history: list[str] | None = None) -> dict:
        """Answer one question; ``history`` is the user's earlier questions. Returns the Answer dict (entries
        that are not usable questions are left out, each with a line in its ``notices``)."""
        return self._api_answer(question, history, None)

    def api_ask_in(self, question: str, history: list[str] | None = None, docs: list[str] | None = None) -> dict:
        """``api_ask`` from the documents ``docs`` only (their ids; empty: those the question names, else all).
        Its own endpoint: Gradio wants every input of an endpoint, and ``ask`` keeps its two."""
        if docs is not None and not (isinstance(docs, list) and all(isinstance(d, str) for d in docs)):
            raise gr.Error("docs 必须是文档 id 的列表 (docs must be a list of document ids)", print_exception=False)
        return self._api_answer(question, history, docs or None)

    def _api_answer(self, question, history, docs) -> dict:
        if history is not None and not isinstance(history, list):
            # A string would otherwise be read as a list of characters, and a number raised a TypeError that
            # reached the client as {"error": null}.
            name = type(history).__name__
            raise gr.Error(f"历史必须是问题字符串的列表，收到的是 {name} "
                           f"(history must be a list of question strings, got {name})", print_exception=False)
        try:
            return self.assistant.ask(question, history or [], deadline=time.monotonic() + REQUEST_DEADLINE_S,
                                      docs=docs).to_dict()
        except (InvalidQuestion, RequestTimeout) as exc:
            raise gr.Error(str(exc), print_exception=False) from None


def _fold(text: str) -> str:
    """Text as a search compares it: NFKC (full-width letters and digits become ASCII) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def _is_skip(value) -> bool:
    return isinstance(value, dict) and value == {"__type__": "update"}


def _pending(question: str) -> dict:
    return {"question": question, "standalone_question": question, "answer": "", "answerable": True, "citations": []}


def _count(shown: int, total: int, noun: str) -> str:
    return f"共 {total} {noun}" if shown == total else f"显示 {shown} / 共 {total} {noun}"
