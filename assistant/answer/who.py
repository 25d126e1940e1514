"""Who answers: the bodies whose duties match the asked task (one or several hops)."""
from __future__ import annotations

import numpy as np

from assistant.answer.base import Composed, _ordered_actors, _quote
from assistant.retrieve.hits import Evidence, Query
from assistant.understand import Analysis
from index.facts import Duty


class WhoAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def _duty_scores(self, q: Query) -> np.ndarray:
        bm = self._duty_bm25.run(q.tokens)
        dense = np.array([float(self.vectors[self.row[d.sentence_id]] @ q.vector) for d in self.duties])
        return bm + 10.0 * np.clip(dense - 0.8, 0, None)

    def who_answer(self, a: Analysis, ev: Evidence) -> Composed | None:
        q, hits = ev.query, ev.hits
        parts = ev.hop_queries or [q]
        chosen: list[Duty] = []
        actor_sets = []
        for part in parts:
            scores = self._duty_scores(part)
            best = float(scores.max()) if len(scores) else 0.0
            if best <= 1.0:
                continue
            top = [self.duties[i] for i in np.argsort(-scores) if scores[i] >= 0.6 * best][:5]
            # A topic question ("秸秆禁烧谁负责") is answered by every task under that 在…方面 topic.
            lead = top[0]
            if lead.topic.startswith("在") and lead.topic.endswith("方面"):
                top += [self.duties[i] for i in range(len(self.duties)) if self.duties[i].topic == lead.topic
                        and self.duties[i] not in top and scores[i] >= 0.35 * best]
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
        lead = f"**{'、'.join(names)}**。" + ("讲话同时把这几项工作交给了它：" if common else "讲话原文：")
        lines = [lead]
        for d in sorted(chosen, key=lambda d: d.start):
            if common and not (common & set(d.actors)):
                continue
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return Composed("\n".join(lines), True, citer, route="who", actors=names)
