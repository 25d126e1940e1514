"""General answers: the best supporting sentences, a heading with the section under it."""
from __future__ import annotations

import numpy as np

from assistant.answer.base import (
    MAX_GENERAL_SENTENCES,
    MAX_SECTION_SENTENCES,
    Composed,
    _is_heading,
    _quote,
)
from assistant.answer.selection import sentence_features
from assistant.retrieve.hits import Evidence, Hit
from assistant.understand import Analysis
from index.language import message


GENERAL_CANDIDATES = 5  # how many hits after the best one a general answer considers


class GeneralAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def general_answer(self, a: Analysis, ev: Evidence) -> Composed:
        hits = ev.hits
        citer = self._citer()
        top = hits[0]
        top_sent = self.sentence_by_id[top.id]
        chosen = [top] + self._supporting(hits)
        sentences = sorted((self.sentence_by_id[h.id] for h in chosen), key=lambda s: s.start)
        # A heading (the sentence that names its section, or a short one such as 四是执法监管还不严。) is
        # answered with the sentences under it, across the section's paragraphs.
        if len(top_sent.text) <= 16 or _is_heading(top_sent):
            depth = len(top_sent.path)
            body = []
            # The sentences after it, while they are under its heading (a section is one run of sentences; the
            # same heading in another document is another section).
            for s in self.sentences[self.row[top_sent.id] + 1:]:
                if s.path[:depth] != top_sent.path or len(body) == MAX_SECTION_SENTENCES:
                    break
                if s.paragraph == top_sent.paragraph or _is_heading(top_sent):
                    body.append(s)
            sentences = sorted({s.id: s for s in sentences + body}.values(), key=lambda s: s.start)
        lines = [message("assistant.answer.general.head", named=self._named(top_sent.start), section=top_sent.section)]
        for sent in sentences:
            lines.append(f"> {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
        return Composed("\n".join(lines), True, citer, route="general")

    def sentence_candidates(self, hits: list[Hit]) -> np.ndarray:
        """``SENTENCE_FEATURES`` of the hits after the best one (up to ``GENERAL_CANDIDATES`` of them)."""
        top = hits[0]
        top_sent = self.sentence_by_id[top.id]
        rows = [sentence_features(top, h, rank, top_sent.paragraph, self.sentence_by_id[h.id].paragraph,
                                  self.row[top.id], self.row[h.id])
                for rank, h in enumerate(hits[1:1 + GENERAL_CANDIDATES], start=1)]
        return np.array(rows, dtype=np.float64).reshape(len(rows), -1)

    def _supporting(self, hits: list[Hit]) -> list[Hit]:
        """The further hits the fitted selection model adds to the best one, in rank order (none without it)."""
        if self.sentence_selection is None or len(hits) < 2:
            return []
        p = self.sentence_selection.scores(self.sentence_candidates(hits))
        kept = [h for h, pi in zip(hits[1:], p) if pi >= self.sentence_selection.threshold]
        return kept[:MAX_GENERAL_SENTENCES - 1]
