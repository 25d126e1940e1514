"""A request body size limit for the web UI, as ASGI middleware (Gradio sets none of its own).

A body larger than ``MAX_BODY_BYTES`` is answered ``413`` before the app parses it: at once when the
client declares its ``Content-Length``, and as soon as the limit is passed when it streams the body in
chunks. The largest real request (a 2000-character question with its history) is a few kilobytes, so
the limit only stops clients that send megabytes for the server to hold and parse. Starlette ships no
such middleware and the packages that do are unmaintained; this is the whole of it.
"""
from __future__ import annotations

import json

from starlette.exceptions import HTTPException

__all__ = ["MAX_BODY_BYTES", "BodySizeLimit"]

MAX_BODY_BYTES = 2 * 1024 * 1024
_MESSAGE = "请求过大 (request body larger than {limit} bytes)"


class _TooLarge(HTTPException):
    """Raised from ``receive`` past the limit. An HTTPException, so a framework between here and the
    endpoint that handles exceptions answers it as the 413 it is (FastAPI lets HTTPExceptions through
    its body parsing); one that reaches this middleware is answered here."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _MESSAGE.format(limit=limit))


class BodySizeLimit:
    """``BodySizeLimit(app, max_bytes=MAX_BODY_BYTES)``; pass as ``Middleware(BodySizeLimit)``."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:   # otherwise the response is under way: the connection just ends
                await self._refuse(send)

    async def _refuse(self, send) -> None:
        body = json.dumps({"error": _MESSAGE.format(limit=self.max_bytes)}, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode("ascii")), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
