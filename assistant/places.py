"""Places in questions: the documents' own place is implied (a question about a province's report that
names the province asks the same without it), and a place the documents never write cannot be answered about.

The own place is read from the title or issuer by the naming convention of government documents
(``index/language/government_names.txt``); a place a question names is found by jieba's part-of-speech
tagger (``ns``), loaded on the first question that has a word the documents lack.
"""
from __future__ import annotations

import functools
import logging
import re
import tempfile

from assistant.clean import QUOTATION
from index.language import read_groups
from index.tokens import cut_words

_GOVERNMENT, _SUFFIXES = read_groups("government_names.txt")
# A place before a government name at the start of a title or issuer, after an optional year.
_OWN = re.compile(r"^(?:\d{4}\s*年)?(?P<place>[\u4e00-\u9fff]{2,10}?)(?:" + "|".join(_GOVERNMENT) + ")")
# Administrative suffixes: a province or city is also written without its suffix.
_SUFFIX = re.compile("(?:" + "|".join(_SUFFIXES) + ")$")
_HAN = re.compile("[\u4e00-\u9fff]+")


def short_form(place: str) -> str:
    short = _SUFFIX.sub("", place)
    return short if len(short) >= 2 else place


def own_places(values: list[str]) -> frozenset[str]:
    """The place(s) that a document's title or issuer says it is about, with their short forms."""
    found = set()
    for value in values:
        m = _OWN.match(value or "")
        if m:
            found |= {m.group("place"), short_form(m.group("place"))}
    return frozenset(found)


@functools.lru_cache(maxsize=64)
def _english_pattern(own: frozenset[str]) -> re.Pattern | None:
    """The own place's English names (index/language/place_names.txt) and their possessive, as whole words;
    once per own place, not per question."""
    names = [name for group in read_groups("place_names.txt") if own & set(group)
             for name in group if name.isascii() and len(name) > 1]
    if not names:
        return None
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, names)) + r")(?:['’]s)?(?![A-Za-z])", re.I)


def _quoted(question: str):
    """``inside(pos)``: whether a position of the question is inside one of its quotations."""
    spans = [m.span() for m in QUOTATION.finditer(question)]
    return lambda pos: any(a <= pos < b for a, b in spans)


def _drop_english(question: str, own: frozenset[str]) -> str:
    """The question without the own place's English name (and its possessive), outside quotations."""
    pattern = _english_pattern(own)
    if pattern is None or not re.search("[A-Za-z]", question):
        return question
    inside = _quoted(question)
    out = pattern.sub(lambda m: m.group(0) if inside(m.start()) else "", question)
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out if re.search(r"[A-Za-z]{3}", out) else question


def drop_own(question: str, own: frozenset[str], cut) -> str:
    """The question without the words that only name the documents' own place (as whole words: 天津港 stays).
    A quotation gives the document's own words: inside it every word stays."""
    if not own:
        return question
    question = _drop_english(question, own)
    inside = _quoted(question)
    words, kept, at = cut(question), [], 0
    for w in words:
        if w not in own or inside(at):
            kept.append(w)
        at += len(w)
    return "".join(kept) if len(kept) < len(words) and "".join(kept).strip("？?。！! ") else question


def tagged(question: str) -> list[tuple[str, str]]:
    """jieba's part-of-speech tags of a question's words ([] when the tagger cannot start: its first use
    builds a cache in a temp dir, found when the assistant opened, so a disk that filled since does not
    stop an answer; failing to write the cache, jieba goes on without it)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    if jieba.dt.tmp_dir is None and _TEMP_DIR:
        jieba.dt.tmp_dir = _TEMP_DIR
    try:
        return [(w.word, w.flag) for w in jieba.posseg.lcut(question)]
    except OSError:
        return []


def warm() -> None:
    """Load the tagger now (jieba's full dictionary and its tags: a second or more), before a question waits for it."""
    tagged("warm")   # any text: the first cut loads the dictionary and its tags


try:   # while the assistant opens (the disk is writable then, or the open says it is not)
    _TEMP_DIR: str | None = tempfile.gettempdir()
except OSError:
    _TEMP_DIR = None


def absent_places(question: str, text_lower: str) -> list[str]:
    """Places the question names (jieba's ``ns`` tag) that the documents never write, in either form."""
    out = []
    for word, flag in tagged(question):
        if flag == "ns" and len(word) >= 2 and word.lower() not in text_lower \
                and short_form(word).lower() not in text_lower and word not in out:
            out.append(word)
    return out


def named_places(question: str) -> list[str]:
    """Places with their administrative unit that a question names (jieba's ``ns`` tag: 商洛市, 汉滨区). The
    tagger (a second or more to load) runs only for a question with a word that ends like one."""
    if not _has_unit_word(question):
        return []
    return [w for w, flag in tagged(question) if flag == "ns" and len(w) >= 3 and _SUFFIX.search(w)]


def _has_unit_word(question: str) -> bool:
    """Whether a word of the question (the active dictionary's cut) ends in an administrative unit, or a unit
    follows a word of its own. Characters before a unit are not enough: the word for "region" ends like one and
    names no place (testing characters loaded the tagger for every GDP question)."""
    words = cut_words(question)
    return any((len(w) >= 3 and _SUFFIX.search(w)) or (w in _SUFFIXES and len(before) >= 2 and _HAN.fullmatch(before))
               for before, w in zip([""] + words, words))
