"""Normalize the published (OCR'd) speech into the canonical text that every citation offset points into.

Rules (design.md, "Canonical text and offsets"):
- drop ``**`` bold markers;
- ``PM_{2.5}``, ``PM₂.₅``, ``PM₁₀`` → ``PM2.5``, ``PM10``;
- rejoin blocks that a page break split (a body block not ending in sentence-final punctuation joins
  the next; a part heading joins a short unpunctuated continuation such as ``及2021年…目标任务``);
- remove OCR spaces next to CJK characters (``达到 95% 以上`` → ``达到95%以上``);
- keep paragraph breaks as ``\\n``.
The function is idempotent: ``normalize(normalize(t)) == normalize(t)``.
"""
from __future__ import annotations

import re
from importlib import resources

from index.segment import PART_HEADING

NORMALIZER_VERSION = "3"
CORPUS_FILE = "ankang-2021-04-16-eco-speech.txt"

# Characters that end a paragraph: a block ending in one of these is complete.
FINAL_PUNCT = "。！？；：…”’）)」』!?;:"
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d"
_SUBSCRIPT_PM = [
    (re.compile(r"PM_\{?\s*2\.5\s*\}?"), "PM2.5"),
    (re.compile(r"PM_\{?\s*10\s*\}?"), "PM10"),
    (re.compile(r"PM₂\.₅|PM₂₋₅|PM₂.₅"), "PM2.5"),
    (re.compile(r"PM₁₀"), "PM10"),
]
# A space run with a CJK character (or CJK punctuation) on at least one side is an OCR artefact.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")
# Body blocks this long that stop mid-sentence were cut by a page break.
_MIN_BODY_BLOCK = 40
_MAX_HEADING_TAIL = 40


def load_published() -> str:
    """Return the speech exactly as published (shipped as package data)."""
    return resources.files("index.corpus").joinpath(CORPUS_FILE).read_text(encoding="utf-8")


def _clean_inline(block: str) -> str:
    # Markers and notation first, then the OCR spaces they may leave behind.
    block = block.replace("**", "")
    for pattern, repl in _SUBSCRIPT_PM:
        block = pattern.sub(repl, block)
    block = _SPACE_NEAR_CJK.sub("", block)
    return block.strip()


def _ends_sentence(block: str) -> bool:
    return bool(block) and block[-1] in FINAL_PUNCT


def _joins_next(block: str, nxt: str) -> bool:
    # A part heading continues when the next block is a short unpunctuated tail (not a new heading).
    if PART_HEADING.match(block):
        return (
            not _ends_sentence(nxt)
            and len(nxt) <= _MAX_HEADING_TAIL
            and not PART_HEADING.match(nxt)
            and nxt[:1] in "及和与并暨"
        )
    # A long body block cut mid-sentence continues in the next block.
    return not _ends_sentence(block) and len(block) >= _MIN_BODY_BLOCK


def normalize(text: str) -> str:
    """Return the canonical text: cleaned paragraphs separated by single newlines."""
    blocks = [_clean_inline(b) for b in re.split(r"\n+", text.replace("\r\n", "\n").replace("\r", "\n"))]
    blocks = [b for b in blocks if b]
    paragraphs: list[str] = []
    for block in blocks:
        if paragraphs and _joins_next(paragraphs[-1], block):
            paragraphs[-1] = paragraphs[-1] + block
        else:
            paragraphs.append(block)
    return "\n".join(paragraphs)


def canonical_text() -> str:
    """The canonical text of the shipped speech."""
    return normalize(load_published())
