"""Refusals: the fact-based ones (unknown bodies, untasked bodies, absent years, slogans the text only
names) and the fitted answerability score over evidence features."""
from __future__ import annotations

import re
from functools import cached_property

import numpy as np

from assistant.answer.base import Composed
from assistant.places import absent_places
from assistant.retrieve.hits import Evidence, Hit
from assistant.understand import Analysis
from index.language import message, read_list, read_words
from index.numerals import NUMERAL_CHARS, parse_int
from index.tokens import content_terms


# A question asking what the members of something are.
_ASKS_MEMBERS = re.compile("|".join(read_list("members_question_words.txt"))
                           + rf"|哪[{NUMERAL_CHARS}两\d]|what (are|is)")
# A number, a measure word and the noun it counts (12个硫铁矿点, 3个生态环境问题).
_COUNTED_PHRASE = re.compile(r"(\d+|[两二三四五六七八九十]+)\s*(个|项|条|处|件|座|家|名|类|批|部|点)([\u4e00-\u9fff]{2,8})")
# Text right after a counted phrase that introduces its items.
_INTRODUCES = re.compile(r"[^。；]{0,10}[：:即]|[^。；]{0,10}(?:分别|包括)")
_LIST_FOLLOWS = 300  # characters: an enumeration that starts this close after the phrase spells it out


_CLAUSE_END = re.compile(r"[，,。；;：:！？\n（(]")
_ITEM_SEPARATOR = re.compile(r"[、]|(?<=.)(?:" + "|".join(sorted(read_words("conjunctions.txt"), key=len, reverse=True))
                             + r")(?=.)")


def _listed_before(text: str, start: int, count: int | None) -> bool:
    """Whether the clause right before ``start`` lists ``count`` items ("A、B、C and D, 4 industries"):
    Chinese often names the items before counting them."""
    if not count or count < 2:
        return False
    clause = text[max(0, start - 160):start]
    ends = list(_CLAUSE_END.finditer(clause))
    clause = clause[ends[-1].end():] if ends else clause
    if "、" not in clause:
        return False
    parts = [x for x in _ITEM_SEPARATOR.split(clause) if x.strip()]
    return len(parts) == count


class Refusals:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def _refusal(self, a: Analysis, ev: Evidence) -> Composed | None:
        hits = ev.hits
        """Refuse when the document cannot answer: no content, an unknown body, an absent year, or a low
        fitted answerability score."""
        if not a.has_content:
            return self._refuse(message("assistant.answer.refusal.no_text"))
        if a.unknown and not a.actors and not a.mentioned:
            tasked = "、".join(n for n in self._tasked_actors() if self.registry.get(n).kind in ("bureau", "office"))
            listing = message("assistant.answer.refusal.tasked_bodies", bodies=tasked) if tasked else ""
            return self._refuse(message("assistant.answer.refusal.unknown_body", noun=self.noun,
                                        bodies="、".join(a.unknown), listing=listing))
        absent = self._absent_places(a)
        if absent:
            return self._refuse(message("assistant.answer.refusal.not_mentioned", noun=self.noun,
                                        what="、".join(absent)), hits)
        if a.mentioned and not a.actors and a.asks_duty and not self._best_hits_name(a.mentioned, hits[:3]):
            # No "X要…" task for the body, and the best sentences do not name it either. (When they do, the
            # document says what is expected of it in other words: they answer.)
            return self._refuse(message("assistant.answer.refusal.untasked", noun=self.noun,
                                        bodies="、".join(a.mentioned)), self._mentions(a.mentioned))
        missing_years = [y for y in a.years if y not in self.text_lower]
        if missing_years:
            return self._refuse(message("assistant.answer.refusal.absent_years", noun=self.noun,
                                        years="、".join(missing_years)), hits)
        if a.actors and a.intent == "duty":
            return None
        if not hits:
            return self._refuse(message("assistant.answer.refusal.nothing", noun=self.noun))
        features = self.features(a, hits) if self.answerability is not None else None
        if features is not None and a.injection and self.answerability.instruction(features):
            return self._refuse_instruction()
        if features is not None and not self.answerability.answerable(features):
            if a.injection:
                return self._refuse_instruction()
            missing = self.missing_terms(a)
            said = f"“{'”“'.join(missing)}”" if missing else message("assistant.answer.refusal.this_aspect")
            return self._refuse(message("assistant.answer.refusal.not_mentioned", noun=self.noun, what=said), hits)
        return None

    def features(self, a: Analysis, hits: list[Hit]) -> dict[str, float]:
        """The evidence features of the answerability model (assistant.models.FEATURES)."""
        terms = content_terms(a.question)
        if a.english:
            expanded = self.expand(a.question).split()
            terms = [t for t in expanded if len(t) >= 2]
        top = [self.sentence_by_id[h.id] for h in hits[:5]]
        top_lower = [t.text.lower() for t in top]
        top_text = "".join(top_lower[:3])
        dense = sorted((h.dense for h in hits), reverse=True)
        coverage = [(sum(t in x for t in terms) / len(terms)) if terms else 0.0 for x in top_lower]
        with_figure = [c for c, t in zip(coverage, top) if t.id in self._figure_sentences]
        figure = a.probabilities.get("figure", 0.0)
        best = coverage.index(max(coverage)) if coverage else 0
        rarest = self._rarest_term(a)
        return {
            "dense_top": dense[0] if dense else 0.0,
            "dense_margin": (dense[0] - dense[-1]) if len(dense) > 1 else 0.0,
            "bm25_top": float(np.log1p(max((h.bm25 for h in hits), default=0.0))),
            "doc_coverage": (sum(t in self.text_lower for t in terms) / len(terms)) if terms else 0.0,
            "evidence_coverage": (sum(t in top_text for t in terms) / len(terms)) if terms else 0.0,
            "unknown_body": float(bool(a.unknown)),
            "known_body": float(bool(a.actors or a.mentioned)),
            "missing_year": float(any(y not in self.text_lower for y in a.years)),
            "out_of_scope": float(a.probabilities.get("out_of_scope", 0.0)),
            "english": float(a.english),
            # A number of two or more digits that the text itself uses ("325那个数是啥？").
            "quoted_number": float(any(n in self.text_lower for n in re.findall(r"\d{2,}(?:\.\d+)?", a.question))),
            "sentence_coverage": max(coverage, default=0.0),
            "figure_asked": figure,
            "figure_missing": figure * float(not top or top[best].id not in self._figure_sentences),
            "figure_coverage": figure * max(with_figure, default=0.0),
            "missing_terms": float(len(self.missing_terms(a))),
            "rarest_in_top": float(bool(rarest) and bool(top_lower) and rarest in top_lower[0]),
            "rarest_in_top3": float(bool(rarest) and any(rarest in x for x in top_lower[:3])),
        }

    @cached_property
    def _figure_sentences(self) -> set[str]:
        """The sentences that hold one of the document's figures."""
        return {self._sentence_at(f.start).id for f in self.figures}

    def missing_terms(self, a: Analysis) -> list[str]:
        """Content words of a Chinese question that occur nowhere in the document."""
        if a.english:
            return []
        missing = []
        for term in content_terms(a.question):
            if term in self.text_lower:
                continue
            # A word whose every two-character piece is in the text is a rephrasing, not a new topic.
            pieces = [term[i:i + 2] for i in range(len(term) - 1)]
            if pieces and all(p in self.text_lower for p in pieces):
                continue
            missing.append(term)
        return missing

    def _best_hits_name(self, names: list[str], hits: list[Hit]) -> bool:
        forms = [f for n in names for f in self.registry.forms_of(n)]
        return any(f in self.sentence_by_id[h.id].text for h in hits for f in forms)

    def _refuse_instruction(self) -> Composed:
        """An instruction or a request outside the documents: said plainly, with what can be asked instead."""
        return self._refuse(message("assistant.answer.refusal.instruction", noun=self.noun))

    def _absent_places(self, a: Analysis) -> list[str]:
        """Places the question names that the documents never write (another province, in a province's report);
        the tagger runs only when some word of the question is not in the documents."""
        if a.english or all(t in self.text_lower for t in content_terms(a.question)):
            return []
        return absent_places(a.question, self.text_lower)

    def _unlisted_count(self, a: Analysis) -> str | None:
        """A counted noun phrase the question asks to list (12个硫铁矿点分别在哪) that the document only
        counts: nothing after it introduces the items (a colon, 即, 包括), and no enumeration of that many
        items follows it (我讲四点意见。→ its four parts)."""
        if not _ASKS_MEMBERS.search(a.question):
            return None
        for m in _COUNTED_PHRASE.finditer(a.question):
            number, unit, noun = m.groups()
            count = parse_int(number)
            pattern = rf"{re.escape(number)}\s*{re.escape(unit)}\s*{re.escape(noun[:2])}"
            places = list(re.finditer(pattern, self.text))
            if not places or count is None:
                continue
            spelled = any(_INTRODUCES.match(self.text[p.end():p.end() + 14]) or _listed_before(self.text, p.start(), count)
                          or any(len(g.items) == count and 0 <= g.items[0][0] - p.end() <= _LIST_FOLLOWS
                                 for g in self.groups)
                          for p in places)
            if not spelled:
                # As the document writes it, as far as the question's noun goes (12个硫铁矿点).
                start, end = places[0].start(), places[0].end()
                while end < len(self.text) and end - places[0].end() + 2 < len(noun) \
                        and self.text[end] == noun[end - places[0].end() + 2]:
                    end += 1
                return self.text[start:end]
        return None

    def _unexpanded_slogan(self, a: Analysis) -> str | None:
        """A numbered slogan the question asks to spell out (“五个一流”具体是什么) that the speech only names."""
        if not _ASKS_MEMBERS.search(a.question):
            return None
        for m in re.finditer(r"[“\"「]([^”\"」]{2,12})[”\"」]", a.question):
            term = m.group(1)
            if not re.search(rf"[{NUMERAL_CHARS}两\d]+[个项条点大字]", term) or f"“{term}”" not in self.text:
                continue
            i = self.text.index(f"“{term}”") + len(term) + 2
            count = re.search(rf"[{NUMERAL_CHARS}两\d]+", term)
            # Spelled out when a colon or 即 right after it introduces the items, or its items come right
            # before it (A、B、…、E“five projects”).
            if not re.match(r"[^。；]{0,6}[：即]", self.text[i:i + 8]) and not (
                    count and _listed_before(self.text, i - len(term) - 2, parse_int(count.group(0)))):
                return term
        return None
