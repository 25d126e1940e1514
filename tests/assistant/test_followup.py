"""followup: what an elliptical question means after the previous one, from the document's bodies."""
from __future__ import annotations

import pytest

from assistant.followup import (is_followup, ordinal, refers_to_body, refers_to_several, resolve, strip_cue,
                                substitute_body)


@pytest.fixture(scope="module")
def registry(assistant):
    return assistant.registry


def test_another_body_takes_the_earlier_ones_place(registry):
    assert resolve("那住建局呢？", "市交通局要做什么？", registry) == "市住建局要做什么？"
    # A body the document never names still replaces the earlier one (so the answer can say so).
    assert "水利局" in resolve("那水利局呢？", "市交通局要做什么？", registry)


def test_a_bare_follow_up_joins_the_earlier_question(registry):
    out = resolve("每月几次？", "机动车路检路查谁负责？", registry)
    assert out == "机动车路检路查谁负责，每月几次？"


def test_a_question_without_a_word_of_the_document_leans_on_the_earlier_one(registry):
    # 多久 and 频次 are nowhere in the document: on its own the question names no topic of it.
    assert resolve("多久查一次？", "机动车路检路查谁负责？", registry) == "机动车路检路查谁负责，多久查一次？"
    assert is_followup("频次有要求吗？", registry)


def test_an_out_of_scope_question_after_one_is_not_merged_into_it(assistant):
    answer = assistant.ask("今天天气怎么样？", history=["市交通局要做什么？"])
    assert not answer.answerable and answer.standalone_question == "今天天气怎么样？"
    follow = assistant.ask("多久查一次？", history=["机动车路检路查谁负责？"])
    assert follow.answerable and "每月不少于" in follow.answer


def test_a_standalone_question_is_left_alone(registry):
    assert not is_followup("市交通局要做什么？", registry)
    assert resolve("优良天数目标是多少？", "市交通局要做什么？", registry) == "优良天数目标是多少？"
    assert resolve("那住建局呢？", None, registry) == "那住建局呢？"


def test_references_to_bodies_and_items(registry):
    assert refers_to_body("这个部门还管什么？", registry) and not refers_to_body("市交通局还管什么？", registry)
    assert refers_to_several("这两个部门有啥共同任务？") and not refers_to_several("市交通局要做什么？")
    assert substitute_body("这两个部门有啥共同任务？", ["市城管局", "市交通局"]) == "市城管局、市交通局有啥共同任务？"
    assert ordinal("第四个具体指什么？") == 4 and ordinal("the last one?") == -1 and ordinal("具体说说") is None
    assert strip_cue("那么考核怎么搞？") == "考核怎么搞？"


def test_a_chats_next_turn_resumes_its_conversation_without_answering_its_history_again(assistant, monkeypatch):
    """Each turn of a web chat sends its earlier questions: the conversation the last turn left is taken up
    (no earlier question is answered again), and the follow-up reads as it does after a replay."""
    from assistant import Assistant

    fresh = Assistant(assistant.index, assistant.settings)   # nothing kept yet
    first = fresh.ask("市交通局要做什么？")
    replayed = Assistant(assistant.index, assistant.settings).ask("那住建局呢？", ["市交通局要做什么？"])
    asked = []
    answer = Assistant._answer
    monkeypatch.setattr(Assistant, "_answer", lambda self, q, *a, **k: asked.append(q) or answer(self, q, *a, **k))
    resumed = fresh.ask("那住建局呢？", ["市交通局要做什么？"])
    assert asked == ["那住建局呢？"] and first.answerable
    assert resumed.standalone_question == replayed.standalone_question and resumed.answer == replayed.answer
    asked.clear()
    fresh.ask("那环保局呢？", ["市交通局要做什么？", "那住建局呢？"])
    assert asked == ["那环保局呢？"]
    asked.clear()
    fresh.ask("那环保局呢？", ["另一个聊天的问题：市交通局要做什么？"])   # a history this server never answered
    assert len(asked) == 2


def test_read_turn_says_how_a_follow_up_is_read_after_its_history(assistant):
    read = assistant.read_turn("那住建局呢？", ["市交通局要做什么？"])
    assert "住建局" in read["standalone_question"] and read["turn"] in ("swap", "merge")
    assert assistant.read_turn("市交通局要做什么？", [])["turn"] == ""
