"""A trainee's quiz history in SQLite (``<home>/quiz.sqlite3``): sessions, attempts, weak topics."""
from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.quiz.grade import Grade
    from assistant.quiz.question import Question


_SCHEMA = """
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


class Progress:
    """A trainee's quiz history, kept locally in SQLite (``<home>/quiz.sqlite3``)."""

    FILENAME = "quiz.sqlite3"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(_SCHEMA)

    @classmethod
    def for_assistant(cls, assistant) -> "Progress":
        return cls(Path(assistant.settings.home) / cls.FILENAME)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    # ---- writing --------------------------------------------------------------------------------
    def start_session(self, n: int = 0, seed: int | None = None, kind: str | None = None,
                      level: int | None = None, origin: str = "cli") -> int:
        kind_text = kind if isinstance(kind, str) or kind is None else ",".join(kind)
        with closing(self._connect()) as db, db:
            cur = db.execute("INSERT INTO sessions (started, origin, n, seed, kind, level) VALUES (?,?,?,?,?,?)",
                             (time.time(), origin, n, seed, kind_text, level))
            return int(cur.lastrowid)

    def record(self, session_id: int | None, question: Question, result: Grade, response: str = "") -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO attempts (session_id, ts, question_id, kind, level, topic, correct, score, response)"
                       " VALUES (?,?,?,?,?,?,?,?,?)",
                       (session_id, time.time(), question.id, question.kind, question.level, question.topic,
                        int(result.correct), float(result.score), (response or "")[:2000]))

    def finish_session(self, session_id: int) -> dict:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE sessions SET finished = ? WHERE id = ?", (time.time(), session_id))
        return self.session(session_id)

    # ---- reading --------------------------------------------------------------------------------
    def session(self, session_id: int) -> dict:
        with closing(self._connect()) as db:
            row = db.execute(_SESSION_SQL + " WHERE s.id = ? GROUP BY s.id", (session_id,)).fetchone()
        return _session_dict(row) if row else {}

    def sessions(self, limit: int | None = None) -> list[dict]:
        """Sessions with at least one answer, oldest first: the score over time."""
        sql = _SESSION_SQL + " GROUP BY s.id HAVING answered > 0 ORDER BY s.started, s.id"
        with closing(self._connect()) as db:
            rows = [_session_dict(r) for r in db.execute(sql)]
        return rows[-limit:] if limit else rows

    def attempts(self, session_id: int | None = None) -> list[dict]:
        sql, args = "SELECT * FROM attempts", ()
        if session_id is not None:
            sql, args = sql + " WHERE session_id = ?", (session_id,)
        with closing(self._connect()) as db:
            return [dict(r) for r in db.execute(sql + " ORDER BY ts, id", args)]

    def weakest_topics(self, k: int = 3, min_attempts: int = 1) -> list[dict]:
        """The topics with the lowest average score; a topic answered fully right every time is not weak."""
        sql = ("SELECT topic, COUNT(*) AS attempts, AVG(score) AS score, SUM(correct) AS correct FROM attempts"
               " WHERE topic IS NOT NULL AND topic != '' GROUP BY topic HAVING COUNT(*) >= ? AND AVG(score) < 0.999"
               " ORDER BY score ASC, attempts DESC, topic LIMIT ?")
        with closing(self._connect()) as db:
            return [{"topic": r["topic"], "attempts": r["attempts"], "score": round(r["score"], 3),
                     "correct": r["correct"]} for r in db.execute(sql, (min_attempts, k))]

    def missed(self, session_id: int | None = None) -> list[str]:
        """Question ids whose latest attempt (in the session, or ever) was not fully right."""
        where, args = ("WHERE session_id = ?", (session_id,)) if session_id is not None else ("", ())
        sql = (f"SELECT question_id, correct FROM attempts {where} ORDER BY ts, id")
        latest: dict[str, int] = {}
        with closing(self._connect()) as db:
            for r in db.execute(sql, args):
                latest[r["question_id"]] = r["correct"]
        return [qid for qid, ok in latest.items() if not ok]

    def summary(self) -> dict:
        sessions = self.sessions()
        with closing(self._connect()) as db:
            row = db.execute("SELECT COUNT(*) AS n, AVG(score) AS s, SUM(correct) AS c FROM attempts").fetchone()
        return {"sessions": len(sessions), "attempts": row["n"] or 0, "correct": row["c"] or 0,
                "average": round(row["s"], 3) if row["s"] is not None else None,
                "recent": sessions[-5:], "weakest": self.weakest_topics(3)}

    def summary_text(self) -> str:
        s = self.summary()
        if not s["attempts"]:
            return "还没有答题记录。"
        lines = [f"累计 {s['sessions']} 次自测，{s['attempts']} 道题，平均得分 {s['average']:.0%}。"]
        if s["recent"]:
            trend = " → ".join(f"{r['percent']:.0%}" for r in s["recent"])
            lines.append(f"最近几次得分：{trend}")
        weak = [w for w in s["weakest"] if w["score"] < 1]
        if weak:
            lines.append("最薄弱的主题：" + "；".join(f"{w['topic']}（{w['score']:.0%}，{w['attempts']}题）"
                                               for w in weak))
        return "\n".join(lines)


_SESSION_SQL = ("SELECT s.id, s.started, s.finished, s.origin, s.n, s.seed, s.kind, s.level,"
                " COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct, COALESCE(SUM(a.score), 0) AS score"
                " FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id")


def _session_dict(r) -> dict:
    d = dict(r)
    d["percent"] = round(d["score"] / d["answered"], 3) if d["answered"] else 0.0
    d["date"] = datetime.fromtimestamp(d["started"]).strftime("%Y-%m-%d %H:%M")
    return d


# ════════════════════════════════════════════════════════════════════════════════════════════════
