"""The 自测 (self-quiz) tab in a real browser: the ``assistant serve`` subprocess (``ui_server`` from
tests/ui/conftest.py) driven by headless Debian Chromium.

The expected questions and answers are computed in-process with the same ``assistant.quiz`` calls the
tab makes (``Assistant.quiz(n, seed)``), on a private copy of the server's index, so
the test knows which question is on screen and what its right answer is.

One session of 3 questions with a fixed seed: the first answered right, the second wrong with a piece
of markup (which must stay text), the third right; then the end review, "重做答错的题", and the
SQLite-backed progress summary.

Skipped only when Chromium is missing *and* CI is not set; in CI a missing browser is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import time

import pytest

from tests.ui.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

XSS = "<b>x</b><img src=x onerror=alert(1)>"
N = 3
STEP_MS = 15_000
RADIO_TYPES = ("choice", "bool")


# ---- fixtures ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server_assistant(ui_server, tmp_path_factory):
    """The question bank, computed in-process on a *copy* of the server's built index (so nothing here can
    touch the running server's data dir; opening an existing index takes ~2 s, building one ~15 s)."""
    from assistant import Assistant
    from assistant.config import Settings
    home = tmp_path_factory.mktemp("quiz-bank-home")
    shutil.copytree(ui_server.home / "builds", home / "builds", symlinks=True)
    os.symlink(os.readlink(ui_server.home / "current"), home / "current")
    assistant = Assistant.open(Settings.from_env(home=home))
    assert not assistant.index.rebuilt, "the copied index should open as is"
    return assistant


@pytest.fixture(scope="module")
def server_bank(server_assistant):
    return server_assistant.quiz_bank()


# ---- helpers -------------------------------------------------------------------------------------------
def _right_response(q, grade) -> str | None:
    """What to enter for a fully right answer: the radio value for choice/true-false questions, else a
    text the grader accepts."""
    from assistant.quiz import LETTERS

    if q.answer_type == "choice" and q.options:
        return LETTERS[q.options.index(q.answer)]
    if q.answer_type == "bool" and q.options:
        return q.answer
    candidates = [q.answer, *q.accepted, q.expected]
    if q.items:
        candidates.append("；".join(it["answer"] for it in q.items))
    for c in candidates:
        if c and grade(q, c).correct:
            return c
    return None


def _plan(bank, grade) -> tuple[int, list]:
    """A seed whose 3 questions are: a radio question, a text question that the markup answer gets
    wrong (score 0), and one more that can be answered right."""
    from assistant.quiz import make_quiz

    for seed in range(1, 5000):
        qs = make_quiz(bank, n=N, seed=seed)
        if len(qs) != N:
            continue
        first, second, third = qs
        if (first.answer_type in RADIO_TYPES and first.options and _right_response(first, grade)
                and second.answer_type not in RADIO_TYPES and grade(second, XSS).score == 0
                and _right_response(second, grade) and _right_response(third, grade)):
            return seed, qs
    pytest.fail("no seed gives a radio question, then a text question, then an answerable one")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


class QuizPage:
    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.wait_for_selector("#question textarea", timeout=30_000)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def wait_text(self, selector: str, needle: str, timeout: int = STEP_MS) -> None:
        """Wait until the element's text contains ``needle`` (whitespace ignored)."""
        self.page.wait_for_function(
            "([sel, t]) => { const e = document.querySelector(sel);"
            " return !!e && e.innerText.replace(/\\s+/g, '').includes(t); }",
            arg=[selector, _norm(needle)], timeout=timeout)

    def wait_question(self, i: int, n: int, q) -> None:
        self.wait_text("#quiz-question", f"第 {i}/{n} 题")
        self.wait_text("#quiz-question", q.prompt)

    def answer(self, q, response: str) -> None:
        page = self.page
        if q.answer_type in RADIO_TYPES and q.options:
            page.locator("#quiz-answer").wait_for(state="detached", timeout=STEP_MS)
            radio = page.locator(f'#quiz-choice input[type=radio][value="{response}"]')
            radio.wait_for(state="visible", timeout=STEP_MS)
            radio.check()
        else:
            box = page.locator("#quiz-answer textarea, #quiz-answer input").first
            box.wait_for(state="visible", timeout=STEP_MS)
            assert box.input_value() == ""
            box.fill(response)
        page.locator("#quiz-submit").click()
        page.locator("#quiz-feedback .quiz-feedback").wait_for(state="visible", timeout=STEP_MS)
        page.locator("#quiz-next").wait_for(state="visible", timeout=STEP_MS)

    def check_feedback(self, q, correct: bool) -> None:
        from assistant.quiz import citations_of

        fb = self.text("#quiz-feedback")
        assert ("✓ 回答正确" if correct else "✗ 回答错误") in fb, fb
        assert _norm(f"正确答案：{q.expected}") in _norm(fb), fb
        assert "出处" in fb
        quotes = [_norm(t) for t in self.page.locator("#quiz-feedback blockquote.quiz-cite").all_inner_texts()]
        cite = citations_of(q)[0]
        assert any(_norm(cite["quote"]) in t and _norm(cite["section"]) in t for t in quotes), quotes

    def close(self) -> None:
        self.context.close()


# ---- the test ------------------------------------------------------------------------------------------
def test_quiz_tab_session_review_retry_and_progress(browser, ui_server, server_bank, server_assistant):
    grade = server_assistant.grade
    from assistant.quiz import Progress

    t0 = time.monotonic()
    seed, (q1, q2, q3) = _plan(server_bank, grade)
    progress = Progress(ui_server.home / Progress.FILENAME)   # the server's own SQLite file
    before = progress.summary()
    last_session = max((s["id"] for s in progress.sessions()), default=0)

    qp = QuizPage(browser, ui_server.url)
    page = qp.page
    try:
        page.get_by_role("tab", name="自测").click()
        page.locator("#quiz-start").wait_for(state="visible", timeout=STEP_MS)
        # The tab's intro names the size of the same bank computed in-process.
        page.get_by_text(f"题库 {len(server_bank)} 题").wait_for(state="visible", timeout=STEP_MS)
        if before["attempts"] == 0:
            assert "还没有答题记录" in qp.text("#quiz-progress")

        # ---- start: n=3, fixed seed --------------------------------------------------------------
        page.locator("#quiz-n input[type=number]").fill(str(N))
        seed_box = page.locator("#quiz-seed textarea, #quiz-seed input").first
        assert seed_box.input_value() == ""   # empty means random, not a hidden 0
        seed_box.fill(str(seed))
        page.locator("#quiz-start").click()
        qp.wait_question(1, N, q1)
        assert qp.text("#quiz-score").strip() == ""

        # ---- question 1: right ---------------------------------------------------------------------
        if q1.answer_type == "choice":   # options are lettered once: on the radio buttons, not in the prompt too
            assert page.locator("#quiz-question li").count() == 0
        qp.answer(q1, _right_response(q1, grade))
        qp.check_feedback(q1, correct=True)
        # The progress panel counts the answer at once, with its chart.
        qp.wait_text("#quiz-progress", f"{before['attempts'] + 1} 道题")
        page.locator("#quiz-progress svg").wait_for(state="visible", timeout=STEP_MS)
        qp.wait_text("#quiz-score", "得分：1 / 1（已答 1/3 题，100%）")
        assert page.locator("#quiz-submit").count() == 0 or not page.locator("#quiz-submit").is_visible()
        assert page.locator("#quiz-next").inner_text().strip() == "下一题"

        # ---- question 2: wrong, with markup as the answer --------------------------------------------
        page.locator("#quiz-next").click()
        qp.wait_question(2, N, q2)
        assert qp.text("#quiz-feedback").strip() == ""
        qp.answer(q2, XSS)
        qp.check_feedback(q2, correct=False)
        qp.wait_text("#quiz-score", "得分：1 / 2（已答 2/3 题，50%）")

        # ---- question 3: right; the button now reads 查看结果 -----------------------------------------
        page.locator("#quiz-next").click()
        qp.wait_question(3, N, q3)
        qp.answer(q3, _right_response(q3, grade))
        qp.check_feedback(q3, correct=True)
        qp.wait_text("#quiz-score", "得分：2 / 3（已答 3/3 题，67%）")
        assert page.locator("#quiz-next").inner_text().strip() == "查看结果"

        # ---- end review lists the one mistake, with the literal markup answer ----------------------------
        page.locator("#quiz-next").click()
        qp.wait_text("#quiz-review", "本次完成：2 / 3 分")
        review = qp.text("#quiz-review")
        assert "错题回顾（1 题）" in review, review
        assert _norm(q2.prompt) in _norm(review)
        assert _norm(q1.prompt) not in _norm(review) and _norm(q3.prompt) not in _norm(review)
        assert f"你的答案：{XSS}" in review, review
        assert _norm(f"正确答案：{q2.expected}") in _norm(review)
        assert _norm(q2.citation["quote"]) in _norm(qp.text("#quiz-review blockquote.quiz-cite"))
        assert qp.text("#quiz-question").strip() == ""
        assert page.locator("#quiz-answer").count() == 0 and page.locator("#quiz-choice").count() == 0

        # ---- progress summary (SQLite) updated on the page and in the file -----------------------------
        after = progress.summary()
        assert after["sessions"] == before["sessions"] + 1 and after["attempts"] == before["attempts"] + 3
        qp.wait_text("#quiz-progress", f"累计 {after['sessions']} 次自测，{after['attempts']} 道题")
        assert f"平均得分 {after['average']:.0%}" in qp.text("#quiz-progress")
        assert "次自测的得分" in qp.text("#quiz-progress")
        assert page.locator("#quiz-progress figure svg").count() == 1
        session = [s for s in progress.sessions() if s["id"] > last_session]
        assert [(s["origin"], s["n"], s["seed"], s["answered"], s["correct"]) for s in session] == \
            [("ui", N, seed, 3, 2)]
        assert session[0]["finished"] is not None
        attempts = progress.attempts(session[0]["id"])
        assert [(a["question_id"], a["correct"]) for a in attempts] == [(q1.id, 1), (q2.id, 0), (q3.id, 1)]
        assert attempts[1]["response"] == XSS

        # ---- markup stayed text everywhere: no <img>, no <b>x</b>, no dialog ------------------------------
        page.wait_for_timeout(300)   # give a stray onerror the chance to fire
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("#quiz-feedback img, #quiz-review img, #quiz-question img").count() == 0
        assert page.evaluate("() => Array.from(document.querySelectorAll('b')).filter("
                             "b => b.textContent === 'x').length") == 0
        assert not qp.dialogs, f"a dialog fired: {qp.dialogs}"

        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "ui-quiz.png"
        page.locator("#quiz-review").scroll_into_view_if_needed()
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        page.set_viewport_size({"width": 390, "height": 844})
        page.locator("#quiz-review").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "ui-quiz-phone.png"), full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 2
        page.set_viewport_size({"width": 1366, "height": 900})

        # ---- 重做答错的题: only the missed question, answered right this time -----------------------------
        retry = page.locator("#quiz-retry")
        retry.wait_for(state="visible", timeout=STEP_MS)
        retry.click()
        qp.wait_question(1, 1, q2)
        assert qp.text("#quiz-review").strip() == "" and qp.text("#quiz-score").strip() == ""
        qp.answer(q2, _right_response(q2, grade))
        qp.check_feedback(q2, correct=True)
        assert page.locator("#quiz-next").inner_text().strip() == "查看结果"
        page.locator("#quiz-next").click()
        qp.wait_text("#quiz-review", "本次完成：1 / 1 分")
        assert "全部答对，没有错题" in qp.text("#quiz-review")
        assert page.locator("#quiz-retry").count() == 0 or not page.locator("#quiz-retry").is_visible()
        final = progress.summary()
        assert final["sessions"] == before["sessions"] + 2 and final["attempts"] == before["attempts"] + 4
        qp.wait_text("#quiz-progress", f"累计 {final['sessions']} 次自测，{final['attempts']} 道题")
        retry_session = [s for s in progress.sessions() if s["id"] > session[0]["id"]]
        assert [(s["origin"], s["answered"], s["correct"]) for s in retry_session] == [("ui-retry", 1, 1)]
        assert [a["question_id"] for a in progress.attempts(retry_session[0]["id"])] == [q2.id]
        assert q2.id not in progress.missed()   # its latest attempt is now right

        assert not qp.dialogs and not qp.errors, (qp.dialogs, qp.errors)
    finally:
        qp.close()
    elapsed = time.monotonic() - t0
    print(f"\nquiz browser flow (seed {seed}: {q1.id}, {q2.id}, {q3.id}): {elapsed:.1f} s")
