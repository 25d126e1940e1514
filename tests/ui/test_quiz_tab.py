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
