"""Issue 21 in a real browser (the ``assistant serve`` subprocess, headless Chromium), at 1366 px and 390 px:
each browser's own feedback and exports, the page under real use (typed text, rejected questions, a phone,
contrast, focus), and the evaluator tab. One served app (session fixture) and one browser for the module.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.conftest import ARTIFACTS
from tests.ui.test_ui_browser import Page

pytestmark = pytest.mark.browser

DESKTOP = (1366, 900)
PHONE = (390, 844)


def _open_records(p):
    """Open 我的反馈与导出 and return its text once the page-load event has filled it."""
    p.page.locator("#my-records button, #my-records .label-wrap").first.click()
    p.page.wait_for_function("() => document.querySelector('#my-feedback') && "
                             "document.querySelector('#my-feedback').textContent.trim().length > 0", timeout=10_000)
    return p.page.locator("#my-feedback").inner_text()


def _file_names(page, selector: str) -> list[str]:
    """The names of the files a gr.File lists (each link's download name)."""
    return page.eval_on_selector_all(f"{selector} a[download]", "els => els.map(a => a.getAttribute('download'))")


def _export_names(p) -> list[str]:
    return _file_names(p.page, "#my-exports")


def _rate(p, turn: int, rating: str) -> None:
    p.page.locator(f'#conversation button.fb[data-turn="{turn}"][data-rating="{rating}"]').click()
    p.page.wait_for_function("() => document.querySelector('#fb-status').textContent.includes('已记录')",
                             timeout=10_000)


def _export(p) -> None:
    p.page.wait_for_function("() => !document.querySelector('#export-btn').disabled", timeout=10_000)
    p.page.locator("#export-btn").click()
    p.page.locator("#download-btn").wait_for(state="visible", timeout=10_000)


def test_two_browsers_keep_two_histories(browser, ui_server):
    """Feedback and exports belong to the browser that made them (a random id in its localStorage): a second
    browser sees only its own, a reload keeps them, a fresh browser has none."""
    a = Page(browser, ui_server.url, *DESKTOP)
    b = Page(browser, ui_server.url, *PHONE)
    try:
        ids = [p.page.evaluate("() => localStorage.getItem('jh-browser-id')") for p in (a, b)]
        assert all(ids) and ids[0] != ids[1], ids
        a.ask("市交通局要做什么？")
        _rate(a, 0, "up")
        _export(a)
        b.ask("优良天数目标是多少？")
        _rate(b, 0, "down")
        _export(b)
        b.ask("市住建局要做什么？")
        _rate(b, 1, "up")
        history_a, history_b = _open_records(a), _open_records(b)
        print(f"\nbrowser A history: {history_a!r}\nbrowser B history: {history_b!r}")
        assert "市交通局要做什么？" in history_a and "有帮助" in history_a
        assert "优良天数" not in history_a and "住建局" not in history_a
        assert "优良天数目标是多少？" in history_b and "市住建局要做什么？" in history_b and "市交通局" not in history_b
        a.page.locator("#my-exports a").first.wait_for(state="visible", timeout=10_000)
        b.page.locator("#my-exports a").first.wait_for(state="visible", timeout=10_000)
        exports_a, exports_b = _export_names(a), _export_names(b)
        print(f"exports: A {exports_a}, B {exports_b}")
        assert len(exports_a) == 1 and len(exports_b) == 1 and exports_a != exports_b, (exports_a, exports_b)
        assert all(n.startswith("conversation-") and n.endswith(".md") for n in exports_a + exports_b)
        # The file listed is this browser's conversation, not the other's.
        with a.page.expect_download(timeout=10_000) as info:
            a.page.locator("#my-exports a").first.click()
        md = open(info.value.path(), encoding="utf-8").read()
        assert "市交通局要做什么？" in md and "优良天数" not in md
        ARTIFACTS.mkdir(exist_ok=True)
        a.page.screenshot(path=str(ARTIFACTS / "ui-my-records.png"), full_page=True)
        b.page.locator("#my-records").scroll_into_view_if_needed()
        b.page.screenshot(path=str(ARTIFACTS / "ui-my-records-phone.png"))

        # A reload is the same browser: its history is still there, the other's still absent.
        a.page.reload(wait_until="domcontentloaded")
        a.page.wait_for_selector("#question textarea", timeout=30_000)
        assert a.page.evaluate("() => localStorage.getItem('jh-browser-id')") == ids[0]
        again = _open_records(a)
        assert "市交通局要做什么？" in again and "优良天数" not in again
        # Two people's files on the server, one record and two records.
        files = {f.parent.name: f.read_text(encoding="utf-8").splitlines()
                 for f in (ui_server.home / "people").glob("*/feedback.jsonl")}
        by_question = {json.loads(lines[0])["question"]: len(lines) for lines in files.values()}
        assert by_question.get("优良天数目标是多少？") == 2
    finally:
        a.close()
        b.close()
    c = Page(browser, ui_server.url, *DESKTOP)
    try:
        assert "还没有评价过" in _open_records(c) and _export_names(c) == []
        assert not c.errors, c.errors
    finally:
        c.close()


def _box(p) -> str:
    return p.page.input_value("#question textarea")


def _answered(p, before: int) -> None:
    p.page.wait_for_function(f"document.querySelectorAll('#conversation .msg-foot').length > {before}",
                             timeout=30_000)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_typed_text_survives_an_arriving_answer(browser, ui_server, size):
    """Type the next question while the answer to the last one arrives: not a character is lost, and the
    answer is for the question sent, not for what is being typed."""
    p = Page(browser, ui_server.url, *size)
    try:
        p.page.fill("#question textarea", "市交通局要做什么？")
        # The request is held in the page (not the server) until three characters of the next question are in
        # the box, and the typing waits for the answer after the fourth: the answer lands mid-typing on any
        # machine, however loaded. The answer itself is computed as always.
        p.page.evaluate("""() => { const f = window.fetch;
            const box = () => document.querySelector('#question textarea').value.length;
            const held = () => new Promise(r => { const t = setInterval(() => {
              if (box() >= 3) { clearInterval(t); r(); } }, 20); });
            window.fetch = (u, o) => String(u).includes('queue/join') ? held().then(() => f(u, o)) : f(u, o); }""")
        p.page.evaluate("""() => { window.__typedAtAnswer = null;
            const conv = document.querySelector('#conversation');
            const obs = new MutationObserver(() => {
              if (conv.querySelector('.msg-foot') && window.__typedAtAnswer === null) {
                window.__typedAtAnswer = document.querySelector('#question textarea').value; obs.disconnect(); } });
            obs.observe(conv, {subtree: true, childList: true}); }""")
        p.page.press("#question textarea", "Enter")
        typed = "市住建局要做什么？"
        p.page.keyboard.type(typed[:4], delay=90)
        p.page.wait_for_function("() => window.__typedAtAnswer !== null", timeout=30_000)
        p.page.keyboard.type(typed[4:], delay=90)
        _answered(p, 0)
        at_answer = p.page.evaluate("() => window.__typedAtAnswer")
        print(f"\n{size[0]} px: box when the answer arrived: {at_answer!r}; after typing: {_box(p)!r}")
        assert len(at_answer) >= 3 and typed.startswith(at_answer), f"the answer did not arrive while typing: {at_answer!r}"
        p.page.wait_for_timeout(300)
        assert _box(p) == typed
        bot = p.last_bot().inner_text()
        assert "汽修行业" in bot and "住建局" not in bot
        assert not p.errors, p.errors
    finally:
        p.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_a_rejected_question_stays_in_the_box_with_the_reason(browser, ui_server, size):
    p = Page(browser, ui_server.url, *size)
    try:
        long_question = "市交通局要做什么" * 625                  # 5,000 characters
        p.page.fill("#question textarea", long_question)
        p.page.press("#question textarea", "Enter")
        p.page.wait_for_selector("#conversation .msg.error[data-rejected]", timeout=30_000)
        p.page.wait_for_function("(n) => document.querySelector('#question textarea').value.length === n",
                                 arg=len(long_question), timeout=10_000)
        assert _box(p) == long_question
        note = p.page.locator("#question-note").inner_text()
        assert "问题过长" in note and "5000" in note and "输入框" in note, note
        assert p.page.locator("#question-note").is_visible()
        # The log names it without repeating 5,000 characters.
        assert "共 5000 字" in p.page.locator("#conversation .msg.user").last.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        p.page.screenshot(path=str(ARTIFACTS / f"ui-rejected-{size[0]}.png"))
        # Shortened, it is asked; the note goes.
        p.page.fill("#question textarea", "市交通局要做什么？")
        p.page.press("#question textarea", "Enter")
        _answered(p, 0)
        assert "汽修行业" in p.last_bot().inner_text() and _box(p) == ""
        p.page.wait_for_function("() => !document.querySelector('#question-note').textContent.trim()", timeout=10_000)
        assert not p.errors, p.errors
    finally:
        p.close()


def test_phone_keeps_the_box_and_the_new_answer_in_view(browser, ui_server):
    p = Page(browser, ui_server.url, *PHONE)
    try:
        for k, q in enumerate(["市交通局要做什么？", "优良天数目标是多少？", "市住建局要做什么？", "讲话分成哪几部分？"]):
            p.ask(q)
            p.page.wait_for_timeout(150)
            view = p.page.evaluate("""(k) => {
                const h = window.innerHeight, box = document.querySelector('#question textarea').getBoundingClientRect();
                const user = document.querySelector(`#conversation .msg.user[data-turn="${k}"]`).getBoundingClientRect();
                const bot = document.querySelector(`#conversation .msg.bot[data-turn="${k}"]`).getBoundingClientRect();
                return {h, box_top: box.top, box_bottom: box.bottom, user_top: user.top, bot_top: bot.top,
                        page: document.documentElement.scrollHeight}; }""", k)
            print(f"turn {k}: {view}")
            assert 0 <= view["box_top"] and view["box_bottom"] <= view["h"], f"question box off screen: {view}"
            assert 0 <= view["user_top"] < view["h"] / 2, f"the new question is not at the top: {view}"
            assert view["bot_top"] < view["box_top"] - 40, f"the answer is hidden under the box: {view}"
        assert view["page"] > 2 * view["h"]                      # the log really is longer than the screen
        ARTIFACTS.mkdir(exist_ok=True)
        p.page.screenshot(path=str(ARTIFACTS / "ui-phone-new-answer.png"))
        assert p.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 2
    finally:
        p.close()


CONTRAST_JS = (Path(__file__).with_name("contrast.js")).read_text(encoding="utf-8")
# Everything a reader reads: the engine's labels (section paths, N 条引用, [n]), Gradio's own text (tabs,
# buttons, placeholder, footer) and the coloured states (not in the speech, an error, a rejected question).
TEXT_SELECTORS = [
    ("section path", "#citations .cites .section"), ("N 条引用", "#conversation .msg-foot .meta"),
    ("citation label [n]", "#citations .cites .n"), ("citation marker [n]", "#conversation button.cite"),
    ("citation marker [n], active", "#conversation button.cite.active"),
    ("citations title", "#citations .cites-title"), ("quote", "#citations .quote"),
    ("理解为", "#conversation .resolved"), ("feedback buttons", "#conversation button.fb"),
    ("feedback chosen", "#conversation button.fb.chosen"), ("feedback status", "#fb-status"),
    ("header subtitle", "#jh-header .sub"), ("paragraph numbers", "#qa-viewer .speech p[data-n]", "::before"),
    ("full text", "#qa-viewer .speech p"), ("primary button", "#ask-btn"), ("example buttons", "button.example"),
    ("secondary buttons", "#clear-btn"), ("tabs", "[role=tab]"), ("placeholder", "#question textarea", "::placeholder"),
    ("answer", "#conversation .answer-body"), ("user bubble", "#conversation .msg.user .bubble"),
    ("not in the speech", "#conversation .msg.not-in-speech .bubble"), ("原文未涉及 badge", "#conversation .badge"),
    ("related passages", "#conversation .related li"), ("error", "#conversation .msg.error .bubble"),
    ("rejected note", "#question-note p"), ("viewer title", ".viewer-title"), ("my records", "#my-records .label-wrap"),
    ("footer", "footer a, footer button"),
]
TABLE_SELECTORS = [("duty count", "#duty-count .count"), ("table cells", "#duty-table td"),
                   ("table headers", "#duty-table th"), ("card labels", "#duty-table td", "::before"),
                   ("tab intro", ".prose p")]


def _contrast(page, selectors) -> dict:
    return page.evaluate(CONTRAST_JS, [list(s) for s in selectors])


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_contrast_language_and_focus(browser, ui_server, size):
    """WCAG AA: every text ≥ 4.5:1 against what is behind it (measured from computed styles); the page says
    it is Chinese; a keyboard focus ring (≥ 2 px, ≥ 3:1) on citation markers and buttons."""
    p = Page(browser, ui_server.url, *size)
    try:
        page = p.page
        assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
        p.ask("市交通局要做什么？")
        p.ask("那市城管局呢？")                                   # a follow-up: its 理解为 line
        p.ask("火星上有什么？")                                    # not in the speech, with related passages
        page.locator('#conversation button.fb[data-turn="0"][data-rating="up"]').click()
        page.wait_for_function("() => document.querySelector('#fb-status').textContent.includes('已记录')",
                               timeout=10_000)
        page.locator("#conversation button.cite").first.click()
        page.fill("#question textarea", "问" * 2500)
        page.press("#question textarea", "Enter")
        page.wait_for_selector("#question-note p", timeout=30_000)
        page.locator("#question-note").scroll_into_view_if_needed()
        measured = _contrast(page, TEXT_SELECTORS)
        page.get_by_role("tab", name="职责").click()
        page.wait_for_selector("#duty-table tr.jump", timeout=10_000)
        measured.update(_contrast(page, TABLE_SELECTORS))
        print(f"\ncontrast at {size[0]} px (text against its background, worst element of each):")
        for name, m in measured.items():
            print(f"  {name:28s} {m['ratio'] if m else '—':>6}  {m['fg'] + ' on ' + m['bg'] if m else 'not shown'}")
        # Present only on some screens or answers: the related passages of a refusal, table headers (desktop).
        optional = ("related passages", "table headers")
        missing = [n for n, m in measured.items() if m is None and n not in optional]
        assert not missing, f"not on the page, so not measured: {missing}"
        low = {n: m["ratio"] for n, m in measured.items() if m and m["ratio"] < 4.5}
        assert not low, f"below WCAG AA 4.5:1: {low}"

        # Keyboard focus: Shift+Tab from an answer's first feedback button lands on its last [n].
        page.get_by_role("tab", name="问答").click()
        page.locator('#conversation button.fb[data-turn="0"][data-rating="up"]').focus()
        page.keyboard.press("Shift+Tab")
        ring = page.evaluate(RING_JS)
        print(f"  focus ring on {ring['what']}: {ring}")
        assert ring["what"] == "cite" and ring["width"] >= 2 and ring["ratio"] >= 3, ring
        page.locator("button.example").first.focus()
        page.keyboard.press("Tab")
        ring = page.evaluate(RING_JS)
        print(f"  focus ring on {ring['what']}: {ring}")
        assert ring["what"] == "button" and ring["width"] >= 2 and ring["ratio"] >= 3, ring
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"ui-focus-{size[0]}.png"))
        assert not p.errors, p.errors
    finally:
        p.close()


RING_JS = """() => {
  const el = document.activeElement, st = getComputedStyle(el);
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                     const [r, g, b] = rgb(c); return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let bg = 'rgb(255, 255, 255)';
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor; if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') { bg = c; break; } }
  const a = lum(st.outlineColor), b = lum(bg);
  return {what: el.classList.contains('cite') ? 'cite' : el.tagName.toLowerCase(),
          width: st.outlineStyle === 'none' ? 0 : parseFloat(st.outlineWidth), color: st.outlineColor, background: bg,
          ratio: Math.round(100 * (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) / 100};
}"""


REPO = Path(__file__).resolve().parents[2]
NEVER_SAID = "火星基地"   # an expected phrase the speech never contains: that item is always a failure to show


def _question_file(tmp_path) -> Path:
    lines = (REPO / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    wrong = {"id": "ui-fail", "category": "responsibility", "question": "市交通局要做什么？", "history": [],
             "answer": "（故意写错的参考答案）", "must_include": [NEVER_SAID]}
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(lines + [json.dumps(wrong, ensure_ascii=False)]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_evaluator_tab_runs_an_uploaded_question_file(browser, ui_server, tmp_path, size):
    p = Page(browser, ui_server.url, *size)
    try:
        page = p.page
        page.get_by_role("tab", name="评测").click()
        upload = page.locator("#eval-upload input[type=file]")
        # A malformed file: one line saying what is wrong and where, no traceback, no half result.
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"id": "a", "category": "fact", "question": "市交通局要做什么？", "answer": "x"}\n{not json\n',
                       encoding="utf-8")
        upload.set_input_files(str(bad))
        page.locator("#eval-upload a, #eval-upload .file-name, #eval-upload td").first.wait_for(timeout=10_000)
        page.locator("#eval-run").click()
        page.wait_for_selector("#eval-status .eval-status.error", timeout=30_000)
        status = page.locator("#eval-status").inner_text().strip()
        print(f"\nmalformed upload: {status}")
        assert "第 2 行不是 JSON" in status and "\n" not in status and "Traceback" not in page.inner_text("body")
        assert page.locator("#eval-files a").count() == 0
        page.locator("#eval-upload button[aria-label*='Clear'], #eval-upload button[aria-label*='清除'], "
                     "#eval-upload .label-clear-button").first.click()
        upload.set_input_files(str(_question_file(tmp_path)))
        page.locator("#eval-run").click()
        page.wait_for_function("() => /准确率/.test(document.querySelector('#eval-status').textContent)",
                               timeout=60_000)
        status = page.locator("#eval-status").inner_text()
        print(f"evaluation: {status.strip()}")
        assert "mine.jsonl" in status and "9 道题" in status
        summary = page.locator("#eval-summary").inner_text()
        assert "准确率" in summary and "responsibility" in summary
        # The baseline's column is named on screen: a header on a desktop, each card's label on a phone.
        shown = summary + page.evaluate("() => getComputedStyle(document.querySelector("
                                        "'#eval-summary td[data-label=\"朴素基线\"]'), '::before').content")
        assert "朴素基线" in shown
        failures = page.locator("#eval-failures").inner_text()
        assert NEVER_SAID in failures and "市交通局要做什么？" in failures
        chart = page.locator("#eval-chart img")
        chart.scroll_into_view_if_needed()              # Gradio's image is lazy: it loads when on screen
        chart.wait_for(state="visible", timeout=10_000)
        page.wait_for_function("() => document.querySelector('#eval-chart img').complete", timeout=10_000)
        assert page.evaluate("() => document.querySelector('#eval-chart img').naturalWidth") > 300
        names = _file_names(page, "#eval-files")
        assert sorted(names) == ["chart.png", "report.md", "results.json"], names
        with page.expect_download(timeout=10_000) as info:
            page.locator('#eval-files a[download="report.md"]').click()
        report = open(info.value.path(), encoding="utf-8").read()
        assert "mine.jsonl" in report and "ui-fail" in report and NEVER_SAID in report
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 2
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"ui-evaluator-{size[0]}.png"), full_page=True)
        assert not p.errors, p.errors
    finally:
        p.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_duty_filter_knows_aliases_and_figures_ignore_case_and_width(browser, ui_server, size):
    p = Page(browser, ui_server.url, *size)
    try:
        page = p.page
        page.get_by_role("tab", name="职责").click()
        page.wait_for_selector("#duty-table tr.jump", timeout=10_000)
        page.locator("#duty-keyword textarea, #duty-keyword input").first.fill("交通运输局")
        page.wait_for_function("() => document.querySelectorAll('#duty-table tr.jump').length === 2", timeout=10_000)
        rows = page.locator("#duty-table tr.jump").all_inner_texts()
        assert all("市交通局" in r for r in rows) and any("汽修行业" in r for r in rows), rows
        page.get_by_role("tab", name="数据").click()
        page.wait_for_selector("#figure-table tr.jump", timeout=10_000)
        for typed in ("pm2.5", "ＰＭ２.５"):
            page.locator("#figure-keyword textarea, #figure-keyword input").first.fill(typed)
            page.wait_for_function("() => /显示 [1-9]/.test(document.querySelector('#figure-count').textContent)",
                                   timeout=10_000)
            rows = page.locator("#figure-table tr.jump").all_inner_texts()
            assert rows and all("PM2.5" in r for r in rows), (typed, rows)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"ui-figures-pm25-{size[0]}.png"))
        assert not p.errors, p.errors
    finally:
        p.close()


SPEED_QUESTIONS = ["市交通局要做什么？", "优良天数目标是多少？", "市住建局要做什么？", "讲话分成哪几部分？",
                   "谁负责秸秆禁烧？", "PM2.5浓度目标是多少？", "这是谁在什么时候讲的？", "市城管局要做什么？",
                   "What are the main points?", "今天天气怎么样", "水质目标是什么？", "各县区要做什么？"]


def test_answer_speed_in_the_browser(browser, ui_server):
    """Submit → complete answer in the page, over 12 questions: the median stays where it was (0.10–0.16 s on
    this machine); the bound leaves room for a busy shared CPU but not for a change that doubles the work."""
    p = Page(browser, ui_server.url, *DESKTOP)
    try:
        p.ask("市交通局要做什么？")                      # the first event of a page pays for its connection
        done = sorted(p.ask(q)["done_ms"] for q in SPEED_QUESTIONS)
        p50, worst = done[len(done) // 2], done[-1]
        print(f"\nbrowser submit → complete answer over {len(done)} questions: p50 {p50:.0f} ms, max {worst:.0f} ms")
        assert p50 < 400, done
    finally:
        p.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_a_follow_up_shows_how_it_was_read_and_can_be_asked_alone(browser, ui_server, size):
    """Issue 21 item 1: a complete question after another is answered as asked (no "理解为"); a question read
    together with the previous turn says so, and "按原问题回答" asks it again without the earlier turns."""
    p = Page(browser, ui_server.url, *size)
    try:
        p.ask("市交通局要做什么？")
        p.ask("这是谁在什么时候讲的？")
        standalone = p.last_bot()
        assert standalone.locator(".resolved").count() == 0
        assert "寇全安" in standalone.inner_text()
        p.ask("机动车路检路查谁负责？")
        p.ask("每月几次？")
        merged = p.last_bot()
        assert "理解为" in merged.locator(".resolved").inner_text()
        before = p.answers()
        merged.locator("button.alone").click()
        p.page.wait_for_function(f"document.querySelectorAll('#conversation .msg-foot').length > {before}",
                                 timeout=30_000)
        alone = p.last_bot()
        assert alone.locator(".resolved").count() == 0              # asked as typed, nothing joined to it
        assert p.page.locator("#conversation .msg.user .bubble").last.inner_text().strip() == "每月几次？"
        p.page.screenshot(path=str(ARTIFACTS / f"ui-ask-alone-{size[0]}.png"), full_page=False)
        assert not p.errors, p.errors
    finally:
        p.close()
