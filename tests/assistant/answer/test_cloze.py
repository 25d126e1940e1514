"""answer.cloze: a quotation of the document with a number left blank is answered with the number the document
writes there, cited where it stands; a quotation the document does not hold is not answered this way."""
from __future__ import annotations

from assistant.answer.cloze import cloze_pattern


def test_a_blank_matches_the_number_written_there_spaces_and_all():
    pattern = cloze_pattern("优良天数全年不少于多少天")
    found = pattern.search("确保实现中心城市空气质量优良天数全年不少于325 天的目标")
    assert found and found.group(1) == "325"
    assert cloze_pattern("全年不少于几个百分点").search("全年不少于三个百分点").group(1) == "三"


def test_a_quotation_without_a_blank_or_with_too_few_words_of_its_own_is_no_cloze():
    assert cloze_pattern("优良天数全年不少于325天") is None
    assert cloze_pattern("多少天") is None


def test_the_number_a_quoted_sentence_leaves_blank_is_answered_and_cited_where_it_stands(assistant, source):
    out = assistant.ask("讲话里那句“中心城市空气质量优良天数全年不少于多少天”，原话是多少？").to_dict()
    assert out["answerable"] and "**325**" in out["answer"]
    cited = out["citations"][0]
    assert "325" in cited["quote"] and source[cited["start"]:cited["end"]] == cited["quote"]


def test_a_quotation_the_document_does_not_hold_gets_no_filled_in_number(assistant):
    out = assistant.ask("讲话里那句“全市新建污水处理厂多少座”，原话是几座？").to_dict()
    assert "原文：“" not in out["answer"]
