"""Whose data is this? One owner per browser (or per login), so feedback, exports and quiz progress are never
shared by everyone on the server.

How a browser is known: ``ui/static/identity.html`` (a ``<head>`` script, in ``launch_kwargs()``'s
``head_paths``) keeps a random 128-bit id in the browser's ``localStorage`` and mirrors it into the cookie
``jh_browser``, which the browser sends with every Gradio request (queued or not). The id is random and never
derived from anything about the person; it is only a key for that browser's own files.

API (for any handler in ``ui/``; add a parameter annotated ``gr.Request`` and Gradio fills it in):

``owner(request) -> str``
    ``"user:<login>"`` when the UI has a login (``ASSISTANT_UI_USER``): the same person in any browser;
    else ``"browser:<32 hex>"`` from the cookie; else ``"session:<hash>"`` (a client that keeps no cookie,
    e.g. the Python API client: one page load); else ``"local"`` (no request at all: tests, the CLI).
``owner_key(owner) -> str``
    a short filesystem-safe key for an owner (sha256, 24 hex): never the login name itself in a path.
``owner_dir(home, request_or_owner) -> Path``
    ``<home>/people/<owner_key>/``, made on demand with mode 0700 — put per-person files there
    (``feedback.jsonl``, ``exports/``, a quiz progress database …).

A forged cookie can only name another random id: the value is checked against ``[0-9a-f]{32}`` and an id is
unguessable, so one browser cannot read another's data by accident or by trying.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

__all__ = ["COOKIE", "HEAD_PATH", "LOCAL", "owner", "owner_dir", "owner_key"]

COOKIE = "jh_browser"
HEAD_PATH = Path(__file__).with_name("static") / "identity.html"
LOCAL = "local"
PEOPLE_DIR = "people"
_BROWSER_ID = re.compile(r"[0-9a-f]{32}")
_SESSION = re.compile(r"[0-9A-Za-z_-]{1,64}")


def _cookies(request) -> dict:
    try:
        return dict(getattr(request, "cookies", None) or {})
    except Exception:   # a Request rebuilt without cookies (Gradio pickles requests between processes)
        return {}


def owner(request) -> str:
    """The owner of a request's data: the login, else the browser's id, else the page session, else ``"local"``."""
    if request is None:
        return LOCAL
    user = getattr(request, "username", None)
    if isinstance(user, str) and user:
        return f"user:{user}"
    bid = str(_cookies(request).get(COOKIE) or "").strip().lower()
    if _BROWSER_ID.fullmatch(bid):
        return f"browser:{bid}"
    session = getattr(request, "session_hash", None)
    if isinstance(session, str) and _SESSION.fullmatch(session):
        return f"session:{session}"
    return LOCAL


def owner_key(owner_id: str) -> str:
    """A filesystem-safe, stable key for an owner (a hash: a login name never appears in a path)."""
    return hashlib.sha256(owner_id.encode("utf-8")).hexdigest()[:24]


def owner_dir(home: str | os.PathLike, who) -> Path:
    """``<home>/people/<owner_key>/`` (mode 0700, made on demand) for a request or an owner string."""
    owner_id = who if isinstance(who, str) else owner(who)
    path = Path(home) / PEOPLE_DIR / owner_key(owner_id)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)   # nobody lists whose folders exist either
    os.chmod(path, 0o700)
    return path
