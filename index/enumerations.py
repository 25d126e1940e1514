"""Derive the document's enumerations: its parts, runs of sections that share a marker style (第一，/一是/
一要/在…方面), and inline 一是… items inside a paragraph — each with the span of the sentence that
introduces it, so "哪几个/哪些" questions get the whole list."""
from __future__ import annotations

import re
from itertools import groupby
from dataclasses import dataclass

from index.numerals import NUMERAL
from index.segment import Document, Sentence, split_sentences


@dataclass
class Group:
    """One enumeration in the document (parts, 一是…四是, 在…方面 topics, inline 一是… items)."""

    label: str
    start: int
    end: int
    items: list[tuple[int, int, str]]  # (start, end, section) of each item's heading


def derive_enumerations(doc: Document) -> list[Group]:
    """The speech's own lists: its four parts, sections within a part, 在…方面 topics, inline 一是… items."""
    groups: list[Group] = []
    # Each document of a library (its paragraphs carry its id, in text order) has its own parts, spanning it.
    documents = [list(paragraphs) for _, paragraphs in groupby(doc.paragraphs, key=_doc_of)]
    for paragraphs in documents:
        start, end = (0, len(doc.text)) if len(documents) == 1 else (paragraphs[0].start, paragraphs[-1].end)
        groups.append(Group("parts", start, end, [(p.start, p.end, p.section) for p in paragraphs
                                                  if p.kind == "heading"]))
    body = [p for p in doc.paragraphs if p.kind == "body"]
    # Sections of one part that share a marker style form a list; so do the 在…方面 topics.
    styles = (f"^第{NUMERAL}，", f"^{NUMERAL}是", f"^{NUMERAL}要", r"^在[^，]{1,20}方面，")
    for style in styles:
        run: list = []
        for p in body + [None]:
            if p is not None and re.match(style, p.text) and (not run or (run[-1].path[0] == p.path[0]
                                                                          and _doc_of(run[-1]) == _doc_of(p))):
                run.append(p)
                continue
            if len(run) >= 2:
                items = []
                for para in run:
                    s, e = split_sentences(para.text, para.start)[0]
                    if style.startswith("^在"):
                        e = para.start + para.text.index("，")
                    items.append((s, e, para.section))
                start = _intro_start(doc, run[0])
                groups.append(Group(style, start, run[-1].end, items))
            run = [p] if p is not None and re.match(style, p.text) else []
    # Inline 一是… items inside one paragraph.
    for p in body:
        sents: list[Sentence] = p.sentences
        # The first sentence usually introduces the list; it is an item itself when it opens with 一是.
        items = [(s.start, s.end, s.section) for k, s in enumerate(sents)
                 if re.match(f"^{NUMERAL}是", s.text) and (k > 0 or len(sents) > 1)]
        if len(items) >= 2:
            groups.append(Group("inline", p.start, p.end, items))
    return groups


def _doc_of(paragraph) -> str | None:
    """The library document a paragraph belongs to (None for a document segmented alone)."""
    return getattr(paragraph, "doc", None)


def _intro_start(doc, first_para) -> int:
    # The paragraph before a list ("我重点强调四个方面工作：") belongs to it when it introduces it.
    prev = doc.paragraphs[first_para.index - 1]
    return prev.start if prev.kind == "body" and prev.text.endswith("：") else first_para.start
