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
