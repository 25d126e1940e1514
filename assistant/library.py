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

from assistant.clean import QUOTATION
from assistant.places import own_places, short_form
from index.language import read_groups, read_words

_MONTH_DAY = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_JOINERS = "、，,和与及跟同 "
_ACTING = "代副"   # 代省长, 副主席: a post all the same


@dataclass
class Naming:
    """What a question says about documents: the ids it names (in library order), the words that named
    them, whether it asks which document, and the places it names that no loaded document is about."""

    docs: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    which: bool = False
    absent: list[str] = field(default_factory=list)
    which_words: list[str] = field(default_factory=list)   # the words that asked which document (哪个省)
    kind: str = ""   # the documents were named only by their kind (讲话, 报告): a scope, not a comparison


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
        self.groups = [(g[0], set(g[1:])) for g in read_groups("place_groups.txt")]   # a group's name → its provinces
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
        out.which_words = [cue for cue in self.which_cues if _has(lower, cue.lower())]
        out.which = bool(out.which_words)
        letters = self._leading_letters(question, cut)
        first: dict[str, int] = {}
        groups = [(name, members) for name, members in self.groups if name in question]
        for n in self.names:
            hits = [w for w in n.words if w in question]
            hits += [name for name, members in groups if members & n.words]
            hits += [w for w in letters if w in n.letters]
            hits += [w for w in n.english if _has(lower, w)]
            hits += self._dates(question, n)
            if hits:
                out.docs.append(n.doc)
                out.words += [w for w in hits if w not in out.words]
                first[n.doc] = min(lower.find(w.lower()) % (len(lower) + 1) for w in hits)
        out.docs.sort(key=lambda d: first[d])  # in the order the question names them (stable: library order)
        if not out.docs:
            out.docs, out.kind = self._by_kind(question, cut)
        named = set(out.words)
        for zh, single, en in self.places:
            said = [w for w in zh if w in question] + [w for w in letters if w in single] \
                + [w for w in en if _has(lower, w)]
            if said and not named & (zh | single | en) and not any(w in n.words for n in self.names for w in said):
                out.absent.append(max(zh, key=len))
        return out

    def _leading_letters(self, question: str, cut) -> list[str]:
        """One-character abbreviations that open the question: a run of them (川渝两地…, 湘晋青三省…, 藏、蒙、琼…)
        or one that is a word by itself (粤今年…, 请问鄂…). Elsewhere, or inside a word (新增, 黑土地), one
        character is too often part of something else."""
        singles = set().union(*(s for _, s, _ in self.places))
        words = cut(question)
        pos = 0
        for word in words:   # past the opening fillers (请问, 那) and punctuation
            if word.strip() and word not in self.fillers and re.search(r"\w", word):
                break
            pos += len(word)
        run, end = [], pos
        while end < len(question) and (question[end] in singles or question[end] in _JOINERS):
            if question[end] in singles:
                run.append(question[end])
            end += 1
        if len(run) >= 2:
            return run
        if len(run) == 1:
            at = 0
            for word in words:
                if at == pos:
                    return run if word == run[0] else []
                at += len(word)
        return []

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

    def _by_kind(self, question: str, cut) -> tuple[list[str], str]:
        words = set(cut(question))
        lower = question.lower()
        kinds = {k for k in self._kinds if k in words}
        kinds |= {zh for en, zh in self.kinds_en.items() if zh in self._kinds and _has(lower, en)}
        if len(kinds) != 1:
            return [], ""
        kind = kinds.pop()
        return [n.doc for n in self.names if n.kind == kind], kind


def _place_group(group: tuple[str, ...]) -> tuple[set[str], set[str], set[str]]:
    zh = {g for g in group if not g.isascii()}
    return {g for g in zh if len(g) >= 2}, {g for g in zh if len(g) == 1}, {g.lower() for g in group if g.isascii()}


def _has(lower_text: str, word: str) -> bool:
    """``word`` in the text; an English word only as a whole word (Hebei, not Hebeian)."""
    if not word.isascii():
        return word in lower_text
    return re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", lower_text) is not None


def strip_naming(question: str, words: list[str], compare: bool = False) -> str:
    """The question without the words that named its documents, nor the words that point at a document
    (王莉霞主席的政府工作报告说…, 报告里, according to the … report), so each document answers it as if it
    had been loaded alone; ``compare``: also without the words that compare documents (各是多少 → 是多少)."""
    quoted = QUOTATION.findall(question)
    out = question
    for k, q in enumerate(quoted):  # a quotation is the document's own words: kept as written
        out = out.replace(q, f"\x00{k}\x00", 1)
    if compare:
        for group in read_groups("compare_words.txt"):
            out = re.sub(re.escape(group[0]), group[1] if len(group) > 1 else "", out, flags=re.I)
    for w in sorted(words, key=len, reverse=True):
        out = re.sub(re.escape(w), "", out, flags=re.I) if w.isascii() else out.replace(w, "")
    out = _without_speaker(out)
    out = _REFERENCE.sub("", out)
    out = _REFERENCE_EN.sub(" ", out) if re.search(r"[A-Za-z]{3}", out) else out
    out = re.sub(r"\s{2,}", " ", out)
    out = re.sub(r"^[\s，,、的和与及]+", "", out)
    out = re.sub("\x00(\\d+)\x00", lambda m: quoted[int(m.group(1))], out)
    return out if re.search(r"[\u4e00-\u9fffA-Za-z0-9]{2}", out) else question


def _reference_patterns() -> tuple[re.Pattern, re.Pattern]:
    before, after, english = read_groups("document_references.txt")
    kinds = sorted((k for k in read_words("document_kinds.txt") if len(k) >= 2), key=len, reverse=True)
    kind = "(?:政府)?(?:" + "|".join(map(re.escape, kinds)) + ")"
    zh = re.compile("(?:" + "|".join(map(re.escape, before)) + ")*" + kind
                    + "(?:" + "|".join(map(re.escape, sorted(after, key=len, reverse=True))) + ")*[，,、：:]?")
    en = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(e) for e in sorted(english, key=len, reverse=True))
                    + r")(?![A-Za-z])[,:]?", re.I)
    return zh, en


_REFERENCE, _REFERENCE_EN = _reference_patterns()


def _without_speaker(question: str) -> str:
    """A person named by post (王莉霞主席, 省长) points at the speaker: without it (jieba's person tag)."""
    from assistant.places import tagged
    from index.metadata import POSTS

    def is_post(word: str) -> bool:   # 省长, 代省长, 副主席
        return word in POSTS or (word[:1] in _ACTING and word[1:] in POSTS)

    if not any(post in question for post in POSTS):
        return question   # nothing to drop: the tagger (a second to load) is not asked
    words = tagged(question)
    keep = []
    for i, (word, flag) in enumerate(words):
        post_next = i + 1 < len(words) and (is_post(words[i + 1][0]) or (
            words[i + 1][0] in _ACTING and i + 2 < len(words) and words[i + 2][0] in POSTS))
        if is_post(word) or (flag == "nr" and post_next) or (word in _ACTING and i + 1 < len(words)
                                                              and words[i + 1][0] in POSTS):
            continue
        keep.append(word)
    return "".join(keep)
