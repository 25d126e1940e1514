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
``owner_key(home, owner) -> str``
    a filesystem-safe key for an owner: HMAC-SHA256 under a secret kept in ``<home>/identity.key`` (made on
    first use, 0600), 32 hex. Never the login name itself, and not computable without the secret, so a
    path under ``people/`` cannot be guessed from a login name.
``owner_dir(home, request_or_owner, *, create=True) -> Path``
    ``<home>/people/<owner_key>/``, made on demand with mode 0700 — put per-person files there
    (``feedback.jsonl``, ``exports/``, ``eval/``, a quiz progress database …); ``create=False`` for reads.
``people_root(home) -> Path``
    ``<home>/people`` (the web UI lets Gradio serve files from there; ``launch`` passes it as an allowed path).

A forged cookie can only name another random id: the value is checked against ``[0-9a-f]{32}`` and an id is
unguessable, so one browser cannot read another's data by accident or by trying.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
from pathlib import Path

__all__ = ["COOKIE", "HEAD_PATH", "LOCAL", "owner", "owner_dir", "owner_key", "people_root"]

COOKIE = "jh_browser"
HEAD_PATH = Path(__file__).with_name("static") / "identity.html"
LOCAL = "local"
PEOPLE_DIR = "people"
_BROWSER_ID = re.compile(r"[0-9a-f]{32}")
_SESSION = re.compile(r"[0-9A-Za-z_-]{1,64}")
KEY_FILE = "identity.key"
_key_lock = threading.Lock()
_keys: dict[str, bytes] = {}


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


def _secret(home: Path) -> bytes:
    """The home's key for owner_key, made once (0600, written whole: a rename, never half a key)."""
    where = str(home.resolve())
    with _key_lock:
        if where in _keys:
            return _keys[where]
        path = home / KEY_FILE
        try:
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            key = b""
        if len(key) < 16:
            home.mkdir(parents=True, exist_ok=True)
            key = secrets.token_bytes(32)
            tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(key.hex())
            try:
                os.link(tmp, path)   # first writer wins (another process may have made one meanwhile)
            except FileExistsError:
                key = bytes.fromhex(path.read_text(encoding="ascii").strip())
            finally:
                tmp.unlink(missing_ok=True)
        _keys[where] = key
        return key


def owner_key(home: str | os.PathLike, owner_id: str) -> str:
    """A filesystem-safe, stable key for an owner: a keyed hash, so it names no one and cannot be guessed."""
    return hmac.new(_secret(Path(home)), owner_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def people_root(home: str | os.PathLike) -> Path:
    return Path(home) / PEOPLE_DIR


def owner_dir(home: str | os.PathLike, who, *, create: bool = True) -> Path:
    """``<home>/people/<owner_key>/`` (mode 0700, made on demand) for a request or an owner string;
    ``create=False`` only names it (for reads: a visit that stores nothing leaves no folder)."""
    owner_id = who if isinstance(who, str) else owner(who)
    path = people_root(home) / owner_key(home, owner_id)
    if not create:
        return path
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)   # nobody lists whose folders exist either
    os.chmod(path, 0o700)
    return path
