"""The facts layer: the duty map against a hand-checked table, and the figures table."""
import pytest

from index.documents import Corpus

CORPUS = Corpus.load()
TEXT = CORPUS.text
DOC = CORPUS.doc
DUTIES = CORPUS.duties
FIGURES = CORPUS.figures

# Hand-checked from the speech: actor → one key phrase per duty it is given (directly or shared).
EXPECTED = {
    "市交通局": ["强化道路清扫保洁", "汽修行业开展一次全面检查"],
    "市住建局": ["6个100%"],
    "市城管局": ["强化道路清扫保洁", "餐饮油烟达标排放", "渣土车运输监管"],
    "市生态环境局": ["全域禁烧", "工业企业挥发性有机物治理", "机动车路检路查", "一市一策"],
    "市公安局": ["机动车路检路查"],
    "市农业农村局": ["秸秆综合利用率"],
    "市治霾办": ["挥发性有机物治理方案", "大气监测微站"],
    "市硫铁办": ["与省上专班对接"],
    "市整改办": ["111个问题", "尚未完成整改的3个"],
    "白河县": ["12个硫铁矿点"],
    "各县区政府": ["全域禁烧", "餐饮油烟达标排放"],
    "市生态环保委员会办公室": ["指挥棒", "扣分机制"],
    "各县区“一把手”": ["第一责任人"],
    "市直各部门": ["管行业必须管环保"],
    "各级环保部门领导班子": ["五个一流", "腐蚀"],
    "各级各部门主管、分管生态环保的领导干部": ["两个责任"],
    "各县区": ["对标对表", "有主矿山", "汉丹江流域", "严格按照方案要求"],
}


def duties_of(actor):
    return [d for d in DUTIES if actor in d.actors]


@pytest.mark.parametrize("actor,keys", EXPECTED.items())
def test_duties_per_actor_match_the_hand_checked_table(actor, keys):
    got = duties_of(actor)
    assert len(got) == len(keys), [d.task for d in got]
    for key in keys:
        assert any(key in d.task for d in got), key


def test_coordinated_subjects_give_the_task_to_each_actor():
    shared = [d for d in DUTIES if d.task.startswith("市城管局、市交通局要强化道路清扫保洁")]
    assert len(shared) == 1 and shared[0].actors == ["市城管局", "市交通局"]
    assert shared[0].topic == "在扬尘管控方面"


def test_no_duty_for_bodies_that_only_speak_or_are_coordinated():
    assert not duties_of("市考核办")
    # "汉滨区…和市住建局、市交通局作了工作发言" is a report, not a task.
    assert not any("作了工作发言" in d.task for d in DUTIES)


def test_duty_spans_are_verbatim():
    for d in DUTIES:
        assert TEXT[d.start:d.end] == d.task
        assert d.actors


def test_figures():
    by_text = {}
    for f in FIGURES:
        by_text.setdefault(f.text, []).append(f)
        assert TEXT[f.start:f.end] == f.text
        assert f.measure in f.sentence and TEXT[f.sentence_start:f.sentence_end] == f.sentence
    assert by_text["325天"][0].kind == "target" and "优良天数" in by_text["325天"][0].measure
    assert by_text["10.2天"][0].kind == "result"
    assert by_text["95%"][0].kind == "result"
    assert by_text["10.8%"][0].kind == "status"
    assert by_text["3.6微克/立方米"][0].kind == "result"
    assert {f.kind for f in by_text["12个"]} >= {"target"}
    assert by_text["2次"][0].kind == "target" and by_text["2天"][0].kind == "target"
    # The speech's own date is masthead metadata, not a figure of its body.
    assert CORPUS.documents[0].metadata["date"]["value"] == "2021年4月16日"
    assert all(f.section not in ("标题", "主送抄送") for f in FIGURES)
    # Notation and hotlines are not figures.
    assert "2.5" not in by_text and "12345" not in by_text


@pytest.mark.parametrize("question, unit", [("智能化煤矿达到多少座？", "座"), ("城镇新增就业多少万人？", "人"),
                                            ("粮食产量多少亿斤", "斤"), ("去年GDP多少？", ""), ("高了几个百分点？", "个百分点"),
                                            ("进驻的是第几轮第几批？", "")])
def test_the_unit_a_question_asks_in_without_its_scale(question, unit):
    from index.facts import asked_unit

    assert asked_unit(question) == unit


def test_every_unit_a_question_asks_in():
    from index.facts import asked_units

    assert asked_units("路检路查一个月搞几次，每次几天？") == {"次", "天"}
    assert asked_units("去年GDP总量是多少？") == set()
    assert asked_units("新建了多少条线路？那换乘比例要提到多少？") == set()


def test_qualifiers_a_question_asks_with_leave_out_verbs_of_change():
    from index.facts import asked_qualifiers

    assert asked_qualifiers("高标准农田累计建成多少亩？") == ["累计"]
    assert asked_qualifiers("智能化煤矿达到多少座？") == []
