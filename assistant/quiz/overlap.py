"""When two quiz questions test the same thing, so that one gives the other away.

Two questions of one quiz must never share a fact or a passage. Everything here is read from the
questions themselves (their fact ids and citations), which the generator derived from the document:

* the same fact: a fact id in common (a duty ``d014``, a figure ``f030``, an enumeration ``parts`` —
  a recall question covers every duty it asks for, so it shares them all);
* the same passage: any two of their cited spans overlap (a cloze and a true/false on one sentence,
  two figures of one sentence, a "who" question inside a topic's recall question);
* the same figure: one asks for a number (with its unit) that the other prints (a cloze on 325天 and a
  statement quoting 325天 from another sentence).

``conflict(a, b)`` names the first reason found (or ``None``); ``duplicates(quiz)`` lists the pairs.
The sampler (``sample.make_quiz``) keeps every quiz free of them; ``bench`` measures it.
"""
from __future__ import annotations

from assistant.quiz.question import Question


def facts_of(q: Question) -> set[str]:
    """The fact ids a question tests: ``covers`` when the generator listed several, else ``fact``."""
    return set(q.covers or ([q.fact] if q.fact else []))


def spans_of(q: Question) -> list[tuple[int, int]]:
    """Every cited span of a question: its passage and each item's."""
    cites = [q.citation] + [it["citation"] for it in (q.items or [])]
    return [(int(c["start"]), int(c["end"])) for c in cites]


def shown_text(q: Question) -> str:
    """What a trainee reads before answering: the prompt and the options."""
    return q.prompt + "\n" + "\n".join(q.options or [])


def _figure(q: Question) -> str | None:
    """The number-with-unit a figure question asks for (``325天``), or None."""
    if q.answer_type != "number" or not q.unit:
        return None
    return f"{q.answer}{q.unit}"


def conflict(a: Question, b: Question) -> str | None:
    """Why ``a`` and ``b`` may not share a quiz (one gives the other away), or None."""
    common = facts_of(a) & facts_of(b)
    if common:
        return f"same fact {sorted(common)[0]}"
    for s1, e1 in spans_of(a):
        for s2, e2 in spans_of(b):
            if s1 < e2 and s2 < e1:
                return f"same passage {max(s1, s2)}–{min(e1, e2)}"
    for x, y in ((a, b), (b, a)):
        fig = _figure(x)
        if fig and fig in shown_text(y):
            return f"{y.id} shows the answer {fig}"
    return None


def duplicates(quiz: list[Question]) -> list[tuple[str, str, str]]:
    """Every pair of a quiz that tests the same fact or passage: ``(id, id, reason)``."""
    out = []
    for i, a in enumerate(quiz):
        for b in quiz[i + 1:]:
            why = conflict(a, b)
            if why:
                out.append((a.id, b.id, why))
    return out
