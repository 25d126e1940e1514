"""General answers: the best supporting sentences, a heading with the section under it."""
from __future__ import annotations

from assistant.answer.base import (
    MAX_GENERAL_SENTENCES,
    MAX_SECTION_SENTENCES,
    Composed,
    _is_heading,
    _quote,
)
from assistant.retrieve.hits import Evidence
from assistant.understand import Analysis


class GeneralAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def general_answer(self, a: Analysis, ev: Evidence) -> Composed:
        hits = ev.hits
        citer = self._citer()
        top = hits[0]
        chosen = [top]
        top_sent = self.sentence_by_id[top.id]
        for h in hits[1:6]:
            sent = self.sentence_by_id[h.id]
            close = h.score >= 0.9 * top.score or (sent.paragraph == top_sent.paragraph and h.score >= 0.8 * top.score)
            if close and len(chosen) < MAX_GENERAL_SENTENCES:
                chosen.append(h)
        sentences = sorted((self.sentence_by_id[h.id] for h in chosen), key=lambda s: s.start)
        # A heading (the sentence that names its section, or a short one such as 四是执法监管还不严。) is
        # answered with the sentences under it, across the section's paragraphs.
        if len(top_sent.text) <= 16 or _is_heading(top_sent):
            depth = len(top_sent.path)
            body = [s for s in self.sentences if s.start > top_sent.start and s.path[:depth] == top_sent.path
                    and (s.paragraph == top_sent.paragraph or _is_heading(top_sent))][:MAX_SECTION_SENTENCES]
            sentences = sorted({s.id: s for s in sentences + body}.values(), key=lambda s: s.start)
        lines = [f"讲话在“{top_sent.section}”部分谈到："]
        for sent in sentences:
            lines.append(f"> {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
        return Composed("\n".join(lines), True, citer, route="general")
