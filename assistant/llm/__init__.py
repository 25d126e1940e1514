"""The optional LLM reader (``ASSISTANT_LLM``): LangChain clients, a reader over the engine's evidence,
claim-level verification, and a llama.cpp worker for local GGUF models."""
from assistant.llm.clients import LLMConfigError, LLMOptions, chat_model
from assistant.llm.reader import Reader, Reading
from assistant.llm.verify import ClaimChecker, Passage, Verdict, verify

__all__ = ["ClaimChecker", "LLMConfigError", "LLMOptions", "Passage", "Reader", "Reading", "Verdict", "chat_model",
           "verify"]
