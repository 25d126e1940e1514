"""A library's vectors split over collections by document ("shards"), each written once and shared by the
builds that hold the same items.

A Chroma server cannot copy a collection, so a build that wrote the whole library afresh spent 97 s adding one
document to 1,000 (about 1,100 items a second, the server's pace). Here each document's items go to one of
``shards`` shards, chosen by a hash of its id, and are stored under ids and spans of their own document: a
document's items are the same whatever documents come before or after it. A shard that holds the same items
as in the last build (same digest) is the last build's collection, named again in the new manifest; only the
shards a change touches are written. Nothing is ever changed in place, so the last build answers until the
new one is swapped in, and a build that dies leaves it whole.

The engine scores in memory (``assistant.retrieve.searcher``); the store is read back only to check the
build's copy of the vectors (a few probes) or, failing that, to load them all: ``ShardedStore`` gives those
reads in the engine's ids and corpus order.
"""
from __future__ import annotations

import bisect
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np

from index.documents import Corpus
from index.store import VectorStore

LAYOUT = 2     # in every manifest: a build of another layout (one collection per kind) is built again
SHARDS = 32   # at 1,000 documents a shard holds ~31 of them, ~2,400 items: ~2 s to write on a server
PASSAGES, SENTENCES = "passages_", "sentences_"
KINDS = (PASSAGES, SENTENCES)


@dataclass
class Shard:
    """The items of one kind that one shard holds, in corpus order."""

    kind: str
    number: int
    rows: list[int] = field(default_factory=list)       # rows of the kind's items in corpus order
    ids: list[str] = field(default_factory=list)        # stored ids: "<document id>#<n-th item of it>"
    texts: list[str] = field(default_factory=list)
    metadatas: list[dict] = field(default_factory=list)  # spans within the document, and its id

    @cached_property
    def documents(self) -> dict[str, list]:
        """Each document's id → [a digest of its items here (ids, texts, metadata), how many]."""
        digests: dict[str, "hashlib._Hash"] = {}
        for i, t, m in zip(self.ids, self.texts, self.metadatas):
            h = digests.setdefault(m["doc"], hashlib.blake2b(digest_size=8))
            h.update(f"{i}\x1f{t}\x1f{json.dumps(m, ensure_ascii=False, sort_keys=True)}\x1e".encode())
        counts = Counter(m["doc"] for m in self.metadatas)
        return {d: [h.hexdigest(), counts[d]] for d, h in digests.items()}

    @cached_property
    def digest(self) -> str:
        return hashlib.blake2b(json.dumps(sorted(self.documents.items()), ensure_ascii=False).encode(),
                               digest_size=16).hexdigest()

    def record(self, name: str) -> dict:
        return {"number": self.number, "name": name, "count": len(self.ids), "digest": self.digest,
                "documents": self.documents}


def shard_of(doc_id: str, shards: int = SHARDS) -> int:
    """The shard of a document: stable across builds, libraries and machines (not Python's salted hash)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big") % shards


def _items(corpus: Corpus, kind: str) -> list:
    return corpus.passages if kind == PASSAGES else corpus.doc.sentences


def placement(corpus: Corpus, kind: str, rows=None, shards: int = SHARDS) -> list[tuple[int, str, int]]:
    """Per item of ``kind`` at ``rows`` (corpus order; all when None): (shard, stored id, its document's start
    in the combined text). The stored id counts the item among its document's items of that kind."""
    items = _items(corpus, kind)
    starts = [item.start for item in items]   # in text order: a document's items are one run
    out = []
    for r in range(len(items)) if rows is None else rows:
        doc = corpus.locate(items[r].start)
        out.append((shard_of(doc.id, shards), f"{doc.id}#{r - bisect.bisect_left(starts, doc.start)}", doc.start))
    return out


def plan(corpus: Corpus, shards: int = SHARDS) -> dict[str, list[Shard]]:
    """Every non-empty shard of each kind, with the items it stores."""
    out = {}
    for kind in KINDS:
        by_number: dict[int, Shard] = {}
        for row, (item, (number, stored, base)) in enumerate(zip(_items(corpus, kind), placement(corpus, kind, shards=shards))):
            shard = by_number.setdefault(number, Shard(kind, number))
            meta = {"doc": stored.rsplit("#", 1)[0], "start": item.start - base, "end": item.end - base,
                    "section": item.section}
            if kind == PASSAGES:
                meta["kind"] = item.kind
            shard.rows.append(row)
            shard.ids.append(stored)
            shard.texts.append(item.text)
            shard.metadatas.append(meta)
        out[kind] = [by_number[n] for n in sorted(by_number)]
    return out


def write(client, plans: dict[str, list[Shard]], vectors: dict[str, np.ndarray], embedder, build_id: str,
          previous: dict | None, private: bool, most: float = 0.5) -> dict[str, list[dict]]:
    """Write the shards that differ from ``previous`` (the last manifest's ``shards``); returns the new
    manifest's ``shards``: per kind, one record per shard (number, collection name, item count, digest, and
    a digest per document). ``private``: the store is this build's own copy of the last one (embedded), so a
    shard that changed is changed in place, document by document, unless more than ``most`` of its items
    change (rewriting a 2,400-item shard to add 75 items was 2 s of adding one document to 1,000).
    Otherwise (a server, shared with the build that answers now) a changed shard is a new collection of build
    ``build_id``, and a shard taken over is first checked to be there with its items (a server's collections
    carry no checksum; an embedded copy was verified file by file)."""
    out: dict[str, list[dict]] = {}
    for kind, shards in plans.items():
        before = {r["number"]: r for r in (previous or {}).get(kind, [])}
        out[kind] = []
        for shard in shards:
            old = before.get(shard.number)
            if old and old["digest"] == shard.digest and (
                    private or _holds_count(client, old["name"], embedder, len(shard.ids))):
                out[kind].append(old)
            elif old and private and _changed_in_place(client, old, shard, vectors[kind], embedder, most):
                out[kind].append(shard.record(old["name"]))
            else:
                name = f"{kind}{build_id}-{shard.number:02d}"
                VectorStore(client, name, embedder, create=True, size=len(shard.ids)).add(
                    shard.ids, shard.texts, vectors[kind][np.asarray(shard.rows, dtype=np.int64)], shard.metadatas)
                out[kind].append(shard.record(name))
    return out


def _changed_in_place(client, old: dict, shard: Shard, vectors: np.ndarray, embedder, most: float) -> bool:
    """Make the collection of record ``old`` hold ``shard``'s items: the items of the documents that left or
    changed are deleted, those of the documents that came or changed are added. False, changing nothing,
    when more than ``most`` of the shard would change (a fresh collection is then as quick)."""
    held, wanted = old.get("documents"), shard.documents
    if not isinstance(held, dict):
        return False
    gone = [d for d, kept in held.items() if wanted.get(d) != kept]
    came = {d for d, made in wanted.items() if held.get(d) != made}
    fresh = [k for k, m in enumerate(shard.metadatas) if m["doc"] in came]
    if len(fresh) + sum(held[d][1] for d in gone) > most * max(len(shard.ids), 1) or not (gone or fresh):
        return False
    store = VectorStore(client, old["name"], embedder)
    for doc in gone:
        store.collection.delete(where={"doc": doc})
    rows = np.asarray([shard.rows[k] for k in fresh], dtype=np.int64)
    store.add([shard.ids[k] for k in fresh], [shard.texts[k] for k in fresh], vectors[rows],
              [shard.metadatas[k] for k in fresh])
    return True


def _holds_count(client, name: str, embedder, count: int) -> bool:
    try:
        return VectorStore(client, name, embedder).count() == count
    except Exception:  # noqa: BLE001 - gone (a server reset, another program): written again
        return False


def readable(records) -> bool:
    """Whether a manifest's ``shards`` has the shape ``write`` records (a damaged or hand-edited manifest is
    not taken over: the build then writes every shard)."""
    if not isinstance(records, dict):
        return False
    rows = [r for kind in KINDS for r in (records.get(kind) if isinstance(records.get(kind), list) else [None])]
    return all(isinstance(r, dict) and isinstance(r.get("number"), int) and isinstance(r.get("name"), str)
               and isinstance(r.get("count"), int) and isinstance(r.get("digest"), str) for r in rows)


def names(records: dict[str, list[dict]]) -> list[str]:
    """Every collection a manifest's ``shards`` names."""
    return [r["name"] for kind in KINDS for r in records.get(kind, [])]


class ShardedStore:
    """One kind's shard collections read as one store, in the engine's ids: what an opened index asks of it."""

    def __init__(self, stores: dict[int, VectorStore], kind: str, corpus: Callable[[], Corpus], shards: int = SHARDS):
        """``corpus``: the index's corpus, asked for only when an id must be placed (the store is rarely read)."""
        self._stores, self._kind, self._corpus, self._shards = stores, kind, corpus, shards
        self._where: dict[str, tuple[int, str]] | None = None

    def count(self) -> int:
        return sum(s.count() for s in self._stores.values())

    def _placed(self) -> dict[str, tuple[int, str]]:
        if self._where is None:
            corpus = self._corpus()
            self._where = {item.id: (n, stored) for item, (n, stored, _) in
                           zip(_items(corpus, self._kind), placement(corpus, self._kind, shards=self._shards))}
        return self._where

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float, str, dict]]:
        """(id, cosine similarity, text, stored metadata) of the k nearest items over all shards, the engine's ids."""
        back = {place: i for i, place in self._placed().items()}
        found = [(back[(number, i)], sim, text, meta) for number, store in self._stores.items()
                 for i, sim, text, meta in store.query(vector, k)]
        return sorted(found, key=lambda hit: -hit[1])[:k]

    def vectors_of(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The vectors of ``ids`` (the engine's) that the store holds, by id."""
        where = self._placed()
        return self._vectors_at({i: where[i] for i in ids if i in where})

    def _vectors_at(self, where: dict[str, tuple[int, str]]) -> dict[str, np.ndarray]:
        """The vectors the store holds of the items placed at ``where`` (id → (shard, stored id)), by id."""
        wanted: dict[int, list[str]] = {}
        for i, (number, _) in where.items():
            wanted.setdefault(number, []).append(i)
        out = {}
        for number, group in wanted.items():
            store = self._stores.get(number)
            held = store.vectors_of([where[i][1] for i in group]) if store else {}
            out.update({i: held[where[i][1]] for i in group if where[i][1] in held})
        return out

    def holds(self, ids: list[str], kept: np.ndarray, probes: int = 5) -> bool:
        """Whether the store holds ``kept`` (one row per id of ``ids``), judged at ``probes`` evenly spread ids
        (it may give a vector back rounded in its last bit once its index is written: the same vector). Only
        the probed items are placed (placing all 75,000 of a 1,000-document library was 0.5 s of an open)."""
        if len(kept) != len(ids):
            return False
        rows = sorted({round(k * (len(ids) - 1) / max(probes - 1, 1)) for k in range(probes)}) if ids else []
        items = _items(self._corpus(), self._kind)
        if len(items) != len(ids) or any(items[r].id != ids[r] for r in rows):
            return False
        placed = placement(self._corpus(), self._kind, rows, self._shards)
        held = self._vectors_at({ids[r]: (n, stored) for r, (n, stored, _) in zip(rows, placed)})
        return all(ids[r] in held and np.allclose(held[ids[r]], kept[r], rtol=0, atol=1e-6) for r in rows)

    def vectors_in_order(self, ids: list[str]) -> np.ndarray:
        """Every vector, one row per id of ``ids`` in that order."""
        where, rows = self._placed(), {}
        for number, store in self._stores.items():
            held, vectors = store.all_vectors()
            rows.update({(number, s): v for s, v in zip(held, vectors)})
        return np.stack([rows[where[i]] for i in ids]) if ids else np.zeros((0, 0), dtype=np.float32)

    def all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every id (the engine's) with its vector."""
        ids = [item.id for item in _items(self._corpus(), self._kind)]
        return ids, self.vectors_in_order(ids)
