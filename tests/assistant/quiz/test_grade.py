"""Grading: numbers in any form, names by any alias, letters, true/false words, lists with partial credit."""
from __future__ import annotations


import pytest

from assistant.quiz import make_quiz, parse_bool
from tests.quiz_support import one



def test_number_grading(bank, grade):
    q = one(bank, lambda q: q.kind == "cloze" and q.answer == "325")
    assert "不少于___天" in q.prompt
    for right in ("325", "325天", "三百二十五天", "三百二十五", " 325 ", "不少于325天"):
        g = grade(q, right)
        assert g.correct and g.score == 1.0, right
    for wrong in ("326", "三百", "325或326", "", "不知道"):
        g = grade(q, wrong)
        assert not g.correct and g.score == 0.0, wrong
    g = grade(q, "326")
    assert g.expected == "325"
    assert "325" in g.feedback and q.citation["quote"] in g.feedback  # right answer + passage
    assert g.citation == q.citation
    decimal = one(bank, lambda q: q.kind == "cloze" and q.answer == "10.2")
    assert grade(decimal, "十点二天").correct and grade(decimal, "10.2").correct
    assert not grade(decimal, "10").correct


def test_actor_answers_accept_aliases(bank, grade):
    q = one(bank, lambda q: q.kind == "reverse" and q.answer == "市交通局")
    for right in ("交通局", "市交通局", "市交通运输局", "交通运输部门", "transport bureau"):
        assert grade(q, right).correct, right
    for wrong in ("城管局", "市公安局", ""):
        assert not grade(q, wrong).correct, wrong
    two = one(bank, lambda q: q.kind == "reverse" and q.answer == "市城管局、市交通局")
    assert grade(two, "城管局、交通局").correct
    assert grade(two, "城市管理局和交通运输局").correct
    half = grade(two, "城管局")
    assert not half.correct and half.score == pytest.approx(0.5)
    extra = grade(two, "市城管局、市交通局、市住建局")
    assert not extra.correct and 0 < extra.score < 1


def test_multiple_choice_by_letter_text_or_alias(bank, grade):
    q = one(bank, lambda q: q.kind == "who" and q.answer == "市住建局")
    letter = "ABCDEFGH"[q.options.index(q.answer)]
    wrong_letter = next(c for c in "ABCD"[:len(q.options)] if c != letter)
    for right in (letter, letter.lower(), f"{letter}.", f"选{letter}", q.answer, "住建局"):
        assert grade(q, right).correct, right
    assert not grade(q, wrong_letter).correct
    assert grade(q, letter).expected == f"{letter}. 市住建局"
    part = one(bank, lambda q: q.kind == "structure" and q.id.endswith("-part") and q.answer.startswith("三、"))
    for right in ("C", "第三部分", "三", "3", part.answer):
        assert grade(part, right).correct, right
    assert not grade(part, "第二部分").correct


def test_true_false_tokens(bank, grade):
    false_q = one(bank, lambda q: q.kind == "true_false" and q.answer == "错")
    true_q = one(bank, lambda q: q.kind == "true_false" and q.answer == "对")
    for no in ("错", "否", "F", "false", "×", "不对", "错误", "x"):
        assert grade(false_q, no).correct and not grade(true_q, no).correct, no
    for yes in ("对", "是", "T", "true", "√", "正确"):
        assert grade(true_q, yes).correct and not grade(false_q, yes).correct, yes
    assert parse_bool("嗯") is None
    assert not grade(true_q, "嗯").correct


def test_list_partial_credit_and_near_answers(bank, grade):
    q = one(bank, lambda q: q.kind == "list" and "还不" in q.prompt)
    assert grade(q, "思想认识还不高、工作成效还不稳、污染治理还不力、执法监管还不严").correct
    assert grade(q, "认识不高，成效不稳，治理不力，监管不严").correct  # near wording
    half = grade(q, "一是思想认识还不高；二是执法监管还不严")
    assert not half.correct and half.score == pytest.approx(0.5)
    assert [d["matched"] for d in half.details] == [True, False, False, True]
    assert "✗工作成效还不稳" in half.feedback
    assert grade(q, "不知道").score == 0
    topics = one(bank, lambda q: q.kind == "list" and "五个方面" in q.prompt)
    assert grade(topics, "扬尘管控、秸秆禁烧、挥发性有机物治理、餐饮油烟治理、机动车污染治理").correct
    assert grade(topics, "扬尘 秸秆禁烧").score == pytest.approx(0.4)
    assert grade(topics, "治理").score == 0  # a word shared by several items identifies none
    recall = one(bank, lambda q: q.kind == "recall" and "市交通局做" in q.prompt)
    assert grade(recall, "强化道路清扫保洁；对汽修行业全面检查").correct
    assert grade(recall, "道路清扫保洁").score == pytest.approx(0.5)
    names = one(bank, lambda q: q.kind == "recall" and q.prompt.startswith("在扬尘管控方面"))
    assert grade(names, "住建局、城管局、交通局").correct
    assert grade(names, "住建局").score == pytest.approx(1 / 3, abs=0.01)


def test_feedback_always_shows_answer_and_passage(bank, grade):
    for q in make_quiz(bank, n=40, seed=5):
        for response in ("", "不知道", q.answer):
            g = grade(q, response)
            assert g.expected in g.feedback
            assert q.citation["quote"] in g.feedback
            assert 0.0 <= g.score <= 1.0
        assert grade(q, q.answer).correct, q.id  # the canonical answer always passes
