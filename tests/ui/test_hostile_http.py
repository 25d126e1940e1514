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


def _long_questions(source: str, n: int, size: int, seed: int) -> list[str]:
    """``n`` different questions of ``size`` characters cut from the document at different places (no two
    alike, so nothing is answered from a cache)."""
    text = source * (1 + 2 * size // len(source))
    step = max(1, (len(source) - 1) // (n + 1))
    return [text[(seed * 997 + i * step) % len(source):][:size] for i in range(n)]


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["six 2000-character earlier questions", "twenty 199-character earlier questions"])
def test_heavy_requests_do_not_stall_a_normal_question(ui_server, source, shape):
    """Two requests that each ask a 2000-character question with a long history, sent together, must leave a
    normal question answering within a few seconds (before, each held one of the queue's two workers for
    about 20 s)."""
    import threading
    import time

    n, size = (6, 2000) if shape.startswith("six") else (20, 199)
    heavy = [(_long_questions(source, 1, 2000, seed=k)[0], _long_questions(source, n, size, seed=10 + k))
             for k in range(2)]
    results: list[tuple[str, str]] = []
    threads = [threading.Thread(target=lambda q=q, h=h: results.append(_call(ui_server.url, q, h))) for q, h in heavy]
    for t in threads:
        t.start()
    time.sleep(0.5)                                    # both heavy requests are queued or running
    started = time.monotonic()
    event, data = _call(ui_server.url, "市交通局要做什么？", [])
    elapsed = time.monotonic() - started
    for t in threads:
        t.join(timeout=120)
    assert event == "complete" and "汽修行业" in json.loads(data)[0]["answer"], data[:300]
    assert elapsed < 5, f"a normal question waited {elapsed:.1f} s behind two heavy requests"
    assert len(results) == 2 and all(e in ("complete", "error") for e, _ in results), results


def test_an_oversized_body_is_refused_before_it_is_read(ui_server):
    import time

    body = json.dumps({"data": ["市交通局要做什么？", ["问" * 100] * 10_000]}, ensure_ascii=False).encode("utf-8")
    assert len(body) > 3_000_000

    def chunks():
        for i in range(0, len(body), 65536):
            yield body[i:i + 65536]

    with httpx.Client(base_url=ui_server.url, timeout=60) as http:
        for content in (body, chunks()):                   # with a Content-Length, and chunked without one
            started = time.monotonic()
            try:
                posted = http.post("gradio_api/call/ask", content=content,
                                   headers={"content-type": "application/json"})
            except httpx.HTTPError:                       # the server may close the upload early
                continue
            assert posted.status_code == 413, (posted.status_code, posted.text[:200])
            assert time.monotonic() - started < 10
    event, data = _call(ui_server.url, "市交通局要做什么？", [])
    assert event == "complete" and "汽修行业" in json.loads(data)[0]["answer"]


@pytest.mark.parametrize("history", [5, "市交通局要做什么？", {"q": "市交通局"}, True, 1.5])
def test_history_of_the_wrong_type_is_a_clear_error(ui_server, history):
    event, data = _call(ui_server.url, "那住建局呢？", history)
    assert event == "error", (event, data[:200])
    message = json.loads(data)
    text = message.get("error") if isinstance(message, dict) else message   # it was {"error": null}
    assert isinstance(text, str) and "\n" not in text and "history" in text, message
