"""Optional LLM composer: rewrites the extractive evidence into prose, then every sentence is verified.

Backends (``--llm`` / ``ASSISTANT_LLM``): ``openai:MODEL`` (any OpenAI-compatible server at
``OPENAI_BASE_URL``, key in ``OPENAI_API_KEY``), ``ollama:MODEL`` (``OLLAMA_HOST``, default
http://127.0.0.1:11434), ``gguf:/path.gguf`` (needs the llama-cpp-python extra). An LLM answer is never
trusted as is: each sentence must end with [n] and share most of its words with quote n, otherwise it is
dropped; if nothing survives, the extractive answer is returned unchanged.
"""
from __future__ import annotations

import json
import os
import re
import urllib.request
from importlib import resources

from rapidfuzz import fuzz

from assistant.cite import Citer
from assistant.answer import Composed

SUPPORT_THRESHOLD = 60  # rapidfuzz partial_ratio between a sentence and its cited quote
TIMEOUT_S = 60


def load_prompt(name: str = "answer_zh.md") -> str:
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


def build_prompt(question: str, citer: Citer) -> str:
    # The question is data: it goes in verbatim, after the passages, never as an instruction.
    passages = "\n".join(f"[{c.n}] {c.quote}" for c in citer.citations)
    return load_prompt().format(passages=passages, question=question)


def chat(spec: str, prompt: str) -> str:
    """One completion from the configured backend."""
    kind, _, model = spec.partition(":")
    if kind == "openai":
        base = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1").rstrip("/")
        body = {"model": model, "messages": [{"role": "user", "content": prompt}], "temperature": 0}
        headers = {"Content-Type": "application/json",
                   "Authorization": f"Bearer {os.environ.get('OPENAI_API_KEY', 'none')}"}
        data = _post(f"{base}/chat/completions", body, headers)
        return data["choices"][0]["message"]["content"]
    if kind == "ollama":
        base = os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434").rstrip("/")
        data = _post(f"{base}/api/chat", {"model": model, "stream": False, "options": {"temperature": 0},
                                         "messages": [{"role": "user", "content": prompt}]}, {})
        return data["message"]["content"]
    if kind == "gguf":
        from llama_cpp import Llama  # optional extra

        llm = Llama(model_path=model, n_ctx=4096, verbose=False)
        out = llm.create_chat_completion(messages=[{"role": "user", "content": prompt}], temperature=0)
        return out["choices"][0]["message"]["content"]
    raise ValueError(f"unknown LLM backend {spec!r}: use openai:MODEL, ollama:MODEL or gguf:/path.gguf")


def _post(url: str, body: dict, headers: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"),
                                 headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:  # noqa: S310 - user-configured endpoint
        return json.loads(resp.read().decode("utf-8"))


def verified_sentences(text: str, citer: Citer) -> list[str]:
    """The LLM's sentences that end with [n] and are supported by quote n."""
    quotes = {c.n: c.quote for c in citer.citations}
    kept = []
    for sentence in re.findall(r"[^。！？!?\n]+?(?:\[\d+\])+[。！？!?]?", text):
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        claim = re.sub(r"\[\d+\]", "", sentence).strip(" -*>。")
        if not claim or not numbers or any(n not in quotes for n in numbers):
            continue
        if max(fuzz.partial_ratio(claim, quotes[n]) for n in numbers) >= SUPPORT_THRESHOLD:
            kept.append(sentence.strip())
    return kept


def rewrite_with_llm(spec: str, question: str, composed: Composed, source: str) -> tuple[Composed, str]:
    """The LLM's verified answer, or the extractive one when the LLM fails or nothing it says is supported."""
    if not composed.citer.citations:
        return composed, "extractive"
    try:
        text = chat(spec, build_prompt(question, composed.citer))
    except Exception:  # noqa: BLE001 - a dead or misconfigured backend must not break answering
        return composed, "extractive"
    kept = verified_sentences(text, composed.citer)
    if not kept:
        return composed, "extractive"
    answer = "\n".join(kept)
    return Composed(answer, True, composed.citer, composed.related, composed.route), f"llm:{spec}"
