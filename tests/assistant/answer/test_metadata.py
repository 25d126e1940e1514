"""metadata: the masthead fields a question asks for, by the fitted field model; nothing a masthead lacks."""
from __future__ import annotations


def test_only_the_fields_asked_for_with_the_title(assistant):
    answer = assistant.ask("这次讲话是谁讲的？啥时候？")
    assert answer.answerable
    assert "寇全安" in answer.answer and "2021年4月16日" in answer.answer
    assert "第二十期" not in answer.answer and "抄送" not in answer.answer     # not asked
    for c in answer.citations:
        assert c.quote == assistant.source(c.doc or None)[c.start:c.end]


def test_the_issue_number_alone(assistant):
    answer = assistant.ask("这是哪一期的通报？")
    assert "第二十期" in answer.answer and "讲话人" not in answer.answer


def test_without_the_field_model_the_whole_masthead(assistant, monkeypatch):
    monkeypatch.setattr(assistant.composer, "metadata_fields", None)
    answer = assistant.ask("这次讲话是谁讲的？啥时候？")
    assert "寇全安" in answer.answer and "第二十期" in answer.answer


def test_two_fields_asked_in_one_clause_joined_by_a_comma_of_enumeration(assistant):
    answer = assistant.ask("讲话人、讲话时间是？")   # read as one clause, the speaker was left out
    assert "寇全安" in answer.answer and "2021年4月16日" in answer.answer
