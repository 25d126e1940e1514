"""A value kept in a pickle file together with the key it was made for (the per-document tokens, CC-CEDICT's
tables, jieba's dictionary as the index reads it). It is read back only when the stored key is the one asked
for, so a damaged, foreign or stale file counts as absent; it is written to a temp file and renamed into place,
whole or not at all, and a folder that cannot take it only costs computing the value again next time.

``per_machine`` keeps values that depend only on a package's release and this code in the user's cache dir
(``platformdirs``: ``~/.cache/jianghua-assistant`` on Linux, ``$XDG_CACHE_HOME`` respected; as jieba keeps its
parsed dictionary in the temp dir), shared by every data dir; ``kept_in`` chooses another folder (or none) for a
block."""
from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable

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


_DEFAULT = object()
_folder: Path | None | object = _DEFAULT


@contextlib.contextmanager
def kept_in(folder: Path | None):
    """Inside the block, ``per_machine`` values are read from (or written to) ``folder`` (None: not kept)."""
    global _folder
    before, _folder = _folder, Path(folder) if folder else None
    try:
        yield
    finally:
        _folder = before


def _user_cache() -> Path | None:
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("jianghua-assistant", appauthor=False))
    except Exception:  # noqa: BLE001 - no home directory to speak of: computed in memory only
        return None


def per_machine(prefix: str, key: str, compute: Callable[[], object]):
    """The value kept as ``<prefix><key>.pickle`` in the user's cache dir, else ``compute()`` kept there; a file
    of the same prefix under any other key is stale (other code, another release) and removed."""
    folder = _user_cache() if _folder is _DEFAULT else _folder
    path = folder / f"{prefix}{key}.pickle" if folder else None
    if path is not None:
        value = read(path, key)
        if value is not MISSING:
            return value
    value = compute()
    if path is not None and write(path, key, value):
        for old in path.parent.glob(f"{prefix}*.pickle"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    return value
