"""The curated hostile inputs through the web API (``/gradio_api/call/ask``) of a real ``assistant serve``:
every call completes with an answer or a clear error event — no 5xx, no traceback in the server log."""
import json

import httpx
import pytest

from tests.hostile_inputs import CURATED


def _call(base: str, question, history) -> tuple[str, str]:
    """(event, data) of one queued Gradio call, read from its event stream."""
    with httpx.Client(base_url=base, timeout=60) as http:
        # ensure_ascii: lone surrogates travel as \ud800 escapes, as a browser's JSON would send them
        body = json.dumps({"data": [question, history]}, ensure_ascii=True)
        posted = http.post("gradio_api/call/ask", content=body, headers={"content-type": "application/json"})
        assert posted.status_code < 500, posted.text[:300]
        if posted.status_code >= 400:
            return "rejected", posted.text
        event_id = posted.json()["event_id"]
        event, data = "", ""
        with http.stream("GET", f"gradio_api/call/ask/{event_id}") as stream:
            assert stream.status_code < 500
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    data = line.split(":", 1)[1].strip()
                    if event in ("complete", "error"):
                        return event, data
    return event, data


@pytest.mark.parametrize("question", CURATED[:40] + ["x" * 200_000])
def test_hostile_question_over_http(ui_server, question):
    event, data = _call(ui_server.url, question, [])
    assert event in ("complete", "error", "rejected"), (event, data[:200])
    if event == "complete":
        answer = json.loads(data)[0]
        assert isinstance(answer["citations"], list)
    elif event == "error":
        # A clear message for the user, not an empty error.
        assert data and data != "null", data


def test_bad_history_over_http_still_answers(ui_server):
    event, data = _call(ui_server.url, "市交通局要做什么？", ["\x00", "\ud800", 5, None])
    assert event == "complete", data[:300]
    assert "汽修行业" in json.loads(data)[0]["answer"]


def test_server_log_has_no_traceback(ui_server):
    _call(ui_server.url, "\ud800x", [])
    assert "Traceback" not in ui_server.log_tail(200_000)
