"""The web handlers with an LLM reader (a loopback OpenAI-compatible server): the reply streams into the
conversation, then the settled answer shows what verification dropped and why."""
from __future__ import annotations

import pytest

from assistant import Assistant
from tests.assistant.llm.fake_openai import FakeOpenAI


@pytest.fixture
def handlers(assistant, monkeypatch):
    fake = FakeOpenAI().start()
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", "test")
    fake.script("市交通局要做什么", "- 市交通局要对全市汽修行业开展三次全面检查[2]\n- 市城管局、市交通局要强化道路清扫保洁，"
                                  "严格执行作业标准和要求[1]", chunk=2, delay_s=0.0)
    from ui import handlers as module

    monkeypatch.setattr(module, "STREAM_EVERY_S", 0.0)
    yield module.Handlers(Assistant(assistant.index, assistant.settings.with_(llm="openai:fake")))
    fake.stop()


def test_reply_streams_then_settles_with_what_was_dropped(handlers):
    outputs = list(handlers.chat("市交通局要做什么？", []))
    streaming = [o[0] for o in outputs if isinstance(o[0], str) and "streaming" in o[0]]
    assert len(streaming) >= 3                          # the reply appeared piece by piece
    final_html, turns = outputs[-1][0], outputs[-1][1]
    answer = turns[-1]["answer"]
    assert answer["backend"] == "llm:openai:fake" and "三次" not in answer["answer"]
    assert "核对时删去的 1 句" in final_html and "三次" in final_html     # listed, marked as removed
    assert "补充遗漏的 1 项" in final_html and "汽修行业" in answer["answer"]
