"""Quiz history in SQLite (``<home>/quiz.sqlite3``): sessions, attempts, weak topics — each person's own.

Every row carries its owner: ``"local"`` for the terminal (``assistant quiz``) and the Python API, and for a
web page the owner ``ui.identity.owner(request)`` gives (one browser, or one login). A ``Progress`` object is
bound to one owner and reads and writes only that owner's rows, so a new browser starts with an empty
history and never sees another person's chart or weakest topics.

Files written before owners existed (schema version 0: no ``owner`` column) are migrated when opened, in
one transaction: the columns are added and the old rows belong to ``"local"`` (they were the terminal's,
or the whole server's), so nothing is dropped and nothing half-migrated is left if the process dies.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from index.language import message

if TYPE_CHECKING:
    from assistant.quiz.grade import Grade
    from assistant.quiz.question import Question

LOCAL = "local"
SCHEMA_VERSION = 1
MAX_OWNER = 200

_TABLES = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    origin TEXT,
    n INTEGER,
    seed INTEGER,
    kind TEXT,
    level INTEGER
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER REFERENCES sessions(id),
    ts REAL NOT NULL,
    question_id TEXT NOT NULL,
    kind TEXT,
    level INTEGER,
    topic TEXT,
    correct INTEGER NOT NULL,
    score REAL NOT NULL,
    response TEXT
);
CREATE INDEX IF NOT EXISTS attempts_session ON attempts(session_id);
CREATE INDEX IF NOT EXISTS attempts_question ON attempts(question_id);
"""
# Version 1: every row has an owner; version-0 rows become the terminal's ("local").
_OWNER_INDEXES = """
CREATE INDEX IF NOT EXISTS sessions_owner ON sessions(owner, started);
CREATE INDEX IF NOT EXISTS attempts_owner ON attempts(owner, ts);
"""
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def _migrate(path: Path) -> None:
    """Bring a progress file to the current schema, once per file and process, in one transaction."""
    key = str(path.resolve())
    with _migrate_lock:
        if key in _migrated and path.exists():  # a file removed since is made again
            return
        with closing(sqlite3.connect(path, timeout=10, isolation_level=None)) as db:
            # BEGIN IMMEDIATE takes the write lock first, so two processes opening an old file at once
            # migrate it once; either all of it is committed or none (SQLite DDL is transactional).
            db.execute("BEGIN IMMEDIATE")
            try:
                for stmt in filter(str.strip, _TABLES.split(";")):
                    db.execute(stmt)
                for table in ("sessions", "attempts"):
                    if "owner" not in _columns(db, table):
                        db.execute(f"ALTER TABLE {table} ADD COLUMN owner TEXT NOT NULL DEFAULT '{LOCAL}'")
                for stmt in filter(str.strip, _OWNER_INDEXES.split(";")):
                    db.execute(stmt)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        _migrated.add(key)


class Progress:
    """One owner's quiz history, kept locally in SQLite (``<home>/quiz.sqlite3``)."""

    FILENAME = "quiz.sqlite3"

    def __init__(self, path: str | Path, owner: str = LOCAL):
        if not isinstance(owner, str) or not owner.strip() or len(owner) > MAX_OWNER:
            raise ValueError(f"a quiz progress owner is a non-empty text of at most {MAX_OWNER} characters")
        self.path = Path(path)
        self.owner = owner
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _migrate(self.path)

    @classmethod
    def for_assistant(cls, assistant, owner: str = LOCAL) -> "Progress":
        return cls(Path(assistant.settings.home) / cls.FILENAME, owner)

    def for_owner(self, owner: str) -> "Progress":
        """The same file, seen as another owner (one browser, one login)."""
        return self if owner == self.owner else Progress(self.path, owner)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    # ---- writing --------------------------------------------------------------------------------
    def start_session(self, n: int = 0, seed: int | None = None, kind: str | None = None,
                      level: int | None = None, origin: str = "cli") -> int:
        kind_text = kind if isinstance(kind, str) or kind is None else ",".join(kind)
        with closing(self._connect()) as db, db:
            cur = db.execute("INSERT INTO sessions (owner, started, origin, n, seed, kind, level)"
                             " VALUES (?,?,?,?,?,?,?)", (self.owner, time.time(), origin, n, seed, kind_text, level))
            return int(cur.lastrowid)

    def record(self, session_id: int | None, question: Question, result: Grade, response: str = "") -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO attempts (owner, session_id, ts, question_id, kind, level, topic, correct, score,"
                       " response) VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (self.owner, session_id, time.time(), question.id, question.kind, question.level, question.topic,
                        int(result.correct), float(result.score), (response or "")[:2000]))

    def finish_session(self, session_id: int) -> dict:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE sessions SET finished = ? WHERE id = ? AND owner = ?",
                       (time.time(), session_id, self.owner))
        return self.session(session_id)

    # ---- reading --------------------------------------------------------------------------------
    def session(self, session_id: int) -> dict:
        with closing(self._connect()) as db:
            row = db.execute(_SESSION_SQL + " WHERE s.id = ? AND s.owner = ? GROUP BY s.id",
                             (session_id, self.owner)).fetchone()
        return _session_dict(row) if row else {}

    def sessions(self, limit: int | None = None) -> list[dict]:
        """Sessions with at least one answer, oldest first: the score over time."""
        sql = _SESSION_SQL + " WHERE s.owner = ? GROUP BY s.id HAVING answered > 0 ORDER BY s.started, s.id"
        with closing(self._connect()) as db:
            rows = [_session_dict(r) for r in db.execute(sql, (self.owner,))]
        return rows[-limit:] if limit else rows

    def attempts(self, session_id: int | None = None) -> list[dict]:
        sql, args = "SELECT * FROM attempts WHERE owner = ?", (self.owner,)
        if session_id is not None:
            sql, args = sql + " AND session_id = ?", (self.owner, session_id)
        with closing(self._connect()) as db:
            return [dict(r) for r in db.execute(sql + " ORDER BY ts, id", args)]

    def weakest_topics(self, k: int = 3, min_attempts: int = 1) -> list[dict]:
        """The topics with the lowest average score; a topic answered fully right every time is not weak."""
        sql = ("SELECT topic, COUNT(*) AS attempts, AVG(score) AS score, SUM(correct) AS correct FROM attempts"
               " WHERE owner = ? AND topic IS NOT NULL AND topic != '' GROUP BY topic HAVING COUNT(*) >= ? AND AVG(score) < 0.999"
               " ORDER BY score ASC, attempts DESC, topic LIMIT ?")
        with closing(self._connect()) as db:
            return [{"topic": r["topic"], "attempts": r["attempts"], "score": round(r["score"], 3),
                     "correct": r["correct"]} for r in db.execute(sql, (self.owner, min_attempts, k))]

    def missed(self, session_id: int | None = None) -> list[str]:
        """Question ids whose latest attempt (in the session, or ever) was not fully right."""
        where, args = ("AND session_id = ?", (self.owner, session_id)) if session_id is not None else ("", (self.owner,))
        sql = f"SELECT question_id, correct FROM attempts WHERE owner = ? {where} ORDER BY ts, id"
        latest: dict[str, int] = {}
        with closing(self._connect()) as db:
            for r in db.execute(sql, args):
                latest[r["question_id"]] = r["correct"]
        return [qid for qid, ok in latest.items() if not ok]

    def summary(self) -> dict:
        sessions = self.sessions()
        with closing(self._connect()) as db:
            row = db.execute("SELECT COUNT(*) AS n, AVG(score) AS s, SUM(correct) AS c FROM attempts WHERE owner = ?",
                             (self.owner,)).fetchone()
        return {"sessions": len(sessions), "attempts": row["n"] or 0, "correct": row["c"] or 0,
                "average": round(row["s"], 3) if row["s"] is not None else None,
                "recent": sessions[-5:], "weakest": self.weakest_topics(3)}

    def summary_text(self) -> str:
        s = self.summary()
        if not s["attempts"]:
            return message("assistant.quiz.progress.none")
        lines = [message("assistant.quiz.progress.total", sessions=s["sessions"], attempts=s["attempts"],
                         average=s["average"])]
        if s["recent"]:
            trend = " → ".join(f"{r['percent']:.0%}" for r in s["recent"])
            lines.append(message("assistant.quiz.progress.recent", trend=trend))
        weak = [w for w in s["weakest"] if w["score"] < 1]
        if weak:
            lines.append(message("assistant.quiz.progress.weakest") + "；".join(
                message("assistant.quiz.progress.topic", topic=w["topic"], score=w["score"], attempts=w["attempts"])
                for w in weak))
        return "\n".join(lines)


_SESSION_SQL = ("SELECT s.id, s.owner, s.started, s.finished, s.origin, s.n, s.seed, s.kind, s.level,"
                " COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct, COALESCE(SUM(a.score), 0) AS score"
                " FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id AND a.owner = s.owner")


def _session_dict(r) -> dict:
    d = dict(r)
    d["percent"] = round(d["score"] / d["answered"], 3) if d["answered"] else 0.0
    d["date"] = datetime.fromtimestamp(d["started"]).strftime("%Y-%m-%d %H:%M")
    return d
