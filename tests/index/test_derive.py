"""Index-time derivation on a small document of another kind (a county notice): bodies from generic name
shapes, enumerations with their items, passages that are exact spans, and tokens for BM25."""
from __future__ import annotations

from index.bodies import derive_bodies
from index.chunk import chunk
from index.enumerations import derive_enumerations
from index.normalize import normalize
from index.segment import segment
from index.tokens import content_terms, tokenize

NOTICE = normalize(
    "某县人民政府办公室\n关于做好春季河道保洁工作的通知\n"
    "一、总体要求\n"
    "各乡镇要高度重视河道保洁工作。县水利局要牵头制定保洁方案，每月开展不少于2次巡查。\n"
    "二、工作措施\n"
    "一是加强巡查。县生态环境分局要加强对入河排污口的执法检查。二是落实经费。县财政局要保障保洁经费。"
    "三是强化考核。县考核办要把河道保洁纳入年度考核。\n")


def test_bodies_come_from_name_shapes_not_a_list():
    names = {b.name for b in derive_bodies(NOTICE)}
    assert {"县水利局", "县财政局", "县考核办"} <= names
    short = {f for b in derive_bodies(NOTICE) if b.name == "县水利局" for f in b.forms}
    assert "水利局" in short


def test_a_prefix_that_ends_a_common_word_starts_no_body():
    # A 社区卫生服务中心 is a community clinic and a 地区区域中心 a regional centre: no 区… body. After a pronoun
    # (我市) the prefix still starts the name.
    text = normalize("完善社区卫生服务中心布局，建设交界地区区域中心城市。我市卫生健康委要加强指导。\n")
    names = {b.name for b in derive_bodies(text)}
    assert "市卫生健康委" in names
    assert not {"区卫生服务中心", "区区域中心"} & names


def test_enumerations_have_their_items():
    doc = segment(NOTICE)
    groups = derive_enumerations(doc)
    parts = next(g for g in groups if g.label == "parts")
    assert [NOTICE[s:e] for s, e, _ in parts.items] == ["一、总体要求", "二、工作措施"]
    inline = [g for g in groups if len(g.items) == 3]
    assert inline, [g.label for g in groups]
    assert [NOTICE[s:e][:4] for s, e, _ in inline[0].items] == ["一是加强", "二是落实", "三是强化"]


def test_passages_are_exact_spans_within_the_limit():
    doc = segment(NOTICE)
    passages = chunk(doc, limit=40)
    assert passages and all(NOTICE[p.start:p.end] == p.text for p in passages)
    assert all(len(p.text) <= 40 or "。" not in p.text[:-1] for p in passages)


def test_tokens_drop_function_words():
    tokens = tokenize("县水利局要牵头制定保洁方案")
    assert "保洁" in tokens and "方案" in tokens
    assert "要" not in content_terms("县水利局要牵头制定保洁方案")


def test_an_index_opened_later_does_not_change_how_an_earlier_one_reads(assistant, settings, tmp_path):
    """Each assistant tokenizes with its own index's dictionary, whatever else the process opened since."""
    from assistant import Assistant

    before = assistant.ask("市交通局要做什么？")
    other = tmp_path / "other.txt"
    other.write_text("关于加强校园安全工作的通知\n市教育局要加强校园安全检查，每学期不少于两次。\n", encoding="utf-8")
    second = Assistant.open(settings.with_(home=tmp_path / "home", corpus=(str(other),)))
    notice = second.ask("市教育局要做什么？")           # a one-sentence body is body text, and a 通知 is
    assert notice.answerable and notice.answer.startswith("通知对市教育局提出1项要求")  # called a 通知
    assert second.ask("市交通局要做什么？").answer.startswith("通知中没有提到市交通局")
    after = assistant.ask("市交通局要做什么？")
    assert after.answer == before.answer and [c.start for c in after.citations] == [c.start for c in before.citations]
