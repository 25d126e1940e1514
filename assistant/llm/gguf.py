"""``GGUFChat``: a LangChain chat model over a llama.cpp worker process that loads the model once.

The worker (``gguf_worker.py``) runs under ``ASSISTANT_GGUF_PYTHON`` (default: this Python). A native
crash, a hang past the timeout or a cancelled request ends that worker only: the request raises
``WorkerError`` with one line saying why, the reader falls back to the extractive answer, and the next
request starts a fresh worker.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from index.language import message

WORKER = Path(__file__).with_name("gguf_worker.py")
LOAD_TIMEOUT_S = 300.0


class WorkerError(RuntimeError):
    """The worker failed: it could not start, crashed, or did not answer in time."""


class _Worker:
    """One worker process and the thread that reads its stdout into a queue."""

    def __init__(self, model_path: str):
        command = os.environ.get("ASSISTANT_GGUF_WORKER")  # tests: a stand-in worker script
        python = os.environ.get("ASSISTANT_GGUF_PYTHON", sys.executable)
        argv = [python, command or str(WORKER), model_path]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, encoding="utf-8", bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        first = self.next(LOAD_TIMEOUT_S)
        if "fatal" in first:
            self.stop()
            raise WorkerError(first["fatal"])

    def _pump(self) -> None:
        for line in self.proc.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                continue
        self.lines.put(None)  # end of output: the process is gone

    def next(self, timeout: float) -> dict:
        try:
            item = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise WorkerError(message("assistant.llm.gguf.silent", timeout=timeout)) from None
        if item is None:
            code = self.proc.wait(timeout=5)
            why = message("assistant.llm.gguf.signal", name=signal.Signals(-code).name) if code < 0 \
                else message("assistant.llm.gguf.exit_code", code=code)
            raise WorkerError(message("assistant.llm.gguf.died", why=why))
        return item

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


_workers: dict[str, _Worker] = {}
_lock = threading.Lock()  # one request at a time per process: the worker answers in order


class GGUFChat(BaseChatModel):
    """Chat completions from a local GGUF model, loaded once per process in a worker."""

    model_path: str
    max_tokens: int = 384
    timeout_s: float = 60.0

    @property
    def _llm_type(self) -> str:
        return "gguf-worker"

    def _worker(self) -> _Worker:
        worker = _workers.get(self.model_path)
        if worker is None or not worker.alive():
            worker = _workers[self.model_path] = _Worker(self.model_path)
        return worker

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        payload = {"messages": [{"role": _role(m), "content": m.content} for m in messages],
                   "max_tokens": self.max_tokens}
        with _lock:
            worker = self._worker()
            deadline = time.monotonic() + self.timeout_s
            worker.proc.stdin.write(json.dumps(payload, ensure_ascii=False) + "\n")
            worker.proc.stdin.flush()
            finished = False
            try:
                while True:
                    item = worker.next(max(0.1, deadline - time.monotonic()))
                    if "token" in item:
                        chunk = ChatGenerationChunk(message=AIMessageChunk(content=item["token"]))
                        if run_manager:
                            run_manager.on_llm_new_token(item["token"], chunk=chunk)
                        yield chunk
                    elif "error" in item:
                        finished = True
                        raise WorkerError(item["error"])
                    elif item.get("done"):
                        finished = True
                        yield ChatGenerationChunk(message=AIMessageChunk(content="", response_metadata={
                            "finish_reason": "stop"}))
                        return
            finally:
                if not finished:  # cancelled or timed out mid-reply: that worker would keep generating
                    worker.stop()

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(c.message.content for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")
