"""Citations: verbatim spans of the canonical text, numbered [n] in the answer, and their verification."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass


@dataclass
class Citation:
    n: int
    quote: str
    start: int
    end: int
    section: str
    passage_id: str

    def to_dict(self) -> dict:
        return asdict(self)


class CitationError(ValueError):
    """A citation that does not point exactly into the canonical text."""


class Citer:
    """Hands out [n] numbers for spans, one number per distinct span, in order of first use."""

    def __init__(self, text: str, passages: list):
        self.text = text
        self._passages = sorted(passages, key=lambda p: p.start)
        self.citations: list[Citation] = []
        self._by_span: dict[tuple[int, int], int] = {}

    def cite(self, start: int, end: int, section: str) -> int:
        # Trim whitespace so the quote is exactly the words shown.
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if (start, end) in self._by_span:
            return self._by_span[(start, end)]
        n = len(self.citations) + 1
        self.citations.append(Citation(n, self.text[start:end], start, end, section, self.passage_id(start)))
        self._by_span[(start, end)] = n
        return n

    def passage_id(self, pos: int) -> str:
        for p in self._passages:
            if p.start <= pos < p.end:
                return p.id
        return ""


def verify(answer: str, citations: list[Citation], source: str) -> None:
    """Raise unless every citation quotes the source exactly and every [n] marker has its citation."""
    numbers = {c.n for c in citations}
    for c in citations:
        if not (0 <= c.start < c.end <= len(source)) or source[c.start:c.end] != c.quote:
            raise CitationError(f"citation [{c.n}] does not match the source at {c.start}:{c.end}")
    for marker in re.findall(r"\[(\d+)\]", answer):
        if int(marker) not in numbers:
            raise CitationError(f"answer marker [{marker}] has no citation")
