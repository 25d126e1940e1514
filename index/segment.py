"""Segment the canonical text into a document tree: parts › sections › paragraphs › sentences.

Every node keeps its character span in the canonical text, so a sentence's text is always
``canonical[start:end]``. Section labels come from the document's own headings: parts ``一、…`` or a
line of its own without a sentence mark (``2025年工作安排``, ``附件1``, ``名词解释``), sections
``（一）…`` and a ``一是…`` line of its own (both hold until the next one), a paragraph's own opener
``第一，…`` / ``一是…`` / ``一要…``, topics ``在…方面``, and inline ``一是…`` items.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.language import template
from index.numerals import NUMERAL

SEGMENTER_VERSION = "5"

SENTENCE_END = "。！？；!?;"
CLOSERS = "”’）》」』)"
# The list markers of Chinese official writing, the one place they are written down: a part heading
# ("一、"), a section or item opener ("第三，" / "二是" / "一要"), and an item inside a paragraph ("二是").
PART_HEADING = re.compile(f"^{NUMERAL}、")
ITEM_MARKER = re.compile(f"^(?:第{NUMERAL}，|{NUMERAL}[是要])")
_TOPIC = re.compile(r"^(在[^，。]{1,20}方面)，")
# A section heading that holds until the next one: "（一）…" / "(一)…".
SECTION_HEADING = re.compile(f"^[（(]{NUMERAL}[）)]")
# A line of its own is a heading when it has none of these marks (a body paragraph always has one).
_SENTENCE_MARKS = re.compile(r"[。！？；：!?;:]")
BARE_HEADING_MAX_CHARS = 40   # longer unpunctuated lines are text that lost its marks, not headings
_INLINE_ITEM = re.compile(f"^{NUMERAL}是")
_CLOSING = re.compile(r"^同志们")
_DISTRIBUTION = re.compile(r"^(主送|抄送)：")
# The sections outside the numbered parts, as citations name them (index/language/messages.toml).
TITLE_LABEL = template("index.segment.title")
OPENING_LABEL = template("index.segment.opening")  # before the first part heading: a speech's opening remarks
CLOSING_LABEL = template("index.segment.closing")
DISTRIBUTION_LABEL = template("index.segment.distribution")


@dataclass
class Sentence:
    id: str
    start: int
    end: int
    text: str
    paragraph: int
    path: list[str]

    @property
    def section(self) -> str:
        return section_string(self.path)

    def search_text(self) -> str:
        """Text BM25 indexes for the sentence: its nearest heading's words, then the sentence."""
        return " ".join(self.path[-1:]) + self.text


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    text: str
    kind: str  # title | heading | body | distribution
    path: list[str]
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def section(self) -> str:
        return section_string(self.path)


@dataclass
class Document:
    text: str
    paragraphs: list[Paragraph]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    @property
    def parts(self) -> list[str]:
        return [p.text for p in self.paragraphs if p.kind == "heading"]


def short_label(label: str) -> str:
    """A compact label for section strings: ``三、任务艰巨…``, ``四是要巩固提升…``, ``在扬尘管控方面``."""
    if _TOPIC.match(label + "，") or len(label) <= 9:
        return label
    if PART_HEADING.match(label):
        return label.split("，", 1)[0] + "…"
    return label[:7] + "…"


def section_string(path: list[str]) -> str:
    return " › ".join(short_label(p) for p in path)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of sentences in ``text`` (absolute when ``offset`` is given), ending at 。！？；
    with any closing quotes kept on the sentence they close."""
    spans, start, i, n = [], 0, 0, len(text)
    while i < n:
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < n and text[j] in CLOSERS:
                j += 1
            spans.append((offset + start, offset + j))
            start = i = j
            continue
        i += 1
    if start < n and text[start:].strip():
        spans.append((offset + start, offset + n))
    return spans


def _heading_label(text: str) -> str:
    # A section label is its first sentence without the final mark.
    first = text[: split_sentences(text)[0][1]]
    return first.rstrip(SENTENCE_END)


def _paragraph_path(text: str, state: dict) -> tuple[str, list[str]]:
    # Walk the heading hierarchy, updating the current part/section as headings pass by.
    if PART_HEADING.match(text):
        state.update(part=text, section=None, held=None, body=True, after_heading=True)
        return "heading", [text]
    if _DISTRIBUTION.match(text) or state.get("distribution"):
        state["distribution"] = True
        return "distribution", [DISTRIBUTION_LABEL]
    if not state.get("body"):
        # The body starts at the first paragraph with a sentence end: masthead lines (title, issuer,
        # date, 同志们：) have none, and a notice's body may be one short sentence.
        if any(ch in text for ch in "。！？"):
            state["body"] = True
        else:
            return "title", [TITLE_LABEL]
    if _CLOSING.match(text):
        state.update(part=None, section=None)
        return "body", [CLOSING_LABEL]
    bare = _bare_line(text)
    if bare and not state.get("after_heading") and not SECTION_HEADING.match(text) \
            and not ITEM_MARKER.match(text):
        # "2025年工作安排", "附件1": a part without a numeral. (A line right after a heading is that heading
        # wrapped onto a second line, and stays body text as it always was.)
        state.update(part=text, section=None, held=None, after_heading=True)
        return "heading", [text]
    part = state.get("part")
    root = [part] if part else [OPENING_LABEL]
    if SECTION_HEADING.match(text) or (bare and ITEM_MARKER.match(text)):
        # "（一）…" (a heading line, or the opening sentence of its first paragraph) and a "一是…" line of its
        # own head every paragraph up to the next section or part.
        state.update(held=_heading_label(text), section=None, after_heading=bare)
        return ("heading" if bare else "body"), root + [state["held"]]
    if text.strip():
        state["after_heading"] = False
    root = root + [state["held"]] if state.get("held") else root
    topic = _TOPIC.match(text)
    if topic and state.get("section"):
        return "body", root + [state["section"], topic.group(1)]
    if ITEM_MARKER.match(text):
        state["section"] = _heading_label(text)
        return "body", root + [state["section"]]
    state["section"] = None
    return "body", root


def _bare_line(text: str) -> bool:
    stripped = text.strip()
    return 0 < len(stripped) <= BARE_HEADING_MAX_CHARS and not _SENTENCE_MARKS.search(stripped)


def segment(text: str) -> Document:
    """Build the document tree of a canonical text."""
    paragraphs: list[Paragraph] = []
    state: dict = {}
    pos = 0
    for index, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        kind, path = _paragraph_path(line, state)
        para = Paragraph(index, start, end, line, kind, path)
        # Inline "一是…二是…" items in a section paragraph open a sub-path for the sentences after them.
        inline: str | None = None
        for k, (s, e) in enumerate(split_sentences(line, start)):
            sent_text = text[s:e]
            if kind == "body" and k > 0 and _INLINE_ITEM.match(sent_text):
                inline = sent_text.rstrip(SENTENCE_END)
            sent_path = path + [inline] if inline else list(path)
            para.sentences.append(Sentence(f"s{index:03d}.{k:02d}", s, e, sent_text, index, sent_path))
        paragraphs.append(para)
    return Document(text, paragraphs)
