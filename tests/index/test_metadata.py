"""Masthead metadata: the real speech plus synthetic documents of other shapes, offsets always exact."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.load import load_document
from index.metadata import Field, Metadata, derive_metadata, doc_date, parse_date
from index.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
SHARED_SPEECH = Path("/work/shared/corpus/ankang-2021-04-16-eco-speech.txt")
SPEECH_PATH = SHARED_SPEECH if SHARED_SPEECH.exists() else ROOT / "index" / "corpus" / SHARED_SPEECH.name
FIELDS = ("title", "speaker", "date", "issuer", "issue", "occasion")


def _check_offsets(text: str, meta: Metadata) -> None:
    for name in FIELDS:
        field = getattr(meta, name)
        if field is not None:
            assert text[field.start:field.end] == field.value, name


def _value(meta: Metadata, name: str) -> str | None:
    field = getattr(meta, name)
    return None if field is None else field.value


@pytest.fixture(scope="module")
def speech() -> str:
    return normalize(load_document(SPEECH_PATH).text)


def test_real_speech_masthead(speech):
    meta = derive_metadata(speech)
    _check_offsets(speech, meta)
    assert _value(meta, "issue") == "第二十期"
    assert _value(meta, "issuer") == "安康市人民政府办公室"
    assert _value(meta, "date") == "2021年4月16日"
    assert _value(meta, "speaker") == "寇全安"
    assert _value(meta, "title") == "寇全安同志在全市生态环境保护工作会议上的讲话"
    assert doc_date(meta) == dt.date(2021, 4, 16)
    # The speaker is found inside the title, and the date is the masthead date, not the bracketed one.
    assert meta.title.start <= meta.speaker.start < meta.speaker.end <= meta.title.end
    assert meta.date.end <= meta.title.start


def test_real_speech_to_dict(speech):
    data = derive_metadata(speech).to_dict()
    assert set(data) == set(FIELDS)
    for name in FIELDS:
        assert set(data[name]) == {"value", "start", "end"}
        assert speech[data[name]["start"]:data[name]["end"]] == data[name]["value"]


WORK_REPORT = """政府工作报告
——2022年1月8日在某县第十八届人民代表大会第二次会议上
县长  王建国
各位代表：
现在，我代表县人民政府，向大会报告工作，请予审议，并请县政协委员和其他列席人员提出意见。过去一年，全县上下攻坚克难，经济社会发展取得新成效。
一、2021年工作回顾
过去一年，我们坚持稳中求进工作总基调，统筹推进疫情防控和经济社会发展，全县地区生产总值增长百分之七，主要指标好于预期。"""

NOTICE = """某市人民政府办公室文件
某政办发〔2022〕5号
某市人民政府办公室关于印发某市2022年春季森林防火工作方案的通知
各县区人民政府，市政府各工作部门、直属机构：
《某市2022年春季森林防火工作方案》已经市政府同意，现印发给你们，请结合实际认真抓好贯彻落实，确保全市森林资源安全。
某市人民政府办公室
2022年3月1日
（此件公开发布）
抄送：市委办公室，市人大常委会办公室，市政协办公室。
某市人民政府办公室 2022年3月2日印发"""

BULLETIN_SPEECH = """工作简报
2021年第3期
某省交通运输厅办公室\u3000\u3000二〇二一年五月六日
在全省农村公路建设推进会上的讲话
（李明华）
同志们：这次会议的主要任务是总结去年以来全省农村公路建设工作，分析当前面临的形势，安排部署下一阶段重点任务，请大家抓好落实。"""

TAIL_ONLY_NOTICE = """关于做好2022年汛期安全防范工作的通知
各乡镇人民政府，县直各部门：
当前已进入主汛期，为切实做好汛期安全防范工作，确保人民群众生命财产安全，经研究，现将有关事项通知如下，请认真贯彻执行。
一、压实防汛责任。各乡镇、各部门要严格落实防汛责任制，主要负责同志要亲自安排部署，确保责任落实到人。
某县防汛抗旱指挥部
二〇二二年五月十日
抄送：县委办公室，县人大常委会办公室，县政协办公室。"""


def test_work_report_without_issue_number():
    meta = derive_metadata(WORK_REPORT)
    _check_offsets(WORK_REPORT, meta)
    assert _value(meta, "title") == "政府工作报告"
    assert _value(meta, "date") == "2022年1月8日"
    assert _value(meta, "speaker") == "王建国"
    assert meta.issue is None
    assert meta.issuer is None
    assert doc_date(meta) == dt.date(2022, 1, 8)


@pytest.mark.parametrize("dateline, speaker, occasion", [
    # The name before its post, straight after the date; the meeting "的" report.
    ("——2025年1月15日张明市长在某市第十六届人民代表大会第三次会议的政府工作报告", "张明", "某市第十六届人民代表大会第三次会议"),
    # The post before the name, then 在.
    ("——2025年1月14日自治区人民政府主席王丽华在某区第十四届人民代表大会第三次会议上的讲话", "王丽华", None),
    ("——2025年1月16日省长 李成在某省第十四届人民代表大会第三次会议上的讲话", "李成", None),
    # A reposted report whose dateline opens with its source label and ends with 作.
    ("来源：某省人民政府2025年1月17日在某省第十四届人民代表大会第三次会议上省长刘建春作政府工作报告。", "刘建春", None),
])
def test_report_datelines_name_their_speaker(dateline, speaker, occasion):
    text = f"2025年某省政府工作报告\n{dateline}\n各位代表：\n现在，我代表省人民政府向大会报告工作，请予审议，并请省政协委员和列席会议的同志提出意见。\n"
    meta = derive_metadata(text)
    _check_offsets(text, meta)
    assert _value(meta, "speaker") == speaker
    assert _value(meta, "date") == "2025年1月" + dateline.split("2025年1月")[1].split("日")[0] + "日"
    if occasion:
        assert _value(meta, "occasion") == occasion


def test_transcribed_name_with_a_middle_dot():
    text = "2025年某区政府工作报告\n2025年1月19日在某区第十四届人民代表大会第三次会议上\n自治区主席 艾力·买买提\n各位代表：\n"
    assert _value(derive_metadata(text), "speaker") == "艾力·买买提"


def test_notice_with_document_number():
    meta = derive_metadata(NOTICE)
    _check_offsets(NOTICE, meta)
    assert _value(meta, "issue") == "某政办发〔2022〕5号"
    assert _value(meta, "issuer") == "某市人民政府办公室"
    assert meta.issuer.start == 0  # from the masthead line "…文件", not from the signature
    assert _value(meta, "title") == "某市人民政府办公室关于印发某市2022年春季森林防火工作方案的通知"
    assert meta.speaker is None
    # The masthead has no date: it is taken from the signature before the distribution block.
    assert _value(meta, "date") == "2022年3月1日"
    assert doc_date(meta) == dt.date(2022, 3, 1)


def test_bulletin_with_chinese_numeral_date_and_bracketed_speaker():
    meta = derive_metadata(BULLETIN_SPEECH)
    _check_offsets(BULLETIN_SPEECH, meta)
    assert _value(meta, "issue") == "2021年第3期"
    assert _value(meta, "issuer") == "某省交通运输厅办公室"
    assert _value(meta, "date") == "二〇二一年五月六日"
    assert _value(meta, "title") == "在全省农村公路建设推进会上的讲话"
    assert _value(meta, "speaker") == "李明华"
    assert doc_date(meta) == dt.date(2021, 5, 6)


def test_issuer_and_date_from_the_end_when_masthead_lacks_them():
    meta = derive_metadata(TAIL_ONLY_NOTICE)
    _check_offsets(TAIL_ONLY_NOTICE, meta)
    assert _value(meta, "title") == "关于做好2022年汛期安全防范工作的通知"
    assert _value(meta, "issuer") == "某县防汛抗旱指挥部"
    assert _value(meta, "date") == "二〇二二年五月十日"
    assert meta.issue is None and meta.speaker is None
    assert doc_date(meta) == dt.date(2022, 5, 10)


def test_no_end_signature_without_distribution_block():
    text = TAIL_ONLY_NOTICE.rsplit("\n", 1)[0]  # drop the 抄送 line
    meta = derive_metadata(text)
    assert meta.issuer is None and meta.date is None


def test_speaker_with_post_before_name_and_title_fallback():
    text = (
        "凝心聚力推动高质量发展迈上新台阶\n"
        "——市委副书记、市长张晓东同志在全市经济工作会议上\n"
        "2023年2月3日\n"
        "这次会议的主要任务是回顾总结去年全市经济工作，分析当前经济形势，安排部署今年经济工作，请大家认真抓好落实。"
    )
    meta = derive_metadata(text)
    _check_offsets(text, meta)
    assert _value(meta, "title") == "凝心聚力推动高质量发展迈上新台阶"  # no document-type noun: first long line
    assert _value(meta, "speaker") == "张晓东"
    assert _value(meta, "date") == "2023年2月3日"


def test_offsets_survive_indented_lines():
    text = "  某县人民政府  \n\t第5期\n  关于加强安全生产工作的意见\n" + "为进一步加强安全生产工作，切实保障人民群众生命财产安全，现提出如下意见，请各单位认真贯彻落实。"
    meta = derive_metadata(text)
    _check_offsets(text, meta)
    assert (_value(meta, "issuer"), _value(meta, "issue"), _value(meta, "title")) == (
        "某县人民政府", "第5期", "关于加强安全生产工作的意见",
    )


@pytest.mark.parametrize("text", ["", "\n\n", "只有一行正文，没有报头。"])
def test_nothing_to_find(text):
    meta = derive_metadata(text)
    assert meta.issuer is None and meta.date is None and meta.issue is None and meta.speaker is None
    assert doc_date(meta) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021年4月16日", dt.date(2021, 4, 16)),
        ("二〇二一年四月十六日", dt.date(2021, 4, 16)),
        ("二〇二二年十二月三十一日", dt.date(2022, 12, 31)),
        ("二○二○年十月二十日", dt.date(2020, 10, 20)),
        ("2021 年 2 月 30 日", None),
        ("not a date", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_doc_date_of_field():
    meta = Metadata(date=Field("2020年1月2日", 0, 10))
    assert doc_date(meta) == dt.date(2020, 1, 2)
    assert meta.to_dict()["date"] == {"value": "2020年1月2日", "start": 0, "end": 10}
    assert meta.to_dict()["title"] is None


def test_metadata_code_has_no_document_specific_words():
    source = (ROOT / "index" / "metadata.py").read_text(encoding="utf-8")
    for word in ("安康", "安政", "寇全安", "生态", "环境保护", "第二十期", "2021"):
        assert word not in source, word
