"""Duty answers: every task the document gives a body (and the narrower bodies it covers), by topic."""
from __future__ import annotations

import re

from assistant.answer.base import Composed, _by_topic, _quote
from assistant.cite import Citer
from assistant.understand import Analysis


class DutyAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def duty_answer(self, a: Analysis) -> Composed:
        if len(a.actors) >= 2 and re.search(r"共同|一起|都要|都得|都负责|同时|合作|联合|shared|in common|both|together",
                                            a.question, re.I):
            return self.shared_duty_answer(a)
        citer = self._citer()
        blocks = []
        for name in a.actors:
            duties = self.duties_of(name)
            if not duties:
                blocks.append(self._no_duties_block(name, citer))
                continue
            actor = self.registry.get(name)
            scope = f"{name}（含{'、'.join(actor.covers)}）" if actor.covers else name
            lines = [f"{self.noun}对{scope}提出{len(duties)}项要求："]
            for topic, group in _by_topic(duties):
                lines.append(f"\n**{topic}**")
                for d in group:
                    n = citer.cite(d.start, d.end, d.section)
                    lines.append(f"- {_quote(d.task)}[{n}]")
            shared = [n for n in self._tasked_actors() if self.registry.get(n).kind == "collective" and n != name]
            if actor.kind in ("bureau", "office", "county") and shared:
                lines.append(f"\n（{self.noun}对“{'”“'.join(shared[:2])}”还提出了共性要求，可另行查询。）")
            blocks.append("\n".join(lines))
        answerable = any(self.duties_of(n) for n in a.actors) or bool(citer.citations)
        return Composed("\n\n".join(blocks), answerable, citer, route="duty", actors=list(a.actors))

    def shared_duty_answer(self, a: Analysis) -> Composed:
        """Tasks the speech gives to every one of the named actors together."""
        citer = self._citer()
        shared = [d for d in self.duties if all(set(d.actors) & {n, *self.registry.get(n).covers} for n in a.actors)]
        names = "、".join(a.actors)
        if not shared:
            return Composed(f"{self.noun}没有把同一项任务同时交给{names}。可分别查询各自的任务。", True, citer,
                            route="duty", actors=list(a.actors))
        lines = [f"{self.noun}同时交给{names}的任务有{len(shared)}项："]
        for d in shared:
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return Composed("\n".join(lines), True, citer, route="duty", actors=list(a.actors))

    def _no_duties_block(self, name: str, citer: Citer) -> str:
        # An actor named only inside others' duties (市考核办): say so and show those sentences.
        mentions = [d for d in self.duties if any(f in d.task for f in self.registry.get(name).surface_forms)]
        if not mentions:
            return f"{self.noun}没有给{name}布置具体任务。"
        lines = [f"{self.noun}没有直接给{name}布置任务，只在以下要求中提到它："]
        for d in mentions:
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return "\n".join(lines)
