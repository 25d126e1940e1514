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
