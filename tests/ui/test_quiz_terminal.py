"""`assistant quiz` in a terminal: JSON dump, an interactive session on stdin, retrying missed questions."""
from __future__ import annotations

import json


from assistant.quiz import Progress
from tests.quiz_support import one



def test_cli_json_output_parses(run_cli):
    r = run_cli("quiz", "--json", "--n", "12", "--seed", "3")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["seed"] == 3 and data["n"] == 12 and len(data["questions"]) == 12
    for q in data["questions"]:
        assert {"id", "kind", "level", "prompt", "answer", "accepted", "citation", "topic"} <= set(q)
        assert q["citation"]["quote"]
    again = json.loads(run_cli("quiz", "--json", "--n", "12", "--seed", "3").stdout)
    assert [q["id"] for q in again["questions"]] == [q["id"] for q in data["questions"]]
    level = json.loads(run_cli("quiz", "--json", "--n", "5", "--level", "2", "--seed", "1").stdout)
    assert {q["level"] for q in level["questions"]} == {2}
    bad = run_cli("quiz", "--json", "--kind", "nonsense")
    assert bad.returncode != 0


def test_cli_interactive_session_records_progress(run_cli, home, by_id):
    quiz = json.loads(run_cli("quiz", "--json", "--n", "3", "--seed", "11").stdout)["questions"]
    answers = [q["answer"] for q in quiz[:2]]  # then EOF before the third
    r = run_cli("quiz", "--n", "3", "--seed", "11", stdin="\n".join(answers) + "\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "第 1/3 题" in out and "第 3/3 题" in out
    assert out.count("✓ 回答正确") == 2
    assert "提前结束" in out and "本次得分：2 / 2" in out
    assert "累计" in out  # progress summary
    p = Progress(home / "quiz.sqlite3")
    assert p.sessions()[-1]["answered"] == 2
    assert [a["question_id"] for a in p.attempts(p.sessions()[-1]["id"])] == [q["id"] for q in quiz[:2]]


# ---- UI tab (in-process; the browser test lives elsewhere) ---------------------------------------------


def test_cli_retries_missed_questions(run_cli, home, bank, grade):
    wrong = one(bank, lambda q: q.kind == "cloze")
    p = Progress(home / "quiz.sqlite3")
    sid = p.start_session(n=1)
    p.record(sid, wrong, grade(wrong, "0"), "0")
    r = run_cli("quiz", "--json", "--retry-missed", "--n", "50")
    assert r.returncode == 0, r.stderr
    ids = [q["id"] for q in json.loads(r.stdout)["questions"]]
    assert wrong.id in ids and set(ids) <= set(p.missed())


def test_terminal_marks_the_right_option_after_a_wrong_pick(assistant, monkeypatch):
    import io
    import sys

    from rich.console import Console

    from assistant.quiz import LETTERS
    from ui.quiz_terminal import run_quiz

    q = assistant.quiz(n=1, seed=2, kind="who")[0]
    right = LETTERS[q.options.index(q.answer)]
    wrong = next(LETTERS[i] for i, o in enumerate(q.options) if o != q.answer)
    monkeypatch.setattr(sys, "stdin", io.StringIO(wrong + "\n"))
    out = io.StringIO()
    run_quiz(assistant, n=1, seed=2, kind="who", console=Console(file=out, width=400, color_system=None))
    text = out.getvalue()
    after = text[text.index("✗ 回答错误"):]
    assert f"✓ {right}. {q.answer}（正确答案）" in after
    assert f"✗ {wrong}. {q.options[LETTERS.index(wrong)]}（你的选择）" in after
