"""Drawing a quiz from the bank: a mix across kinds, reproducible for a seed, or a retry in order."""
from __future__ import annotations

import random
import re

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
    while len(out) < n and any(by_kind.values()):
        for k in names:
            if by_kind[k] and len(out) < n:
                out.append(by_kind[k].pop())
    rng.shuffle(out)
    return out
