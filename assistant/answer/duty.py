"""Duty answers: every task the document gives a body (and the narrower bodies it covers), by topic."""
from __future__ import annotations

import re

from assistant.answer.base import Composed, _by_topic, _quote
from assistant.cite import Citer
from assistant.understand import Analysis
from index.language import message, read_list

# Words of a question that asks what several bodies do together (共同, together).
_SHARED = re.compile("|".join(read_list("shared_duty_words.txt")), re.I)


class DutyAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def duty_answer(self, a: Analysis) -> Composed:
        if len(a.actors) >= 2 and _SHARED.search(a.question):
            return self.shared_duty_answer(a)
        citer = self._citer()
        blocks = []
        for name in a.actors:
            duties = self.duties_of(name)
            if not duties:
                blocks.append(self._no_duties_block(name, citer))
                continue
            actor = self.registry.get(name)
            scope = message("assistant.answer.duty.covering", name=name, covers="、".join(actor.covers)) \
                if actor.covers else name
            lines = [message("assistant.answer.duty.head", noun=self.noun, scope=scope, count=len(duties))]
            for topic, group in _by_topic(duties):
                lines.append(f"\n**{topic}**")
                for d in group:
                    n = citer.cite(d.start, d.end, d.section)
                    lines.append(f"- {_quote(d.task)}[{n}]")
            shared = [n for n in self._tasked_actors() if self.registry.get(n).kind == "collective" and n != name]
            if actor.kind in ("bureau", "office", "county") and shared:
                lines.append(message("assistant.answer.duty.shared_note", noun=self.noun,
                                     bodies="”“".join(shared[:2])))
            blocks.append("\n".join(lines))
        answerable = any(self.duties_of(n) for n in a.actors) or bool(citer.citations)
        return Composed("\n\n".join(blocks), answerable, citer, route="duty", actors=list(a.actors))

    def shared_duty_answer(self, a: Analysis) -> Composed:
        """Tasks the speech gives to every one of the named actors together."""
        citer = self._citer()
        shared = [d for d in self.duties if all(set(d.actors) & {n, *self.registry.get(n).covers} for n in a.actors)]
        names = "、".join(a.actors)
        if not shared:
            return Composed(message("assistant.answer.duty.none_shared", noun=self.noun, names=names), True, citer,
                            route="duty", actors=list(a.actors))
        lines = [message("assistant.answer.duty.shared_head", noun=self.noun, names=names, count=len(shared))]
        for d in shared:
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return Composed("\n".join(lines), True, citer, route="duty", actors=list(a.actors))

    def _no_duties_block(self, name: str, citer: Citer) -> str:
        # An actor named only inside others' duties (市考核办): say so and show those sentences.
        mentions = [d for d in self.duties if any(f in d.task for f in self.registry.get(name).surface_forms)]
        if not mentions:
            return message("assistant.answer.refusal.untasked", noun=self.noun, bodies=name)
        lines = [message("assistant.answer.duty.only_mentioned", noun=self.noun, name=name)]
        for d in mentions:
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return "\n".join(lines)
