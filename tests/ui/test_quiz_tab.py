"""The 自测 tab's handlers, in process (the browser test drives the same tab in Chromium)."""
from __future__ import annotations


import pytest




def test_quiz_tab_builds_and_runs_a_session(assistant, bank, tmp_path):
    gr = pytest.importorskip("gradio")
    from ui.quiz_tab import (advance, build_quiz_tab, current, feedback_html, missed_ids, review_html,
                             start_state, submit_answer)

    with gr.Blocks() as demo:
        with gr.Tab("自测"):
            build_quiz_tab(assistant)
    assert len(demo.fns) >= 4

    by_id = {q.id: q for q in bank}
    st = start_state(assistant, n=3, seed=21)
    assert len(st["ids"]) == 3
    first = current(st, by_id)
    st, g = submit_answer(st, assistant, first.answer)
    assert g.correct
    st, again = submit_answer(st, assistant, "x")  # no second grading of the same question
    assert again is None
    st = advance(st, assistant.progress)
    st, g2 = submit_answer(st, assistant, "<script>alert(1)</script>")
    html = feedback_html(current(st, by_id), g2)
    assert "<script>" not in html
    st = advance(advance(st, assistant.progress), assistant.progress)
    assert st["done"]
    review = review_html(st, by_id)
    assert "<script>" not in review and "&lt;script&gt;" in review
    assert missed_ids(st) == [st["ids"][1]]
    retry = start_state(assistant, ids=missed_ids(st), seed=st["seed"])
    assert retry["ids"] == [st["ids"][1]]
    session = next(s for s in assistant.progress.sessions() if s["id"] == st["session"])
    assert session["answered"] == 2 and session["correct"] == 1


def test_an_empty_seed_means_a_new_random_quiz():
    from ui.quiz_tab import parse_seed

    assert parse_seed("12") == 12 and parse_seed(" 7 ") == 7
    seeds = {parse_seed("") for _ in range(5)} | {parse_seed(None) for _ in range(5)}
    assert len(seeds) >= 8                      # not a hidden 0: every empty start draws its own
    assert parse_seed("abc") not in (0, None)


def test_after_a_pick_the_list_marks_the_right_option(bank):
    from assistant.quiz import LETTERS
    from tests.quiz_support import one
    from ui.quiz_tab import choice_labels

    q = one(bank, lambda q: q.answer_type == "choice" and len(q.options) >= 3)
    right = LETTERS[q.options.index(q.answer)]
    wrong = next(LETTERS[i] for i, o in enumerate(q.options) if o != q.answer)
    assert [v for _, v in choice_labels(q)] == list(LETTERS[:len(q.options)])
    assert not any(label.startswith(("✓", "✗")) for label, _ in choice_labels(q))   # unmarked before a pick
    marked = {v: label for label, v in choice_labels(q, picked=wrong)}
    assert marked[right] == f"✓ {right}. {q.answer}（正确答案）"
    assert marked[wrong].startswith(f"✗ {wrong}. ") and marked[wrong].endswith("（你的选择）")
    assert sum(label.startswith(("✓", "✗")) for label in marked.values()) == 2
    # A right pick is marked right, and nothing is marked wrong.
    assert [label[0] for label, _ in choice_labels(q, picked=right) if label[0] in "✓✗"] == ["✓"]
    tf = one(bank, lambda q: q.answer_type == "bool" and q.answer == "错")
    assert dict((v, label) for label, v in choice_labels(tf, picked="对")) == \
        {"对": "✗ 对（你的选择）", "错": "✓ 错（正确答案）"}


def test_a_quoted_passage_opens_its_exact_span_in_the_quiz_viewer(assistant, bank, source):
    import re

    from ui.quiz_tab import VIEWER, feedback_html, review_html

    q = next(q for q in bank if q.kind == "recall" and len(q.items or []) > 1)
    html = feedback_html(q, assistant.grade(q, "不知道"), starts=[0])
    spans = re.findall(r'class="quiz-cite jump" data-start="(\d+)" data-end="(\d+)" data-viewer="([\w-]+)"', html)
    assert spans and all(v == VIEWER for _, _, v in spans)
    from assistant.quiz import citations_of

    assert [(int(a), int(b)) for a, b, _ in spans] == [(c["start"], c["end"]) for c in citations_of(q)]
    assert all(source[int(a):int(b)] == c["quote"] for (a, b, _), c in zip(spans, citations_of(q)))
    assert html.count('<button type="button" class="quiz-open jump"') == len(spans)   # reachable by keyboard
    st = {"ids": [q.id], "results": [{"id": q.id, "response": "x", "correct": False, "score": 0}]}
    assert f'data-viewer="{VIEWER}"' in review_html(st, {q.id: q})


def test_each_browser_gets_its_own_progress(assistant, bank):
    from types import SimpleNamespace

    from ui.identity import COOKIE
    from ui.quiz_tab import progress_for, progress_html, start_state, submit_answer

    def request(bid):
        return SimpleNamespace(username=None, cookies={COOKIE: bid}, session_hash="s")

    a, b = progress_for(assistant, request("a" * 32)), progress_for(assistant, request("b" * 32))
    assert (a.owner, b.owner) == ("browser:" + "a" * 32, "browser:" + "b" * 32)
    st = start_state(assistant, n=1, seed=4, progress=a)
    submit_answer(st, assistant, "不知道", progress=a)
    assert a.summary()["attempts"] == 1 and b.summary()["attempts"] == 0
    assert "累计 1 次自测，1 道题" in progress_html(a)
    assert "还没有答题记录" in progress_html(b)
    login = progress_for(assistant, SimpleNamespace(username="zhang", cookies={COOKIE: "a" * 32}))
    assert login.owner == "user:zhang" and login.summary()["attempts"] == 0   # a login is its own owner


def test_the_progress_chart_scales_to_the_page():
    from ui.quiz_tab import progress_chart_svg

    svg = progress_chart_svg([{"percent": 0.5}, {"percent": 1.0}])
    head = svg[:svg.index(">")]
    assert 'width="100%"' in head and "viewBox=" in head and "height=" not in head.replace("height:auto", "")


def test_a_bad_quiz_size_is_the_default_not_a_traceback(assistant):
    from ui.quiz_tab import start_state

    assert len(start_state(assistant, n="many", seed=1)["ids"]) == 10
    assert len(start_state(assistant, n=10_000, seed=1)["ids"]) <= 50


def test_a_filter_with_too_few_distinct_questions_says_so(assistant):
    from assistant.quiz.overlap import duplicates
    from ui.quiz_tab import shortfall_note, start_state

    st = start_state(assistant, n=10, kind="list", seed=1)
    qs = assistant.quiz(ids=st["ids"], n=0)
    assert 0 < len(st["ids"]) < 10 and duplicates(qs) == []
    assert shortfall_note(st) == (f"<p><small>只选出 {len(st['ids'])} 道互不重复的题（要求 10 道）："
                                  "其余的题会和已选的题考同一件事。</small></p>")
    assert shortfall_note(start_state(assistant, n=5, seed=1)) == ""
