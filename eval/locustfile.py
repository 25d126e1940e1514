"""Locust users for ``assistant serve``: each asks a mix of questions (duties, figures, lists, English,
follow-ups, refusals) through the web API. One *turn* is the queued call plus its result stream; it is
reported to Locust as one request named ``turn``, so Locust's percentiles are per turn."""
import json
import random
import time

from locust import HttpUser, between, task

QUESTIONS = [
    ("市交通局要做什么？", []), ("优良天数目标是多少？", []), ("讲话分成哪几部分？", []),
    ("What must the transport bureau do?", []), ("那住建局呢？", ["市交通局要做什么？"]),
    ("谁负责秸秆禁烧？", []), ("今天天气怎么样", []), ("市教育局要做什么？", []),
    ("第一轮督察反馈了多少问题？", []), ("这是谁在什么时候讲的？", []),
]


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)

    @task
    def turn(self):
        question, history = random.choice(QUESTIONS)
        start = time.perf_counter()
        error = None
        try:
            posted = self.client.post("/gradio_api/call/ask", json={"data": [question, history]},
                                      name="(post)", catch_response=False)
            if posted.status_code >= 400:
                raise RuntimeError(f"POST {posted.status_code}")
            event_id = posted.json()["event_id"]
            result = self.client.get(f"/gradio_api/call/ask/{event_id}", name="(stream)")
            if result.status_code >= 400 or "event: complete" not in result.text:
                raise RuntimeError(f"stream {result.status_code}: {result.text[:120]}")
            data = result.text.split("event: complete", 1)[1].split("data:", 1)[1].strip().splitlines()[0]
            if not json.loads(data)[0].get("answer"):
                raise RuntimeError("empty answer")
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none is fatal
            error = exc
        self.environment.events.request.fire(request_type="TURN", name="turn", response_time=(time.perf_counter() - start) * 1000,
                                             response_length=0, exception=error, context={})
