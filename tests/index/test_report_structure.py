"""What a work report's structure says about its figures and its masthead, derived from the text alone."""
from index.documents import Corpus
from index.metadata import derive_metadata

REPORT = """2025年某某省政府工作报告
2025年1月20日在某某省第十四届人民代表大会第三次会议上某某省省长张三同志作政府工作报告。
各位代表：
一、2024年工作回顾
过去一年，全省地区生产总值增长5.2%，城镇新增就业62.2万人，粮食产量726.8亿斤。
二、2025年工作安排
今年主要预期目标是：地区生产总值增长5%左右，城镇新增就业60万人以上，居民消费价格涨幅2%左右。
扎实推进农业生产，粮食产量稳定在725亿斤以上，新增光伏装机2000万千瓦。
推动钢铁、有色、化工、建材4个重点行业绿色化改造。
"""


def _kinds():
    corpus = Corpus.from_texts([("r", "r.txt", "r.txt", REPORT, "0" * 64, {})])
    return {f.text: f.kind for f in corpus.figures}


def test_figures_under_the_documents_own_year_are_targets_and_last_years_are_results():
    kinds = _kinds()
    assert kinds["5.2%"] != "target" and kinds["62.2万人"] != "target" and kinds["726.8亿斤"] != "target"
    assert kinds["5%"] == "target" and kinds["60万人"] == "target" and kinds["725亿斤"] == "target"
    assert kinds["2000万千瓦"] == "target"


def test_a_dateline_gives_speaker_date_and_meeting():
    meta = derive_metadata(REPORT).to_dict()
    assert meta["speaker"]["value"] == "张三"
    assert meta["date"]["value"] == "2025年1月20日"
    assert meta["occasion"]["value"] == "某某省第十四届人民代表大会第三次会议"
    for field in ("speaker", "date", "occasion"):
        assert REPORT[meta[field]["start"]:meta[field]["end"]] == meta[field]["value"]


def test_a_speech_title_names_its_meeting():
    meta = derive_metadata("寇全安同志在全市生态环境保护工作会议上的讲话\n（2021年4月16日）\n同志们：").to_dict()
    assert meta["occasion"]["value"] == "全市生态环境保护工作会议"
