"""The LLM reader against a loopback OpenAI-compatible server with scripted replies: what is kept, what
is dropped or added, streaming, refusals, timeouts, a server that dies mid-stream, and a crashing worker."""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from tests.assistant.llm.fake_openai import FakeOpenAI

CLEANING = "市城管局、市交通局要强化道路清扫保洁，严格执行作业标准和要求。"
GARAGES = "市交通局要对全市汽修行业开展一次全面检查"


@pytest.fixture(scope="module")
def fake():
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def llm_assistant(assistant, fake, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", "test")
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "3")
    fake.scripts.clear()
    return Assistant(assistant.index, assistant.settings.with_(llm="openai:fake"))


def _exact(answer, assistant) -> None:
    for c in answer.citations:
        assert assistant.source(c.doc or None)[c.start:c.end] == c.quote
    assert set(int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)) == {c.n for c in answer.citations}


def test_supported_reply_is_kept_with_exact_citations(llm_assistant, fake, assistant):
    fake.script("优良天数", "中心城市空气质量优良天数全年不少于325天。[1]")
    ans = llm_assistant.ask("优良天数目标是多少？")
    assert ans.backend == "llm:openai:fake" and ans.llm["used"] and ans.llm["dropped"] == 0
    assert "不少于325天" in ans.answer and ans.answer.endswith("[1]。")   # "…。[1]" tolerated, marker moved
    _exact(ans, assistant)
    prompt = fake.requests[-1]["messages"][-1]["content"]
    assert prompt.startswith("原文：\n[1]（") and "问题：优良天数目标是多少？" in prompt


def test_changed_number_is_dropped_and_missing_duty_added(llm_assistant, fake, assistant):
    fake.script("市交通局要做什么", "- 市交通局要对全市汽修行业开展三次全面检查[2]\n- 市城管局、市交通局要强化道路清扫保洁[1]")
    ans = llm_assistant.ask("市交通局要做什么？")
    assert ans.llm["used"] and ans.llm["dropped"] == 1 and ans.llm["added"] == 1
    assert "三次" not in ans.answer and "道路清扫保洁" in ans.answer
    assert GARAGES in ans.answer                       # the missed duty, appended verbatim and cited
    _exact(ans, assistant)
    assert "dropped_claims" not in ans.to_dict()["llm"]


def test_markers_only_falls_back_to_extractive_with_reason(llm_assistant, fake, assistant):
    fake.script("优良天数", "[1]")
    ans = llm_assistant.ask("优良天数目标是多少？")
    extractive = assistant.ask("优良天数目标是多少？")
    assert ans.backend == "extractive" and not ans.llm["used"] and ans.llm["reason"]
    assert ans.answer == extractive.answer


def test_model_refusal_is_reported_not_silently_overridden(llm_assistant, fake):
    fake.script("优良天数", "讲话中没有提到")
    ans = llm_assistant.ask("优良天数目标是多少？")
    assert ans.answerable and ans.backend == "extractive"
    assert ans.llm["refused"] and "模型认为原文没有回答" in ans.llm["reason"]


def test_invented_body_and_unsupported_sentence_are_dropped(llm_assistant, fake):
    fake.script("市交通局要做什么", "市教育局要强化道路清扫保洁[1]。市交通局不需要开展全面检查[2]。讲话很重要。")
    ans = llm_assistant.ask("市交通局要做什么？")
    assert "市教育局" not in ans.answer and "不需要" not in ans.answer and "讲话很重要" not in ans.answer
    assert ans.llm["dropped"] == 3


def test_tokens_stream_before_the_settled_answer(llm_assistant, fake):
    fake.script("优良天数", "中心城市空气质量优良天数全年不少于325天[1]。", chunk=3)
    events = list(llm_assistant.stream("优良天数目标是多少？"))
    tokens = [e for e in events if isinstance(e, str)]
    assert len(tokens) >= 5 and "".join(tokens).startswith("中心城市")
    assert events[-1].llm["used"] and not isinstance(events[-1], str)


def test_timeout_falls_back(llm_assistant, fake):
    fake.script("优良天数", "中心城市空气质量优良天数全年不少于325天[1]。", delay_s=5)
    ans = llm_assistant.ask("优良天数目标是多少？")
    assert ans.backend == "extractive" and "模型不可用" in ans.llm["reason"] and "325" in ans.answer


def test_server_dying_mid_stream_falls_back(llm_assistant, fake):
    fake.script("优良天数", "中心城市空气质量优良天数全年不少于325天[1]。", die_after=2)
    ans = llm_assistant.ask("优良天数目标是多少？")
    assert ans.backend == "extractive" and "模型不可用" in ans.llm["reason"] and "325" in ans.answer


def test_unreachable_server_is_one_line_and_fast_to_recover(assistant, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    a = Assistant(assistant.index, assistant.settings.with_(llm="openai:nothing"))
    ans = a.ask("优良天数目标是多少？")
    assert ans.backend == "extractive" and "\n" not in ans.llm["reason"] and "325" in ans.answer


FAKE_WORKER = Path(__file__).with_name("fake_worker.py")


def test_gguf_worker_crash_is_a_one_line_fallback_and_the_next_worker_answers(assistant, tmp_path, monkeypatch):
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setenv("ASSISTANT_GGUF_WORKER", str(FAKE_WORKER))
    monkeypatch.setenv("ASSISTANT_GGUF_PYTHON", sys.executable)
    crash = tmp_path / "crash-next"
    monkeypatch.setenv("FAKE_WORKER_CRASH_FLAG", str(crash))
    a = Assistant(assistant.index, assistant.settings.with_(llm=f"gguf:{model}"))
    crash.write_text("1")
    ans = a.ask("优良天数目标是多少？")
    assert ans.backend == "extractive" and "SIGSEGV" in ans.llm["reason"] and "325" in ans.answer
    ans2 = a.ask("优良天数目标是多少？")                  # a fresh worker, loaded once, answers
    assert ans2.llm["used"] and "不少于325天" in ans2.answer


def test_closing_the_stream_cancels_the_request(llm_assistant, fake):
    fake.script("优良天数", "中心城市空气质量优良天数全年不少于325天[1]。" * 20, chunk=2, pause_s=0.05)
    before = fake.disconnects
    events = llm_assistant.stream("优良天数目标是多少？")
    assert isinstance(next(events), str)                 # the reply has started
    events.close()                                        # the user asked again, or left
    deadline = time.monotonic() + 5
    while fake.disconnects == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake.disconnects == before + 1                # the server saw the connection go


def test_a_sentence_without_marker_is_cited_where_it_stands(llm_assistant, fake, assistant):
    fake.script("优良天数", "中心城市空气质量优良天数全年不少于325天。")
    ans = llm_assistant.ask("优良天数目标是多少？")
    assert ans.llm["used"] and ans.citations and "325天" in ans.citations[0].quote
    _exact(ans, assistant)


def test_a_true_but_unrelated_reply_is_not_the_answer(llm_assistant, fake):
    fake.script("优良天数", "{passage:3}[3]。")      # a passage retrieval ranked, not one the engine answered from
    ans = llm_assistant.ask("优良天数目标是多少？")
    assert ans.backend == "extractive" and "325" in ans.answer
    assert not ans.llm["used"] and any("与问题无关" in d["why"] for d in ans.llm["dropped_claims"])


def test_a_reply_that_trickles_past_the_deadline_gives_the_extractive_answer_in_time(assistant, fake, monkeypatch):
    """Each chunk comes well within the wait between chunks, but the whole reply would take ~20 s: at the
    overall deadline the reply is stopped and the engine's own answer is given, with the reason."""
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", "test")
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "3")
    monkeypatch.setenv("ASSISTANT_LLM_DEADLINE", "2")
    fake.scripts.clear()
    fake.script("优良天数", "中心城市空气质量优良天数全年不少于325天[1]。" * 4, chunk=2, pause_s=0.25)
    slow = Assistant(assistant.index, assistant.settings.with_(llm="openai:fake"))
    t0 = time.monotonic()
    ans = slow.ask("优良天数目标是多少？")
    elapsed = time.monotonic() - t0
    assert elapsed < 4, elapsed
    assert ans.backend == "extractive" and "325" in ans.answer
    assert "\n" not in ans.llm["reason"] and "2 秒" in ans.llm["reason"]
