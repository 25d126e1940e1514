"""Answers on a real work report loaded alone: what the report's own shape (headings, units, bodies named
without a "X要…" task) means for the answer a staff member gets."""
from __future__ import annotations

import pytest

from eval.reports import CORPUS_DIRS, assistant_for

BEIJING = "2025年北京市政府工作报告.txt"
pytestmark = pytest.mark.skipif(not (CORPUS_DIRS[0] / BEIJING).is_file(), reason="shared corpus absent")


@pytest.fixture(scope="module")
def beijing(report_homes):
    return assistant_for(BEIJING, report_homes)


@pytest.mark.parametrize("question, named", [("市属国企在副中心有什么任务？", "副中心"),
                                             ("各级政府工作人员要做到什么？", "政府")])
def test_a_body_the_report_names_without_a_task_sentence_gets_the_sentences_that_name_it(beijing, question, named):
    answer = beijing.ask(question)
    assert answer.answerable and "布置具体任务" not in answer.answer
    assert any(named in c.quote for c in answer.citations)
    assert all(beijing.source(c.doc)[c.start:c.end] == c.quote for c in answer.citations)


def test_an_amount_asked_in_a_unit_the_report_never_gives_it_in_is_refused(beijing):
    # The report gives last year's growth rate, never the total in 亿元.
    answer = beijing.ask("北京去年经济总量达到了多少亿元？")
    assert not answer.answerable and "亿元" not in answer.answer


def test_targets_under_the_plan_heading_are_read_as_targets(beijing):
    answer = beijing.ask("北京今年的GDP预期增长多少？")
    assert answer.answerable and "5%左右" in answer.answer


def test_a_question_with_two_asks_gets_both_figures_of_the_sentence(beijing):
    answer = beijing.ask("北京去年地区生产总值增长了多少？一般公共预算收入增长多少？")
    assert answer.answerable
    lead = answer.answer.split("\n")[0]   # the figures shown, before the quoted sentence
    assert "5.2%" in lead and "3.1%" in lead

