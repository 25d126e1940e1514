"""The document tree: parts, sections, sentence spans."""
from index.chunk import MAX_PASSAGE_CHARS, chunk
from index.normalize import canonical_text
from index.segment import segment, split_sentences

TEXT = canonical_text()
DOC = segment(TEXT)


def test_four_parts():
    assert [p[:2] for p in DOC.parts] == ["一、", "二、", "三、", "四、"]


def test_sentence_spans_point_into_the_text():
    for sent in DOC.sentences:
        assert TEXT[sent.start:sent.end] == sent.text
    for para in DOC.paragraphs:
        assert TEXT[para.start:para.end] == para.text


def test_section_paths():
    sections = {p.section for p in DOC.paragraphs}
    assert "三、任务艰巨… › 四是要巩固提升… › 在扬尘管控方面" in sections
    assert "二、形势清晰… › 第二，要直面问题" in sections
    assert "四、责任重大… › 三要严格考核问责" in sections
    inline = [s for s in DOC.sentences if s.text.startswith("工地扬尘、烟花爆竹燃放")][0]
    assert inline.path[-1] == "三是污染治理还不力"


def test_sentences_end_at_marks_and_keep_closing_quotes():
    spans = split_sentences("他说：“好。”然后走了；再见！")
    assert spans == [(0, 7), (7, 12), (12, 15)]  # 他说：“好。” keeps its closing quote
    assert any(s.text.endswith("。”") or s.text.endswith("”。") for s in DOC.sentences)


def test_passages_are_bounded_and_exact():
    passages = chunk(DOC)
    for p in passages:
        assert TEXT[p.start:p.end] == p.text
        assert len(p.text) <= MAX_PASSAGE_CHARS or len(p.sentence_ids) == 1
    assert len({p.id for p in passages}) == len(passages)


REPORT_LAYOUT = """2025年某省政府工作报告
某省人民政府省长 张三
各位代表：
现在，我代表省人民政府向大会报告工作，请予审议。
2024年工作回顾
过去一年，全省经济运行稳中有进。
（一）巩固增强经济回升向好态势。全年地区生产总值增长5.7%。
工业增加值增长8%。
（二）大力推动科技创新
新增高新技术企业3000家。
2025年工作安排
一是聚焦扩大内需
社会消费品零售总额增长6%左右。
三、持续提升政府
治理效能和服务水平
各级政府要严于律己。
名词解释
1.六大优势产业：指电子信息、装备制造等六个产业。
"""


def test_report_headings_without_numerals_and_held_sections():
    doc = segment(REPORT_LAYOUT)
    by_text = {p.text: p for p in doc.paragraphs}
    assert by_text["2024年工作回顾"].kind == "heading"
    # A "（一）" section holds over the paragraphs after it, until the next section or part.
    assert by_text["工业增加值增长8%。"].path == ["2024年工作回顾", "（一）巩固增强经济回升向好态势"]
    assert by_text["新增高新技术企业3000家。"].path == ["2024年工作回顾", "（二）大力推动科技创新"]
    assert by_text["社会消费品零售总额增长6%左右。"].path == ["2025年工作安排", "一是聚焦扩大内需"]
    # A line right after a heading is that heading wrapped onto a second line, not a new part.
    assert by_text["各级政府要严于律己。"].path == ["三、持续提升政府"]
    assert by_text["1.六大优势产业：指电子信息、装备制造等六个产业。"].path == ["名词解释"]
    for sent in doc.sentences:
        assert REPORT_LAYOUT[sent.start:sent.end] == sent.text
