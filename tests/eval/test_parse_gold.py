"""eval.run.parse_gold: an uploaded question file is checked line by line, with one-line messages."""
from __future__ import annotations

import json

import pytest

from eval.run import GoldFormatError, parse_gold
from tests.conftest import ROOT

GOOD = {"id": "x1", "category": "fact", "question": "市交通局要做什么？", "answer": "…", "must_include": ["汽修行业"]}


def test_the_shipped_sets_parse():
    assert len(parse_gold((ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8"))) == 214


@pytest.mark.parametrize("lines, needle", [
    (['{"question": "a"'], "第 1 行不是 JSON"),
    ([json.dumps(GOOD), "[1, 2]"], "第 2 行应是一个 JSON 对象"),
    ([json.dumps({**GOOD, "answer": ""})], "answer"),
    ([json.dumps({**GOOD, "must_include": "汽修行业"})], "must_include 应是字符串列表"),
    ([json.dumps({**GOOD, "id": None})], "id"),
    ([json.dumps({**GOOD, "question": "问" * 2001})], "问题过长"),
    (["", "  "], "没有题目"),
])
def test_bad_files_get_one_line_naming_the_fault(lines, needle):
    with pytest.raises(GoldFormatError) as info:
        parse_gold("\n".join(lines))
    message = str(info.value)
    assert needle in message and "\n" not in message and "Traceback" not in message


def test_ids_default_to_the_line_and_the_count_is_capped():
    items = parse_gold("\n" + json.dumps({k: v for k, v in GOOD.items() if k != "id"}))
    assert items[0]["id"] == "line-2"
    with pytest.raises(GoldFormatError, match="超过 2 道"):
        parse_gold("\n".join([json.dumps(GOOD)] * 3), max_items=2)
