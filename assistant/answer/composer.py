"""The composer: routes an analysed question and its evidence to the answerer of its answer type.

A quotation with a number left blank first (cloze), then refusals (the document cannot answer), then metadata,
duty, who, list, figure and general answers; each answerer lives in its own module and reads only the evidence and the document's derived facts.
"""
from __future__ import annotations

from dataclasses import replace

from assistant.answer.base import (
    Answerer,
    Composed,
    _lexical_winner_first,
    _names_someone,
)
from assistant.answer.cloze import ClozeAnswers
from assistant.answer.duty import DutyAnswers
from assistant.answer.figure import FigureAnswers
from assistant.answer.general import GeneralAnswers
from assistant.answer.listing import ListAnswers
from assistant.answer.metadata import MetadataAnswers
from assistant.answer.refusal import Refusals
from assistant.answer.who import WhoAnswers
from assistant.retrieve.hits import Evidence
from assistant.understand import Analysis, asks_number
from index.language import message


class Composer(ClozeAnswers, Refusals, MetadataAnswers, DutyAnswers, WhoAnswers, ListAnswers, FigureAnswers,
               GeneralAnswers, Answerer):
    """Builds the answer text and its citations for an analysed question from its evidence."""

    def compose(self, a: Analysis, ev: Evidence) -> Composed:
        ev = replace(ev, hits=_lexical_winner_first(a, ev.hits))
        hits = ev.hits
        # A quotation of the document with a number left blank is found where it stands, before any refusal
        # reads its blank as a word the document lacks.
        cloze = self.cloze_answer(a)
        if cloze:
            return cloze
        refusal = self._refusal(a, ev)
        if refusal:
            return refusal
        if a.intent == "metadata" and self._about_masthead(a):
            answer = self.metadata_answer(a, hits)
            if answer:
                return answer
        if a.intent == "duty" and a.actors:
            return self.duty_answer(a)
        if a.intent == "who":
            answer = self.who_answer(a, ev)
            if answer and len(a.actors) == 1 and answer.actors == a.actors:
                # "整改办负责什么？" names the body a "who" answer would find: it asks for that body's tasks.
                return self.duty_answer(a)
            if answer:
                return answer
            rare = self._rarest_term(a)
            # The sentence must name someone and contain the question's most specific word.
            named = [h for h in hits[:6 if rare else 3] if _names_someone(self.sentence_by_id[h.id].text)
                     and (rare is None or rare in self.sentence_by_id[h.id].text)]
            if not named:
                return self._refuse(message("assistant.answer.composer.no_one_named", noun=self.noun), hits,
                                    route="who-refusal")
            return self.general_answer(a, replace(ev, hits=named + [h for h in hits if h not in named]))
        counted = self._unlisted_count(a)
        if counted:
            return self._refuse(message("assistant.answer.composer.count_only", noun=self.noun, counted=counted), hits,
                                route="count-refusal")
        if a.intent == "list":
            answer = self.list_answer(a, ev)
            if answer:
                return answer
        slogan = self._unexpanded_slogan(a)
        if slogan:
            return self._refuse(message("assistant.answer.composer.slogan_only", noun=self.noun, slogan=slogan), hits,
                                route="slogan-refusal")
        if a.intent == "number" or (a.number and a.actors):
            answer = self.number_answer(a, ev)
            if answer:
                return answer
            if a.intent == "number" and asks_number(a.question):
                return self._refuse(message("assistant.answer.composer.no_number", noun=self.noun), hits,
                                    route="number-refusal")
        return self.general_answer(a, ev)
