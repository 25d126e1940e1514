"""The UI's API (``/ask``) through gradio_client against the real server, the renderers' escaping,
and the optional login — the last two in-process with a tiny stand-in assistant (no index needed)."""
from __future__ import annotations

import html
import json
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.ui.conftest import free_port

# question → strings its answer must contain (20 questions, Chinese and English, answerable or not)
CASES = [
    ("市交通局要做什么？", ["道路清扫保洁", "汽修行业"]),
    ("优良天数目标是多少？", ["325天"]),
    ("What must the transport bureau do?", ["道路清扫保洁", "汽修行业"]),
    ("白河县要做什么？", ["硫铁矿"]),
    ("市城管局要做什么？", ["渣土车"]),
    ("市公安局要做什么？", ["路检路查"]),
    ("市农业农村局要做什么？", ["秸秆综合利用率"]),
    ("市住建局要做什么？", ["6个100%"]),
    ("PM2.5浓度年均下降多少？", ["3.6微克/立方米"]),
    ("市治霾办要做什么？", ["挥发性有机物治理方案"]),
    ("市硫铁办要做什么？", ["省上专班"]),
    ("市整改办要做什么？", ["回头看"]),
    ("What must the public security bureau do?", ["路检路查"]),
    ("清理取缔瀛湖库区养殖网箱多少口？", ["3.5万余口"]),
    ("市生态环境局要做什么？", ["源解析"]),
    ("中央生态环境保护督察组有几个？", ["8个"]),
    ("扬尘管控方面有什么要求？", ["扬尘"]),
    ("挥发性有机物治理方面有什么要求？", ["汽修行业"]),
    ("各县区要做什么？", ["各县区"]),
    ("火星上有什么？", ["讲话中没有提到"]),
]


@pytest.fixture(scope="module")
def client(ui_server):
    from gradio_client import Client

    return Client(ui_server.url, verbose=False, analytics_enabled=False, download_files=False)


@pytest.fixture(scope="module")
def source() -> str:
    from index.normalize import canonical_text

    return canonical_text()


@pytest.mark.slow
def test_twenty_concurrent_questions_all_correct(client, source):
    assert len(CASES) == 20
    t0 = time.perf_counter()
    jobs = [(q, keys, client.submit(q, [], api_name="/ask")) for q, keys in CASES]
    results = [(q, keys, job.result(timeout=120)) for q, keys, job in jobs]
    elapsed = time.perf_counter() - t0
    print(f"\n20 concurrent /ask calls answered in {elapsed:.2f} s")
    for q, keys, out in results:
        out = json.loads(out) if isinstance(out, str) else out
        assert out["question"] == q
        for key in keys:
            assert key in out["answer"], (q, key, out["answer"])
        assert out["answerable"] is (q != "火星上有什么？")
        for c in out["citations"]:
            assert source[c["start"]:c["end"]] == c["quote"]
            assert f"[{c['n']}]" in out["answer"]


@pytest.mark.slow
def test_ask_api_takes_history_and_rejects_empty(client):
    out = client.predict("那市城管局呢？", ["市交通局要做什么？"], api_name="/ask")
    out = json.loads(out) if isinstance(out, str) else out
    assert out["standalone_question"] != out["question"] and "市城管局" in out["standalone_question"]
    assert "渣土车" in out["answer"]
    with pytest.raises(Exception, match="问题为空"):
        client.predict("   ", [], api_name="/ask")


def test_ask_in_api_takes_document_ids_and_names_an_unknown_one(client):
    out = client.predict("市交通局要做什么？", [], ["ankang-2021-04-16-eco-speech"], api_name="/ask_in")
    out = json.loads(out) if isinstance(out, str) else out
    assert "汽修行业" in out["answer"] and {c["doc"] for c in out["citations"]} == {"ankang-2021-04-16-eco-speech"}
    with pytest.raises(Exception, match="no-such-doc"):
        client.predict("市交通局要做什么？", [], ["no-such-doc"], api_name="/ask_in")


@pytest.mark.slow
def test_many_sessions_in_threads(ui_server):
    """Several clients at once through the same endpoint (the UI's concurrency limit is 4). Each thread is
    its own client, as separate programs are: gradio_client's one shared event stream per Client can end
    before a job submitted from another thread is listened for (a CancelledError in the client)."""
    from gradio_client import Client

    def ask(q):
        own = Client(ui_server.url, verbose=False, analytics_enabled=False, download_files=False)
        return own.predict(q, [], api_name="/ask")

    with ThreadPoolExecutor(8) as pool:
        outs = list(pool.map(ask, ["优良天数目标是多少？"] * 8))
    assert all("325天" in (json.loads(o) if isinstance(o, str) else o)["answer"] for o in outs)


# ---- in-process: renderers and login --------------------------------------------------------------
def test_render_answer_escapes_everything():
    from ui.render import render_answer

    cites = [{"n": 1, "quote": 'a "quoted" <b>x</b>', "start": 0, "end": 5, "section": "一、<i>节</i>",
              "passage_id": "p1"}]
    out = render_answer("**粗体** <img src=x onerror=alert(1)> ![x](http://example.com/a.png) [1] [9]\n"
                        "- <script>alert(2)</script>\n> 引文[1]", cites)
    assert "<img" not in out and "<script" not in out and "<b>" not in out and "<i>" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "![x](http://example.com/a.png)" in out           # literal text: no link, no image
    assert "<strong>粗体</strong>" in out and "[9]" in out    # unknown marker stays text
    assert out.count('class="cite jump"') == 2
    assert 'title="a &quot;quoted&quot; &lt;b&gt;x&lt;/b&gt;' in out


def test_render_source_paragraphs_are_exact_spans(source):
    from ui.render import render_source

    out = render_source(source, highlight=(5959, 6012))
    paras = re.findall(r'<p class="\w+" data-n="(\d+)" data-start="(\d+)" data-end="(\d+)">(.*?)</p>', out)
    assert len(paras) > 30
    assert [int(n) for n, *_ in paras] == list(range(1, len(paras) + 1))  # 第N段, as citations name them
    for _, start, end, body in paras:
        text = html.unescape(re.sub(r"</?mark[^>]*>", "", body))
        assert text == source[int(start):int(end)]
    assert out.count("<mark") == 1


def _fake_assistant(home: Path):
    from assistant.cite import Citation
    from assistant.config import Settings

    src = "第一段。市交通局要做好道路清扫。\n第二段<b>不是标签</b>。"

    class Fake:
        settings = Settings(home=home, ui_user="alice", ui_password="s3cret")
        documents = [{"id": "fake", "title": "测试文档", "metadata": {}}]
        registry = SimpleNamespace(get=lambda name: SimpleNamespace(kind="bureau"))
        streams = False

        def source(self, doc=None):
            return src

        @property
        def viewer_text(self):
            return src

        def document_start(self, doc=None):
            return 0

        def ask(self, q, history=None):
            c = Citation(1, src[4:16], 4, 16, "一", "p1")
            return SimpleNamespace(to_dict=lambda: {"question": q, "standalone_question": q,
                                                    "answer": f"答：{src[4:16]}[1]", "answerable": True,
                                                    "citations": [c.to_dict()], "backend": "extractive",
                                                    "timings_ms": {}})

        def duties(self, actor=None):
            return [{"id": "d001", "actors": ["市交通局"], "task": src[4:16], "start": 4, "end": 16, "topic": "",
                     "section": "一", "sentence_id": "s1", "inherited": False}]

        def figures(self):
            return []

        def place(self, doc, start):
            return {"path": ["一"], "paragraph": 1}

    return Fake()


def test_login_required_when_ui_user_is_set(tmp_path):
    from ui.app import launch

    port = free_port()
    app = launch(_fake_assistant(tmp_path), port=port, block=False, quiz=False)
    try:
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(f"{base}/config", timeout=5)
        assert denied.value.code in (401, 403)
        req = urllib.request.Request(f"{base}/login", data=b"username=alice&password=s3cret", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert resp.status == 200
        bad = urllib.request.Request(f"{base}/login", data=b"username=alice&password=nope", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(bad, timeout=5)
    finally:
        app.close()
