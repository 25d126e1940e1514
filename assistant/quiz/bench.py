"""How good the quizzes are, measured: ``python -m assistant.quiz.bench [--seeds 100] [--n 10] [--first 1]``.

Prints, for the loaded documents (``ASSISTANT_HOME`` / ``ASSISTANT_CORPUS`` as for every command):

* the duplicate-fact rate: of ``--seeds`` seeded ``--n``-question quizzes (``Assistant.quiz(n, seed)``),
  how many hold two questions on the same fact or passage (``overlap.conflict``), and how many share a
  fact id alone (the narrower count the issue started from);
* the distractors of the bank's choice questions, checked against the duty map rather than against the
  generator's own bookkeeping: how many come from another section than the asked duty, how many are
  another sort of body than the answer (a county offered for a bureau), and how many are composite
  options gluing together bodies that the document never names together and that do not match the
  answer's sorts ("各级环保部门领导班子、白河县");
* how many questions each quiz really holds (a quiz is never padded with a duplicate).

``measure(assistant)`` returns the same figures as a dict, for tests.
"""
from __future__ import annotations

import argparse
import sys

from assistant.quiz.actors import ActorNames
from assistant.quiz.overlap import duplicates


def duplicate_rate(quizzes: list[list]) -> dict:
    """Share of quizzes with a pair on the same fact or passage, and with a pair on the same fact id."""
    with_dup = [q for q in quizzes if duplicates(q)]
    same_id = [q for q in quizzes if len({x.fact for x in q}) < len(q)]
    n = max(len(quizzes), 1)
    return {"quizzes": len(quizzes), "with_duplicate": len(with_dup), "rate": len(with_dup) / n,
            "same_fact_id": len(same_id), "same_fact_id_rate": len(same_id) / n,
            "sizes": [len(q) for q in quizzes],
            "examples": [duplicates(q)[0] for q in with_dup[:3]]}


def _sections(assistant) -> dict[str, tuple]:
    """Each duty's section (part › section: the topic a distractor must come from), from its sentence."""
    sentences = {s.id: s for s in assistant.index.corpus.doc.sentences}
    return {d["id"]: tuple(sentences[d["sentence_id"]].path[:2]) for d in assistant.duties()}


def distractor_report(assistant, bank) -> dict:
    """Distractors of who / task / swapped-actor questions, checked against the duty map."""
    names = ActorNames(assistant.registry)
    duties = {d["id"]: d for d in assistant.duties()}
    section = _sections(assistant)
    acts_in: dict[tuple, set] = {}
    groups: set[frozenset] = set()
    for d in duties.values():
        acts_in.setdefault(section[d["id"]], set()).update(d["actors"])
        groups.add(frozenset(d["actors"]))
    out = {"options": 0, "off_section": [], "other_kind": [], "composite": []}
    prompts = {q.id: q.prompt for q in bank}

    def classes(actors) -> list[str]:
        return sorted(names.kind_class(a) for a in actors)

    for q in bank:
        d = duties.get(q.fact)
        if d is None or q.kind not in ("who", "task", "true_false"):
            continue
        here, right = section[q.fact], list(d["actors"])
        if q.kind == "who":
            wrong = [o for o in q.options if o != q.answer]
            for opt in wrong:
                out["options"] += 1
                actors = names.named_in(opt)
                if any(a not in acts_in.get(here, ()) for a in actors):
                    out["off_section"].append((q.id, opt))
                if classes(actors) != classes(right):
                    out["other_kind"].append((q.id, opt))
                    if len(actors) > 1 and frozenset(actors) not in groups:
                        out["composite"].append((q.id, opt))
        elif q.kind == "task":
            for opt in (o for o in q.options if o != q.answer):
                out["options"] += 1
                source = [x for x in duties.values() if opt.rstrip("…") in x["task"]]
                if not source or all(section[x["id"]] != here for x in source):
                    out["off_section"].append((q.id, opt))
        elif q.id.endswith("-swap"):
            # The swapped-in body: named in the false statement but not in the true one (the task text
            # itself may name other bodies).
            true = set(names.named_in(prompts.get(q.id.replace("-swap", "-true"), "")))
            swapped = [a for a in names.named_in(q.prompt) if a not in right and a not in true]
            for a in swapped:
                out["options"] += 1
                if a not in acts_in.get(here, ()):
                    out["off_section"].append((q.id, a))
                if names.kind_class(a) not in {names.kind_class(r) for r in right}:
                    out["other_kind"].append((q.id, a))
    return out


def measure(assistant, seeds: int = 100, n: int = 10, first: int = 1) -> dict:
    """The duplicate rate over seeded quizzes and the distractor checks over the bank."""
    bank = assistant.quiz_bank()
    quizzes = [assistant.quiz(n=n, seed=s) for s in range(first, first + seeds)]
    return {"bank": len(bank), "n": n, "seeds": (first, first + seeds - 1), **duplicate_rate(quizzes),
            "distractors": distractor_report(assistant, bank)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.quiz.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="how many seeded quizzes (default 100)")
    parser.add_argument("--n", type=int, default=10, help="questions per quiz (default 10)")
    parser.add_argument("--first", type=int, default=1, help="the first seed (default 1)")
    args = parser.parse_args(argv)
    if not (1 <= args.seeds <= 100_000 and 1 <= args.n <= 500):
        print("error: --seeds must be 1–100000 and --n 1–500", file=sys.stderr)
        return 2
    from assistant import Assistant
    from assistant.config import SettingsError

    try:
        assistant = Assistant.open()
    except (SettingsError, OSError) as exc:  # a bad setting or an unreadable document: one line
        print(f"error: {exc}", file=sys.stderr)
        return 2
    m = measure(assistant, seeds=args.seeds, n=args.n, first=args.first)
    d = m["distractors"]
    lo, hi = m["seeds"]
    sizes = m["sizes"]
    print(f"quiz bank: {m['bank']} questions; {m['quizzes']} quizzes of {m['n']} (seeds {lo}–{hi})")
    print(f"duplicate-fact rate: {m['with_duplicate']}/{m['quizzes']} quizzes ({m['rate']:.0%}) hold two questions"
          f" on the same fact or passage; {m['same_fact_id']} ({m['same_fact_id_rate']:.0%}) share a fact id")
    for a, b, why in m["examples"]:
        print(f"  e.g. {a} + {b}: {why}")
    print(f"questions per quiz: min {min(sizes)}, mean {sum(sizes) / len(sizes):.1f}, max {max(sizes)}")
    total = max(d["options"], 1)
    print(f"distractors checked: {d['options']} (who / task / swapped-actor questions)")
    for key, label in (("off_section", "from another section"), ("other_kind", "another sort of body"),
                       ("composite", "composite options (bodies never named together, sorts unlike the answer)")):
        print(f"  {label}: {len(d[key])} ({len(d[key]) / total:.0%})")
        for qid, opt in d[key][:3]:
            print(f"    {qid}: {opt}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
