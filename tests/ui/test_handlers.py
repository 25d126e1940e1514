"""The chat handler sends only the turn being answered, whatever the length of the conversation."""
from __future__ import annotations

from ui.handlers import Handlers


def _ask(handlers, question, turns):
    outputs = list(handlers.chat(question, turns))
    return outputs, outputs[-1][1]


def test_each_update_carries_only_the_new_turn(assistant):
    handlers = Handlers(assistant)
    turns: list[dict] = []
    earlier = ["市交通局要做什么？", "优良天数目标是多少？", "讲话分成哪几部分？", "那住建局呢？", "今天天气怎么样"]
    for q in earlier:
        _, turns = _ask(handlers, q, turns)
    outputs, turns = _ask(handlers, "谁负责秸秆禁烧？", turns)
    assert len(turns) == 6 and turns[-1]["answer"]["citations"]
    for markup in (o[0] for o in outputs):
        assert 'data-turn="5"' in markup
        assert not any(f'data-turn="{i}"' in markup for i in range(5))
        assert not any(q.rstrip("？") in markup for q in earlier)
    final = outputs[-1][0]
    assert 'class="cite-set" data-turn="5"' in final            # the settled citations come with it
    assert 'class="cite-set"' not in outputs[0][0]               # not while the answer is pending


def test_an_error_turn_is_sent_alone_and_kept_in_state(assistant):
    handlers = Handlers(assistant)
    _, turns = _ask(handlers, "市交通局要做什么？", [])
    outputs, turns = _ask(handlers, "\u200b\u200b", turns)
    assert len(turns) == 2 and turns[-1]["error"].startswith("问题为空")  # a question of invisible characters only
    assert 'data-turn="1"' in outputs[-1][0] and 'role="alert"' in outputs[-1][0]
    assert "市交通局" not in outputs[-1][0]


def test_clear_starts_a_new_epoch_each_time(assistant):
    handlers = Handlers(assistant)
    first, second = handlers.clear(), handlers.clear()
    assert first[0] != second[0] and first[1] != second[1]      # so the page redraws an appended log
    assert first[2] == "" and first[3] == []
