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


# A speech-like document and a report-like one, as a library holds them side by side.
SPEECH = normalize("在水污染防治方面，各县区政府要开展断面排查，确保12个国控断面水质稳定达标。市交通局要强化道路清扫。\n")
REPORT = "福建是经济大省，有坚实的实体经济，有多区叠加的政策优势。各地区各部门要抓好落实。\n"


def _library() -> BodyRegistry:
    return BodyRegistry(derive_bodies(SPEECH + REPORT), SPEECH + REPORT)


def test_a_short_form_inside_two_words_of_the_question_names_no_body():
    r = _library()
    # The report's "有多区" reads as a district whose short form is 有多; "各有多少" only contains it.
    assert r.find("全市国控断面各有多少个？") == []
    assert r.find("有多区叠加的政策优势指什么？") == ["有多区"]


def test_inside_one_document_a_question_names_only_that_documents_bodies():
    from assistant.scope import Scope, scoped

    r = _library()
    speech, report = Scope(("speech",), ((0, len(SPEECH)),)), Scope(("report",), ((len(SPEECH), len(SPEECH + REPORT)),))
    assert r.find("各地区各部门和交通局要做什么？") == ["各地区各部门", "市交通局"]
    with scoped(speech):
        assert r.find("各地区各部门和交通局要做什么？") == ["市交通局"]
    with scoped(report):
        assert r.find("各地区各部门和交通局要做什么？") == ["各地区各部门"]


def test_english_glosses_name_a_body_only_where_the_question_speaks_of_one(assistant):
    with assistant.own_tokenizer():
        find = assistant.registry.find
        # "checks" glosses 考核, yet no body is spoken of: 市考核办 is not named.
        assert find("How often must roadside vehicle emission checks be carried out?") == []
        assert find("What must the assessment office do?") == ["市考核办"]
        assert find("What national honors did Langao and Pingli counties receive?") == ["岚皋县", "平利县"]
