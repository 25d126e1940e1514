"""What a build derived from its documents, kept in the build so that opening it reads instead of deriving.

Deriving a corpus (segments, passages, bodies, duties, figures) and cutting every sentence and passage
into BM25 tokens is most of an open's time: 35 s for a library of 1,000 documents. A build writes both
here, once (the tokens as postings, index.postings); an open reads them back when the key matches.

The key covers everything the derived data depends on: the documents (ids and byte digests) and their
lexicon files, this package's code and language data, and jieba's version. A changed file, a new release
of the code or of jieba each give a new key, so a stale snapshot is never used: the open builds once
instead (embedding nothing), or, in a data dir it cannot write, derives as before. The file
sits in the build directory, so the build's checksums cover it: a damaged snapshot sends the open down
the rebuild path like any other damaged file of the build. (It is a pickle: the data dir is trusted as
much as the code that reads it, exactly as Chroma's own files are.)
"""
from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.documents import Corpus, Sources
from index.postings import Postings

FILE = "derived.pickle"
_PACKAGE = Path(__file__).resolve().parent


@dataclass
class Snapshot:
    """A derived corpus, the postings of its BM25 tokens (passages', sentences', rows in corpus order) and the
    vectors the build stored, in the same order (read at open instead of fetched back from the store)."""

    corpus: Corpus
    passage_postings: Postings
    sentence_postings: Postings
    passage_vectors: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of this package's code and language data, and of jieba's version."""
    import jieba

    h = hashlib.sha256(jieba.__version__.encode())
    files = sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and (p.suffix == ".py" or "language" in p.relative_to(_PACKAGE).parts))
    for p in files:
        h.update(p.relative_to(_PACKAGE).as_posix().encode() + b"\x00" + p.read_bytes() + b"\x00")
    return h.hexdigest()


def key(sources: Sources) -> str:
    """What the derived data of ``sources`` depends on, as one digest."""
    lexicons = json.dumps([item[5] for item in sources.items], ensure_ascii=False, sort_keys=True)
    names = json.dumps([item[:3] for item in sources.items], ensure_ascii=False)
    return hashlib.sha256("\n".join([sources.sha256, names, lexicons, code_fingerprint()]).encode()).hexdigest()


def write(path: Path, sources: Sources, snapshot: Snapshot) -> None:
    """Write ``snapshot`` under ``key(sources)`` (the key first, so a reader can stop after it)."""
    with open(path, "wb") as fh:
        pickle.dump(key(sources), fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(snapshot, fh, protocol=pickle.HIGHEST_PROTOCOL)


def read(path: Path, sources: Sources) -> Snapshot | None:
    """The snapshot at ``path`` when it was written for ``sources`` by this code; else ``None``."""
    try:
        with open(path, "rb") as fh:
            if pickle.load(fh) != key(sources):
                return None
            snapshot = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return snapshot if isinstance(snapshot, Snapshot) else None
