"""ui.identity: whose data a request is (login, else the browser's cookie id, else the page session)."""
from __future__ import annotations

import stat
from types import SimpleNamespace

from ui.identity import COOKIE, LOCAL, owner, owner_dir, owner_key

BID = "0123456789abcdef0123456789abcdef"


def test_login_wins_then_browser_cookie_then_session():
    assert owner(SimpleNamespace(username="zhang", cookies={COOKIE: BID}, session_hash="s1")) == "user:zhang"
    assert owner(SimpleNamespace(username=None, cookies={COOKIE: BID}, session_hash="s1")) == f"browser:{BID}"
    assert owner(SimpleNamespace(username=None, cookies={}, session_hash="s1")) == "session:s1"
    assert owner(None) == LOCAL


def test_a_forged_cookie_is_not_an_id():
    for bad in ("../../etc", BID + "00", "x" * 32, ""):
        assert owner(SimpleNamespace(username=None, cookies={COOKIE: bad}, session_hash="s2")) == "session:s2"


def test_owner_dirs_are_private_and_never_name_the_login(tmp_path):
    a = owner_dir(tmp_path, "user:zhang")
    b = owner_dir(tmp_path, SimpleNamespace(username=None, cookies={COOKIE: BID}, session_hash=None))
    assert a != b and "zhang" not in str(a) and a.name == owner_key(tmp_path, "user:zhang")
    assert stat.S_IMODE(a.stat().st_mode) == 0o700 and stat.S_IMODE(a.parent.stat().st_mode) == 0o700
    assert owner_dir(tmp_path, "user:zhang") == a                         # stable
    assert stat.S_IMODE((tmp_path / "identity.key").stat().st_mode) == 0o600
