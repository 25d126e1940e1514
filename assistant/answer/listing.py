"""List answers: the document's own enumerations (parts, 一是…, 在…方面 topics, inline items), or one
named item with the sentences under it."""
from __future__ import annotations

import re

import numpy as np

from assistant import scope as document_scope
from assistant.answer.base import _FRAME_BIGRAMS, Composed, _quote
from assistant.answer.selection import list_features
from assistant.retrieve.hits import Evidence
from assistant.understand import Analysis
from index.enumerations import Group
from index.language import message, read_list
from index.numerals import NUMERAL, NUMERAL_CHARS, to_chinese
from index.segment import DISTRIBUTION_LABEL, TITLE_LABEL, Sentence


class ListAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def group_candidates(self, a: Analysis, hits) -> list[tuple[Group, list[float]]]:
        """Every enumeration of the document with its features against the question (``LIST_FEATURES``)."""
        structure = bool(_STRUCTURE.search(a.question))
        count = _count_word(a.question)
        part = _part_number(a.question)
        question = f"{a.question} {self.expand(a.question)}"
        starts = [self.sentence_by_id[h.id].start for h in hits[:5]]
        out = []
        for g in self.groups:
            if not g.items or not document_scope.holds(g.start):   # a list of another document is not asked for
                continue
            item_starts = {start for start, _, _ in g.items}
            intro = self.text[g.start:g.items[0][0]]
            parent = self._parent_heading(g)
            # The heading is looked for in the list's own document (a library repeats headings).
            parent_at = self.text.find(parent, self.corpus.locate(g.start).start, g.items[0][0]) if parent else -1
            out.append((g, list_features(
                hit_item=sum(1.0 / (r + 1) for r, st in enumerate(starts) if st in item_starts),
                hit_intro=sum(1.0 / (r + 1) for r, st in enumerate(starts) if g.start <= st < g.items[0][0]),
                hit_parent=sum(1.0 / (r + 1) for r, st in enumerate(starts) if parent_at >= 0 and st == parent_at),
                share_items=_bigram_share(question, "".join(self.text[s:e] for s, e, _ in g.items) + intro[:60]),
                share_parent=_bigram_share(question, parent),
                part_match=bool(part) and self._in_part(g, part), count_match=count == len(g.items),
                parts=g.label == "parts", structure=structure)))
        return out

    def _best_group(self, a: Analysis, hits) -> Group | None:
        """The enumeration the question asks for: the fitted list selection model's likeliest one, if it
        clears the model's threshold (without the model, the features' plain sum must reach 1.5)."""
        found = self.group_candidates(a, hits)
        if not found:
            return None
        rows = np.array([row for _, row in found])
        if self.list_selection is not None:
            p = self.list_selection.scores(rows)
            threshold = self.list_selection.threshold
        else:
            p, threshold = rows.sum(axis=1), 1.5
        # Near-ties (within 1e-6) go to document order, so every machine picks the same list.
        best = min(range(len(p)), key=lambda i: (-round(float(p[i]), 6), i))
        return found[best][0] if p[best] >= threshold else None

    def list_answer(self, a: Analysis, ev: Evidence) -> Composed | None:
        best = self._best_group(a, ev.hits)
        if best is None:
            return None
        item = _named_item(a.question, best, self.text)
        if item is not None:
            return self.item_answer(item)
        citer = self._citer()
        intro = self._list_intro(best)
        if intro is not None:
            lines = [message("assistant.answer.listing.head_intro", noun=self.noun, count=len(best.items),
                             intro=_quote(intro.text), n=citer.cite(intro.start, intro.end, intro.section))]
        else:
            lines = [message("assistant.answer.listing.head", noun=self.noun, count=len(best.items))]
        for k, (start, end, section) in enumerate(best.items, 1):
            lines.append(f"{k}. {_quote(self.text[start:end])}[{citer.cite(start, end, section)}]")
        return Composed("\n".join(lines), True, citer, route="list",
                        items=[self.text[start:end] for start, end, _ in best.items])

    def _parent_heading(self, group: Group) -> str:
        first = self._sentence_at(group.items[0][0])
        return first.path[-2] if len(first.path) >= 2 else ""

    def _in_part(self, group: Group, part: int) -> bool:
        first = self._sentence_at(group.items[0][0])
        return bool(first.path) and first.path[0].startswith(to_chinese(part) + "、")

    def _list_intro(self, group: Group) -> Sentence | None:
        """The sentence that announces a list ("下面，我强调四点意见。", "我重点强调四个方面工作："), if any."""
        before = [s for s in self.sentences if s.end <= group.items[0][0]]
        if not before:
            return None
        last = before[-1]
        announces = re.search(rf"[{NUMERAL_CHARS}两\d][点个项条大]|[：:]$", last.text)
        return last if announces and last.path and last.path[0] not in (TITLE_LABEL, DISTRIBUTION_LABEL) else None

    def item_answer(self, item: tuple[int, int, str]) -> Composed:
        """One item of a list the question names (执法监管还不严 → what it consists of): heading and body."""
        head = self._sentence_at(item[0])
        body = [s for s in self.sentences if s.paragraph == head.paragraph and s.start > head.start
                and (s.path == head.path or len(head.path) == len(s.path))][:6]
        citer = self._citer()
        lines = [message("assistant.answer.general.head", named=self._named(head.start), section=head.section)]
        for sent in [head] + body:
            lines.append(f"> {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
        return Composed("\n".join(lines), True, citer, route="item")


# A question about the document's structure (its parts) rather than one list in it.
_STRUCTURE = re.compile("|".join(read_list("structure_question_words.txt")) + r"|\bparts\b", re.I)
_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}


def _part_number(question: str) -> int | None:
    """"第四部分" → 4: the part of the speech a question points at."""
    m = re.search(r"第([一二三四1-4])(?:部分|大部分|点意见)|part\s*([1-4])|(first|second|third|fourth) part", question, re.I)
    if not m:
        return None
    token = next(g for g in m.groups() if g)
    return {"一": 1, "二": 2, "三": 3, "四": 4, "first": 1, "second": 2, "third": 3, "fourth": 4}.get(token.lower(),
                                                                                              int(token) if token.isdigit() else None)


def _count_word(question: str) -> int | None:
    m = re.search(r"([两二三四五六2-6])(?:个|项|点|部分|方面|件|条|大|“)", question)
    return _COUNTS[m.group(1)] if m else None


def _named_item(question: str, group: Group, text: str) -> tuple[int, int, str] | None:
    """The one item of a list whose own words (≥ 4 characters) the question repeats, if exactly one."""
    named = []
    for item in group.items:
        core = re.sub(f"^{NUMERAL}[是要、]|^第{NUMERAL}，|^在|方面$|[。；，]$", "",
                      text[item[0]:item[1]])
        if any(core[i:i + 4] in question for i in range(len(core) - 3)):
            named.append(item)
    return named[0] if len(named) == 1 else None


def _bigram_share(question: str, text: str) -> float:
    """Share of the question's content bigrams found in a text (robust to jieba's cuts)."""
    core = re.sub(r"[\W_a-zA-Z0-9]", "", question)
    grams = {core[i:i + 2] for i in range(len(core) - 1)}
    grams = {g for g in grams if not (_FRAME_BIGRAMS.match(g[0]) and _FRAME_BIGRAMS.match(g[1]))}
    return sum(g in text for g in grams) / len(grams) if grams else 0.0
