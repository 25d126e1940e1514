"""Which loaded documents a question names: by place (四川, 川, Sichuan), speaker, title, date or kind.

Every name is derived from the documents when the assistant opens — the place their title or issuer
names (``assistant.places.own_places``), matched to general data on places (``index/language/
place_names.txt``: full and short names, one-character abbreviations, English), the speaker, title,
date and kind in their masthead (``index.metadata``). A question that names documents is answered from
them; one that asks which document says something (``index/language/which_document.txt``) is answered
with the document; a province the library has no document about is reported, not answered from another.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.places import own_places, short_form
from index.language import read_groups, read_words

_MONTH_DAY = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_TITLE_QUOTES = re.compile(r"《([^》]{2,60})》")


@dataclass
class Naming:
    """What a question says about documents: the ids it names (in library order), the words that named
    them, whether it asks which document, and the places it names that no loaded document is about."""

    docs: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    which: bool = False
    absent: list[str] = field(default_factory=list)


@dataclass
class _Names:
    doc: str
    words: set[str]          # names matched as text: 四川省, 四川, 施小琳, the title …
    letters: set[str]        # one-character abbreviations (川, 蜀), matched as whole words at the start
    english: set[str]        # lower-cased English names, matched as whole words
    date: tuple[int, int, int] | None
    kind: str


class DocumentNames:
    """``names(question, cut)`` → ``Naming``; ``cut`` is the tokenizer's word cut (jieba)."""

    def __init__(self, documents):
        self.places = [_place_group(g) for g in read_groups("place_names.txt")]
        self.kinds_en = {en.lower(): zh for en, zh in read_groups("document_kinds_en.txt")}
        self.which_cues = sorted(read_words("which_document.txt"), key=len, reverse=True)
        self.fillers = read_words("stopwords.txt") | read_words("followup_openers.txt")
        self.names = [self._names_of(d) for d in documents]
        kinds = {n.kind for n in self.names}
        self._kinds = kinds if len(kinds) > 1 else set()   # a kind names documents only when it narrows

    def _names_of(self, doc) -> _Names:
        meta = doc.metadata or {}
        value = {k: ((meta.get(k) or {}).get("value") or "") for k in ("title", "issuer", "speaker", "date")}
        words, letters, english = set(), set(), set()
        for place in own_places([value["title"], value["issuer"]]):
            words.add(place)
            for zh, single, en in self.places:
                if place in zh or short_form(place) in zh:
                    words |= zh
                    letters |= single
                    english |= en
        if value["speaker"]:
            words.add(value["speaker"])
        title = value["title"].strip("《》 ")
        if title:
            words |= {title, re.sub(r"^\d{4}\s*年", "", title)}
        found = _MONTH_DAY.search(value["date"])
        date = (int(found.group(1) or 0), int(found.group(2)), int(found.group(3))) if found else None
        return _Names(doc.id, {w for w in words if len(w) >= 2}, letters, english, date, doc.noun())

    def __call__(self, question: str, cut) -> Naming:
        out = Naming()
        lower = question.lower()
        out.which = any(_has(lower, cue.lower()) for cue in self.which_cues)
        letters = self._leading_letters(question, cut)
        first: dict[str, int] = {}
        for n in self.names:
            hits = [w for w in n.words if w in question]
            hits += [w for w in letters if w in n.letters]
            hits += [w for w in n.english if _has(lower, w)]
            hits += self._dates(question, n)
            if hits:
                out.docs.append(n.doc)
                out.words += [w for w in hits if w not in out.words]
                first[n.doc] = min(lower.find(w.lower()) % (len(lower) + 1) for w in hits)
        out.docs.sort(key=lambda d: first[d])  # in the order the question names them (stable: library order)
        if not out.docs:
            out.docs, kind_words = self._by_kind(question, cut)
            out.words += kind_words
        named = set(out.words)
        for zh, single, en in self.places:
            said = [w for w in zh if w in question] + [w for w in letters if w in single] \
                + [w for w in en if _has(lower, w)]
            if said and not named & (zh | single | en) and not any(w in n.words for n in self.names for w in said):
                out.absent.append(max(zh, key=len))
        return out

    def _leading_letters(self, question: str, cut) -> list[str]:
        """One-character abbreviations that open the question (粤今年…, 川渝两地…, 请问鄂…) or form a word of
        abbreviations (京津冀): elsewhere one character is too often part of something else."""
        singles = set().union(*(s for _, s, _ in self.places))
        out: list[str] = []
        leading = True
        for word in cut(question):
            if word.strip() == "" or (leading and word in self.fillers):
                continue
            if all(ch in singles for ch in word) and (leading or len(word) >= 2):
                out += list(word)
                continue
            leading = False
        return out

    @staticmethod
    def _dates(question: str, n: _Names) -> list[str]:
        if n.date is None:
            return []
        out = []
        for m in _MONTH_DAY.finditer(question):
            year = int(m.group(1) or 0)
            if (int(m.group(2)), int(m.group(3))) == n.date[1:] and year in (0, n.date[0]):
                out.append(m.group(0))
        return out

    def _by_kind(self, question: str, cut) -> tuple[list[str], list[str]]:
        words = set(cut(question))
        lower = question.lower()
        kinds = {k for k in self._kinds if k in words}
        kinds |= {zh for en, zh in self.kinds_en.items() if zh in self._kinds and _has(lower, en)}
        if len(kinds) != 1:
            return [], []
        kind = kinds.pop()
        return [n.doc for n in self.names if n.kind == kind], []


def _place_group(group: tuple[str, ...]) -> tuple[set[str], set[str], set[str]]:
    zh = {g for g in group if not g.isascii()}
    return {g for g in zh if len(g) >= 2}, {g for g in zh if len(g) == 1}, {g.lower() for g in group if g.isascii()}


def _has(lower_text: str, word: str) -> bool:
    """``word`` in the text; an English word only as a whole word (Hebei, not Hebeian)."""
    if not word.isascii():
        return word in lower_text
    return re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", lower_text) is not None


def strip_naming(question: str, words: list[str], compare: bool = False) -> str:
    """The question without the words that named its documents (each document answers it as if alone);
    ``compare``: also without the words that compare documents (各是多少 → 是多少)."""
    out = question
    if compare:
        for group in read_groups("compare_words.txt"):
            out = re.sub(re.escape(group[0]), group[1] if len(group) > 1 else "", out, flags=re.I)
    for w in sorted(words, key=len, reverse=True):
        out = re.sub(re.escape(w), "", out, flags=re.I) if w.isascii() else out.replace(w, "")
    out = re.sub(r"^[\s，,、的和与及]+", "", out)
    return out if re.search(r"[\u4e00-\u9fffA-Za-z0-9]{2}", out) else question
