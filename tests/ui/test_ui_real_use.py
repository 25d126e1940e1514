"""Issue 21 in a real browser (the ``assistant serve`` subprocess, headless Chromium), at 1366 px and 390 px:
each browser's own feedback and exports, the page under real use (typed text, rejected questions, a phone,
contrast, focus), and the evaluator tab. One served app (session fixture) and one browser for the module.
"""
from __future__ import annotations

import json

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


def _export_names(p) -> list[str]:
    return [t.strip() for t in p.page.locator("#my-exports a").all_inner_texts() if t.strip()]


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
        assert len(exports_a) == 1 and len(exports_b) == 1 and exports_a != exports_b, (exports_a, exports_b)
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
