"""Chat models for the LLM reader, by ``ASSISTANT_LLM`` spec: LangChain's own clients, configured for a
reader (temperature 0, bounded output, a timeout, no silent retries).

* ``openai:MODEL`` → ``ChatOpenAI`` against any OpenAI-compatible server (``OPENAI_BASE_URL``: vLLM,
  llama.cpp, DeepSeek or Qwen intranet deployments; ``OPENAI_API_KEY``, any value for local servers);
* ``ollama:MODEL`` → ``ChatOllama`` (``OLLAMA_HOST``, default http://127.0.0.1:11434);
* ``gguf:/path/model.gguf`` → a llama.cpp worker process that loads the model once (``gguf.py``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from index.language import message


class LLMConfigError(ValueError):
    """The ``ASSISTANT_LLM`` spec or its environment is not usable (one line, for the user)."""


@dataclass(frozen=True)
class LLMOptions:
    max_tokens: int = 384          # a reader quotes and cites: long replies are neither needed nor fast on a CPU
    timeout_s: float = 60.0        # connect, and the longest wait for the next streamed chunk
    # The whole reply: a server that trickles a token now and then never trips the wait between chunks,
    # and the user is not kept past this; the engine's extractive answer stands instead.
    deadline_s: float = 60.0

    @classmethod
    def from_env(cls) -> "LLMOptions":
        return cls(max_tokens=int(_positive("ASSISTANT_LLM_MAX_TOKENS", cls.max_tokens, int)),
                   timeout_s=_positive("ASSISTANT_LLM_TIMEOUT", cls.timeout_s, float),
                   deadline_s=_positive("ASSISTANT_LLM_DEADLINE", cls.deadline_s, float))


def _positive(name: str, default: float, kind: type) -> float:
    """A positive number from the environment, or a one-line ``LLMConfigError`` naming the variable."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        value = 0
    if not 0 < value < float("inf"):
        shown = " ".join(raw.split())[:40]
        raise LLMConfigError(message("assistant.llm.clients.not_positive", name=name, shown=shown))
    return value


def chat_model(spec: str, options: LLMOptions | None = None):
    """The LangChain chat model for ``spec`` (imported here, on first use: LangChain's clients are slow to import)."""
    options = options or LLMOptions.from_env()
    kind, _, model = spec.partition(":")
    if not model:
        raise LLMConfigError(message("assistant.llm.clients.no_model", spec=spec))
    if kind == "openai":
        from langchain_openai import ChatOpenAI

        base_url = os.environ.get("OPENAI_BASE_URL")
        return ChatOpenAI(model=model, base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY") or "local",
                          temperature=0, max_tokens=options.max_tokens, timeout=options.timeout_s, max_retries=0,
                          streaming=True)
    if kind == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=model, base_url=os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434"),
                          temperature=0, num_predict=options.max_tokens,
                          client_kwargs={"timeout": options.timeout_s})
    if kind == "gguf":
        from assistant.llm.gguf import GGUFChat

        if not os.path.isfile(model):
            raise LLMConfigError(message("assistant.llm.clients.no_model_file", model=model))
        return GGUFChat(model_path=model, max_tokens=options.max_tokens, timeout_s=options.timeout_s)
    raise LLMConfigError(message("assistant.llm.clients.unknown_backend", spec=spec, kind=kind))
