"""A loopback OpenAI-compatible server with scripted replies, for the LLM reader's tests.

``FakeOpenAI.script(trigger, reply, **how)`` makes every chat request whose last user message contains
``trigger`` get ``reply``, streamed in small chunks (``delay_s`` before the first, ``die_after`` chunks
then the connection drops). Requests are recorded, so tests can read the prompt the reader sent.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    reply: str
    delay_s: float = 0.0
    die_after: int | None = None
    chunk: int = 4
    pause_s: float = 0.0      # between chunks


@dataclass
class FakeOpenAI:
    scripts: dict[str, Script] = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)
    disconnects: int = 0      # streams the client closed before the end

    def script(self, trigger: str, reply: str, **how) -> None:
        self.scripts[trigger] = Script(reply, **how)

    def start(self) -> "FakeOpenAI":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                user = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
                script = next((s for t, s in fake.scripts.items() if t in user), Script("讲话中没有提到"))
                # "{passage:N}" in a reply stands for the text of passage [N] of the prompt the reader sent.
                reply = re.sub(r"\{passage:(\d+)\}", lambda m: _passage(user, int(m.group(1))), script.reply)
                script = Script(reply, script.delay_s, script.die_after, script.chunk, script.pause_s)
                time.sleep(script.delay_s)
                if not body.get("stream"):
                    out = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": script.reply}}]}
                    data = json.dumps(out, ensure_ascii=False).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [script.reply[i:i + script.chunk] for i in range(0, len(script.reply), script.chunk)]
                for k, piece in enumerate(pieces):
                    if script.die_after is not None and k >= script.die_after:
                        self.connection.shutdown(2)   # the server dies mid-stream
                        return
                    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                             "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    try:
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        fake.disconnects += 1
                        return
                    time.sleep(script.pause_s)
                end = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                       "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):  # a client that hung up: expected here
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _passage(prompt: str, n: int) -> str:
    m = re.search(rf"^\[{n}\]（[^）]*）(.*)$", prompt, re.M)
    return m.group(1).rstrip("。；") if m else ""
