"""Sentence vectors kept per document, so a library rebuild embeds only the documents that are new or changed.

Embedding is most of a build's time. A document's vectors are stored under the data dir as
``vectors/<key>.npz``, where the key is the digest of the embedding model and the document's sentence texts
(so a new segmenter, normalizer or model never reuses stale vectors). Each file carries the digest of its
own vectors and is verified when read: a damaged file is embedded again, never used. After a build, files
no build uses any more are removed.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

FOLDER = "vectors"


def document_key(model_id: str, texts: list[str]) -> str:
    h = hashlib.sha256(model_id.encode("utf-8"))
    for t in texts:
        h.update(b"\x1e" + t.encode("utf-8"))
    return h.hexdigest()[:40]


def _digest(vectors: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(vectors, dtype=np.float32).tobytes()).hexdigest()


class VectorCache:
    """Per-document sentence vectors under ``<home>/vectors``; ``embed(texts)`` computes what is missing."""

    def __init__(self, home: Path, model_id: str):
        self.folder = Path(home) / FOLDER
        self.model_id = model_id
        self.used: set[str] = set()
        self.embedded = 0   # sentences embedded by this cache (the rest were read back)

    def vectors(self, texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """The vectors of one document's sentence ``texts``: read back when stored and intact, else embedded
        (with ``embed``) and stored."""
        key = document_key(self.model_id, texts)
        self.used.add(key)
        stored = self._read(key, len(texts))
        if stored is not None:
            return stored
        vectors = np.asarray(embed(texts), dtype=np.float32)
        self.embedded += len(texts)
        self._write(key, vectors)
        return vectors

    def _read(self, key: str, n: int) -> np.ndarray | None:
        try:
            with np.load(self.folder / f"{key}.npz", allow_pickle=False) as data:
                vectors, digest = data["vectors"], str(data["digest"])
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return None
        if vectors.shape[0] != n or _digest(vectors) != digest:
            return None   # damaged or not what the key says: embedded again
        return vectors.astype(np.float32, copy=False)

    def _write(self, key: str, vectors: np.ndarray) -> None:
        """Whole or not at all (a temp file renamed into place); a data dir that cannot take it only costs
        the next build the embedding again."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".npz")
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, vectors=vectors, digest=np.array(_digest(vectors)))
            os.replace(tmp, self.folder / f"{key}.npz")
        except OSError:
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass

    def prune(self) -> None:
        """Remove the stored vectors of documents the last build did not use (and temp files left behind)."""
        prune_unused(self.folder, ".npz", self.used)


def prune_unused(folder: Path, suffix: str, used: set[str]) -> None:
    """Remove the ``suffix`` files of ``folder`` whose stem is not in ``used`` (temp files left behind too)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.suffix == suffix and path.stem not in used:
            try:
                path.unlink()
            except OSError:
                pass
