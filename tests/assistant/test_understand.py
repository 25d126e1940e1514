"""understand: the fitted answer-type model and the bodies a question names decide what it asks."""
from __future__ import annotations

import pytest

from assistant.understand import analyse, is_english, last_clause, strip_markup, task_hops


@pytest.fixture(scope="module")
def analyse_q(assistant):
    embed = assistant.index.embedder.embed_query_vector

    def run(question: str):
        return analyse(question, embed(question), assistant.registry, assistant.type_model)

    return run


@pytest.mark.parametrize("question, intent", [
    ("市交通局要做什么？", "duty"),
    ("优良天数目标是多少？", "number"),
    ("这是谁在什么时候讲的？", "metadata"),
])
def test_answer_type_from_the_fitted_model(analyse_q, question, intent):
    assert analyse_q(question).intent == intent


def test_bodies_named_are_actors_or_unknown(analyse_q):
    a = analyse_q("市交通局要做什么？")
    assert a.actors == ["市交通局"] and not a.unknown
    b = analyse_q("市水利局要做什么？")
    assert not b.actors and b.unknown       # a body this document never names
    assert b.intent != "duty"


def test_text_helpers():
    assert strip_markup("<b>市交通局</b>要做什么？[x](http://a.b) https://c.d") == "市交通局 要做什么？"
    assert is_english("What must the transport bureau do?") and not is_english("市交通局 do what")
    assert task_hops("谁既管汽修检查又管道路清扫？") == ["管汽修检查", "管道路清扫？"]
    assert task_hops("市交通局要做什么？") == ["市交通局要做什么？"]
    assert last_clause("机动车路检路查谁负责，多久查一次？") == "多久查一次？"


def test_a_list_asked_of_the_body_a_question_opens_with_is_its_tasks(analyse_q):
    assert analyse_q("城管那边分了哪些活？").intent == "duty"
    # Asking *which* bodies spoke is not asking for one body's tasks.
    assert analyse_q("会上哪些县区和部门作了发言？").intent != "duty"


def test_a_figure_read_question_of_a_body_that_asks_no_number_is_its_tasks(analyse_q):
    assert analyse_q("生态环境局今年在大气这块分了哪些活？").intent == "duty"
    assert analyse_q("公安局的路检路查每月搞几次？").intent != "duty"     # a number is asked


def test_the_asks_of_a_question_are_its_clauses_that_ask_for_a_number():
    from assistant.answer.figure import number_asks

    assert number_asks("去年粮食总产量是多少？全国排第几？") == ["去年粮食总产量是多少", "全国排第几"]
    assert number_asks("盘活了多少土地，实现收入多少？") == ["盘活了多少土地", "实现收入多少"]
    assert number_asks("市交通局要做什么？") == []
