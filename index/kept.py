"""A value kept in a pickle file together with the key it was made for (the per-document tokens, CC-CEDICT's
tables). It is read back only when the stored key is the one asked for, so a damaged, foreign or stale file
counts as absent; it is written to a temp file and renamed into place, whole or not at all, and a folder that
cannot take it only costs computing the value again next time."""
from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path

_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError)
MISSING = object()


def read(path: Path, key: str):
    """The value kept at ``path`` for ``key``, or ``MISSING``."""
    try:
        with open(path, "rb") as fh:
            stored_key, value = pickle.load(fh)
    except _UNREADABLE:
        return MISSING
    return value if stored_key == key else MISSING


def write(path: Path, key: str, value) -> bool:
    """Keep ``value`` for ``key`` at ``path``; False when the folder could not take it."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
