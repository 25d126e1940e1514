"""Common names: a question that says GDP, CPI or 交通厅 is read in the words the loaded documents write.

The groups of equivalent names are general official language (``index/language/common_names.txt``);
which name of a group the documents use is read from their text when the assistant opens. A name the
documents never write, and a Latin abbreviation (GDP) when they also write an official name, is replaced
by the first official name of its group that they write, so retrieval, the figure and duty
answerers and the refusal checks all see the document's own term.
"""
from __future__ import annotations

import re

from assistant.places import drop_own
from index.language import read_groups

FILE = "common_names.txt"


class CommonNames:
    """Rewrites a question's common names into the documents' own (a callable: ``names(question)``)."""

    def __init__(self, text: str, groups: tuple[tuple[str, ...], ...] | None = None,
                 own: frozenset[str] = frozenset(), cut=None):
        # ``own``: the place the (one) document is about, implied in a question and dropped from it.
        self.own, self._cut = own, cut
        lowered = text.lower()
        self.swaps: dict[str, str] = {}
        for group in groups if groups is not None else read_groups(FILE):
            present = [n for n in group if n.lower() in lowered]
            if not present:
                continue
            # A Latin abbreviation (GDP) is the everyday name; a document that also writes an official one
            # (地区生产总值) states its figures in that: "去年GDP总量" is read in it, even where GDP also occurs.
            everyday = group[0] if group[0].isascii() else None
            official = [n for n in group if n in present and n != everyday]
            target = official[0] if official else group[0]
            for name in group:
                if name != target and (name not in present or name == everyday):
                    self.swaps.setdefault(name.lower(), target)
        # Longest names first (人均GDP before GDP); a Latin name only as a whole word (GDP, not GDPR).
        alternatives = [_bounded(n) for n in sorted(self.swaps, key=len, reverse=True)]
        self._pattern = re.compile("|".join(alternatives), re.I) if alternatives else None

    def __call__(self, question: str) -> str:
        # The own place goes first: after 北京GDP → 北京地区生产总值 it would be cut as one word (北京地区).
        if self.own and self._cut:
            question = drop_own(question, self.own, self._cut)
        if self._pattern is not None:
            question = self._pattern.sub(lambda m: self.swaps[m.group(0).lower()], question)
        return question


def _bounded(name: str) -> str:
    left = r"(?<![A-Za-z])" if name[:1].isascii() and name[:1].isalpha() else ""
    right = r"(?![A-Za-z])" if name[-1:].isascii() and name[-1:].isalpha() else ""
    return left + re.escape(name) + right
