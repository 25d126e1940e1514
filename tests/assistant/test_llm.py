"""The optional LLM composer against a real local OpenAI-compatible HTTP server: verified or dropped."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from assistant import Assistant


def _server(reply: str):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            length = int(self.headers["Content-Length"])
            Handler.prompt = json.loads(self.rfile.read(length))["messages"][0]["content"]
            body = json.dumps({"choices": [{"message": {"content": reply}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, Handler


@pytest.fixture()
def llm_assistant(assistant, monkeypatch):
    def make(reply):
        server, handler = _server(reply)
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
        return Assistant(assistant.index, assistant.settings.with_(llm="openai:test-model")), handler, server
    return make


def test_supported_llm_sentences_are_kept(llm_assistant, source):
    a, handler, server = llm_assistant("市交通局要强化道路清扫保洁，严格执行作业标准和要求[1]。"
                                       "市交通局要对全市汽修行业开展一次全面检查[2]。")
    answer = a.ask("市交通局要做什么？")
    server.shutdown()
    assert answer.backend == "llm:openai:test-model"
    assert "汽修行业" in answer.answer and "[2]" in answer.answer
    assert "[1] 市城管局、市交通局要强化道路清扫保洁" in handler.prompt
    for c in answer.citations:
        assert source[c.start:c.end] == c.quote


def test_invented_duties_are_dropped_and_extractive_returned(llm_assistant):
    a, _, server = llm_assistant("市交通局要负责全市中小学的环境教育[1]。市交通局还要建设三座污水处理厂。")
    answer = a.ask("市交通局要做什么？")
    server.shutdown()
    assert answer.backend == "extractive"
    assert "中小学" not in answer.answer and "污水处理厂" not in answer.answer
    assert answer.answer.startswith("讲话对市交通局提出2项要求")


def test_dead_backend_falls_back_to_extractive(assistant, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    a = Assistant(assistant.index, assistant.settings.with_(llm="openai:none"))
    assert a.ask("优良天数目标是多少？").backend == "extractive"
