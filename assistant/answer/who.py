"""Who answers: the bodies whose duties match the asked task (one or several hops)."""
from __future__ import annotations

import numpy as np

from assistant import scope as document_scope

from assistant.answer.base import MAX_WHO_TASKS, Composed, _ordered_actors, _quote
from assistant.answer.selection import duty_features
from assistant.retrieve.hits import Evidence, Query
from assistant.understand import Analysis
from index.facts import Duty
from index.language import message


class WhoAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def duty_candidates(self, q: Query) -> np.ndarray:
        """Every task's ``DUTY_FEATURES`` against the question (rows in ``self.duties`` order)."""
        bm = self._duty_bm25.run(q.tokens)
        dense = np.array([float(self.vectors[self.row[d.sentence_id]] @ q.vector) for d in self.duties])
        return duty_features(bm, dense, [d.topic for d in self.duties])

    def _tasks_for(self, q: Query) -> list[Duty]:
        """The tasks the fitted selection model keeps, most likely first (near-ties in document order);
        without a fitted model, only the likeliest by BM25 and cosine."""
        X = self.duty_candidates(q)
        if not len(X):
            return []
        inside = [i for i, d in enumerate(self.duties) if document_scope.holds(d.start)]
        if not inside:
            return []
        if self.duty_selection is None:
            best = max(inside, key=lambda i: X[i, 0] + X[i, 2])
            return [self.duties[best]] if X[inside, 0].max() > 0 else []
        p = self.duty_selection.scores(X)
        order = sorted(inside, key=lambda i: (-round(float(p[i]), 6), i))
        return [self.duties[i] for i in order if p[i] >= self.duty_selection.threshold][:MAX_WHO_TASKS]

    def who_answer(self, a: Analysis, ev: Evidence) -> Composed | None:
        q, hits = ev.query, ev.hits
        parts = ev.hop_queries or [q]
        chosen: list[Duty] = []
        actor_sets = []
        for part in parts:
            top = self._tasks_for(part)
            if not top:
                continue
            chosen.extend(d for d in top if d not in chosen)
            actor_sets.append({n for d in top for n in d.actors})
        # A "who" question about something that is not a task (谁传达的批示) is answered from the text.
        if not chosen or (len(parts) == 1 and hits and hits[0].id not in {d.sentence_id for d in chosen}):
            return None
        # The question's most specific word must be in the tasks found (噪声 is in no task: no answer here).
        rare = self._rarest_term(a)
        if len(parts) == 1 and rare and not any(rare in d.task or rare in d.topic for d in chosen):
            return None
        common = set.intersection(*actor_sets) if len(actor_sets) > 1 else set()
        names = [n for n in _ordered_actors(chosen) if not common or n in common]
        citer = self._citer()
        said = message("assistant.answer.who.shared" if common else "assistant.answer.who.quoted", noun=self.noun)
        lead = f"**{'、'.join(names)}**。" + said
        lines = [lead]
        for d in sorted(chosen, key=lambda d: d.start):
            if common and not (common & set(d.actors)):
                continue
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return Composed("\n".join(lines), True, citer, route="who", actors=names)
