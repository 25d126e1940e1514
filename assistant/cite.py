"""Citations: verbatim spans of the canonical text, numbered [n] in the answer, and their verification."""
from __future__ import annotations

import bisect
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
    doc: str = ""
    doc_title: str = ""   # the document's short title, when several documents are loaded

    def to_dict(self) -> dict:
        out = asdict(self)
        if not self.doc_title:
            out.pop("doc_title")
        return out


# The last few passage lists a Citer was given, each with its passages by start: an answer makes a Citer, and
# sorting a library's 20,000 passages again for each was 8 ms of every ask at 1,000 documents. A list is
# held while it is here, so the identity test cannot meet another list at a reused address; lists of passages
# are not changed once made.
_ORDERED: list[tuple[list, list, list[int]]] = []


def _by_start(passages: list) -> tuple[list, list[int]]:
    for held, ordered, starts in list(_ORDERED):
        if held is passages:
            return ordered, starts
    ordered = sorted(passages, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    _ORDERED[:] = ([(passages, ordered, starts)] + _ORDERED)[:4]
    return ordered, starts


class CitationError(ValueError):
    """A citation that does not point exactly into the canonical text."""


class Citer:
    """Hands out [n] numbers for spans, one number per distinct span, in order of first use."""

    def __init__(self, text: str, passages: list, locate=None, titles: bool = False):
        """``text``: the combined corpus text; ``locate(pos)`` gives the document holding a position
        (citations carry that document's id and offsets local to its canonical text). ``titles``: several
        documents are loaded, so each citation names its document."""
        self.text = text
        self._locate = locate
        self._titles = titles
        self._passages, self._starts = _by_start(passages)
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
        doc_id, base, title = "", 0, ""
        if self._locate is not None:
            doc = self._locate(start)
            doc_id, base, title = doc.id, doc.start, doc.label() if self._titles else ""
        self.citations.append(Citation(n, self.text[start:end], start - base, end - base, section,
                                       self.passage_id(start), doc_id, title))
        self._by_span[(start, end)] = n
        return n

    def passage_id(self, pos: int) -> str:
        # Passages do not overlap: the one holding ``pos`` is the last that starts at or before it.
        i = bisect.bisect_right(self._starts, pos) - 1
        p = self._passages[i] if i >= 0 else None
        return p.id if p is not None and p.start <= pos < p.end else ""


def verify(answer: str, citations: list[Citation], source) -> None:
    """Raise unless every citation quotes its document's canonical text exactly and every [n] marker has
    its citation. ``source``: the text, or a function from document id to text."""
    numbers = {c.n for c in citations}
    for c in citations:
        text = source(c.doc) if callable(source) else source
        if not (0 <= c.start < c.end <= len(text)) or text[c.start:c.end] != c.quote:
            raise CitationError(f"citation [{c.n}] does not match the source at {c.start}:{c.end}")
    for marker in re.findall(r"\[(\d+)\]", answer):
        if int(marker) not in numbers:
            raise CitationError(f"answer marker [{marker}] has no citation")
