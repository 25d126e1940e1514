"""actors: which of a document's bodies a question names, and which organisation names it never uses."""
from __future__ import annotations

from assistant.actors import BodyRegistry
from index.bodies import derive_bodies
from index.normalize import normalize

TEXT = normalize(
    "今年以来，中心城市空气质量下降，工作开局不利。要形成多元参与的“大环保格局”。\n"
    "市交通局要强化道路清扫。市直各部门要按照管行业必须管环保的要求履职。市考核办要实行“三色”督办。\n")


def registry() -> BodyRegistry:
    return BodyRegistry(derive_bodies(TEXT), TEXT)


def test_words_the_document_uses_are_not_unknown_bodies():
    r = registry()
    # 中心城市, 开局, 格局 and 督办 hold an organisation suffix, and the text uses them as plain words.
    for question in ("今年中心城市优良天数目标是多少？", "今年大气开局咋样？", "要形成什么样的大环保格局？",
                     "三色督办是什么意思？"):
        assert r.unknown(question) == [], question


def test_organisations_the_document_never_names_are_unknown():
    r = registry()
    assert r.unknown("市水利局要做什么？") == ["市水利局"]
    assert r.unknown("疾控中心要干啥？") == ["疾控中心"]
    assert r.unknown("市财政局要拿多少钱？") == ["市财政局"]


def test_a_collective_is_named_without_its_distributive_ge():
    r = registry()
    assert r.find("市直部门按什么原则管环保？") == ["市直各部门"]
    assert r.find("交通局要做什么？") == ["市交通局"]
