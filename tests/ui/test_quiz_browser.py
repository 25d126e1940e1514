"""The 自测 (self-quiz) tab in a real browser: the ``assistant serve`` subprocess (``ui_server`` from
tests/ui/conftest.py) driven by headless Debian Chromium.

The expected questions and answers are computed in-process with the same ``assistant.quiz`` calls the
tab makes (``Assistant.quiz(n, seed)``), on a private copy of the server's index, so
the test knows which question is on screen and what its right answer is.

1366 px: one session of 3 questions with a fixed seed — the first a choice question picked wrongly (the
right option is then marked ✓ on the list and the pick ✗; its quoted passage opens the full text beside
the quiz with that span marked), the second answered wrongly with a piece of markup (which must stay
text), the third right; then the end review, "重做答错的题", and the SQLite-backed progress summary,
which belongs to that browser (its ``jh_browser`` id, ui/identity.py) and to no one else.

390 px: a second browser (a new context: its own localStorage and cookies) starts with an empty history,
answers one question, and sees only its own; the first browser, reloaded, still sees only its own; the
chart fits the phone's width and the quoted passage opens the full text in view.

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


def _wrong_letter(q) -> str:
    """A wrong option's letter for a lettered choice question."""
    from assistant.quiz import LETTERS

    return next(LETTERS[i] for i, o in enumerate(q.options) if o != q.answer)


def _plan(bank, grade, n: int = N, start: int = 1) -> tuple[int, list]:
    """A seed whose questions are: a lettered choice question (to pick wrongly), then — for n = 3 — a text
    question that the markup answer gets wrong (score 0), and one more that can be answered right."""
    from assistant.quiz import make_quiz

    for seed in range(start, start + 5000):
        qs = make_quiz(bank, n=n, seed=seed)
        if len(qs) != n or not (qs[0].answer_type == "choice" and len(qs[0].options or []) >= 3):
            continue
        if n == 1:
            return seed, qs
        first, second, third = qs
        if (second.answer_type not in RADIO_TYPES and grade(second, XSS).score == 0
                and _right_response(second, grade) and _right_response(third, grade)):
            return seed, qs
    pytest.fail("no seed gives a choice question, then a text question, then an answerable one")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


class QuizPage:
    def __init__(self, browser, url: str, width: int = 1366, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
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

    def owner(self) -> str:
        """This browser's owner id, as the server reads it (ui.identity): its random jh_browser cookie."""
        from ui.identity import COOKIE

        ids = [c["value"] for c in self.context.cookies() if c["name"] == COOKIE]
        assert len(ids) == 1 and re.fullmatch(r"[0-9a-f]{32}", ids[0]), ids
        return f"browser:{ids[0]}"

    def open_quiz(self) -> None:
        self.page.get_by_role("tab", name="自测").click()
        self.page.locator("#quiz-start").wait_for(state="visible", timeout=STEP_MS)
        self.page.locator(f"#quiz-viewer .speech p[data-start]").first.wait_for(state="attached", timeout=STEP_MS)

    def start(self, n: int, seed: int) -> None:
        self.page.locator("#quiz-n input[type=number]").fill(str(n))
        seed_box = self.page.locator("#quiz-seed textarea, #quiz-seed input").first
        seed_box.fill(str(seed))
        self.page.locator("#quiz-start").click()

    def option_labels(self) -> dict[str, str]:
        """The radio options as shown: value → visible label."""
        pairs = self.page.eval_on_selector_all(
            "#quiz-choice label", "els => els.map(e => [e.querySelector('input') ? e.querySelector('input').value"
            " : null, e.innerText.trim()])")
        return {v: t for v, t in pairs if v is not None}

    def check_marked(self, q, picked: str) -> None:
        """After a wrong pick the list itself marks the right option ✓ and the pick ✗, nothing else."""
        from assistant.quiz import LETTERS

        right = LETTERS[q.options.index(q.answer)]
        self.page.wait_for_function(
            "() => Array.from(document.querySelectorAll('#quiz-choice label')).some(l => l.innerText.includes('✓'))",
            timeout=STEP_MS)
        labels = self.option_labels()
        assert labels[right].startswith("✓") and "（正确答案）" in labels[right], labels
        assert _norm(q.answer) in _norm(labels[right]), labels
        assert labels[picked].startswith("✗") and "（你的选择）" in labels[picked], labels
        assert all(not t.startswith(("✓", "✗")) for v, t in labels.items() if v not in (right, picked)), labels
        assert self.page.locator(f'#quiz-choice input[value="{picked}"]').is_checked()

    def open_source(self, q, via_button: bool = False) -> None:
        """Click the quoted passage (or its button, by keyboard): the full text marks exactly that span."""
        from assistant.quiz import citations_of

        cite = citations_of(q)[0]
        if via_button:
            button = self.page.locator("#quiz-feedback button.quiz-open").first
            button.focus()
            self.page.keyboard.press("Enter")
        else:
            self.page.locator("#quiz-feedback blockquote.quiz-cite").first.click()
        marks = self.page.locator("#quiz-viewer mark.cite-hl")
        marks.first.wait_for(state="visible", timeout=STEP_MS)
        assert _norm("".join(marks.all_inner_texts())) == _norm(cite["quote"])
        self.page.wait_for_function(   # scrolled into view (smooth scrolling on a phone takes a moment)
            "() => { const r = document.querySelector('#quiz-viewer mark.cite-hl').getBoundingClientRect();"
            " return r.bottom > 0 && r.top < window.innerHeight; }", timeout=STEP_MS)

    def close(self) -> None:
        self.context.close()


# ---- the tests -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def first_browser(browser, ui_server):
    """The 1366 px browser of the first test, kept open for the second (its history must stay its own)."""
    qp = QuizPage(browser, ui_server.url)
    yield qp
    qp.close()


def test_quiz_tab_session_review_retry_and_progress(first_browser, ui_server, server_bank, server_assistant):
    grade = server_assistant.grade
    from assistant.quiz import Progress

    t0 = time.monotonic()
    seed, (q1, q2, q3) = _plan(server_bank, grade)
    qp = first_browser
    page = qp.page
    progress = Progress(ui_server.home / Progress.FILENAME, owner=qp.owner())   # this browser's rows
    local_before = Progress(ui_server.home / Progress.FILENAME).summary()       # the terminal's rows
    before = progress.summary()
    assert before["attempts"] == 0   # a browser the server has never seen has no history
    try:
        qp.open_quiz()
        # The tab's intro names the size of the same bank computed in-process.
        page.get_by_text(f"题库 {len(server_bank)} 题").wait_for(state="visible", timeout=STEP_MS)
        qp.wait_text("#quiz-progress", "还没有答题记录")

        # ---- start: n=3, fixed seed --------------------------------------------------------------
        assert page.locator("#quiz-seed textarea, #quiz-seed input").first.input_value() == ""  # random, not 0
        qp.start(N, seed)
        qp.wait_question(1, N, q1)
        assert qp.text("#quiz-score").strip() == ""

        # ---- question 1: a wrong pick; the list marks the right option, the quote opens the source ----------
        assert page.locator("#quiz-question li").count() == 0  # options are lettered once, on the radio buttons
        picked = _wrong_letter(q1)
        qp.answer(q1, picked)
        qp.check_feedback(q1, correct=False)
        qp.check_marked(q1, picked)
        qp.open_source(q1)
        # The progress panel counts the answer at once, with its chart.
        qp.wait_text("#quiz-progress", "1 道题")
        page.locator("#quiz-progress svg").wait_for(state="visible", timeout=STEP_MS)
        qp.wait_text("#quiz-score", "得分：0 / 1（已答 1/3 题，0%）")
        assert page.locator("#quiz-submit").count() == 0 or not page.locator("#quiz-submit").is_visible()
        assert page.locator("#quiz-next").inner_text().strip() == "下一题"
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("#quiz-choice").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "ui-quiz-marked.png"))

        # ---- question 2: wrong, with markup as the answer --------------------------------------------
        page.locator("#quiz-next").click()
        qp.wait_question(2, N, q2)
        assert qp.text("#quiz-feedback").strip() == ""
        qp.answer(q2, XSS)
        qp.check_feedback(q2, correct=False)
        qp.wait_text("#quiz-score", "得分：0 / 2（已答 2/3 题，0%）")

        # ---- question 3: right; the button now reads 查看结果 -----------------------------------------
        page.locator("#quiz-next").click()
        qp.wait_question(3, N, q3)
        qp.answer(q3, _right_response(q3, grade))
        qp.check_feedback(q3, correct=True)
        qp.wait_text("#quiz-score", "得分：1 / 3（已答 3/3 题，33%）")
        assert page.locator("#quiz-next").inner_text().strip() == "查看结果"

        # ---- end review lists the two mistakes, with the literal markup answer ----------------------------
        page.locator("#quiz-next").click()
        qp.wait_text("#quiz-review", "本次完成：1 / 3 分")
        review = qp.text("#quiz-review")
        assert "错题回顾（2 题）" in review, review
        assert _norm(q1.prompt) in _norm(review) and _norm(q2.prompt) in _norm(review)
        assert _norm(q3.prompt) not in _norm(review)
        assert f"你的答案：{XSS}" in review, review
        assert _norm(f"正确答案：{q2.expected}") in _norm(review)
        assert _norm(q2.citation["quote"]) in _norm(" ".join(qp.page.locator(
            "#quiz-review blockquote.quiz-cite").all_inner_texts()))
        assert qp.text("#quiz-question").strip() == ""
        assert page.locator("#quiz-answer").count() == 0 and page.locator("#quiz-choice").count() == 0

        # ---- progress summary (SQLite) updated on the page and in the file: this browser's only -------------
        after = progress.summary()
        assert after["sessions"] == 1 and after["attempts"] == 3
        qp.wait_text("#quiz-progress", "累计 1 次自测，3 道题")
        assert f"平均得分 {after['average']:.0%}" in qp.text("#quiz-progress")
        assert "次自测的得分" in qp.text("#quiz-progress")
        assert page.locator("#quiz-progress figure svg").count() == 1
        session = progress.sessions()
        assert [(s["origin"], s["n"], s["seed"], s["answered"], s["correct"]) for s in session] == \
            [("ui", N, seed, 3, 1)]
        assert session[0]["finished"] is not None
        attempts = progress.attempts(session[0]["id"])
        assert [(a["question_id"], a["correct"]) for a in attempts] == [(q1.id, 0), (q2.id, 0), (q3.id, 1)]
        assert attempts[1]["response"] == XSS
        assert Progress(ui_server.home / Progress.FILENAME).summary() == local_before   # not the server's

        # ---- markup stayed text everywhere: no <img>, no <b>x</b>, no dialog ------------------------------
        page.wait_for_timeout(300)   # give a stray onerror the chance to fire
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("#quiz-feedback img, #quiz-review img, #quiz-question img").count() == 0
        assert page.evaluate("() => Array.from(document.querySelectorAll('b')).filter("
                             "b => b.textContent === 'x').length") == 0
        assert not qp.dialogs, f"a dialog fired: {qp.dialogs}"

        shot = ARTIFACTS / "ui-quiz.png"
        page.locator("#quiz-review").scroll_into_view_if_needed()
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        # ---- 重做答错的题: only the missed questions, answered right this time -----------------------------
        retry = page.locator("#quiz-retry")
        retry.wait_for(state="visible", timeout=STEP_MS)
        retry.click()
        for i, q in enumerate((q1, q2), 1):
            qp.wait_question(i, 2, q)
            if i == 1:
                assert qp.text("#quiz-review").strip() == "" and qp.text("#quiz-score").strip() == ""
                assert not any(t.startswith(("✓", "✗")) for t in qp.option_labels().values())  # unmarked again
            qp.answer(q, _right_response(q, grade))
            qp.check_feedback(q, correct=True)
            page.locator("#quiz-next").click()
        qp.wait_text("#quiz-review", "本次完成：2 / 2 分")
        assert "全部答对，没有错题" in qp.text("#quiz-review")
        assert page.locator("#quiz-retry").count() == 0 or not page.locator("#quiz-retry").is_visible()
        final = progress.summary()
        assert final["sessions"] == 2 and final["attempts"] == 5
        qp.wait_text("#quiz-progress", "累计 2 次自测，5 道题")
        retry_session = progress.sessions()[1:]
        assert [(s["origin"], s["answered"], s["correct"]) for s in retry_session] == [("ui-retry", 2, 2)]
        assert [a["question_id"] for a in progress.attempts(retry_session[0]["id"])] == [q1.id, q2.id]
        assert progress.missed() == []   # their latest attempts are now right

        assert not qp.dialogs and not qp.errors, (qp.dialogs, qp.errors)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "ui-quiz-failure.png"), full_page=True)
        raise
    elapsed = time.monotonic() - t0
    print(f"\nquiz browser flow (seed {seed}: {q1.id}, {q2.id}, {q3.id}): {elapsed:.1f} s")


def test_a_second_browser_has_its_own_history_on_a_phone(browser, first_browser, ui_server, server_bank,
                                                          server_assistant):
    from assistant.quiz import Progress

    first_owner = first_browser.owner()
    first = Progress(ui_server.home / Progress.FILENAME, owner=first_owner).summary()
    assert first["attempts"] > 0, "runs after the first browser's session"
    seed, (q,) = _plan(server_bank, server_assistant.grade, n=1, start=100)

    phone = QuizPage(browser, ui_server.url, width=390, height=844)   # a new context: another browser
    page = phone.page
    try:
        assert phone.owner() != first_owner
        phone.open_quiz()
        phone.wait_text("#quiz-progress", "还没有答题记录")       # not the other browser's 累计 … 次自测
        assert "累计" not in phone.text("#quiz-progress")

        phone.start(1, seed)
        phone.wait_question(1, 1, q)
        picked = _wrong_letter(q)
        phone.answer(q, picked)
        phone.check_marked(q, picked)
        phone.open_source(q, via_button=True)   # by keyboard; the viewer below the quiz scrolls into view
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ui-quiz-phone-source.png"))
        page.locator("#quiz-next").click()
        phone.wait_text("#quiz-review", "本次完成：0 / 1 分")
        phone.wait_text("#quiz-progress", "累计 1 次自测，1 道题")
        mine = Progress(ui_server.home / Progress.FILENAME, owner=phone.owner())
        assert [a["question_id"] for a in mine.attempts()] == [q.id]

        # The chart fits the phone: no wider than the screen, and the page never scrolls sideways.
        chart = page.locator("#quiz-progress svg").bounding_box()
        assert chart and chart["x"] >= 0 and chart["x"] + chart["width"] <= 390, chart
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 2
        page.locator("#quiz-progress").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "ui-quiz-phone.png"), full_page=True)

        # The first browser, reloaded, still sees its own record and nothing of the phone's.
        first_browser.page.reload(wait_until="domcontentloaded")
        first_browser.page.wait_for_selector("#question textarea", timeout=30_000)
        first_browser.open_quiz()
        first_browser.wait_text("#quiz-progress", f"累计 {first['sessions']} 次自测，{first['attempts']} 道题")
        assert not phone.errors, phone.errors
    finally:
        phone.close()
