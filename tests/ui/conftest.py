"""Fixtures for the UI tests: one real ``assistant serve`` subprocess per session, on a free port,
with its own data dir (the index is built there on first use, ~5 s with the seeded vectors)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 240
ARTIFACTS = REPO / "artifacts"  # screenshots the browser tests take (git-ignored)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    home: Path
    log: Path
    proc: subprocess.Popen

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"assistant serve exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"assistant serve did not answer within {START_TIMEOUT_S} s:\n{server.log_tail()}")


@contextmanager
def serving(home: Path, **env_extra: str):
    """``python -m ui.cli serve --port <free>`` with ASSISTANT_HOME=``home`` (and ``env_extra``), up and
    answering; stopped on exit."""
    log = home / "serve.log"
    port = free_port()
    env = dict(os.environ, ASSISTANT_HOME=str(home), GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
               PYTHONUNBUFFERED="1", NO_COLOR="1") | env_extra
    for key in ("ASSISTANT_UI_USER", "ASSISTANT_UI_PASSWORD", "ASSISTANT_LLM", "GRADIO_SERVER_NAME"):
        env.pop(key, None)
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)],
                                cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}/", home, log, proc)
    try:
        _wait_until_up(server)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory, seed_vectors) -> Server:
    """``python -m ui.cli serve --port <free>`` with ASSISTANT_HOME in a tmp dir. The server still builds its
    own index there; the speech's vectors are seeded from the session index, so the build reads them back
    instead of embedding the speech again."""
    with serving(seed_vectors(tmp_path_factory.mktemp("ui-home"))) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright. Skipped only when Chromium is missing *and* CI is not
    set; in CI a missing browser is a failure."""
    import shutil

    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()
