"""Input cleaning: questions, history lists and history files (assistant/clean.py)."""
from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.clean import (
    MAX_HISTORY_FILE_BYTES,
    MAX_HISTORY_ITEMS,
    MAX_QUESTION_CHARS,
    InvalidHistory,
    InvalidQuestion,
    clean_history,
    clean_question,
    load_history_file,
)

QUESTIONS = ["市交通局要做什么？", "6个100%是什么？", "PM2.5的目标是多少", "那住建局呢？", "What must the transport bureau do?"]
INVISIBLE = ["\u200b", "\u2060", "\u00ad", "\u180e", "\u034f", "\ufeff", "\u3164", "\u115f", "\u1160", "\uffa0",
             "\u2800", "\u180b", "\u180c", "\u180d", "\u17b4", "\u17b5", "\U000e0001"]


def _assert_one_line(exc: BaseException) -> None:
    msg = str(exc)
    assert msg and "\n" not in msg and "\r" not in msg
    assert "(" in msg and msg.endswith(")"), msg    # Chinese first, English in parentheses


# --- clean_question: examples -----------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("市交通局要做什么？", "市交通局要做什么？"),
    ("６１００％", "6100%"),
    ("ＰＭ２．５的目标是多少", "PM2.5的目标是多少"),
    ("“6个100%”是什么", "“6个100%”是什么"),                  # Chinese quotes stay
    ("市交通\n局要做什么", "市交通局要做什么"),                  # line wrap inside Chinese: no space
    ("市交通 \r\n 局", "市交通局"),
    ("市交通\t局", "市交通局"),
    ("PM2.5\nAQI", "PM2.5 AQI"),                               # not between CJK: one space
    ("交通局\ntransport", "交通局 transport"),
    ("a\x00b", "a b"),
    ("  市交通局   要做   什么  ", "市交通局 要做 什么"),
    ("市\u3000交通局", "市 交通局"),                             # ideographic space is whitespace
    ("市交\u200b通\u200d局\ufeff", "市交通局"),
    ("\ufeff市交通局", "市交通局"),
    ("PM\u00ad2.5", "PM2.5"),
    ("市\u180e交\u034f通\ufe0f局\u2060", "市交通局"),
    ("市交\u200c\u200e\u202e通局", "市交通局"),                   # bidi controls are Cf too
    ("e\u200b\u0301", "\u00e9"),                                # removal happens before NFKC
    ("市交\u3164通局", "市交通局"),                                # Hangul filler (a letter, yet invisible)
    ("市交\u2800通\uffa0局", "市交通局"),                          # braille blank, half-width filler
    ("市交\u0301通\u20dd局\u0300\u0323", "市交通局"),              # marks with no base to combine with
    ("か\u3099", "が"), ("か\u0301\u3099", "が"),                 # marks that combine are kept (NFKC)
    ("市交通\u2028局", "市交通局"), ("市交通 \u2029 局", "市交通局"),   # separators are line breaks
    ("PM2.5\u2028AQI", "PM2.5 AQI"),
    ("caf\u0065\u0301", "caf\u00e9"), ("\u0905\u0902", "\u0905\u0902"),  # marks on other scripts stay
    ("市交通局\ud800要做什么", "市交通局要做什么"),                  # lone surrogate removed
    ("市交通局要做什么？".encode("utf-8"), "市交通局要做什么？"),
    ("\ufeff问题".encode("utf-8"), "问题"),
    (bytearray("问题".encode("utf-8")), "问题"),
    ("x" * MAX_QUESTION_CHARS, "x" * MAX_QUESTION_CHARS),
])
def test_clean_question_examples(raw, expected):
    assert clean_question(raw) == expected


@pytest.mark.parametrize("raw, match", [
    (b"\xff\xfe\x00bad", "UTF-8"),
    ("问题".encode("utf-16"), "UTF-8"),
    (b"\xed\xa0\x80", "UTF-8"),                                # an encoded surrogate is not UTF-8
    (None, "问题必须是文本"),
    (42, "int"),
    (["市交通局要做什么"], "list"),
    ("", "问题为空"),
    ("   \n\t  ", "问题为空"),
    ("\u200b\u2060\ufeff", "问题为空"),
    ("\x00\x01", "问题为空"),
    ("x" * (MAX_QUESTION_CHARS + 1), f"问题过长：{MAX_QUESTION_CHARS + 1} 字，上限 2000 字"),
    ("问" * 1000 + "\u200b" * 5000 + "题" * 1001, "问题过长：2001 字"),  # counted after cleaning
    ("x" * 10**6, "问题过长"),
    ("？？？！！", "问题里没有可查询的文字"),
    ("😀🎉 ...", "问题里没有可查询的文字"),
    ("“”「」。、", "问题里没有可查询的文字"),
    ("\u0301\u0302", "问题里没有可查询的文字"),
    ("\u3164\u3164", "问题为空"),
    ("\u2800 \u115f", "问题为空"),
])
def test_clean_question_rejects(raw, match):
    with pytest.raises(InvalidQuestion, match=match) as info:
        clean_question(raw)
    _assert_one_line(info.value)


def test_invalid_question_is_a_value_error():
    assert issubclass(InvalidQuestion, ValueError) and issubclass(InvalidHistory, ValueError)


def test_non_str_type_names_stay_on_one_line():
    weird = type("a\nb", (), {})()
    with pytest.raises(InvalidQuestion) as info:
        clean_question(weird)
    _assert_one_line(info.value)


def test_str_subclass_is_cleaned_as_plain_text():
    class Sneaky(str):
        def __str__(self):
            return "\x00"

    out = clean_question(Sneaky("市交通局"))
    assert out == "市交通局" and type(out) is str


# --- clean_question: invisible characters never change the result -----------------------------------

@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_character_anywhere_is_equivalent(question, char):
    expected = clean_question(question)
    for i in range(len(question) + 1):
        assert clean_question(question[:i] + char + question[i:]) == expected, (question, char, i)


@given(question=st.sampled_from(QUESTIONS),
       inserts=st.lists(st.tuples(st.integers(0, 100), st.sampled_from(INVISIBLE + ["\u200c", "\u200d", "\ufe0e"])),
                        max_size=8))
def test_any_mix_of_invisible_characters_is_equivalent(question, inserts):
    text = question
    for pos, ch in inserts:
        pos %= len(text) + 1
        text = text[:pos] + ch + text[pos:]
    assert clean_question(text) == clean_question(question)


# --- clean_question: properties ---------------------------------------------------------------------

# Text biased towards the interesting cases: CJK next to controls, invisibles, full-width forms,
# combining marks, surrogates and whitespace.
_INTERESTING = st.sampled_from(list(
    "市交通局要做什么？，。“”ＰＭ２．５６％aZ9 \u3000\n\r\t\x00\x1f\x7f\x85\u2028\u00a0"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\ufe0f\u0301\u3099か\u00a8\ufdfa\u2f00e"
    "\u3164\uffa0\u2800\u20dd\u2029\u17b4\u180b\uff9e"
) + ["\ud800", "\udfff", "\U000e0101", "\U000e0041"])
_ANY_TEXT = st.one_of(
    st.text(),
    st.text(st.characters(codec=None, exclude_categories=())),   # includes surrogates
    st.text(_INTERESTING, max_size=40),
    st.text(st.one_of(_INTERESTING, st.characters()), max_size=40),
)


def _check_clean(text):
    try:
        out = clean_question(text)
    except InvalidQuestion as exc:
        assert "\n" not in str(exc) and "\r" not in str(exc)
        return None
    assert isinstance(out, str) and 0 < len(out) <= MAX_QUESTION_CHARS
    assert out == out.strip() and "  " not in out
    for ch in out:
        assert unicodedata.category(ch) not in ("Cc", "Cf", "Cs"), repr(ch)
    assert "\u034f" not in out and not any("\ufe00" <= ch <= "\ufe0f" for ch in out)
    # NFKC everywhere except Chinese sentence punctuation, which is kept as typed.
    assert unicodedata.is_normalized("NFKC", out.translate({ord(ch): "\ue000" for ch in "，。？！：；（）"}))
    return out


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_ANY_TEXT)
@example("市交通\n局")
@example("か\n\u3099")
@example("a\u00a8 b")
@example("\u2f00\n\u2f00")
def test_clean_question_returns_clean_text_or_one_line_error(text):
    _check_clean(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_ANY_TEXT)
@example("e\u200b\u0301")
@example("か\n\u3099")
@example(" \u00a8x")
@example("\u2f00\n\u2f00")
def test_clean_question_is_idempotent(text):
    out = _check_clean(text)
    if out is not None:
        assert clean_question(out) == out


@given(st.binary())
def test_clean_question_on_bytes_never_crashes(data):
    try:
        clean_question(data)
    except InvalidQuestion as exc:
        assert "\n" not in str(exc)


# --- clean_history ----------------------------------------------------------------------------------

def test_clean_history_keeps_valid_and_reports_the_rest():
    kept, notices = clean_history(["\x00", "市交通局要做什么？", "\u200b", "x" * 2001, 5])
    assert kept == ["市交通局要做什么？"]
    assert len(notices) == 4
    assert notices[0].startswith("已忽略第1条历史问题：问题为空")
    assert notices[1].startswith("已忽略第3条历史问题：问题为空")
    assert notices[2].startswith("已忽略第4条历史问题：问题过长")
    assert notices[3].startswith("已忽略第5条历史问题：") and "int" in notices[3]
    assert all("\n" not in n for n in notices)


@pytest.mark.parametrize("items", [None, [], ()])
def test_clean_history_empty(items):
    assert clean_history(items) == ([], [])


def test_clean_history_accepts_tuples():
    assert clean_history(("市交通局要做什么", "ＰＭ２．５呢")) == (["市交通局要做什么", "PM2.5呢"], [])


@pytest.mark.parametrize("items", ["市交通局要做什么", {"q": "市交通局"}, 5, b"abc", iter(["a"])])
def test_clean_history_rejects_non_lists_with_one_notice(items):
    kept, notices = clean_history(items)
    assert kept == [] and len(notices) == 1 and "\n" not in notices[0]
    assert notices[0].startswith("已忽略历史问题")


def test_clean_history_drops_bytes_entries():
    kept, notices = clean_history([b"abc", "问题"])
    assert kept == ["问题"] and len(notices) == 1 and "bytes" in notices[0]


def test_clean_history_keeps_only_the_last_valid_items():
    items = [f"问题{i}" for i in range(30)]
    kept, notices = clean_history(items)
    assert kept == items[-MAX_HISTORY_ITEMS:]
    assert len(notices) == 1 and "10" in notices[0]


def test_clean_history_counts_from_the_last_valid_items():
    items = ["旧问题"] + ["问题"] * (MAX_HISTORY_ITEMS - 1) + ["", "  "]
    kept, notices = clean_history(items)
    assert kept == ["旧问题"] + ["问题"] * (MAX_HISTORY_ITEMS - 1)
    assert [n[:9] for n in notices] == ["已忽略第21条历史", "已忽略第22条历史"]


def test_clean_history_bounds_the_notices():
    kept, notices = clean_history([""] * 100_000 + ["最后一个问题"])
    assert kept == ["最后一个问题"]
    assert len(notices) <= MAX_HISTORY_ITEMS + 2
    assert any("另有" in n for n in notices)


_ENTRY = st.one_of(_ANY_TEXT, st.integers(), st.none(), st.binary(), st.lists(st.text(), max_size=2))


@given(st.one_of(st.lists(_ENTRY, max_size=30), st.tuples(_ENTRY, _ENTRY), _ENTRY,
                 st.dictionaries(st.text(), st.text())))
def test_clean_history_never_raises(items):
    kept, notices = clean_history(items)
    assert len(kept) <= MAX_HISTORY_ITEMS
    assert all(isinstance(k, str) and clean_question(k) == k for k in kept)
    assert all(isinstance(n, str) and "\n" not in n for n in notices)
    if isinstance(items, list) and len(items) <= MAX_HISTORY_ITEMS:
        assert len(kept) + len(notices) == len(items)


# --- load_history_file ------------------------------------------------------------------------------

def _write(tmp_path, content, name="history.json"):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_load_history_file(tmp_path):
    path = _write(tmp_path, json.dumps(["市交通局要做什么？", "", "ＰＭ２．５呢"], ensure_ascii=False))
    kept, notices = load_history_file(path)
    assert kept == ["市交通局要做什么？", "PM2.5呢"]
    assert len(notices) == 1 and notices[0].startswith("已忽略第2条历史问题：问题为空")
    assert load_history_file(str(path)) == (kept, notices)


def test_load_history_file_with_bom_and_surrogate_escape(tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbf" + b'["\\ud800\xe5\xb8\x82\xe4\xba\xa4\xe9\x80\x9a\xe5\xb1\x80"]')
    assert load_history_file(path) == (["市交通局"], [])


def test_load_history_file_inner_lists_are_notices(tmp_path):
    path = _write(tmp_path, '[["a"], "问题", {"q": 1}]')
    kept, notices = load_history_file(path)
    assert kept == ["问题"] and len(notices) == 2


@pytest.mark.parametrize("content, match", [
    ("{not json", "JSON"),
    ("", "JSON"),
    ('{"q": "市交通局"}', "历史文件必须是问题字符串的列表"),
    ('"市交通局"', "历史文件必须是问题字符串的列表"),
    ("null", "历史文件必须是问题字符串的列表"),
    ("[1, 2", "JSON"),
    ('[[["too deep"]]]', "历史文件必须是问题字符串的列表"),
    ('[{"a": ["x"]}]', "历史文件必须是问题字符串的列表"),
    (b"[\"\xff\xfe\"]", "UTF-8"),
    ("[" + "9" * 5000 + "]", "JSON"),                          # beyond Python's int digit limit
])
def test_load_history_file_rejects(tmp_path, content, match):
    with pytest.raises(InvalidHistory, match=match) as info:
        load_history_file(_write(tmp_path, content))
    _assert_one_line(info.value)


def test_brackets_inside_strings_do_not_count(tmp_path):
    path = _write(tmp_path, json.dumps(["[[[[[[问题]]]]]]", "a\\\"[[[[", "{{{{"]))
    kept, notices = load_history_file(path)
    assert kept == ["[[[[[[问题]]]]]]", 'a\\"[[[[']
    assert len(notices) == 1 and notices[0].startswith("已忽略第3条历史问题：问题里没有可查询的文字")


@pytest.mark.parametrize("opener, closer, n", [("[", "]", 100_000), ("{", "}", 100_000), ('[{"a":', "}]", 30_000),
                                               ("[", "", 200_000)])
def test_deeply_nested_file_is_rejected_without_recursion(tmp_path, opener, closer, n):
    path = _write(tmp_path, opener * n + closer * n)
    assert path.stat().st_size <= MAX_HISTORY_FILE_BYTES          # rejected for its depth, not its size
    with pytest.raises(InvalidHistory, match="历史文件必须是问题字符串的列表") as info:
        load_history_file(path)
    assert not isinstance(info.value.__cause__, RecursionError)
    _assert_one_line(info.value)


def test_nested_brackets_do_not_hide_in_unterminated_strings(tmp_path):
    path = _write(tmp_path, '"' + "[" * 100_000)
    with pytest.raises(InvalidHistory) as info:
        load_history_file(path)
    _assert_one_line(info.value)


def test_large_file_is_rejected(tmp_path):
    path = _write(tmp_path, json.dumps(["问题"] * 200_000, ensure_ascii=False))
    assert path.stat().st_size >= 1_000_000
    with pytest.raises(InvalidHistory, match="过大") as info:
        load_history_file(path)
    _assert_one_line(info.value)


def test_file_at_the_size_limit_is_accepted(tmp_path):
    body = json.dumps(["问题"])
    path = _write(tmp_path, body + " " * (MAX_HISTORY_FILE_BYTES - len(body.encode("utf-8"))))
    assert path.stat().st_size == MAX_HISTORY_FILE_BYTES
    assert load_history_file(path) == (["问题"], [])
    path.write_bytes(path.read_bytes() + b" ")
    with pytest.raises(InvalidHistory, match="过大"):
        load_history_file(path)


@pytest.mark.parametrize("name", ["missing.json", ""])
def test_unreadable_file_is_an_invalid_history(tmp_path, name):
    with pytest.raises(InvalidHistory, match="无法读取历史文件") as info:
        load_history_file(tmp_path / name if name else tmp_path)   # missing file / a directory
    _assert_one_line(info.value)


@pytest.mark.parametrize("kind", ["fifo", "symlink to fifo", "device"])
def test_special_files_are_refused_at_once(tmp_path, kind):
    import os
    import threading
    import time

    fifo = tmp_path / "fifo.json"
    if kind == "device":
        path = "/dev/zero"
    else:
        os.mkfifo(fifo)
        path = fifo if kind == "fifo" else tmp_path / "link.json"
        if kind != "fifo":
            path.symlink_to(fifo)

        def unblock():   # a loader stuck opening the FIFO sees end-of-file after 3 s, so a regression fails
            time.sleep(3)
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        threading.Thread(target=unblock, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(InvalidHistory, match="not a regular file") as info:
        load_history_file(path)
    assert time.monotonic() - started < 2 and str(path) in str(info.value)
    _assert_one_line(info.value)


def test_path_with_nul_byte_is_an_invalid_history():
    with pytest.raises(InvalidHistory, match="无法读取历史文件"):
        load_history_file("bad\x00name.json")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=200), st.text(st.sampled_from('[]{}"\\,:a1 \n问'), max_size=200)
                      .map(lambda s: s.encode("utf-8"))))
def test_load_history_file_only_raises_invalid_history(tmp_path, data):
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    try:
        kept, notices = load_history_file(path)
    except InvalidHistory as exc:
        assert "\n" not in str(exc)
    else:
        assert len(kept) <= MAX_HISTORY_ITEMS and all("\n" not in n for n in notices)


# --- bounded history (issue 22: one request must not hold a worker for long) ------------------------

def test_a_long_earlier_question_is_left_out_with_a_notice():
    from assistant.clean import MAX_HISTORY_ITEM_CHARS

    kept, notices = clean_history(["问" * (MAX_HISTORY_ITEM_CHARS + 1), "市交通局要做什么？"])
    assert kept == ["市交通局要做什么？"]
    assert len(notices) == 1 and notices[0].startswith("已忽略第1条历史问题：历史问题过长") and "\n" not in notices[0]


def test_history_is_bounded_in_total_newest_first():
    from assistant.clean import MAX_HISTORY_ITEM_CHARS, MAX_HISTORY_TOTAL_CHARS

    items = [f"{i}" + "问" * (MAX_HISTORY_ITEM_CHARS - 2) for i in range(10)]
    kept, notices = clean_history(items)
    fit = MAX_HISTORY_TOTAL_CHARS // (MAX_HISTORY_ITEM_CHARS - 1)
    assert kept == items[-fit:] and sum(map(len, kept)) <= MAX_HISTORY_TOTAL_CHARS
    assert len(notices) == len(items) - fit and all("总长" in n for n in notices)
