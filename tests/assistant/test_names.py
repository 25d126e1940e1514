"""Common names and the document's own place: a question is read in the words the loaded document writes."""
from assistant.names import CommonNames
from assistant.places import absent_places, drop_own, own_places

REPORT = "今年主要预期目标是：地区生产总值增长5%左右，居民消费价格涨幅2%左右。天津港集装箱吞吐量2329万标准箱。"


def test_an_abbreviation_the_document_never_writes_is_read_as_its_full_name():
    names = CommonNames(REPORT)
    assert names("今年GDP增速目标定的多少？") == "今年地区生产总值增长目标定的多少？"
    assert names("CPI涨幅控制在多少？") == "居民消费价格涨幅控制在多少？"
    assert names("What is the gdp target?") == "What is the 地区生产总值 target?"


def test_a_latin_abbreviation_is_read_as_the_official_name_the_document_also_writes():
    # The document writes GDP only in a ratio; its totals are told as 地区生产总值.
    both = "财政性教育经费投入占GDP比重超过5%。全年实现地区生产总值5503亿元。"
    assert CommonNames(both)("去年GDP总量是多少") == "去年地区生产总值总量是多少"
    # A Chinese name the document writes stays, even when the group has another official name.
    assert CommonNames("粮食总产量1600亿斤。粮食产量目标1600亿斤以上。")("粮食产量目标多少？") == "粮食产量目标多少？"


def test_a_name_the_document_writes_and_longer_latin_words_stay_as_asked():
    assert CommonNames("国内GDP增长5%")("GDP增长多少？") == "GDP增长多少？"
    assert CommonNames(REPORT)("GDPR是什么？") == "GDPR是什么？"
    assert CommonNames("没有相关词")("GDP增长多少？") == "GDP增长多少？"


def test_the_documents_own_place_comes_from_its_title_or_issuer():
    assert own_places(["2025年四川省政府工作报告"]) == {"四川省", "四川"}
    assert own_places(["安康市人民政府办公室"]) == {"安康市", "安康"}
    assert own_places(["寇全安同志在全市生态环境保护工作会议上的讲话"]) == set()


def test_the_own_place_is_dropped_only_as_a_whole_word():
    def cut(text):
        return {"去年天津GDP增长多少？": ["去年", "天津", "GDP", "增长", "多少", "？"],
                "天津港吞吐量多少？": ["天津港", "吞吐量", "多少", "？"]}[text]

    own = frozenset({"天津市", "天津"})
    assert drop_own("去年天津GDP增长多少？", own, cut) == "去年GDP增长多少？"
    assert drop_own("天津港吞吐量多少？", own, cut) == "天津港吞吐量多少？"


def test_the_own_place_goes_before_the_name_is_read_in_the_documents_words():
    from index.tokens import cut_words

    names = CommonNames(REPORT, own=frozenset({"北京"}), cut=cut_words)
    # Read first, "北京地区生产总值" would be cut with 北京地区 as one word, and the place would stay.
    assert names("今年北京GDP增速目标定的多少？") == "今年地区生产总值增长目标定的多少？"


def test_a_place_the_document_never_writes_is_found():
    assert absent_places("浙江今年地区生产总值增长目标是多少？", REPORT.lower()) == ["浙江"]
    assert absent_places("天津港今年吞吐量多少？", REPORT.lower()) == []


def test_a_quotation_keeps_the_own_place_it_quotes():
    # "This province is the one that builds one car in four": the quotation is the document's own words.
    question = "报告里“全国每出口几辆汽车就有1辆天津造”，天津原话是几辆？"
    words = ["报告", "里", "“", "全国", "每", "出口", "几辆", "汽车", "就", "有", "1", "辆", "天津", "造", "”", "，",
             "天津", "原话", "是", "几辆", "？"]
    out = drop_own(question, frozenset({"天津市", "天津"}), lambda text: words)
    assert out == "报告里“全国每出口几辆汽车就有1辆天津造”，原话是几辆？"


def test_the_own_place_is_dropped_in_english_too_but_not_from_a_quotation():
    own = frozenset({"天津市", "天津"})
    cut = str.split
    assert drop_own("What is Tianjin's GDP growth target?", own, cut) == "What is GDP growth target?"
    assert drop_own('What does "Tianjin Daily" report?', own, cut) == 'What does "Tianjin Daily" report?'
    assert drop_own("Tianjin?", own, cut) == "Tianjin?"


WARM = r"""
import sys
import jieba
from assistant import Assistant
a = Assistant.open()
before = "jieba.posseg" in sys.modules or jieba.dt.initialized
a.warm("今年优良天数目标是多少天？")
print(before, bool(sys.modules["jieba.posseg"].dt.word_tag_tab), jieba.dt.initialized)
"""


def test_a_warmed_assistant_has_the_place_tagger_loaded(home, assistant):
    """A server warms up before it serves: the tagger a place question needs is loaded then, not on the first
    visitor's question (it takes a second or more to load)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    out = subprocess.run([sys.executable, "-c", WARM], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parents[2], env=os.environ | {"ASSISTANT_HOME": str(home)})
    assert out.returncode == 0, out.stderr[-1500:]
    assert out.stdout.split() == ["False", "True", "True"]


def test_a_place_with_its_unit_is_named_and_a_gdp_question_names_none(monkeypatch):
    from assistant import places

    assert places.named_places("商洛市优良天数是多少天？") == ["商洛市"]
    assert places.named_places("汉中市和商洛市谁的优良天数多？") == ["汉中市", "商洛市"]

    def no_tagger(question):
        raise AssertionError(f"the tagger was asked about {question!r}")

    # 地区 ends like a unit but names no place: the tagger (a second to load) is not asked.
    monkeypatch.setattr(places, "tagged", no_tagger)
    assert places.named_places("今年地区生产总值增长目标是多少？") == []
    assert places.named_places("全市优良天数目标是多少？") == []
