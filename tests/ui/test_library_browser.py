"""A library of documents in a real browser (``assistant serve`` over the speech and two notices, headless
Chromium): the header and the document picker, an answer under its document's title whose citation marks
the sentence inside that document in the viewer, and a question kept to the documents picked."""
from __future__ import annotations

import os

import pytest

from index.documents import default_document_path
from tests.ui.conftest import serving
from tests.ui.test_ui_browser import Page

pytestmark = pytest.mark.browser

FLOOD = "关于做好汛期安全的通知\n一、市水利局要在6月1日前完成全部水库安全检查。\n二、各县区要储备防汛物资，落实值班制度。\n"
STRAW = "关于加强秸秆禁烧的通知\n一、各镇要落实网格责任，每周巡查两次。\n二、市农业农村局要推广秸秆还田。\n"
QUOTE = "市水利局要在6月1日前完成全部水库安全检查。"


@pytest.fixture(scope="module")
def library_server(tmp_path_factory, seed_vectors):
    lib = tmp_path_factory.mktemp("library")
    paths = []
    for name, text in (("flood-notice.txt", FLOOD), ("straw-notice.txt", STRAW)):
        (lib / name).write_text(text, encoding="utf-8")
        paths.append(str(lib / name))
    home = seed_vectors(lib / "home")   # the speech's vectors: only the notices are embedded
    home.mkdir(exist_ok=True)
    with serving(home, ASSISTANT_CORPUS=os.pathsep.join([default_document_path(), *paths])) as server:
        yield server


def test_a_library_answers_under_titles_and_cites_inside_the_right_document(browser, library_server):
    app = Page(browser, library_server.url)
    page = app.page
    header = page.locator("#jh-header").inner_text()
    assert "汛期安全" in header and "秸秆禁烧" in header and "生态环境保护" in header, header
    assert page.locator("#doc-picker").is_visible()

    app.ask("水库安全检查什么时候完成？")
    bot = app.last_bot()
    assert "汛期安全" in bot.inner_text() and "6月1日" in bot.inner_text()
    bot.locator("button.cite").first.click()
    mark = page.locator("#qa-viewer mark.cite-hl")
    mark.first.wait_for(state="visible", timeout=5_000)
    assert QUOTE in mark.first.inner_text()
    # The mark sits in the notice's part of the viewer, after the whole speech.
    at = int(page.evaluate("() => document.querySelector('#qa-viewer mark.cite-hl').closest('[data-start]')"
                           ".dataset.start"))
    assert at > len(open(default_document_path(), encoding="utf-8").read()) // 2

    # Picking only the straw notice keeps the same question away from the flood notice.
    page.locator("#doc-picker input").click()
    page.get_by_role("option", name="关于加强秸秆禁烧的通知").click()
    page.keyboard.press("Escape")
    app.ask("水库安全检查什么时候完成？")
    picked = app.last_bot().inner_text()
    assert QUOTE not in picked and "6月1日" not in picked, picked
    assert not app.errors and not app.dialogs, (app.errors, app.dialogs)
