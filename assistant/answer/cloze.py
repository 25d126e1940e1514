"""Cloze questions: a quotation of the document with a number left blank (the example atop
``index/language/blanks.txt``) is answered with the number the document writes there. The quotation's own words
on both sides of the blank must occur in the documents as quoted (spaces aside); a blank is any word of that file."""
from __future__ import annotations

import re
from functools import lru_cache

from assistant import scope as document_scope
from assistant.answer.base import Composed, _quote
from assistant.clean import QUOTATION
from assistant.understand import Analysis
from index.language import message, read_list
from index.numerals import NUMBER_PATTERN

MAX_MATCHES = 3   # one blank the documents fill in more ways than this is not one place they quote


@lru_cache(maxsize=1)
def _blank() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(read_list("blanks.txt"), key=len, reverse=True))))


def cloze_pattern(quotation: str, min_words: int = 4) -> re.Pattern | None:
    """The regex of a quotation whose blanks are numbers (None without a blank, or with fewer than
    ``min_words`` characters of its own around them: too little to say where it is)."""
    parts = _blank().split(quotation)
    if len(parts) < 2 or sum(len(re.sub(r"\s", "", p)) for p in parts) < min_words:
        return None
    # Between any two characters a text may put a space (the speech writes its figures so); the words stay as quoted.
    literal = [r"\s*".join(map(re.escape, re.sub(r"\s", "", p))) for p in parts]
    return re.compile(rf"\s*({NUMBER_PATTERN})\s*".join(literal))


class ClozeAnswers:
    """``cloze_answer``: the number a quoted sentence with a blank has in the documents, with its sentence."""

    def cloze_answer(self, a: Analysis) -> Composed | None:
        for quoted in QUOTATION.findall(a.question):
            quotation = quoted[1:-1]
            pattern = cloze_pattern(quotation)
            if pattern is None or quotation in self.text:
                continue   # no blank, or the words are the document's own as they stand
            matches = self._cloze_matches(pattern)
            if matches and len(matches) <= MAX_MATCHES:
                return self._cloze_composed(matches)
        return None

    def _cloze_matches(self, pattern: re.Pattern) -> list[re.Match]:
        scope = document_scope.current()
        spans = scope.spans if scope is not None else [(0, len(self.text))]
        out: list[re.Match] = []
        for start, end in spans:
            out.extend(pattern.finditer(self.text, start, end))
            if len(out) > MAX_MATCHES:
                break
        return out

    def _cloze_composed(self, matches: list[re.Match]) -> Composed:
        citer = self._citer()
        lines = []
        for m in matches:
            sent = self._sentence_at(m.start())
            n = citer.cite(sent.start, sent.end, self._section_of(sent.start))
            # The matched words with each filled blank in bold: what the quotation says in the document.
            filled, at = [], m.start()
            for g in range(1, len(m.groups()) + 1):
                filled += [self.text[at:m.start(g)], f"**{m.group(g)}**"]
                at = m.end(g)
            filled.append(self.text[at:m.end()])
            lead = message("assistant.answer.cloze.filled", noun=self.noun, filled="".join(filled))
            lines.append(f"{lead}[{n}]\n\n> {_quote(sent.text)}[{n}]")
        return Composed("\n\n".join(lines), True, citer, route="cloze")
