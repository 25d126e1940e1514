"""The quiz reads whatever document is loaded: a two-line notice gets questions about its one duty, and they
call it a 通知, not a 讲话."""
from __future__ import annotations


def test_a_short_notice_gets_a_quiz_about_its_duty(settings, tmp_path):
    from assistant import Assistant

    notice = tmp_path / "notice.txt"
    notice.write_text("关于加强校园安全工作的通知\n市教育局要加强校园安全检查，每学期不少于两次。\n", encoding="utf-8")
    assistant = Assistant.open(settings.with_(home=tmp_path / "home", corpus=(str(notice),)))
    questions = assistant.quiz(n=5, seed=1)
    assert questions, "no quiz for a document with one duty"
    prompts = " ".join(q.prompt for q in questions)
    assert "通知" in prompts and "讲话" not in prompts and "市教育局" in prompts + " ".join(q.answer for q in questions)
