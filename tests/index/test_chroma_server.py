"""The index against a REAL Chroma server (``ASSISTANT_CHROMA_URL``), not the embedded client.

A ``chroma run`` server is started on 127.0.0.1 on a free port for this module and always stopped
afterwards. If the server cannot be started the test fails (it is not skipped): server mode is a
supported configuration and must keep working.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from index.build import PASSAGES, SENTENCES
from index.store import make_client

STARTUP_TIMEOUT_S = 30.0
SERVERS: dict[str, subprocess.Popen] = {}   # url → the server process (to stop and resume it)


def _chroma_cli() -> str:
    # The CLI installed with chromadb next to this interpreter; then whatever is on PATH.
    beside = Path(sys.executable).with_name("chroma")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("chroma")
    if not found:
        pytest.fail(f"the `chroma` CLI (shipped with chromadb) was found neither at {beside} nor on PATH; "
                    "cannot start a Chroma server to test ASSISTANT_CHROMA_URL mode")
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(log_path: Path, n: int = 4000) -> str:
    try:
        return log_path.read_text(encoding="utf-8", errors="replace")[-n:]
    except OSError:
        return "<no log>"


def _heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """URL of a Chroma server running as a subprocess; terminated when the module is done."""
    cli = _chroma_cli()
    root = tmp_path_factory.mktemp("chroma-server")
    log_path = root / "server.log"
    env = os.environ | {"ANONYMIZED_TELEMETRY": "False", "CHROMA_ANONYMIZED_TELEMETRY": "False",
                        "NO_COLOR": "1"}
    last_error = ""
    for _attempt in range(3):  # another process could grab the free port between probe and bind
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with open(log_path, "ab") as log:
            proc = subprocess.Popen([cli, "run", "--path", str(root / "db"), "--host", "127.0.0.1",
                                     "--port", str(port)],
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while time.monotonic() < deadline and proc.poll() is None:
                if _heartbeat(url):
                    break
                time.sleep(0.2)
            if proc.poll() is None and _heartbeat(url):
                break
            last_error = (f"exited with code {proc.returncode}" if proc.poll() is not None
                          else f"no heartbeat from {url}/api/v2/heartbeat within {STARTUP_TIMEOUT_S:.0f} s")
        except BaseException:
            _stop(proc)
            raise
        _stop(proc)
    else:
        pytest.fail(f"the Chroma server (`{cli} run`) could not be started: {last_error}\n"
                    f"--- server log ---\n{_log_tail(log_path)}")
    SERVERS[url] = proc
    try:
        yield url
    finally:
        os.kill(proc.pid, signal.SIGCONT) if proc.poll() is None else None
        _stop(proc)


def _server_collections(url: str) -> set[str]:
    return {c if isinstance(c, str) else c.name for c in make_client(url=url).list_collections()}


def _ours(names: set[str]) -> set[str]:
    return {n for n in names if n.startswith((PASSAGES, SENTENCES))}


@pytest.mark.slow
def test_index_lives_on_a_chroma_server(chroma_server, tmp_path, seed_vectors):
    from assistant import Assistant
    from assistant.config import Settings

    url = chroma_server
    settings = Settings.from_env(home=seed_vectors(tmp_path / "home"), chroma_url=url)
    assert settings.chroma_url == url

    # 1. First open builds the index into the server and answers with exact citations.
    first = Assistant.open(settings)
    assert first.index.rebuilt
    manifest = first.index.manifest
    assert manifest["chroma"] == url
    assert not (first.index.path / "chroma").exists()  # nothing embedded on disk in server mode
    answer = first.ask("市交通局要做什么？")
    assert answer.answerable
    assert "道路清扫保洁" in answer.answer and "汽修行业" in answer.answer, answer.answer
    assert answer.citations
    for c in answer.citations:
        assert first.source()[c.start:c.end] == c.quote, c

    # 2. The build's collections (one shard of each kind for one document) are on the server, named for it.
    build_id = manifest["build_id"]
    ours = _ours(_server_collections(url))
    assert set(manifest["collections"]) == ours and len(ours) == 2
    assert all(n.startswith((PASSAGES + build_id + "-", SENTENCES + build_id + "-")) for n in ours)
    assert first.index.passages.count() == manifest["passages"] > 0
    assert first.index.sentences.count() == manifest["sentences"] > 0

    # 3. Opening again reuses the index on the server.
    second = Assistant.open(settings)
    assert not second.index.rebuilt
    assert second.index.manifest["build_id"] == build_id
    assert "汽修行业" in second.ask("市交通局要做什么？").answer

    # 4. A forced rebuild swaps in new collections and drops the old build's from the server.
    third = Assistant.open(settings, rebuild=True)
    assert third.index.rebuilt
    new_id = third.index.manifest["build_id"]
    assert new_id != build_id
    assert third.index.manifest["chroma"] == url
    ours = _ours(_server_collections(url))
    assert ours == set(third.index.manifest["collections"]) and all(build_id not in n for n in ours)
    assert not first.index.path.exists()  # the old build dir was cleaned up too
    again = third.ask("市交通局要做什么？")
    assert "道路清扫保洁" in again.answer and "汽修行业" in again.answer
    for c in again.citations:
        assert third.source()[c.start:c.end] == c.quote, c
    # And a plain open after the rebuild reuses the new build.
    fourth = Assistant.open(settings)
    assert not fourth.index.rebuilt and fourth.index.manifest["build_id"] == new_id


NOTICES = {
    "a-notice.txt": "关于加强秸秆禁烧的通知\n一、各镇要落实网格责任，每周巡查两次。\n二、市农业农村局要推广秸秆还田。\n",
    "b-notice.txt": "关于做好汛期安全的通知\n一、市水利局要在六月底前完成水库安全检查。\n二、各县区要储备防汛物资。\n",
    "c-notice.txt": "关于开展植树造林的通知\n一、市林业局要组织春季植树，新增造林面积五千亩。\n二、各单位要落实管护责任。\n",
}


@pytest.mark.slow
def test_a_library_change_on_a_server_writes_only_the_shards_it_touches(chroma_server, tmp_path):
    """A server cannot copy a collection: adding a document writes only its shard; the other shard is the
    last build's collection, named again. After the swap the server holds exactly the new build's collections
    of this data dir, and the added document is answered."""
    from index.build import open_index
    from index.documents import Sources
    from index.shards import shard_of

    paths = []
    for name, text in NOTICES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    assert shard_of("a-notice") == shard_of("c-notice") != shard_of("b-notice")
    home = tmp_path / "home"
    two = open_index(home, corpus=Sources.load(paths[:2]), chroma_url=chroma_server)
    before = {r["name"] for kind in two.manifest["shards"].values() for r in kind}
    three = open_index(home, corpus=Sources.load(paths), chroma_url=chroma_server)
    after = set(three.manifest["collections"])
    taken = {r["name"] for kind in three.manifest["shards"].values() for r in kind if r["number"] == shard_of("b-notice")}
    assert three.rebuilt and taken and taken <= before and len(after - before) == 2   # a and c's shard, both kinds
    names = _server_collections(chroma_server)
    assert after <= names and not (before - after) & names
    assert three.passages.count() == three.manifest["passages"] and three.sentences.count() == three.manifest["sentences"]
    again = open_index(home, corpus=Sources.load(paths), chroma_url=chroma_server)
    assert not again.rebuilt and again.manifest["build_id"] == three.manifest["build_id"]


@pytest.mark.slow
def test_a_server_build_that_fails_midway_leaves_the_last_index_and_its_shards_are_dropped_later(
        chroma_server, tmp_path, monkeypatch):
    """A build that dies after writing a shard to the server leaves the last build answering; the next build
    drops what the failed one wrote."""
    from index.build import open_index
    from index.documents import Sources
    from index.store import VectorStore

    paths = []
    for name, text in NOTICES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    home = tmp_path / "home"
    two = open_index(home, corpus=Sources.load(paths[:2]), chroma_url=chroma_server)
    real_add, calls = VectorStore.add, []

    def failing_add(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 2:
            raise RuntimeError("the server went away")
        return real_add(self, *args, **kwargs)

    monkeypatch.setattr(VectorStore, "add", failing_add)
    with pytest.raises(Exception):
        open_index(home, corpus=Sources.load(paths), chroma_url=chroma_server)
    monkeypatch.setattr(VectorStore, "add", real_add)
    written = calls[0]
    assert written in _server_collections(chroma_server)
    still = open_index(home, corpus=Sources.load(paths[:2]), chroma_url=chroma_server)
    assert not still.rebuilt and still.manifest["build_id"] == two.manifest["build_id"]
    three = open_index(home, corpus=Sources.load(paths), chroma_url=chroma_server)
    assert three.rebuilt and written not in _server_collections(chroma_server)
    assert [p.name for p in (home / "builds").iterdir()] == [three.path.name]


@pytest.mark.slow
def test_credentials_in_the_url_are_sent_and_never_shown(chroma_server, tmp_path, seed_vectors):
    """``http://user:pass@host:port`` works (basic auth, which this open server ignores) and the password
    appears in no manifest and no printout."""
    from assistant import Assistant
    from assistant.config import Settings

    from tests.conftest import ROOT

    host = chroma_server.split("://", 1)[1]
    url = f"http://bob:s3cret@{host}"
    home = seed_vectors(tmp_path / "home")
    a = Assistant.open(Settings.from_env(home=home, chroma_url=url))
    assert a.index.manifest["chroma"] == f"http://***@{host}"
    assert "汽修行业" in a.ask("市交通局要做什么？").answer
    assert "s3cret" not in (a.index.path / "manifest.json").read_text(encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "ui.cli", "index"], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env=os.environ | {"ASSISTANT_HOME": str(home), "ASSISTANT_CHROMA_URL": url})
    assert out.returncode == 0, out.stderr[-2000:]
    assert a.index.manifest["build_id"] in out.stdout       # reused, not rebuilt
    assert "s3cret" not in out.stdout + out.stderr and f"http://***@{host}" in out.stdout


@pytest.mark.slow
def test_a_rebuild_drops_only_this_data_dirs_collections(chroma_server, tmp_path, seed_vectors):
    """Two data dirs share one server: rebuilding one must not touch the other's collections, nor any other
    collection that merely shares the name pattern; it drops its own old builds' and crashed builds'."""
    from assistant import Assistant
    from assistant.config import Settings

    url = chroma_server
    client = make_client(url=url)
    foreign = {PASSAGES + "someone-else", SENTENCES + "someone-else"}
    for name in foreign:
        client.get_or_create_collection(name)
    a_settings = Settings.from_env(home=seed_vectors(tmp_path / "a"), chroma_url=url)
    b_settings = Settings.from_env(home=seed_vectors(tmp_path / "b"), chroma_url=url)
    a = Assistant.open(a_settings)
    b = Assistant.open(b_settings)
    b_collections = set(b.index.manifest["collections"])
    old_a = set(a.index.manifest["collections"])
    # What a build of A that crashed after creating its collections leaves behind.
    crashed_id = "20000101000000-dead00"
    (tmp_path / "a" / "builds" / f".tmp-{crashed_id}").mkdir()
    crashed = {PASSAGES + crashed_id + "-03", SENTENCES + crashed_id + "-17"}
    for name in crashed:
        client.get_or_create_collection(name)

    rebuilt = Assistant.open(a_settings, rebuild=True)
    names = _server_collections(url)
    assert set(rebuilt.index.manifest["collections"]) <= names
    assert not (old_a | crashed) & names                       # A's old and crashed builds are gone
    assert b_collections <= names and foreign <= names         # nobody else's collection was touched
    again = Assistant.open(b_settings)
    assert not again.index.rebuilt and "汽修行业" in again.ask("市交通局要做什么？").answer
    for name in foreign:
        client.delete_collection(name)


@pytest.mark.slow
def test_a_server_that_stalls_after_opening_keeps_answers_coming_and_a_new_open_is_one_line(chroma_server, tmp_path,
                                                                                            monkeypatch, seed_vectors):
    """The index is open; then the server stops answering (the process is stopped: connections are
    accepted, nothing is said) and the configured LLM is down too. Questions are still answered from the
    open index, with the model's absence in one line; opening anew is a one-line error within its timeout."""
    from assistant import Assistant
    from assistant.config import Settings
    from index.build import IndexError_

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "test")
    settings = Settings.from_env(home=seed_vectors(tmp_path / "home"), chroma_url=chroma_server, llm="openai:down",
                                 chroma_timeout=2.0)
    a = Assistant.open(settings)
    server = SERVERS[chroma_server]
    os.kill(server.pid, signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        answer = a.ask("市交通局要做什么？")
        assert time.monotonic() - t0 < 5
        assert answer.backend == "extractive" and "汽修行业" in answer.answer
        assert answer.llm["reason"] and "\n" not in answer.llm["reason"]
        for c in answer.citations:
            assert a.source()[c.start:c.end] == c.quote
        t0 = time.monotonic()
        with pytest.raises(IndexError_) as err:
            Assistant.open(settings)
        assert time.monotonic() - t0 < 8
        assert "\n" not in str(err.value) and "Chroma" in str(err.value)
    finally:
        os.kill(server.pid, signal.SIGCONT)
