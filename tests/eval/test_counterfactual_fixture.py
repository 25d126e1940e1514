"""Checks for the counterfactual (renamed) speech + gold fixture (no model, fast)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval import counterfactual as cf

# Names of the real document that must be gone from the counterfactual speech.
ORIGINAL_NAMES = [
    # bodies
    "交通局", "住建局", "城管局", "生态环境局", "公安局", "农业农村局",
    "治霾办", "硫铁办", "整改办", "市考核办", "生态环保委员会",
    # city, counties, neighbour city
    "安康", "安政通报", "驻安", "汉滨", "汉阴", "白河", "岚皋", "平利", "旬阳", "商洛",
    # rivers, lakes, mountains, reserves
    "汉江", "汉丹江", "瀛湖", "月河", "白石河", "蒿坪河", "秦岭", "化龙山",
    # people
    "寇全安", "郭青", "俊民", "宝剑", "杨军",
]


def _norm(s: str) -> str:
    """Compare-normal form: drop all whitespace and markdown bold markers."""
    return re.sub(r"\s+", "", s.replace("**", ""))


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("counterfactual")
    speech, gold = cf.write(out)
    return speech, gold


@pytest.fixture(scope="module")
def mapping():
    return cf.load_mapping()


def test_write_returns_the_two_files(fixture_files):
    speech, gold = fixture_files
    assert speech.name == "counterfactual-speech.txt" and speech.is_file()
    assert gold.name == "counterfactual-gold.jsonl" and gold.is_file()


def test_map_file_is_ordered_longest_first_and_unique(mapping):
    keys = [k for k, _ in mapping]
    assert len(keys) > 50
    assert len(keys) == len(set(keys))
    lengths = [len(k) for k in keys]
    assert lengths == sorted(lengths, reverse=True)
    assert all(k != v for k, v in mapping)


def test_new_names_are_really_new(mapping):
    """A replacement must not already exist in the speech or the original gold set
    (otherwise e.g. an 'unanswerable' question about 林业局 would become answerable)."""
    speech = _norm(cf.SPEECH_PATH.read_text(encoding="utf-8"))
    gold = _norm(cf.GOLD_PATH.read_text(encoding="utf-8"))
    for src, dst in mapping:
        pat = re.compile(cf._key_pattern(_norm(dst)))
        assert not pat.search(speech), f"{src}->{dst}: {dst!r} already in the speech"
        if not re.search(r"\d", dst):
            assert not pat.search(gold), f"{src}->{dst}: {dst!r} already in gold.jsonl"


def test_original_names_gone_from_speech(fixture_files):
    speech = _norm(fixture_files[0].read_text(encoding="utf-8"))
    left = [n for n in ORIGINAL_NAMES if n in speech]
    assert not left, f"original names still in counterfactual speech: {left}"


def test_every_mapped_key_gone_from_speech(fixture_files, mapping):
    speech = _norm(fixture_files[0].read_text(encoding="utf-8"))
    for src, dst in mapping:
        key = _norm(src)
        if key in _norm(dst):  # e.g. II类 -> III类
            continue
        assert not re.search(cf._key_pattern(key), speech), f"{src!r} left in speech"


def test_figures_changed(fixture_files):
    speech = _norm(fixture_files[0].read_text(encoding="utf-8"))
    for old, new in [
        ("325天", "318天"), ("95%", "93%"), ("10.2天", "9.6天"), ("738件", "692件"),
        ("不少于2次", "不少于3次"), ("12个硫铁矿点", "14个硫铁矿点"), ("第27名", "第23名"),
    ]:
        assert old not in speech and new in speech, (old, new)
    # dates and years are kept
    for kept in ("2021年4月16日", "4月13日", "十四五", "2035年"):
        assert kept in speech


def test_gold_strings_still_found_in_mapped_speech(fixture_files, mapping):
    speech_path, gold_path = fixture_files
    orig_speech = _norm(cf.SPEECH_PATH.read_text(encoding="utf-8"))
    new_speech = _norm(speech_path.read_text(encoding="utf-8"))
    orig_rows = _read_jsonl(cf.GOLD_PATH)
    new_rows = _read_jsonl(gold_path)
    assert len(orig_rows) == len(new_rows)
    checked, missing = 0, []
    for orig, new in zip(orig_rows, new_rows):
        assert orig["id"] == new["id"]
        for field in ("must_include", "gold_quotes", "items"):
            assert len(orig[field]) == len(new[field])
            for o, n in zip(orig[field], new[field]):
                if _norm(o) in orig_speech:
                    checked += 1
                    if _norm(n) not in new_speech:
                        missing.append((orig["id"], field, o, n))
    assert checked > 300
    assert not missing, missing[:10]


def test_gold_every_string_field_mapped(fixture_files):
    orig_rows = _read_jsonl(cf.GOLD_PATH)
    new_rows = {r["id"]: r for r in _read_jsonl(fixture_files[1])}
    text = json.dumps(list(new_rows.values()), ensure_ascii=False)
    for name in ORIGINAL_NAMES + ["Ankang", "transport bureau", "Baishi River"]:
        assert name not in text, name
    for r in orig_rows:
        n = new_rows[r["id"]]
        assert set(n) == set(r) and n["category"] == r["category"]
    fu = new_rows["fu-001"]
    assert fu["history"] == ["市文旅局要做什么？"]
    assert new_rows["resp-001"]["question"] == "市文旅局要做什么？"
    assert new_rows["en-001"]["question"] == "What must the culture and tourism bureau do?"
    assert new_rows["target-001"]["must_include"] == ["318天"]


def test_apply_single_pass_no_chaining():
    mapping = [["A", "B"], ["B", "C"]]
    assert cf.apply("A", mapping) == "B"
    assert cf.apply("AB", mapping) == "BC"
    assert cf.apply("A", {"replacements": mapping}) == "B"


def test_apply_longest_first_regardless_of_order():
    mapping = [["交通局", "X局"], ["市交通局", "市Y局"]]
    assert cf.apply("市交通局、交通局", mapping) == "市Y局、X局"


def test_apply_numbers_only_match_whole_numbers():
    mapping = [["325天", "318天"], ["3个", "5个"]]
    assert cf.apply("1325天，325天", mapping) == "1325天，318天"
    assert cf.apply("13个、3.3个、3个", mapping) == "13个、3.3个、5个"


def test_cli_writes_files(tmp_path):
    assert cf.main([str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "counterfactual-speech.txt").is_file()
    assert (tmp_path / "out" / "counterfactual-gold.jsonl").is_file()
