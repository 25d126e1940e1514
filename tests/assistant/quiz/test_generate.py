"""The question bank: generated from the facts layer, exact citations, supported answers, deterministic."""
from __future__ import annotations

import json
import re

import pytest

from assistant.quiz import KINDS, Question, make_quiz
from tests.quiz_support import one, named



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
    parts = one(bank, lambda q: q.id == "list-parts")
    assert [it["answer"][:4] for it in parts.items] == ["成绩不易", "形势清晰", "任务艰巨", "责任重大"]


def test_every_citation_is_exact(bank, source):
    for q in bank:
        cites = [q.citation] + [it["citation"] for it in (q.items or [])]
        for c in cites:
            assert set(c) >= {"quote", "start", "end", "section"}, q.id
            assert c["quote"] == source[c["start"]:c["end"]], q.id
            assert c["quote"].strip(), q.id


def test_every_answer_is_supported_by_its_cited_passage(bank, assistant, source, surface):
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
                assert all(named(surface, a, quote) for a in duties[q.fact]["actors"]), q.id
        elif q.kind in ("who", "reverse"):
            for actor in duties[q.fact]["actors"]:
                assert named(surface, actor, quote), q.id
            assert q.answer == "、".join(duties[q.fact]["actors"])
        elif q.kind == "task":
            assert q.answer.rstrip("…") in quote, q.id
        elif q.kind == "structure":
            assert q.answer in quote, q.id
        elif q.kind in ("list", "recall"):
            assert q.items, q.id
            for it in q.items:
                iq = it["citation"]["quote"]
                if it["answer"] in surface:
                    assert named(surface, it["answer"], iq), q.id
                else:
                    assert any(k in iq for k in it["accepted"]), (q.id, it["answer"])
        assert q.answer and q.accepted, q.id


def test_choice_options_and_distractors(bank, assistant, names):
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
                    assert not (set(names.named_in(opt)) & right), (q.id, opt)  # never a correct actor
                    assert opt not in right
    for q in bank:
        if q.answer_type == "bool":
            assert q.options == ["对", "错"] and q.answer in ("对", "错")


def test_false_statements_really_are_false(bank, assistant, source, names):
    duties = {d["id"]: d for d in assistant.duties()}
    for q in bank:
        if q.kind != "true_false":
            continue
        statement = re.search(r"“(.*)”。$", q.prompt)
        if q.id.endswith("-swap"):
            named = set(names.named_in(q.prompt))
            assert named - set(duties[q.fact]["actors"]), q.id  # a swapped-in actor
        elif statement and q.fact.startswith("f"):
            pieces = [p for p in statement.group(1).split("…") if p]
            if q.answer == "对":
                assert all(p in source for p in pieces), q.id
            else:
                assert not all(p in source for p in pieces), q.id


def test_generation_and_sampling_are_deterministic(assistant, bank):
    again = assistant.quiz_bank()
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


def test_question_round_trips_through_dict(bank):
    for q in bank[:20]:
        assert Question.from_dict(json.loads(json.dumps(q.to_dict(), ensure_ascii=False))) == q


# ---- progress -----------------------------------------------------------------------------------------


# ---- one fact, one question (issue 21 item 4) -----------------------------------------------------------
SEEDS = range(1, 31)   # a fixed sample; `python -m assistant.quiz.bench` measures 100


def test_no_seeded_quiz_asks_two_questions_on_one_fact_or_passage(assistant):
    from assistant.quiz.bench import duplicate_rate
    from assistant.quiz.overlap import duplicates

    quizzes = [assistant.quiz(n=10, seed=s) for s in SEEDS]
    assert all(len(q) == 10 for q in quizzes)          # never made distinct by being made short
    assert [duplicates(q) for q in quizzes] == [[] for _ in quizzes]
    assert duplicate_rate(quizzes)["rate"] == 0 and duplicate_rate(quizzes)["same_fact_id"] == 0
    assert len({tuple(x.id for x in q) for q in quizzes}) == len(quizzes)   # still a different quiz per seed


def test_what_counts_as_the_same_fact_or_passage(bank):
    from assistant.quiz.overlap import conflict

    by = {q.id: q for q in bank}
    cloze = one(bank, lambda q: q.kind == "cloze" and f"tf-{q.fact}-true" in by)
    assert conflict(cloze, by[f"tf-{cloze.fact}-true"]).startswith("same fact")
    who = one(bank, lambda q: q.kind == "who" and f"task-{q.fact}" in by)
    assert conflict(who, by[f"task-{who.fact}"]).startswith("same fact")
    recall = one(bank, lambda q: q.kind == "recall" and who.fact in (q.covers or []))
    assert conflict(recall, who)                       # "what must X do?" gives away "who must do this?"
    first, second = (one(bank, lambda q, k=k: q.id == f"structure-parts-{k}") for k in (1, 2))
    assert conflict(first, second).startswith("same fact")    # two positions of one list show the list
    # Two figures of one sentence: different facts, the same passage.
    pair = next((a, b) for a in bank for b in bank if a.kind == b.kind == "cloze" and a.fact != b.fact
                and a.citation["start"] == b.citation["start"])
    assert conflict(*pair).startswith("same passage")
    # And questions on different facts in different passages are free to share a quiz.
    far = next(b for b in bank if b.kind == "cloze" and b.citation["start"] > cloze.citation["end"] + 500
               and b.answer + b.unit not in cloze.prompt and cloze.answer + cloze.unit not in b.prompt)
    assert conflict(cloze, far) is None


def test_distractors_come_from_the_same_section_and_are_the_same_sort_of_body(assistant, bank, names):
    from assistant.quiz.bench import distractor_report

    report = distractor_report(assistant, bank)
    assert report["options"] >= 40                     # who, task and swapped-actor questions were checked
    assert report["off_section"] == []                 # nothing from another section gives itself away
    assert report["other_kind"] == []                  # a bureau for a bureau, a county for a county
    assert report["composite"] == []                   # no "<leader group>、<county>" glued pairs
    for q in bank:
        if q.kind == "who" and "、" in q.answer:       # a group of bodies answers a group of the same size
            for opt in q.options:
                assert len(names.named_in(opt)) == len(names.named_in(q.answer)), (q.id, opt)
            assert len({frozenset(names.named_in(o)) for o in q.options}) == len(q.options), q.id


def test_the_bench_command_prints_the_duplicate_rate(home, monkeypatch, capsys):
    from assistant.quiz.bench import main

    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    assert main(["--seeds", "5", "--n", "10"]) == 0
    out = capsys.readouterr().out
    assert "duplicate-fact rate: 0/5 quizzes (0%)" in out and "(seeds 1–5)" in out
    assert "from another section: 0 (0%)" in out and "composite options" in out
    assert main(["--seeds", "0"]) == 2
    assert capsys.readouterr().err.strip() == "error: --seeds must be 1–100000 and --n 1–500"
