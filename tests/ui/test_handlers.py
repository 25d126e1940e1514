"""The chat handler sends only the turn being answered, whatever the length of the conversation."""
from __future__ import annotations

from pathlib import Path

from ui.handlers import Handlers, _is_skip


def _ask(handlers, question, turns):
    outputs = list(handlers.chat(question, turns))
    return outputs, outputs[-1][1]


def test_each_update_carries_only_the_new_turn(assistant):
    handlers = Handlers(assistant)
    turns: list[dict] = []
    earlier = ["市交通局要做什么？", "优良天数目标是多少？", "讲话分成哪几部分？", "那住建局呢？", "今天天气怎么样"]
    for q in earlier:
        _, turns = _ask(handlers, q, turns)
    outputs, turns = _ask(handlers, "谁负责秸秆禁烧？", turns)
    assert len(turns) == 6 and turns[-1]["answer"]["citations"]
    for markup in (o[0] for o in outputs):
        assert 'data-turn="5"' in markup
        assert not any(f'data-turn="{i}"' in markup for i in range(5))
        assert not any(q.rstrip("？") in markup for q in earlier)
    final = outputs[-1][0]
    assert 'class="cite-set" data-turn="5"' in final            # the settled citations come with it
    assert 'class="cite-set"' not in outputs[0][0]               # not while the answer is pending


def test_without_an_llm_the_answer_is_one_update(assistant):
    handlers = Handlers(assistant)
    _, turns = _ask(handlers, "市交通局要做什么？", [])
    markup, new_turns, export, download, note = handlers.chat_once("优良天数目标是多少？", turns)
    assert note == "" and len(new_turns) == 2 and 'class="msg bot' in markup and 'data-turn="1"' in markup
    assert "正在查找原文" not in markup and 'class="cite-set" data-turn="1"' in markup


def test_an_error_turn_is_sent_alone_and_kept_in_state(assistant):
    handlers = Handlers(assistant)
    _, turns = _ask(handlers, "市交通局要做什么？", [])
    outputs, turns = _ask(handlers, "\u200b\u200b", turns)
    assert len(turns) == 2 and turns[-1]["error"].startswith("问题为空")  # a question of invisible characters only
    assert 'data-turn="1"' in outputs[-1][0] and 'role="alert"' in outputs[-1][0]
    assert "市交通局" not in outputs[-1][0]


def test_clear_starts_a_new_epoch_each_time(assistant):
    handlers = Handlers(assistant)
    first, second = handlers.clear(), handlers.clear()
    assert first[0] != second[0] and first[1] != second[1]      # so the page redraws an appended log
    assert first[2] == "" and first[3] == [] and len(first) == 8


def test_export_writes_one_file_per_session_only_when_asked(assistant):
    from types import SimpleNamespace

    handlers = Handlers(assistant)
    request = SimpleNamespace(session_hash="abc123", username=None, cookies={})
    folder = handlers.export_dir(request)
    turns: list[dict] = []
    for q in ("市交通局要做什么？", "优良天数目标是多少？"):
        _, turns = _ask(handlers, q, turns)
    assert list(folder.iterdir()) == []                        # answering writes nothing
    for _ in range(2):
        button, listed = handlers.export(turns, request)
    files = list(folder.iterdir())
    assert len(files) == 1 and button.value and files[0].name.endswith("abc123.md") and listed == [str(files[0])]
    text = files[0].read_text(encoding="utf-8")
    assert "市交通局要做什么？" in text and "优良天数目标是多少？" in text and "[1]" in text


def test_feedback_and_exports_belong_to_one_browser(assistant):
    from types import SimpleNamespace

    from ui.identity import COOKIE

    handlers = Handlers(assistant)
    a = SimpleNamespace(session_hash="s-a", username=None, cookies={COOKIE: "a" * 32})
    b = SimpleNamespace(session_hash="s-b", username=None, cookies={COOKIE: "b" * 32})
    _, turns_a = _ask(handlers, "市交通局要做什么？", [])
    _, turns_b = _ask(handlers, "优良天数目标是多少？", [])
    handlers.feedback(turns_a, {"turn": 0, "rating": "up"}, a)
    _, _, history_b = handlers.feedback(turns_b, {"turn": 0, "rating": "down"}, b)
    handlers.export(turns_a, a)
    history_a, exports_a = handlers.my_records(a)
    assert "市交通局要做什么" in history_a and "优良天数" not in history_a
    assert "优良天数" in history_b and "市交通局" not in history_b
    assert len(exports_a) == 1 and handlers.my_records(b)[1] == []
    # A visit that stores nothing leaves no folder behind.
    from ui.identity import owner_dir
    visitor = SimpleNamespace(session_hash="s-c", username=None, cookies={COOKIE: "c" * 32})
    assert "还没有评价过" in handlers.my_records(visitor)[0]
    assert not owner_dir(handlers.home, visitor, create=False).exists()
    # The same browser on a new page (a new session, the same cookie) still sees its own.
    again = SimpleNamespace(session_hash="s-a2", username=None, cookies={COOKIE: "a" * 32})
    assert handlers.my_records(again) == (history_a, exports_a)


def test_exports_are_private_and_old_ones_are_pruned(assistant):
    import os
    import stat
    import time
    from pathlib import Path
    from types import SimpleNamespace

    home = Path(assistant.settings.home)
    old = home / "exports" / "conversation-20000101-stale.md"
    mine = SimpleNamespace(session_hash="priv1", username=None, cookies={})
    old_mine = Handlers(assistant).export_dir(mine) / "conversation-20000101-old.md"
    hours_ago = time.time() - 3 * 3600
    for f in (old, old_mine):
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("an export from an earlier server run", encoding="utf-8")
        os.utime(f, (hours_ago, hours_ago))
    handlers = Handlers(assistant)
    assert not old.exists() and not old_mine.exists()           # pruned when the server starts, not only on export
    _, turns = _ask(handlers, "市交通局要做什么？", [])
    assert handlers.export(turns, mine)[0].value
    [path] = handlers.export_dir(mine).iterdir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600          # the conversation is the user's, nobody else's
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_web_app_prunes_gradios_copies_of_exports(assistant):
    from ui.app import build_app

    frequency, age = build_app(assistant, quiz=False).delete_cache
    assert 0 < frequency <= 3600 and 0 < age <= 24 * 3600


def test_a_request_naming_another_sessions_state_cannot_read_or_extend_it(assistant):
    """Issue 22 item 9: a request that carries a known session hash gets that session's state (its turns).
    Each turn records whose it is: another browser can neither export it, rate it, nor ask on top of it."""
    from types import SimpleNamespace

    from ui.identity import COOKIE, owner_dir

    handlers = Handlers(assistant)
    victim = SimpleNamespace(session_hash="s-v", username=None, cookies={COOKIE: "d" * 32})
    intruder = SimpleNamespace(session_hash="s-v", username=None, cookies={COOKIE: "e" * 32})
    turns = list(handlers.chat_once("市交通局要做什么？", [], victim))[1]
    assert turns[0]["owner"] and turns[0]["answer"]["citations"]
    download, _ = handlers.export(turns, intruder)
    assert not getattr(download, "value", None)
    assert not owner_dir(handlers.home, intruder, create=False).exists()        # nothing written for the intruder
    assert handlers.feedback(turns, {"turn": 0, "rating": "down"}, intruder)[0] is not turns and \
        "已记录" not in str(handlers.feedback(turns, {"turn": 0, "rating": "down"}, intruder)[1])
    assert all(_is_skip(x) for x in handlers.chat_once("那住建局呢？", turns, intruder))
    # The owner still can.
    handlers.export(turns, victim)
    exports = handlers.my_records(victim)[1]
    assert len(exports) == 1 and "市交通局要做什么" in Path(exports[0]).read_text(encoding="utf-8")


def test_citation_labels_name_the_document_when_several_are_loaded():
    from ui.render import full_path, place_label

    one = {"section": "一、目标", "path": ["一、目标"], "paragraph": 3}
    several = one | {"doc_title": "2025年北京市政府工作报告"}
    assert "《" not in place_label(one) and "《" not in full_path(one)
    assert place_label(several).startswith("《2025年北京市政府工作报告》") and "第3段" in place_label(several)
    assert full_path(several).startswith("《2025年北京市政府工作报告》")
