"""Drawing a quiz from the bank: a mix across kinds, reproducible for a seed, or a retry in order.

No two questions of a drawn quiz test the same fact or passage (``overlap.conflict``): a question that
would give another away is passed over, and when the filters leave too few distinct questions the quiz
is shorter rather than padded with a give-away."""
from __future__ import annotations

import random
import re

from assistant.quiz.overlap import conflict
from assistant.quiz.question import KIND_ALIASES, KINDS, Question


def resolve_kinds(kind: str | list[str] | None) -> list[str] | None:
    """``"tf,cloze"`` / ``["who"]`` / ``"mc"`` → kind names; ``ValueError`` for unknown ones."""
    if not kind:
        return None
    parts = kind if isinstance(kind, (list, tuple)) else re.split(r"[,\s，]+", kind)
    out: list[str] = []
    for p in parts:
        p = p.strip().lower().replace("-", "_")
        if not p:
            continue
        if p in KINDS:
            out.append(p)
        elif p in KIND_ALIASES:
            out.extend(KIND_ALIASES[p])
        else:
            raise ValueError(f"unknown quiz kind {p!r}; choose from {', '.join(KINDS)} (or tf, mc)")
    return list(dict.fromkeys(out)) or None


def make_quiz(bank: list[Question], n: int = 10, seed: int | None = None, kind=None, level: int | None = None,
              ids: list[str] | None = None) -> list[Question]:
    """A sample of ``n`` questions, mixed across kinds; the same for the same seed and filters."""
    rng = random.Random(seed)
    kinds = resolve_kinds(kind)
    pool = [q for q in bank if (not kinds or q.kind in kinds) and (not level or q.level == int(level))
            and (ids is None or q.id in ids)]
    if ids is not None:  # a retry: keep the asked order
        order = {qid: i for i, qid in enumerate(ids)}
        pool.sort(key=lambda q: order[q.id])
        return pool[:n] if n else pool
    by_kind: dict[str, list[Question]] = {}
    for q in pool:
        by_kind.setdefault(q.kind, []).append(q)
    names = sorted(by_kind)
    rng.shuffle(names)
    for k in names:
        rng.shuffle(by_kind[k])
    out: list[Question] = []
    # Round-robin over the kinds; a question that shares a fact or passage with one already drawn is
    # dropped (not put back: it would conflict with that one for the rest of this draw anyway).
    while len(out) < n and any(by_kind.values()):
        for k in names:
            while by_kind[k] and len(out) < n:
                q = by_kind[k].pop()
                if not any(conflict(q, o) for o in out):
                    out.append(q)
                    break
    rng.shuffle(out)
    return out
