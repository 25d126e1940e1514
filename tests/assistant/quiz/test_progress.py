"""Quiz progress in SQLite: sessions, attempts, missed questions, weakest topics, across restarts."""
from __future__ import annotations


import pytest

from assistant.quiz import Progress, make_quiz



def test_progress_survives_a_restart(tmp_path, bank, grade):
    path = tmp_path / "quiz.sqlite3"
    p = Progress(path)
    quiz = make_quiz(bank, n=4, seed=9)
    sid = p.start_session(n=4, seed=9)
    for i, q in enumerate(quiz):
        response = q.answer if i % 2 == 0 else "不知道"
        p.record(sid, q, grade(q, response), response)
    p.finish_session(sid)
    sid2 = p.start_session(n=1, seed=10)
    p.record(sid2, quiz[1], grade(quiz[1], quiz[1].answer), quiz[1].answer)
    p.finish_session(sid2)

    again = Progress(path)  # a new object on the same file
    sessions = again.sessions()
    assert [s["id"] for s in sessions] == [sid, sid2]
    assert sessions[0]["answered"] == 4 and sessions[0]["correct"] == 2
    assert sessions[0]["percent"] == pytest.approx(0.5)
    assert sessions[1]["percent"] == 1.0
    assert len(again.attempts()) == 5
    assert set(again.missed(sid)) == {quiz[1].id, quiz[3].id}
    assert again.missed() == [quiz[3].id]  # quiz[1] was answered right later
    weakest = again.weakest_topics(k=10)
    assert weakest[0]["score"] <= weakest[-1]["score"]
    assert quiz[3].topic in [w["topic"] for w in weakest]
    summary = again.summary()
    assert summary["sessions"] == 2 and summary["attempts"] == 5
    assert "累计 2 次自测" in again.summary_text()


# ---- CLI ----------------------------------------------------------------------------------------------


def test_each_owner_sees_only_their_own_history(tmp_path, bank, grade):
    path = tmp_path / "quiz.sqlite3"
    alice, bob = Progress(path, owner="browser:" + "a" * 32), Progress(path, owner="browser:" + "b" * 32)
    q = make_quiz(bank, n=1, seed=3)[0]
    sid = alice.start_session(n=1, seed=3, origin="ui")
    alice.record(sid, q, grade(q, "不知道"), "不知道")
    alice.finish_session(sid)

    assert alice.summary()["attempts"] == 1 and alice.missed() == [q.id]
    assert alice.weakest_topics() and "累计 1 次自测" in alice.summary_text()
    # A new browser starts empty, and cannot read or close the other's session by its number.
    assert bob.summary() == {"sessions": 0, "attempts": 0, "correct": 0, "average": None, "recent": [],
                             "weakest": []}
    assert bob.sessions() == [] and bob.attempts() == [] and bob.missed() == [] and bob.weakest_topics() == []
    assert bob.session(sid) == {} and bob.finish_session(sid) == {}
    assert bob.summary_text() == "还没有答题记录。"
    assert Progress(path).summary()["attempts"] == 0          # the terminal ("local") is another owner too
    assert alice.for_owner(bob.owner).summary()["attempts"] == 0
    with pytest.raises(ValueError):
        Progress(path, owner="")


def test_a_file_from_before_owners_is_migrated_not_dropped(tmp_path, bank):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    q = make_quiz(bank, n=1, seed=5)[0]
    with sqlite3.connect(path) as db:   # the schema as it was before owners (version 0)
        db.executescript("""
            CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL NOT NULL, finished REAL,
                                   origin TEXT, n INTEGER, seed INTEGER, kind TEXT, level INTEGER);
            CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id INTEGER REFERENCES sessions(id),
                                   ts REAL NOT NULL, question_id TEXT NOT NULL, kind TEXT, level INTEGER, topic TEXT,
                                   correct INTEGER NOT NULL, score REAL NOT NULL, response TEXT);""")
        db.execute("INSERT INTO sessions (started, finished, origin, n, seed) VALUES (1e9, 1e9, 'cli', 1, 5)")
        db.execute("INSERT INTO attempts (session_id, ts, question_id, kind, level, topic, correct, score, response)"
                   " VALUES (1, 1e9, ?, ?, ?, ?, 0, 0.0, 'x')", (q.id, q.kind, q.level, q.topic))

    local = Progress(path)
    assert local.summary()["attempts"] == 1 and local.missed() == [q.id]   # the old rows are the terminal's
    assert local.sessions()[0]["origin"] == "cli"
    assert Progress(path, owner="browser:" + "c" * 32).summary()["attempts"] == 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert {r[1] for r in db.execute("PRAGMA table_info(attempts)")} >= {"owner", "response"}
    from assistant.quiz import progress as progress_module

    progress_module._migrated.clear()   # as a new process would: migrating a migrated file changes nothing
    assert Progress(path).summary()["attempts"] == 1 and Progress(path).sessions()[0]["origin"] == "cli"
