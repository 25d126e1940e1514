"""The trainee self-quiz: generation from the facts layer, citations, grading, progress, CLI and UI tab.

Uses the real Assistant from tests/conftest.py (built once per session in a temporary data dir).
"""
from __future__ import annotations

import json
import re

import pytest

from assistant.quiz import (KINDS, Progress, Question, actors_in, generate, grade, make_quiz, parse_bool,
                            parse_numbers, to_chinese)

SURFACE: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _surface(assistant):
    SURFACE.update({b.name: b.surface_forms for b in assistant.registry.bodies})


@pytest.fixture(scope="module")
def bank(assistant):
    return generate(assistant)


@pytest.fixture(scope="module")
def by_id(bank):
    return {q.id: q for q in bank}


def _one(bank, pred):
    found = [q for q in bank if pred(q)]
    assert found, "no question matches"
    return found[0]


def _named(actor: str, text: str) -> bool:
    return any(f in text for f in SURFACE[actor])


# ---- generation ---------------------------------------------------------------------------------------
def test_bank_is_large_distinct_and_covers_every_kind_and_level(bank):
    assert len(bank) >= 80
    assert len({q.id for q in bank}) == len(bank)
    assert len({q.prompt for q in bank}) == len(bank)
    kinds = {q.kind for q in bank}
    assert kinds == set(KINDS)
    for q in bank:
        assert q.level == KINDS[q.kind]
    assert {q.level for q in bank} == {1, 2, 3}
    for kind in KINDS:  # enough of each kind for a session
        assert sum(q.kind == kind for q in bank) >= 5, kind


def test_the_expected_lists_are_there(bank):
    prompts = [q.prompt for q in bank if q.kind == "list"]
    assert any("四个“还不”" in p for p in prompts)
    assert any("2021年重点强调的四个方面工作" in p for p in prompts)
    assert any("四个部分" in p for p in prompts)
    assert any("五个方面" in p and "大气污染防治" in p for p in prompts)
    parts = _one(bank, lambda q: q.id == "list-parts")
    assert [it["answer"][:4] for it in parts.items] == ["成绩不易", "形势清晰", "任务艰巨", "责任重大"]


def test_every_citation_is_exact(bank, source):
    for q in bank:
        cites = [q.citation] + [it["citation"] for it in (q.items or [])]
        for c in cites:
            assert set(c) >= {"quote", "start", "end", "section"}, q.id
            assert c["quote"] == source[c["start"]:c["end"]], q.id
            assert c["quote"].strip(), q.id


def test_every_answer_is_supported_by_its_cited_passage(bank, assistant, source):
    duties = {d["id"]: d for d in assistant.duties()}
    figures = {f["id"]: f for f in assistant.figures()}
    for q in bank:
        quote = q.citation["quote"]
        if q.kind == "cloze":
            assert q.prompt.count("___") == 1, q.id
            assert q.answer in quote, q.id
            assert figures[q.fact]["text"] in quote, q.id
        elif q.kind == "true_false":
            if q.fact in figures:
                assert figures[q.fact]["text"] in quote, q.id
            else:
                assert all(_named(a, quote) for a in duties[q.fact]["actors"]), q.id
        elif q.kind in ("who", "reverse"):
            for actor in duties[q.fact]["actors"]:
                assert _named(actor, quote), q.id
            assert q.answer == "、".join(duties[q.fact]["actors"])
        elif q.kind == "task":
            assert q.answer.rstrip("…") in quote, q.id
        elif q.kind == "structure":
            assert q.answer in quote, q.id
        elif q.kind in ("list", "recall"):
            assert q.items, q.id
            for it in q.items:
                iq = it["citation"]["quote"]
                if it["answer"] in SURFACE:
                    assert _named(it["answer"], iq), q.id
                else:
                    assert any(k in iq for k in it["accepted"]), (q.id, it["answer"])
        assert q.answer and q.accepted, q.id


def test_choice_options_and_distractors(bank, assistant):
    duties = {d["id"]: d for d in assistant.duties()}
    for q in bank:
        if q.answer_type != "choice":
            continue
        assert q.options and len(set(q.options)) == len(q.options) >= 3, q.id
        assert q.options.count(q.answer) == 1, q.id
        if q.kind == "who":
            right = set(duties[q.fact]["actors"])
            for opt in q.options:
                if opt != q.answer:
                    assert not (set(actors_in(opt)) & right), (q.id, opt)  # never a correct actor
                    assert opt not in right
    for q in bank:
        if q.answer_type == "bool":
            assert q.options == ["对", "错"] and q.answer in ("对", "错")


def test_false_statements_really_are_false(bank, assistant, source):
    duties = {d["id"]: d for d in assistant.duties()}
    for q in bank:
        if q.kind != "true_false":
            continue
        statement = re.search(r"“(.*)”。$", q.prompt)
        if q.id.endswith("-swap"):
            named = set(actors_in(q.prompt))
            assert named - set(duties[q.fact]["actors"]), q.id  # a swapped-in actor
        elif statement and q.fact.startswith("f"):
            pieces = [p for p in statement.group(1).split("…") if p]
            if q.answer == "对":
                assert all(p in source for p in pieces), q.id
            else:
                assert not all(p in source for p in pieces), q.id


def test_generation_and_sampling_are_deterministic(assistant, bank):
    again = generate(assistant)
    assert [q.to_dict() for q in again] == [q.to_dict() for q in bank]
    a = make_quiz(bank, n=15, seed=123)
    b = make_quiz(bank, n=15, seed=123)
    c = make_quiz(bank, n=15, seed=124)
    assert [q.id for q in a] == [q.id for q in b]
    assert [q.id for q in a] != [q.id for q in c]
    assert len({q.id for q in a}) == 15
    assert len({q.kind for q in a}) >= 5  # mixed across kinds
    assert all(q.level == 3 for q in make_quiz(bank, n=10, seed=1, level=3))
    assert {q.kind for q in make_quiz(bank, n=10, seed=1, kind="tf")} == {"true_false"}
    assert {q.kind for q in make_quiz(bank, n=10, seed=1, kind="cloze,reverse")} <= {"cloze", "reverse"}
    with pytest.raises(ValueError):
        make_quiz(bank, n=3, seed=1, kind="nonsense")


# ---- grading ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["325", "10.2", "12", "111", "738", "100", "3.5", "105", "20300"])
def test_chinese_numerals_round_trip(value):
    assert parse_numbers(to_chinese(value)) == [float(value)]


def test_parse_numbers_forms():
    assert parse_numbers("两次") == [2.0]
    assert parse_numbers("百分之九十五") == [95.0]
    assert parse_numbers("第二十七名") == [27.0]
    assert parse_numbers("不少于325天") == [325.0]
    assert parse_numbers("三二五") == [325.0]
    assert parse_numbers("没有数字") == []


def test_number_grading(bank):
    q = _one(bank, lambda q: q.kind == "cloze" and q.answer == "325")
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
    decimal = _one(bank, lambda q: q.kind == "cloze" and q.answer == "10.2")
    assert grade(decimal, "十点二天").correct and grade(decimal, "10.2").correct
    assert not grade(decimal, "10").correct


def test_actor_answers_accept_aliases(bank):
    q = _one(bank, lambda q: q.kind == "reverse" and q.answer == "市交通局")
    for right in ("交通局", "市交通局", "市交通运输局", "交通运输部门", "transport bureau"):
        assert grade(q, right).correct, right
    for wrong in ("城管局", "市公安局", ""):
        assert not grade(q, wrong).correct, wrong
    two = _one(bank, lambda q: q.kind == "reverse" and q.answer == "市城管局、市交通局")
    assert grade(two, "城管局、交通局").correct
    assert grade(two, "城市管理局和交通运输局").correct
    half = grade(two, "城管局")
    assert not half.correct and half.score == pytest.approx(0.5)
    extra = grade(two, "市城管局、市交通局、市住建局")
    assert not extra.correct and 0 < extra.score < 1


def test_multiple_choice_by_letter_text_or_alias(bank):
    q = _one(bank, lambda q: q.kind == "who" and q.answer == "市住建局")
    letter = "ABCDEFGH"[q.options.index(q.answer)]
    wrong_letter = next(l for l in "ABCD"[:len(q.options)] if l != letter)
    for right in (letter, letter.lower(), f"{letter}.", f"选{letter}", q.answer, "住建局"):
        assert grade(q, right).correct, right
    assert not grade(q, wrong_letter).correct
    assert grade(q, letter).expected == f"{letter}. 市住建局"
    part = _one(bank, lambda q: q.kind == "structure" and q.id.endswith("-part") and q.answer.startswith("三、"))
    for right in ("C", "第三部分", "三", "3", part.answer):
        assert grade(part, right).correct, right
    assert not grade(part, "第二部分").correct


def test_true_false_tokens(bank):
    false_q = _one(bank, lambda q: q.kind == "true_false" and q.answer == "错")
    true_q = _one(bank, lambda q: q.kind == "true_false" and q.answer == "对")
    for no in ("错", "否", "F", "false", "×", "不对", "错误", "x"):
        assert grade(false_q, no).correct and not grade(true_q, no).correct, no
    for yes in ("对", "是", "T", "true", "√", "正确"):
        assert grade(true_q, yes).correct and not grade(false_q, yes).correct, yes
    assert parse_bool("嗯") is None
    assert not grade(true_q, "嗯").correct


def test_list_partial_credit_and_near_answers(bank):
    q = _one(bank, lambda q: q.kind == "list" and "还不" in q.prompt)
    assert grade(q, "思想认识还不高、工作成效还不稳、污染治理还不力、执法监管还不严").correct
    assert grade(q, "认识不高，成效不稳，治理不力，监管不严").correct  # near wording
    half = grade(q, "一是思想认识还不高；二是执法监管还不严")
    assert not half.correct and half.score == pytest.approx(0.5)
    assert [d["matched"] for d in half.details] == [True, False, False, True]
    assert "✗工作成效还不稳" in half.feedback
    assert grade(q, "不知道").score == 0
    topics = _one(bank, lambda q: q.kind == "list" and "五个方面" in q.prompt)
    assert grade(topics, "扬尘管控、秸秆禁烧、挥发性有机物治理、餐饮油烟治理、机动车污染治理").correct
    assert grade(topics, "扬尘 秸秆禁烧").score == pytest.approx(0.4)
    assert grade(topics, "治理").score == 0  # a word shared by several items identifies none
    recall = _one(bank, lambda q: q.kind == "recall" and "市交通局做" in q.prompt)
    assert grade(recall, "强化道路清扫保洁；对汽修行业全面检查").correct
    assert grade(recall, "道路清扫保洁").score == pytest.approx(0.5)
    names = _one(bank, lambda q: q.kind == "recall" and q.prompt.startswith("在扬尘管控方面"))
    assert grade(names, "住建局、城管局、交通局").correct
    assert grade(names, "住建局").score == pytest.approx(1 / 3, abs=0.01)


def test_feedback_always_shows_answer_and_passage(bank):
    for q in make_quiz(bank, n=40, seed=5):
        for response in ("", "不知道", q.answer):
            g = grade(q, response)
            assert g.expected in g.feedback
            assert q.citation["quote"] in g.feedback
            assert 0.0 <= g.score <= 1.0
        assert grade(q, q.answer).correct, q.id  # the canonical answer always passes


def test_question_round_trips_through_dict(bank):
    for q in bank[:20]:
        assert Question.from_dict(json.loads(json.dumps(q.to_dict(), ensure_ascii=False))) == q


# ---- progress -----------------------------------------------------------------------------------------
def test_progress_survives_a_restart(tmp_path, bank):
    path = tmp_path / "quiz.sqlite3"
    p = Progress(path)
    quiz = make_quiz(bank, n=4, seed=9)
    sid = p.start_session(n=4, seed=9)
    for i, q in enumerate(quiz):
        response = q.answer if i % 2 == 0 else "不知道"
        p.record(sid, q, grade(q, response), response)
    p.finish_session(sid)
    sid2 = p.start_session(n=1, seed=10)
    p.record(sid2, quiz[1], grade(quiz[1], quiz[1].answer), quiz[1].answer)
    p.finish_session(sid2)

    again = Progress(path)  # a new object on the same file
    sessions = again.sessions()
    assert [s["id"] for s in sessions] == [sid, sid2]
    assert sessions[0]["answered"] == 4 and sessions[0]["correct"] == 2
    assert sessions[0]["percent"] == pytest.approx(0.5)
    assert sessions[1]["percent"] == 1.0
    assert len(again.attempts()) == 5
    assert set(again.missed(sid)) == {quiz[1].id, quiz[3].id}
    assert again.missed() == [quiz[3].id]  # quiz[1] was answered right later
    weakest = again.weakest_topics(k=10)
    assert weakest[0]["score"] <= weakest[-1]["score"]
    assert quiz[3].topic in [w["topic"] for w in weakest]
    summary = again.summary()
    assert summary["sessions"] == 2 and summary["attempts"] == 5
    assert "累计 2 次自测" in again.summary_text()


# ---- CLI ----------------------------------------------------------------------------------------------
def test_cli_json_output_parses(run_cli):
    r = run_cli("quiz", "--json", "--n", "12", "--seed", "3")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["seed"] == 3 and data["n"] == 12 and len(data["questions"]) == 12
    for q in data["questions"]:
        assert {"id", "kind", "level", "prompt", "answer", "accepted", "citation", "topic"} <= set(q)
        assert q["citation"]["quote"]
    again = json.loads(run_cli("quiz", "--json", "--n", "12", "--seed", "3").stdout)
    assert [q["id"] for q in again["questions"]] == [q["id"] for q in data["questions"]]
    level = json.loads(run_cli("quiz", "--json", "--n", "5", "--level", "2", "--seed", "1").stdout)
    assert {q["level"] for q in level["questions"]} == {2}
    bad = run_cli("quiz", "--json", "--kind", "nonsense")
    assert bad.returncode != 0


def test_cli_interactive_session_records_progress(run_cli, home, by_id):
    quiz = json.loads(run_cli("quiz", "--json", "--n", "3", "--seed", "11").stdout)["questions"]
    answers = [q["answer"] for q in quiz[:2]]  # then EOF before the third
    r = run_cli("quiz", "--n", "3", "--seed", "11", stdin="\n".join(answers) + "\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "第 1/3 题" in out and "第 3/3 题" in out
    assert out.count("✓ 回答正确") == 2
    assert "提前结束" in out and "本次得分：2 / 2" in out
    assert "累计" in out  # progress summary
    p = Progress(home / "quiz.sqlite3")
    assert p.sessions()[-1]["answered"] == 2
    assert [a["question_id"] for a in p.attempts(p.sessions()[-1]["id"])] == [q["id"] for q in quiz[:2]]


# ---- UI tab (in-process; the browser test lives elsewhere) ---------------------------------------------
def test_quiz_tab_builds_and_runs_a_session(assistant, bank, tmp_path):
    gr = pytest.importorskip("gradio")
    from ui.quiz_tab import (advance, build_quiz_tab, current, feedback_html, missed_ids, review_html,
                             start_state, submit_answer)

    with gr.Blocks() as demo:
        with gr.Tab("自测"):
            build_quiz_tab(assistant)
    assert len(demo.fns) >= 4

    by_id = {q.id: q for q in bank}
    progress = Progress(tmp_path / "quiz.sqlite3")
    st = start_state(bank, progress, n=3, seed=21)
    assert len(st["ids"]) == 3
    first = current(st, by_id)
    st, g = submit_answer(st, by_id, progress, first.answer)
    assert g.correct
    st, again = submit_answer(st, by_id, progress, "x")  # no second grading of the same question
    assert again is None
    st = advance(st, progress)
    st, g2 = submit_answer(st, by_id, progress, "<script>alert(1)</script>")
    html = feedback_html(current(st, by_id), g2)
    assert "<script>" not in html
    st = advance(advance(st, progress), progress)
    assert st["done"]
    review = review_html(st, by_id)
    assert "<script>" not in review and "&lt;script&gt;" in review
    assert missed_ids(st) == [st["ids"][1]]
    retry = start_state(bank, progress, ids=missed_ids(st), seed=st["seed"])
    assert retry["ids"] == [st["ids"][1]]
    assert progress.sessions()[0]["answered"] == 2


def test_cli_retries_missed_questions(run_cli, home, bank):
    wrong = _one(bank, lambda q: q.kind == "cloze")
    p = Progress(home / "quiz.sqlite3")
    sid = p.start_session(n=1)
    p.record(sid, wrong, grade(wrong, "0"), "0")
    r = run_cli("quiz", "--json", "--kind", "missed", "--n", "50")
    assert r.returncode == 0, r.stderr
    ids = [q["id"] for q in json.loads(r.stdout)["questions"]]
    assert wrong.id in ids and set(ids) <= set(p.missed())
