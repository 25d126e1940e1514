"""Checksums of a build's files, recorded in its manifest at build time and verified when it is opened.

Every file of a build is covered (the Chroma store's files, the tokenizer dictionary and its cache, the
English data), so one flipped byte anywhere sends the open down the rebuild path instead of changing
answers silently. Two kinds of digest:

- ``sha256:<hex>`` of the bytes, for every file that stays as it was built;
- ``sqlite:<hex>`` of the *contents* of a SQLite database (every table's rows), for Chroma's
  ``chroma.sqlite3``: Chroma writes a row to its ``acquire_write`` table each time a client opens the
  store, so the bytes change with every reader while the data does not. That table is left out; a
  damaged page elsewhere either changes the rows read or makes SQLite refuse the file, and both are a
  mismatch.

Files that a reader rewrites on every open (Chroma regenerates them from its database) cannot carry a
byte digest; ``stable_digests`` finds and leaves them out at build time, and the database they are
regenerated from is covered.

Digesting every file costs seconds in a large library (the store, the snapshot). After an open has
verified them, ``remember`` notes each file's size, modification and change times and inode beside its
digest (``verified.json``); the next open digests only the files whose status differs, as git and rsync
do. Any write to a file changes its change time, which no program can set back, so a changed file is
always digested again; a reader's own open (Chroma's bookkeeping row) is noted after it.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MANIFEST = "manifest.json"
VERIFIED = "verified.json"
# Chroma's per-open bookkeeping: rows added by every client that opens the store, not data.
_VOLATILE_TABLES = frozenset({"acquire_write"})
SQLITE = "sqlite:"
_CHUNK = 1 << 20
_ROWS = 4096


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def _sqlite_digest(path: Path) -> str:
    """A digest of every row of every table but the volatile ones, read without writing (mode=ro)."""
    h = hashlib.sha256()
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            if table in _VOLATILE_TABLES or table == "sqlite_sequence":
                continue
            h.update(b"\x00table\x00" + table.encode("utf-8"))
            quoted = '"' + table.replace('"', '""') + '"'
            rows = db.execute(f"SELECT * FROM {quoted}")   # noqa: S608 - a name read from the file itself
            # A batch of rows per update: row by row, a 1,000-document store took seconds in Python.
            while batch := rows.fetchmany(_ROWS):
                h.update(repr(batch).encode("utf-8", "surrogatepass"))
        # The sequence counters of the data tables (not of the volatile ones).
        if "sqlite_sequence" in tables:
            for row in db.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
                if row[0] not in _VOLATILE_TABLES:
                    h.update(repr(row).encode("utf-8"))
    finally:
        db.close()
    return SQLITE + h.hexdigest()


def digest(path: Path) -> str:
    """The digest of one file (see the module docstring); raises ``OSError``/``sqlite3.Error`` when unreadable."""
    return _sqlite_digest(path) if path.name.endswith(".sqlite3") else _file_digest(path)


def digests(build_dir: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """Every file under ``build_dir`` except the manifest, by its path relative to ``build_dir`` (``known``:
    digests already taken, used as they are). Two at a time: hashing bytes lets go of the interpreter, so the
    large files are hashed while the database's rows are read (3 s → 2 s at 1,000 documents)."""
    known = known or {}
    paths: dict[str, Path] = {}
    for dirpath, _dirs, files in os.walk(build_dir):
        for name in files:
            path = Path(dirpath) / name
            rel = path.relative_to(build_dir).as_posix()
            if rel not in (MANIFEST, VERIFIED) and rel not in known:
                paths[rel] = path
    # Largest first, so the two workers finish together.
    order = sorted(paths, key=lambda rel: -paths[rel].stat().st_size)
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = dict(zip(order, pool.map(lambda rel: digest(paths[rel]), order)))
    return dict(sorted((found | {rel: d for rel, d in known.items() if (build_dir / rel).is_file()}).items()))


def stable_digests(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """The digests that a reader's open left unchanged (``before`` and ``after`` it)."""
    return {name: d for name, d in before.items() if after.get(name) == d}


def mismatch(build_dir: Path, recorded: dict[str, str]) -> str | None:
    """The first recorded file that is missing, unreadable or changed, or None when all match (a file whose
    status is as ``remember`` noted it with the same digest is not read again)."""
    known = _verified(build_dir)
    for name, expected in recorded.items():
        path = build_dir / name
        try:
            if not path.is_file():
                return name
            if known.get(name) == [expected, *_status(path)]:
                continue
            if digest(path) != expected:
                return name
        except (OSError, sqlite3.Error):
            return name
    return None


def unchanged(build_dir: Path, recorded: dict[str, str]) -> bool:
    """Whether every recorded file is as an open last verified it (``remember``): same digest noted, same size,
    modification and change times and inode. Reads no file's contents."""
    known = _verified(build_dir)
    try:
        return all(known.get(name) == [expected, *_status(build_dir / name)] for name, expected in recorded.items())
    except OSError:
        return False


def remember(build_dir: Path, recorded: dict[str, str]) -> None:
    """Note the status of the files an open has just verified (best effort: a read-only build is digested
    on every open, as before)."""
    tmp = build_dir / f".{VERIFIED}.{os.getpid()}"
    try:
        rows = {name: [expected, *_status(build_dir / name)] for name, expected in recorded.items()}
        tmp.write_text(json.dumps(rows), encoding="utf-8")
        os.replace(tmp, build_dir / VERIFIED)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _status(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _verified(build_dir: Path) -> dict:
    try:
        known = json.loads((build_dir / VERIFIED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}
