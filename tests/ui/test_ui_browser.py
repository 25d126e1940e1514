"""The web UI in a real browser: the ``assistant serve`` subprocess driven by headless Debian Chromium.

Skipped only when Chromium is missing *and* CI is not set; in CI a missing browser is a failure.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.ui.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

QUOTE_CLEANING = "市城管局、市交通局要强化道路清扫保洁，严格执行作业标准和要求。"
QUOTE_GARAGES = "市交通局要对全市汽修行业开展一次全面检查，督促企业严格落实喷漆作业时间规定，力争把臭氧污染降低到最低水平。"
XSS = "<img src=x onerror=alert(1)>"
MD_IMAGE = "![x](http://example.com/a.png)"
ANSWER_TIMEOUT_MS = 30_000


class Page:
    """A loaded app page plus what the browser did: dialogs, requests to other hosts, JS errors."""

    def __init__(self, browser, url: str, width: int = 1366, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True,
                                           locale="zh-CN")
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        host = urlparse(url).netloc

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        def on_request(r):
            parsed = urlparse(r.url)
            if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != host:
                self.foreign.append(r.url)

        self.page.on("dialog", on_dialog)
        self.page.on("request", on_request)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.wait_for_selector("#question textarea", timeout=30_000)
        self.page.wait_for_selector("#qa-viewer .speech p[data-start]", timeout=30_000)

    def answers(self) -> int:
        return self.page.locator("#conversation .msg-foot").count()

    def ask(self, question: str) -> dict:
        """Type the question, press Enter and wait for the complete answer. Returns browser-side timings
        (ms from the Enter key to the first streamed answer text and to the finished answer) and the
        number of distinct answer texts the page showed while streaming."""
        before = self.answers()
        self.page.fill("#question textarea", question)
        self.page.evaluate("""() => {
            const conv = document.querySelector('#conversation');
            window.__jhT = {t0: null, first: null, steps: new Set()};
            const obs = new MutationObserver(() => {
              const bodies = conv.querySelectorAll('.msg.bot .answer-body');
              const n = conv.querySelectorAll('.msg.user').length;
              const last = bodies.length ? bodies[bodies.length - 1] : null;
              const lastTurn = last && last.closest('.msg.bot').dataset.turn;
              if (last && +lastTurn === n - 1 && window.__jhT.t0 !== null) {
                if (window.__jhT.first === null) window.__jhT.first = performance.now() - window.__jhT.t0;
                window.__jhT.steps.add(last.textContent.length);
              }
            });
            obs.observe(conv, {subtree: true, childList: true, characterData: true});
            window.__jhObs = obs;
            document.querySelector('#question textarea').addEventListener('keydown', (e) => {
              if (e.key === 'Enter') window.__jhT.t0 = performance.now();
            }, {capture: true, once: true});
        }""")
        self.page.press("#question textarea", "Enter")
        self.page.wait_for_function(f"document.querySelectorAll('#conversation .msg-foot').length > {before}",
                                    timeout=ANSWER_TIMEOUT_MS)
        timings = self.page.evaluate("""() => { window.__jhObs.disconnect();
            return {first_ms: window.__jhT.first, done_ms: performance.now() - window.__jhT.t0,
                    steps: window.__jhT.steps.size}; }""")
        return timings

    def last_bot(self):
        return self.page.locator("#conversation .msg.bot").last

    def close(self):
        self.context.close()


@pytest.fixture
def app_page(browser, ui_server):
    page = Page(browser, ui_server.url)
    yield page
    page.close()


def test_chat_answers_with_clickable_citations(app_page, ui_server):
    page = app_page.page
    timings = app_page.ask("市交通局要做什么？")
    print(f"\ntime to first streamed token (browser): {timings['first_ms']:.0f} ms; "
          f"complete answer: {timings['done_ms']:.0f} ms; streamed states seen: {timings['steps']}")
    assert timings["first_ms"] is not None and timings["first_ms"] < 10_000

    bot = app_page.last_bot()
    text = bot.inner_text()
    assert "道路清扫保洁" in text and "汽修行业" in text
    markers = bot.locator("button.cite")
    assert markers.count() >= 2
    # Hover text: the quote and its section.
    titles = [markers.nth(i).get_attribute("title") for i in range(markers.count())]
    assert any(QUOTE_GARAGES in t and "挥发性有机物治理" in t for t in titles)
    # The citations panel lists both quotes with their sections.
    panel = page.locator("#citations").inner_text()
    assert QUOTE_CLEANING in panel and QUOTE_GARAGES in panel and "在扬尘管控方面" in panel

    # Click the marker of the 汽修 duty: the speech viewer marks and shows that sentence.
    garages = bot.locator("button.cite", has_text="[2]")
    if QUOTE_GARAGES not in (garages.get_attribute("title") or ""):
        garages = bot.locator(f'button.cite[title*="{QUOTE_GARAGES[:12]}"]').first
    garages.click()
    mark = page.locator("#qa-viewer mark.cite-hl")
    mark.first.wait_for(state="visible", timeout=5_000)
    assert mark.count() == 1
    assert mark.first.inner_text() == QUOTE_GARAGES
    in_view = page.evaluate("""() => { const m = document.querySelector('#qa-viewer mark.cite-hl');
        const box = document.querySelector('#qa-viewer .speech').getBoundingClientRect();
        const r = m.getBoundingClientRect(); return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; }""")
    assert in_view, "the viewer did not scroll to the cited sentence"
    # Clicking the other citation (in the panel) moves the highlight.
    page.locator("#citations li.jump", has_text=QUOTE_CLEANING).click()
    page.wait_for_function("(q) => { const m = document.querySelector('#qa-viewer mark.cite-hl');"
                           " return m && m.textContent === q; }", arg=QUOTE_CLEANING, timeout=5_000)
    assert page.locator("#qa-viewer mark.cite-hl").count() == 1
    page.locator("#conversation button.cite").nth(1).click()
    page.wait_for_function("() => { const m = document.querySelector('#qa-viewer mark.cite-hl');"
                           " return m && m.textContent.length > 10; }", timeout=5_000)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-chat.png"))
    assert (ARTIFACTS / "ui-chat.png").stat().st_size > 10_000

    # Multi-turn: a follow-up is resolved against the earlier question.
    app_page.ask("那市城管局呢？")
    follow = app_page.last_bot().inner_text()
    assert "市城管局" in follow and "理解为" in follow

    # Thumbs up on the first answer → one JSON line in <home>/feedback.jsonl.
    page.locator('#conversation button.fb[data-turn="0"][data-rating="up"]').click()
    page.wait_for_function("() => document.querySelector('#fb-status').textContent.includes('已记录')",
                           timeout=10_000)
    # The browser's own file (ui.identity), the one with this question: other tests' browsers have theirs.
    records = [json.loads(line) for f in (ui_server.home / "people").glob("*/feedback.jsonl")
               for line in f.read_text(encoding="utf-8").splitlines()]
    record = [r for r in records if r["question"] == "市交通局要做什么？"][-1]
    assert record["rating"] == "up" and record["question"] == "市交通局要做什么？"
    assert {c["quote"] for c in record["citations"]} >= {QUOTE_CLEANING, QUOTE_GARAGES}

    # Export as Markdown with the citations.
    page.wait_for_function("() => !document.querySelector('#export-btn').disabled", timeout=10_000)
    page.locator("#export-btn").click()
    download = page.locator("#download-btn")
    download.wait_for(state="visible", timeout=10_000)
    with page.expect_download(timeout=10_000) as info:
        download.click()
    md = Path(info.value.path()).read_text(encoding="utf-8")
    assert "市交通局要做什么？" in md and QUOTE_GARAGES in md and "[1]" in md

    # Clear.
    page.locator("#clear-btn").click()
    page.wait_for_function("() => document.querySelectorAll('#conversation .msg').length === 0", timeout=10_000)
    assert not app_page.dialogs and not app_page.errors, (app_page.dialogs, app_page.errors)
    assert not app_page.foreign, f"the page fetched from other hosts: {app_page.foreign}"


def test_questions_are_shown_as_text_never_markup(app_page):
    page = app_page.page
    app_page.ask(XSS)
    user = page.locator("#conversation .msg.user .bubble").last
    assert user.inner_text() == XSS
    assert page.get_by_text(XSS, exact=True).first.is_visible()
    app_page.ask(MD_IMAGE)
    assert page.locator("#conversation .msg.user .bubble").last.inner_text() == MD_IMAGE
    page.wait_for_timeout(300)   # give a stray onerror / image fetch the chance to happen
    assert page.locator("img[src='x'], img[src*='example.com']").count() == 0
    assert page.locator("#conversation img, #citations img").count() == 0
    assert not app_page.dialogs, f"a dialog fired: {app_page.dialogs}"
    assert not any("example.com" in u for u in app_page.foreign), app_page.foreign
    assert not app_page.foreign, f"the page fetched from other hosts: {app_page.foreign}"


def test_not_in_speech_is_styled_distinctly(app_page):
    app_page.ask("火星上有什么？")
    bot = app_page.last_bot()
    assert "not-in-speech" in (bot.get_attribute("class") or "")
    assert "原文未涉及" in bot.inner_text()


def _visible_set(page) -> str:
    return page.evaluate("() => { const s = Array.from(document.querySelectorAll('#citations .cite-set'))"
                         ".filter(x => !x.hidden); return s.length === 1 ? s[0].dataset.turn : 'many:' + s.length; }")


def test_citation_panel_follows_the_answer_clicked(app_page):
    page = app_page.page
    app_page.ask("市交通局要做什么？")
    app_page.ask("优良天数目标是多少？")
    assert _visible_set(page) == "1"                       # the latest answer's citations
    page.locator('#conversation .msg.bot[data-turn="0"] button.cite').first.click()
    page.wait_for_function("() => !document.querySelector('#citations .cite-set[data-turn=\"0\"]').hidden",
                           timeout=10_000)
    assert _visible_set(page) == "0"
    panel = page.locator('#citations .cite-set[data-turn="0"]').inner_text()
    assert "市交通局要做什么" in panel
    # Human labels: section and 第N段, the full heading path as well; no offsets, no engine jargon.
    assert re.search(r"第\d+段", panel), panel
    assert "任务艰巨，更需担当作为" in panel            # the full part heading, not only "三、任务艰巨…"
    assert not re.search(r"\d+–\d+", panel) and "extractive" not in page.locator("#conversation").inner_text()
    page.locator('#conversation .msg.bot[data-turn="1"] button.cite').first.click()
    page.wait_for_function("() => !document.querySelector('#citations .cite-set[data-turn=\"1\"]').hidden",
                           timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-chat-citations.png"))
    assert not app_page.errors, app_page.errors


def test_a_new_answer_leaves_earlier_turns_untouched(app_page):
    """Only the turn being answered is sent and drawn: earlier answers keep their DOM (an opened detail,
    a selection), the log survives a trip to another tab, and clearing empties log and panel."""
    page = app_page.page
    app_page.ask("市交通局要做什么？")
    page.evaluate("() => { document.querySelector('#conversation .msg.bot[data-turn=\"0\"]').__kept = true; }")
    app_page.ask("优良天数目标是多少？")
    assert page.evaluate("() => document.querySelector('#conversation .msg.bot[data-turn=\"0\"]').__kept === true")
    assert page.locator("#conversation .msg.user").count() == 2
    assert page.locator("#conversation .welcome").count() == 0
    assert page.locator("#citations .cite-set").count() == 2
    page.get_by_role("tab", name="职责").click()
    page.get_by_role("tab", name="问答").click()
    assert page.locator("#conversation .msg.user").count() == 2
    assert page.locator("#citations .cite-set:not([hidden])").get_attribute("data-turn") == "1"
    page.locator("#clear-btn").click()
    page.wait_for_function("() => document.querySelectorAll('#conversation .msg').length === 0", timeout=10_000)
    assert page.locator("#citations .cite-set").count() == 0 and page.locator("#conversation .welcome").count() == 1
    app_page.ask("市交通局要做什么？")                     # after a clear, numbering starts again at 1
    assert page.locator("#conversation .msg.user").count() == 1
    assert page.locator("#citations .cite-set").count() == 1
    assert not app_page.errors, app_page.errors


def test_accessible_names_and_live_conversation(app_page):
    page = app_page.page
    assert page.get_by_role("textbox", name="问题").count() == 1
    log = page.locator("#conversation .conv")
    assert log.get_attribute("aria-live") == "polite" and log.get_attribute("role") == "log"
    help_text = page.locator("#conversation").inner_text() + page.locator("body").inner_text()
    for pointer_only in ("鼠标", "右侧", "左侧"):
        assert pointer_only not in help_text, pointer_only


def test_duty_and_figure_tabs(app_page):
    page = app_page.page
    page.get_by_role("tab", name="职责").click()
    page.wait_for_selector("#duty-table tr.jump", timeout=10_000)
    total = page.locator("#duty-table tr.jump").count()
    assert f"共 {total} 条任务" in page.locator("#duty-count").inner_text()
    # Filter by actor: the count follows.
    page.locator("#actor-filter input").click()
    page.get_by_role("option", name="市交通局", exact=True).click()
    page.wait_for_function("() => document.querySelectorAll('#duty-table tr.jump').length === 2", timeout=10_000)
    assert f"显示 2 / 共 {total} 条任务" in page.locator("#duty-count").inner_text()
    table = page.locator("#duty-table").inner_text()
    assert "汽修行业" in table and "道路清扫保洁" in table and re.search(r"第\d+段", table)
    # Selecting a row highlights its sentence in the full text.
    page.locator("#duty-table tr.jump").nth(1).click()
    mark = page.locator("#duty-viewer mark.cite-hl")
    mark.wait_for(state="visible", timeout=10_000)
    assert mark.inner_text() in (QUOTE_CLEANING, QUOTE_GARAGES)
    assert mark.inner_text()[:12] in page.locator("#duty-table tr.selected").inner_text()

    page.get_by_role("tab", name="数据").click()
    page.wait_for_selector("#figure-table tr.jump", timeout=10_000)
    first = page.locator("#figure-table tr.jump").first.inner_text()
    assert "目标" in first and "时间" not in first          # targets first, not masthead dates
    meta = page.locator("#metadata-table").inner_text()
    assert "讲话人" in meta and "日期" in meta              # the masthead has its own table
    n_all = page.locator("#figure-table tr.jump").count()
    page.locator("#figure-keyword textarea, #figure-keyword input").first.fill("优良天数")
    page.wait_for_function(f"() => document.querySelectorAll('#figure-table tr.jump').length < {n_all}",
                           timeout=10_000)
    shown = page.locator("#figure-table tr.jump").count()
    assert shown >= 1 and f"显示 {shown} / 共 {n_all} 个数字" in page.locator("#figure-count").inner_text()
    assert all("优良天数" in t for t in page.locator("#figure-table tr.jump").all_inner_texts())
    # A selected row's highlight goes when a filter lists other rows.
    page.locator("#figure-table tr.jump").first.click()
    page.locator("#figure-viewer mark.cite-hl").wait_for(state="visible", timeout=10_000)
    page.locator("#kind-filter input").click()
    page.get_by_role("option", name="时间", exact=True).click()
    page.wait_for_function("() => !document.querySelector('#figure-viewer mark.cite-hl')", timeout=10_000)
    assert page.locator("#figure-table tr.selected").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#figure-keyword textarea, #figure-keyword input").first.fill("")
    page.locator("#kind-filter input").click()
    page.get_by_role("option", name="全部", exact=True).click()
    page.wait_for_function(f"() => document.querySelectorAll('#figure-table tr.jump').length === {n_all}",
                           timeout=10_000)
    page.locator("#figure-table tr.jump").first.click()
    page.locator("#figure-viewer mark.cite-hl").wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(400)   # let the dropdown's closing animation finish before the picture
    page.screenshot(path=str(ARTIFACTS / "ui-figures.png"))
    assert not app_page.errors, app_page.errors


def test_phone_width_is_legible(browser, ui_server):
    page = Page(browser, ui_server.url, width=390, height=844)
    try:
        page.ask("优良天数目标是多少？")
        assert "325天" in page.last_bot().inner_text()
        # No horizontal page scroll on a phone, and the chat text is a readable size.
        overflow = page.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 2, f"page is {overflow}px wider than the phone screen"
        size = page.page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#conversation .msg.bot"
                                  " .answer-body')).fontSize)")
        assert size >= 14
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.locator("#conversation .msg.bot button.cite").first.click()
        page.page.screenshot(path=str(ARTIFACTS / "ui-phone.png"))
        # Tables are stacked cards: no header row, each cell full width with its label.
        p = page.page
        p.get_by_role("tab", name="数据").click()
        p.wait_for_selector("#figure-table tr.jump", timeout=10_000)
        assert p.evaluate("() => getComputedStyle(document.querySelector('#figure-table thead')).display") == "none"
        cell = p.evaluate("""() => { const td = document.querySelector('#figure-table tr.jump td');
            return {display: getComputedStyle(td).display, width: td.getBoundingClientRect().width,
                    label: getComputedStyle(td, '::before').content}; }""")
        assert cell["display"] == "block" and cell["width"] > 250 and "数值" in cell["label"], cell
        assert p.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 2
        p.locator("#figure-count").scroll_into_view_if_needed()
        p.screenshot(path=str(ARTIFACTS / "ui-figures-phone.png"))
        p.get_by_role("tab", name="职责").click()
        p.wait_for_selector("#duty-table tr.jump", timeout=10_000)
        widths = p.evaluate("() => Array.from(document.querySelectorAll('#duty-table tr.jump td'))"
                            ".slice(0, 8).map(td => td.getBoundingClientRect().width)")
        assert min(widths) > 250, widths                   # no one-character-per-line columns
    finally:
        page.close()


def test_page_uses_installed_cjk_fonts(app_page):
    family = app_page.page.evaluate("() => getComputedStyle(document.querySelector('#conversation')).fontFamily")
    assert "Noto Sans CJK SC" in family
    sheets = app_page.page.evaluate("() => Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
                                    ".map(l => l.href)")
    assert not [s for s in sheets if "fonts.googleapis" in s or not s.startswith("http://127.0.0.1")], sheets
