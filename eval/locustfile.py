"""Locust users for ``assistant serve``, asking the way the web page and API clients do.

* ``WebUser`` is one browser tab: one Gradio session for the user's whole visit, each turn the page's own
  ``chat`` event (the question in, only the new turn's markup out), the conversation kept server-side, so a
  follow-up question really follows the earlier turns of that session.
* ``ApiClient`` is a program using the public ``ask`` endpoint with its own session, as ``gradio_client``
  does.

Questions are drawn from the development question sets (``eval/sets.json``; blind sets are never read
here), so most are new to the server's query cache. One *turn* is the queued call plus its result stream,
reported to Locust as one request (``turn`` or ``api``), so Locust's percentiles are per turn.

``LOAD_THINK`` sets each user's pause between questions, "low,high" in seconds (default "0.5,1.5": a user
who asks again about a second after the answer, a stress profile; people reading an answer pause longer).
"""
import json
import os
import random
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, task

HERE = Path(__file__).parent
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "0.5,1.5").split(","))


def _questions() -> list[str]:
    sets = json.loads((HERE / "sets.json").read_text(encoding="utf-8"))
    out: list[str] = []
    for name, about in sets.items():
        if isinstance(about, dict) and about.get("status") == "development" and (HERE / name).exists():
            for line in (HERE / name).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.append(json.loads(line)["question"])
    return out


QUESTIONS = _questions()


class _Turns(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    api_name = ""
    label = ""

    def on_start(self):
        self.session = uuid.uuid4().hex  # one session per user, as a page or a gradio_client has

    def _data(self, question: str) -> list:
        return [question]

    def _check(self, payload) -> None:
        raise NotImplementedError

    @task
    def turn(self):
        question = random.choice(QUESTIONS)
        start = time.perf_counter()
        error = None
        try:
            posted = self.client.post(f"/gradio_api/call/{self.api_name}",
                                      json={"data": self._data(question), "session_hash": self.session},
                                      name=f"({self.label} post)")
            if posted.status_code >= 400:
                raise RuntimeError(f"POST {posted.status_code}")
            event_id = posted.json()["event_id"]
            result = self.client.get(f"/gradio_api/call/{self.api_name}/{event_id}", name=f"({self.label} stream)")
            if result.status_code >= 400 or "event: complete" not in result.text:
                raise RuntimeError(f"stream {result.status_code}: {result.text[:120]}")
            data = result.text.split("event: complete", 1)[1].split("data:", 1)[1].strip().splitlines()[0]
            self._check(json.loads(data))
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none is fatal
            error = exc
        self.environment.events.request.fire(request_type="TURN", name=self.label,
                                             response_time=(time.perf_counter() - start) * 1000,
                                             response_length=0, exception=error, context={})


class WebUser(_Turns):
    weight = 4
    api_name = "chat"
    label = "turn"

    def _data(self, question: str) -> list:
        return [question, []]   # the question box and the page's document picker (none picked)

    def _check(self, payload) -> None:
        markup = payload[0]
        if not isinstance(markup, str) or 'class="msg bot' not in markup:
            raise RuntimeError("no answer in the turn's markup")


class ApiClient(_Turns):
    weight = 1
    api_name = "ask"
    label = "api"

    def _data(self, question: str) -> list:
        return [question, []]

    def _check(self, payload) -> None:
        if not payload[0].get("answer"):
            raise RuntimeError("empty answer")
