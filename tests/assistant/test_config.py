"""Settings from the environment (assistant/config.py): an unusable value is a one-line error naming the
variable, never a traceback or a silent default."""
from __future__ import annotations

import pytest

from assistant.config import Settings, SettingsError


def _one_line(exc: BaseException, *words: str) -> None:
    msg = str(exc)
    assert msg and "\n" not in msg and all(w in msg for w in words), msg


@pytest.mark.parametrize("raw", ["abc", "", " ", "0", "-2", "1.5", "9" * 40, "1e3"])
def test_bad_thread_counts_are_one_line_errors(monkeypatch, tmp_path, raw):
    monkeypatch.setenv("ASSISTANT_THREADS", raw)
    if not raw:
        assert Settings.from_env(home=tmp_path).threads == 1    # unset (empty) means the default
        return
    with pytest.raises(SettingsError) as info:
        Settings.from_env(home=tmp_path)
    _one_line(info.value, "ASSISTANT_THREADS")


@pytest.mark.parametrize("raw, threads", [("1", 1), (" 4 ", 4), ("256", 256)])
def test_good_thread_counts(monkeypatch, tmp_path, raw, threads):
    monkeypatch.setenv("ASSISTANT_THREADS", raw)
    assert Settings.from_env(home=tmp_path).threads == threads


@pytest.mark.parametrize("user, password, ok", [("u", "p", True), ("u", None, False), ("u", "", False),
                                                (None, "p", False), (None, None, True)])
def test_ui_login_needs_both_user_and_password(monkeypatch, tmp_path, user, password, ok):
    for key, value in (("ASSISTANT_UI_USER", user), ("ASSISTANT_UI_PASSWORD", password)):
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    settings = Settings.from_env(home=tmp_path)
    if ok:
        assert settings.ui_auth() == ((user, password) if user else None)
    else:
        with pytest.raises(SettingsError) as info:
            settings.ui_auth()
        _one_line(info.value, "ASSISTANT_UI_")


@pytest.mark.parametrize("name, raw", [("ASSISTANT_LLM_TIMEOUT", "abc"), ("ASSISTANT_LLM_TIMEOUT", "nan"),
                                       ("ASSISTANT_LLM_MAX_TOKENS", "x"), ("ASSISTANT_LLM_MAX_TOKENS", "-5")])
def test_bad_llm_options_are_one_line_errors(monkeypatch, name, raw):
    from assistant.llm.clients import LLMConfigError, LLMOptions

    monkeypatch.setenv(name, raw)
    with pytest.raises(LLMConfigError) as info:
        LLMOptions.from_env()
    _one_line(info.value, name)


@pytest.mark.parametrize("url, shown", [
    ("http://bob:s3cret@127.0.0.1:8000", "http://***@127.0.0.1:8000"),
    ("https://bob:s3cret@chroma.example:443/x", "https://***@chroma.example:443/x"),
    ("bob:s3cret@127.0.0.1:8000", "http://***@127.0.0.1:8000"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("http://bob:s3cret@[::1", "<invalid URL>"),
])
def test_chroma_url_credentials_are_redacted(url, shown):
    from index.store import redact_url

    assert redact_url(url) == shown


def test_unreachable_chroma_server_message_hides_the_password(tmp_path):
    import socket

    from index.build import IndexError_, open_index

    with socket.socket() as s:          # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(IndexError_) as info:
        open_index(tmp_path, chroma_url=f"http://bob:s3cret@127.0.0.1:{port}")
    _one_line(info.value, f"http://***@127.0.0.1:{port}")
    assert "s3cret" not in str(info.value) and "bob" not in str(info.value)
