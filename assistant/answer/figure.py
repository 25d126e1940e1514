"""Figure answers: the figure whose measure (and kind, for targets) matches the question, with its sentence."""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import cached_property

import numpy as np

from assistant.answer.base import Composed, _quote, _terms_with_expansions
from assistant.answer.selection import figure_check_features, figure_features
from assistant.places import named_places, short_form
from assistant.retrieve.hits import Evidence, Hit
from assistant.understand import ASKS_NUMBER, Analysis, last_clause
from index.facts import PAST_CUES, TARGET_CUES, WEAK_TARGET_CUES, Figure, asked_qualifiers, asked_unit, asked_units, base_unit
from index.language import message
from index.tokens import content_terms, term_share


class FigureAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def number_answer(self, a: Analysis, ev: Evidence) -> Composed | None:
        hits = ev.hits
        asks = [] if a.merged else number_asks(a.question)
        if len(asks) > 1:
            answer = self._several_asks(a, ev, asks)
            if answer:
                return answer
        query = self.figure_query(a)
        found, want_target = self.figure_choices(a, ev, query)
        if not found:
            if want_target:
                return self._refuse(message("assistant.answer.figure.no_target", noun=self.noun), hits,
                                    route="number-refusal")
            return None
        return self._answer_figure(a, ev, found, query[4])

    def _several_asks(self, a: Analysis, ev: Evidence, asks: list[str]) -> Composed | None:
        """"去年粮食总产量是多少？全国排第几？": the first ask picks the figure as a question of its own; each
        further ask adds the figure of the same sentence that its words describe best (the ranking, the
        growth rate told beside the total). None when the first ask finds no figure it can stand by."""
        first = replace(a, question=asks[0])
        query = self.figure_query(first)
        found = _in_asked_units(first, self.figure_choices(first, ev, query)[0])
        if not found:
            return None
        fig, score = self._best_figure([f for f, _ in found], [r for _, r in found])
        if self._figure_mismatch(first, fig) or self._figure_unsupported(first, fig, score):
            return None
        extra: list[Figure] = []
        pool = [f for f in self.figures_of(fig.sentence_start) if f is not fig and f.kind != "date"]
        for ask in asks[1:]:
            terms = [t for t in _terms_with_expansions(ask, self.expand) if t not in TARGET_CUES]
            scored = [(sum(term_share(t, f.measure.lower()) for t in terms), -abs(f.start - fig.start), f)
                      for f in pool if f not in extra]
            best = max(scored, key=lambda x: x[:2], default=None)
            if best and best[0] > 0:
                extra.append(best[2])
        return self._answer_figure(first, ev, [(fig, [])], query[4], extra=extra, chosen=(fig, score))

    def figure_choices(self, a: Analysis, ev: Evidence, query: tuple | None = None) -> tuple[list, bool]:
        """The candidate figures (with their selection rows) a number question may be answered with, and
        whether it asks for a target. A past cue (去年) looks among results first; a weak target cue (今年)
        alone falls back to any figure of the asked measure. ``query``: ``figure_query(a)``, if already known."""
        want_date, want_target, measure_terms, focus_terms, _ = query or self.figure_query(a)
        question = a.question.lower()
        strong = any(c in question for c in TARGET_CUES if c not in WEAK_TARGET_CUES)
        found = []
        if not strong and any(_cue(c, question) for c in PAST_CUES):
            # "去年粮食产量是多少？" asks what was achieved: the year's target (725亿斤以上) only if nothing else.
            found = list(self.figure_candidates(a, ev, want_date, False, measure_terms, focus_terms, avoid_target=True))
        found = found or list(self.figure_candidates(a, ev, want_date, want_target, measure_terms, focus_terms))
        if not found and want_target and not strong:
            # Only a weak cue (今年) asked for a target: any figure of the asked measure may answer.
            want_target = False
            found = list(self.figure_candidates(a, ev, want_date, False, measure_terms, focus_terms))
        return found, want_target

    def _answer_figure(self, a: Analysis, ev: Evidence, found: list, q_terms: set[str],
                       extra: list[Figure] = (), chosen: tuple[Figure, float] | None = None) -> Composed | None:
        """The answer with the best of ``found`` (or the already ``chosen`` figure and its score), the figures
        of its clause group, and ``extra`` figures of its sentence that further asks of the question want."""
        hits = ev.hits
        found = found if chosen else _in_asked_units(a, found)
        if not found:
            units = "”“".join(sorted(asked_units(a.question)))
            return self._refuse(message("assistant.answer.figure.no_figure_in_unit", noun=self.noun, units=units),
                                [Hit(h.id, h.score) for h in hits[:3]], route="number-refusal")
        fig, score = chosen or self._best_figure([f for f, _ in found], [r for _, r in found])
        mismatch = None if chosen else self._figure_mismatch(a, fig) or self._figure_unsupported(a, fig, score)
        if mismatch and not ASKS_NUMBER.search(a.question):
            return None  # "开局咋样？" asks how things stand, not for a number: the general answer reads on
        if mismatch:
            return self._refuse(message("assistant.answer.figure.no_such_figure", noun=self.noun, what=mismatch),
                                [Hit(h.id, h.score) for h in hits[:3]], route="number-refusal")
        # Figures that share the clause group (每月不少于2次，每次不少于2天) are one answer.
        same = [f for f in self.figures_of(fig.sentence_start) if f.kind == fig.kind
                and abs(f.start - fig.start) <= 40 and (f is fig or any(t in f.measure.lower() for t in q_terms))]
        same += [f for f in extra if f not in same]
        citer = self._citer()
        n = citer.cite(fig.sentence_start, fig.sentence_end, self._section_of(fig.sentence_start))
        shown = []
        if len({f.measure for f in same}) == 1 and len(fig.measure) <= 45:
            shown = [fig.measure]  # one clause holds them all: 12个国控、18个省控、8个市控断面…
        # The figure that matched the question best leads; the others of its clause group follow in text order.
        for f in [fig] + sorted((f for f in same if f is not fig), key=lambda f: f.start):
            label = f.measure if len(f.measure) <= 18 else f.text
            if not shown or (len(set(x.measure for x in same)) > 1 and label not in shown):
                shown.append(label)
        lead = "、".join(f"**{x}**" for x in shown)
        return Composed(f"{lead}[{n}]\n\n> {_quote(fig.sentence)}[{n}]", True, citer, route="number")

    def figure_query(self, a: Analysis) -> tuple[bool, bool, list[str], set[str], set[str]]:
        """What a number question asks for: a date?, a target?, its measure words, its last clause's words,
        and all its words (with their glossary terms)."""
        want_date = bool(re.search(r"哪天|哪年|什么时候|日期|时间|几点到|几点钟|when|date|what year|what time",
                                   a.question, re.I))
        # Whole words (and their glossary terms) found in a figure's clause; search-mode pieces would
        # count 空气质量 three times.
        q_terms = _terms_with_expansions(a.question, self.expand)
        focus_terms = _terms_with_expansions(last_clause(a.question), self.expand)
        # A question asking for a target wants a figure the text sets as one, about the asked measure.
        question = a.question.lower()
        strong = any(c in question for c in TARGET_CUES if c not in WEAK_TARGET_CUES)
        # A weak cue (今年) asks for a target unless the question asks what has happened (比去年同期少了几天).
        weak = any(c in question for c in WEAK_TARGET_CUES) and not any(_cue(c, question) for c in PAST_CUES)
        want_target = strong or weak
        measure_terms = [t for t in q_terms if t not in TARGET_CUES]
        return want_date, want_target, measure_terms, focus_terms, q_terms

    def figure_candidates(self, a: Analysis, ev: Evidence, want_date: bool, want_target: bool,
                          measure_terms: list[str], focus_terms: set[str], avoid_target: bool = False):
        """(figure, ``FIGURE_FEATURES`` row) for every figure that may answer: in the best sentences (the
        last clause's own first, or the asked body's tasks), of the asked kind, about the asked measure."""
        hits = ev.hits
        candidates = hits[:3]
        focus = last_clause(a.question)
        if focus != a.question and content_terms(focus):
            # A merged follow-up ("…反馈了多少问题，几个没整改完？"): the last clause's own best sentences first.
            own = ev.focus_hits
            candidates = own + [h for h in candidates if h.id not in {o.id for o in own}]
        if a.actors:
            # "公安局…每月几次？": the number is in one of that actor's tasks.
            own = {d.sentence_id for n in a.actors for d in self.duties_of(n)}
            order = {h.id: i for i, h in enumerate(hits)}
            candidates = [Hit(sid, 0.0) for sid in sorted(own, key=lambda sid: order.get(sid, len(order)))]
        unit, qualifiers = asked_unit(a.question), asked_qualifiers(a.question)
        for rank, hit in enumerate(candidates):
            sent = self.sentence_by_id[hit.id]
            first = True
            for fig in self.figures_of(sent.start):
                is_first, first = first, False
                if (fig.kind == "date") != want_date or (want_target and fig.kind != "target") \
                        or (avoid_target and fig.kind == "target"):
                    continue
                # Terms are lower-cased by the tokenizer (pm2.5), so the measure is compared lower-cased too.
                measure = fig.measure.lower()
                overlap = sum(term_share(t, measure) for t in measure_terms)
                focus_overlap = sum(term_share(t, measure) for t in focus_terms if t not in TARGET_CUES)
                if overlap + focus_overlap == 0 and (rank > 0 or want_target):
                    continue
                yield fig, figure_features(overlap, focus_overlap, rank, hit.dense, fig.kind == "target", is_first,
                                           self._unit_fit(fig, unit, measure_terms),
                                           any(q in fig.qualifier for q in qualifiers))

    @cached_property
    def _figure_starts(self) -> list[int]:
        return [f.start for f in self.figures]   # figures are extracted in text order

    def _unit_fit(self, fig: Figure, asked: str, terms: list[str]) -> tuple[float, float]:
        """How the figure's unit fits the question: asked in another unit (多少座 → 130亩) is -1, in its own 1,
        and else the share, among its document's figures about the asked measure, of those counted in its
        unit (GDP is told in 元 and %, hardly in 个), against the other units' (a prior read from the document)."""
        own = base_unit(fig.unit) if fig.unit else ""
        doc = self.corpus.locate(fig.start)
        lo, hi = bisect.bisect_left(self._figure_starts, doc.start), bisect.bisect_left(self._figure_starts, doc.end)
        units = [base_unit(f.unit) if f.unit else "" for f in self.figures[lo:hi]
                 if f.kind != "date" and any(t in f.measure.lower() for t in terms)]
        # Laplace-smoothed: a measure the document gives once says little about its unit.
        return _stated_unit(fig, asked), (units.count(own) + 1) / (len(units) + 2)

    def _best_figure(self, figures: list[Figure], rows: list[list[float]]) -> tuple[Figure, float]:
        """The likeliest figure by the fitted selection model (ties: the earlier candidate) with its score;
        without it, the one whose measure holds most question words, then the best-ranked sentence."""
        if self.figure_selection is None:
            return max(zip(figures, rows), key=lambda fr: (fr[1][0] + fr[1][1], fr[1][2]))[0], 1.0
        p = self.figure_selection.scores(np.array(rows))
        best = min(range(len(p)), key=lambda i: (-round(float(p[i]), 6), i))
        return figures[best], float(p[best])

    def _present_terms(self, text: str) -> list[str]:
        """A text's content words that the document uses (numbers aside)."""
        return [t for t in content_terms(text) if t in self.text_lower and not t.isdigit()]

    def figure_check_row(self, a: Analysis, fig: Figure, score: float) -> list[float]:
        """The ``FIGURE_CHECK_FEATURES`` of the figure a number question would be answered with."""
        return figure_check_features(self._present_terms(a.question), self._present_terms(last_clause(a.question)),
                                     self._paragraph_at(fig.start).text.lower(), fig.sentence.lower(),
                                     # The target cue (目标) says which kind of figure, not which one.
                                     fig.measure.lower(), self._rarest_term(a, TARGET_CUES), len(self.missing_terms(a)), score,
                                     a.english, _stated_unit(fig, asked_unit(a.question)))

    def _figure_unsupported(self, a: Analysis, fig: Figure, score: float) -> str | None:
        """The question's words the figure's paragraph lacks, when the fitted figure check says the figure
        does not answer the question (without the model: when under a third of them are there)."""
        context = self._paragraph_at(fig.start).text.lower()
        present = self._present_terms(a.question)
        absent = [t for t in present if term_share(t, context) < 1]
        if self.figure_check is not None:
            unsupported = self.figure_check.scores(np.array([self.figure_check_row(a, fig, score)]))[0] \
                < self.figure_check.threshold
        else:
            unsupported = bool(present) and (len(present) - len(absent)) * 3 < len(present)
        if not unsupported:
            return None
        return "“" + "”“".join(absent) + "”" if absent else message("assistant.answer.figure.this_aspect")

    def _figure_mismatch(self, a: Analysis, fig: Figure) -> str | None:
        """Why a figure does not answer the question: a year, place or body the question names is not in
        its sentence, or most of the question's words are elsewhere (商洛市的优良天数 ≠ 安康的)."""
        paragraph = self._paragraph_at(fig.start)
        # The headings above count: a report's "一、2024年工作回顾" dates every figure under it.
        context = (paragraph.text + " ".join(paragraph.path)).lower()
        for year in a.years:
            if year not in context:
                return message("assistant.answer.figure.year", year=year)
        for body in a.mentioned:
            if not any(f in context for f in self.registry.forms_of(body)):
                return body
        for place in named_places(a.question):
            # The document's own place is implied and left out of the question before it gets here.
            if place.lower() not in context and short_form(place).lower() not in context:
                return place
        if fig.kind == "date":
            # A date answers "when" only for the event the question names (碳达峰哪年 ≠ 2020年).
            rare = self._rarest_term(a)
            if rare and rare not in context:
                return f"“{rare}”"
        if last_clause(a.question) != a.question and any(t not in self.text_lower for t in content_terms(last_clause(a.question))) \
                and not any(t in context for t in content_terms(last_clause(a.question))):
            return "“" + "”“".join(content_terms(last_clause(a.question))) + "”"
        return None


def _in_asked_units(a: Analysis, found: list) -> list:
    """The candidates in a unit the question asks in ("多少亿元" asks for an amount: a growth rate or a count
    of something else does not answer it); all of them when it names none."""
    asked = asked_units(a.question)
    return [(f, r) for f, r in found if any(_stated_unit(f, u) > 0 for u in asked)] if asked else found


_ASK_SPLIT = re.compile(r"[，,；;？?。]")


def number_asks(question: str) -> list[str]:
    """The clauses of a question that each ask for a number ("是多少", "排第几"), in order."""
    return [c for c in _ASK_SPLIT.split(question) if c.strip() and ASKS_NUMBER.search(c)]


def _stated_unit(fig: Figure, asked: str) -> float:
    """1 when the question asks in the figure's unit, -1 in another, 0 when it names none."""
    if not asked:
        return 0.0
    return 1.0 if fig.unit and base_unit(fig.unit) == asked else -1.0


def _cue(cue: str, question: str) -> bool:
    """A cue in a question: a Latin cue as a whole word (did, not candidate), a Chinese one anywhere."""
    if cue.isascii():
        return re.search(rf"\b{re.escape(cue)}\b", question) is not None
    return cue in question
