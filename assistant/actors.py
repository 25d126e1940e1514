"""Which of the document's bodies a question names: exact forms, paraphrases, bare cores and English.

The bodies come from the document (``index.bodies``), never from a list typed here. A question names a
body by one of its forms (市交通局, 交通局, a lexicon alias), by a paraphrase of the same shape whose core
overlaps (交通运输局 → 市交通局), by its bare core when the document uses that core only as a name
(城管 → 市城管局), or in English through the CC-CEDICT glosses of the body names (``index.gloss``).
An organisation-shaped name that matches none of them is an *unknown* body: the document never names it.
"""
from __future__ import annotations

import re
from functools import cached_property

from assistant import scope as document_scope
from index import occurrences
from index.bodies import NOT_IN_NAME, SUFFIXES, Body, find_org_names, split_name
from index.language import read_list, read_words
from index.tokens import cut_words

# Organisation-shaped words in a question (no prefix needed): 教育局, 水利部门, 交通运输系统.
_QUESTION_ORG = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:" + "|".join(read_list("question_org_suffixes.txt")) + ")")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_LEADING_NOISE = re.compile(r"^(?:" + "|".join(read_list("question_leading_words.txt")) + ")+")
_GENERIC = read_words("generic_bodies.txt")
# A two-character place name with its unit, at the start of the question or after a particle.
_PLACE = re.compile(r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[那在和跟与比对]))([\u4e00-\u9fff]{2})(?:县|市|区)(?![委局办])")
_QUESTION_WORDS = tuple(w for w in read_words("question_words.txt") if not w.isascii())


def _word_bounds(question: str) -> set[int]:
    """Offsets where the question's words (the active dictionary's precise cut) begin and end."""
    bounds, at = {0}, 0
    for word in cut_words(question):
        at += len(word)
        bounds.add(at)
    return bounds


def _asks(head: str) -> bool:
    """Whether a place-shaped head starts with a question word (哪个, 几个, 什么)."""
    return head.startswith(_QUESTION_WORDS)


_EN_ORG = re.compile(r"\b((?:[a-z-]+ ){1,4}(?:bureau|department|office|commission|committee|authority|agency))\b")
# English words that speak of an organisation or an administrative area: without one, a question's glosses
# name no body.
_EN_BODY_WORD = re.compile(r"\b(?:bureaus?|departments?|offices?|commissions?|committees?|authorit(?:y|ies)|agenc(?:y|ies)|"
                           r"governments?|administrations?|count(?:y|ies)|districts?|police|teams?|task forces?|"
                           r"centers?|centres?|units?|leaders?|cadres?|officials?)\b", re.I)
_EN_STOP = {"which", "what", "who", "whose", "the", "a", "an", "does", "do", "of", "and", "is", "for", "must",
            "should", "city", "municipal", "speech", "say", "says", "said", "about", "did", "tell", "me"}


class BodyRegistry:
    """The document's bodies and how questions name them."""

    def __init__(self, bodies: list[Body], text: str, tasked: set[str] | None = None, english=None):
        """``english``: a function giving the index's English data (index.english), called on the first
        English question only."""
        self._english_data = english or (lambda: {"reverse": {}, "loose": {}})
        self.bodies = bodies
        self.by_name = {b.name: b for b in bodies}
        self.text = text
        self.tasked = tasked if tasked is not None else set(self.by_name)
        pairs = {(f, b.name) for b in bodies for f in b.surface_forms if len(f) >= 2}
        self._forms = sorted(pairs, key=lambda p: (-len(p[0]), p[0]))
        self._names_re = re.compile("|".join(re.escape(f) for f, _ in self._forms)) if self._forms else None

    # ---- lookups ------------------------------------------------------------------------------
    def get(self, name: str) -> Body:
        return self.by_name[name]

    def forms_of(self, name: str) -> list[str]:
        return sorted({f for f, n in self._forms if n == name}, key=len, reverse=True)

    @cached_property
    def _name_like_cores(self) -> dict[str, str]:
        """Cores (≥ 2 chars) that the document writes only inside a body's name: a bare mention names it."""
        cores: dict[str, str] = {}
        candidates = [b for b in self.bodies if len(b.core) >= 2 and b.kind not in ("collective", "leader")]
        # Every count in one pass over the text (a library's text is millions of characters).
        times = occurrences.counts(self.text, {b.core for b in candidates} |
                                   {f for b in candidates for f in b.surface_forms if b.core in f})
        for b in candidates:
            core = b.core
            if core in cores:
                continue
            total = times[core]
            inside = sum(times[f] for f in b.surface_forms if core in f)
            if total and inside >= total:
                cores[core] = b.name
        return cores

    @cached_property
    def _suffix_as_word(self) -> tuple[set[str], set[str]]:
        """How the document uses organisation suffixes outside body names: the suffix with the character
        before it (开局, 格局, 督办) and with the two after it (中心城 of 中心城市). A question writing the
        same is using a word, not naming a body."""
        named = occurrences.covered(self.text, [form for form, _ in self._forms])
        left, right = set(), set()
        for suffix in SUFFIXES:
            for m in re.finditer(re.escape(suffix), self.text):
                a, b = m.span()
                if not named[a:b].any():
                    left.add(self.text[max(a - 1, 0):b])
                    right.add(self.text[a:b + 2])
        # Only words: a suffix after or before punctuation or a particle is no evidence of a word.
        left = {w for w in left if _HAN_ONLY.fullmatch(w) and not NOT_IN_NAME & set(w)}
        right = {w for w in right if _HAN_ONLY.fullmatch(w) and not NOT_IN_NAME & set(w)}
        return left, right

    def _word_not_name(self, question: str, b: int, text: str) -> bool:
        """Whether the organisation-shaped ``text`` (ending at ``b``) ends in a word that merely contains
        a suffix, the way the document uses it outside names."""
        suffix = next((s for s in SUFFIXES if text.endswith(s)), "")
        s = b - len(suffix)
        left, right = self._suffix_as_word
        return bool(suffix) and (question[max(s - 1, 0):b] in left or question[s:b + 2] in right)

    # ---- what a question names ----------------------------------------------------------------
    def find(self, question: str) -> list[str]:
        """Canonical names of the document's bodies that a question names, in order of mention."""
        found: list[tuple[int, str]] = []
        taken = [False] * len(question)

        def take(a: int, b: int, name: str) -> None:
            for i in range(a, b):
                taken[i] = True
            found.append((a, name))

        # A two-character form or a bare core names its body only as a word of the question, never across
        # two (a report's district whose short form is two characters, inside two words of a question). The
        # question is cut only when such a match needs it.
        bounds: list[set[int]] = []

        def word(m) -> bool:
            if len(m.group(0)) > 2:
                return True
            if not bounds:
                bounds.append(_word_bounds(question))
            return m.start() in bounds[0] and m.end() in bounds[0]

        if self._names_re:
            for m in self._names_re.finditer(question):
                if word(m):
                    take(m.start(), m.end(), self._name_of_form(m.group(0)))
        for a, b, mention in self._org_mentions(question, taken):
            name = self._paraphrase(mention)
            if name:
                take(a, b, name)
        for core, name in sorted(self._name_like_cores.items(), key=lambda p: -len(p[0])):
            for m in re.finditer(re.escape(core), question):
                if word(m) and not any(taken[m.start():m.end()]):
                    take(m.start(), m.end(), name)
        if re.search(r"[A-Za-z]{3,}", question):
            for name in self._english(question):
                found.append((len(question), name))
        names: list[str] = []
        for _, name in sorted(found):
            if name not in names and self._in_scope(name):
                names.append(name)
        return names

    def _in_scope(self, name: str) -> bool:
        """Whether the documents a question is answered from write the body (a library's other documents'
        bodies are not what it names: "district" is the speech's county districts, not a report's regions)."""
        scope = document_scope.current()
        return scope is None or any(self.text.find(f, a, b) >= 0 for f in self.forms_of(name) + [name]
                                    for a, b in scope.spans)

    def unknown(self, question: str) -> list[str]:
        """Organisation names in a question that are none of the document's bodies (inside one document's
        scope, a body only another document of the library names is unknown there too)."""
        taken = [False] * len(question)
        elsewhere = []
        if self._names_re:
            for m in self._names_re.finditer(question):
                for i in range(m.start(), m.end()):
                    taken[i] = True
                if len(m.group(0)) > 2 and not self._in_scope(self._name_of_form(m.group(0))):
                    elsewhere.append((m.start(), m.group(0)))
        mentions = [(a, mention) for a, _, mention in self._org_mentions(question, taken)
                    if not (name := self._paraphrase(mention)) or not self._in_scope(name)]
        out = [mention for _, mention in sorted(elsewhere + mentions)]
        english = bool(re.search(r"[A-Za-z]{3,}", question))
        # A place with its unit (石泉县, 汉中市) that the text never writes, not even without the unit.
        for m in _PLACE.finditer(question):
            # A head made of question words (哪个县, 几个区) asks for a place; it does not name one.
            if not any(taken[m.start():m.end()]) and m.group(1) not in self.text and m.group(1)[-1] not in "全本该各" \
                    and not _asks(m.group(1)):
                out.append(m.group(0))
        lower = question.lower()
        if english and not self._english(question):
            for m in _EN_ORG.finditer(lower):
                words = [w for w in m.group(1).split() if w not in _EN_STOP]
                if len(words) >= 2:
                    out.append(" ".join(words[-3:]))
        return out

    def mentioned(self, names: list[str]) -> list[str]:
        """Of the bodies a question names (``find``), those the document mentions but gives no task."""
        return [n for n in names if n not in self.tasked]

    # ---- helpers ------------------------------------------------------------------------------
    def _name_of_form(self, form: str) -> str:
        return next(n for f, n in self._forms if f == form)

    def _org_mentions(self, question: str, taken: list[bool]) -> list[tuple[int, int, str]]:
        spans = []
        for m in _QUESTION_ORG.finditer(question):
            a, b = m.span()
            text = m.group(0)
            noise = _LEADING_NOISE.match(text)
            if noise:
                a, text = a + noise.end(), text[noise.end():]
            if (len(text) < 3 or any(taken[a:b]) or text in _GENERIC or re.search(r"[哪什么谁啥怎]", text)
                    or NOT_IN_NAME & set(text[:-1]) or self._word_not_name(question, b, text)):
                continue
            spans.append((a, b, text))
        return spans

    def _paraphrase(self, mention: str) -> str | None:
        """The body whose core overlaps a question's organisation word (交通运输局 → 市交通局), if one stands out."""
        _, core, _ = split_name(mention if mention[0] in "市县区省各" else "市" + mention)
        if len(core) < 2:
            return None
        scored = []
        for b in self.bodies:
            if len(b.core) < 2 or b.kind in ("collective", "leader"):
                continue
            # Chinese short forms keep characters in order: 住建 ⊂ 住房城乡建设, 城管 ⊂ 城市管理.
            if _abbreviates(b.core, core) or _abbreviates(core, b.core):
                scored.append((1.0, b.name))
        scored.sort(key=lambda p: (-p[0], p[1]))
        if not scored or scored[0][0] < 0.5 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]

    @cached_property
    def _english_cores(self) -> list[tuple[Body, list[str]]]:
        """Each body but leaders with the cores (≥ 2 characters) of all its written forms, a lexicon alias
        included: what an English question's words must supply."""
        out = []
        for b in self.bodies:
            if b.kind == "leader":
                continue
            cores = {b.core} | {split_name(f if f[0] in "市县区省各" else "市" + f)[1] for f in b.forms}
            out.append((b, [c for c in cores if len(c) >= 2]))
        return out

    def _english(self, question: str) -> list[str]:
        """Bodies whose every core character an English question supplies, through the CC-CEDICT words
        whose gloss the question uses: a word inside the core (农业 in 农业农村), or the first character
        of a word, the way Chinese short forms are made (住房 → 住, 建设 → 建 for 住建)."""
        from index.gloss import chinese_for, chinese_for_loose
        from index.romanize import words_spelled

        # Words naming an organisation type (局, 办公室, 委员会 …) say nothing about which body. Short-form
        # building (first characters) is only read inside an English organisation name ("… bureau").
        data = self._english_data()
        reverse, loose_reverse = data["reverse"], data["loose"]

        def words(text: str, lookup, table) -> list[str]:
            return [w for group in lookup(text, table) for w in group if w[-1] not in _ORG_TYPE_CHARS]

        order = {b.name: i for i, b in enumerate(self.bodies)}
        # A name written in pinyin ("Pingli County") is one of the body's own forms (index.romanize).
        spelled = set(words_spelled(question, data.get("pinyin", {})))
        by_sound = [b.name for b in self.bodies if b.kind != "leader" and spelled & set(b.surface_forms)]
        exact = words(question, chinese_for, reverse)
        named = " ".join(m.group(1) for m in _EN_ORG.finditer(question.lower()))
        loose = words(named, chinese_for_loose, loose_reverse) if named else []
        abbreviating = words(named, chinese_for, reverse) if named else []
        if (not exact and not loose) or not _EN_BODY_WORD.search(question):
            # Glosses name a body only in a question that speaks of one (bureau, county, government …): "reservoir
            # area" names no regions, "roadside checks" no assessment office. A name in pinyin still names its body.
            return sorted(by_sound, key=order.get)
        matched = []
        for b, cores in self._english_cores:
            quality = max((_supplied(core, exact, loose, abbreviating) for core in cores), default=0.0)
            if quality > 0 and self._in_scope(b.name):
                matched.append((quality, b))
        # Keep the readings whose characters came most from whole words, and drop a body whose core sits
        # inside another matched body's longer core (bodies of one core, a city bureau and a provincial department
        # of a library, both stay).
        best = max((q for q, _ in matched), default=0.0)
        matched = [b for q, b in matched if q == best]
        names = [b.name for b in matched if not any(b.core != o.core and b.core in o.core for o in matched)]
        return sorted(set(names) | set(by_sound), key=order.get)


_ORG_TYPE_CHARS = read_words("org_type_characters.txt")


def _supplied(core: str, words: list[str], loose: list[str] = (), abbreviating: list[str] = ()) -> float:
    """0 unless every character of ``core`` comes from the words: a word inside it, a word it abbreviates
    (硫铁 of 硫铁矿), or the first character of a word of an English organisation name (住 of 住房 in
    "housing … bureau"); ``loose`` words count only inside it.
    Otherwise the share of characters that whole words supplied (first characters are weaker)."""
    whole = [False] * len(core)
    first = [False] * len(core)
    for w in words:
        i = core.find(w)
        if i >= 0:
            whole[i:i + len(w)] = [True] * len(w)
    for w in loose:
        i = core.find(w)
        if i >= 0:
            first[i:i + len(w)] = [True] * len(w)
    for w in abbreviating:
        if len(w) > len(core) and _abbreviates(core, w):
            return 1.0
        if len(w) >= 2 and w not in core:
            for j, ch in enumerate(core):
                if ch == w[0]:
                    first[j] = True
    if not all(a or b for a, b in zip(whole, first)):
        return 0.0
    return 0.5 + 0.5 * sum(whole) / len(core)


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is an in-order selection of ``long``'s characters (城管 of 城市管理)."""
    it = iter(long)
    return len(short) <= len(long) and all(ch in it for ch in short)


def org_names(text: str) -> list[str]:
    """Organisation-shaped names in any text (used by the quiz to pick distractors)."""
    return [name for _, _, name in find_org_names(text)]
