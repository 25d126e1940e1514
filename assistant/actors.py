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

from index.bodies import Body, find_org_names, split_name

# Organisation-shaped words in a question (no prefix needed): 教育局, 水利部门, 交通运输系统.
_QUESTION_ORG = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:委员会|办公室|部门|中心|系统|局|办|委|厅)")
_LEADING_NOISE = re.compile(r"^(?:那么|那|请问|问下|我们|咱们|关于|对于|给|让|和|跟|与|及|还有|市里|县里|区里)+")
_GENERIC = {"部门", "有关部门", "相关部门", "哪个部门", "什么部门", "哪些部门", "哪个局", "什么局", "各部门", "职能部门"}
_EN_ORG = re.compile(r"\b((?:[a-z-]+ ){1,4}(?:bureau|department|office|commission|committee|authority|agency))\b")
_EN_STOP = {"which", "what", "who", "whose", "the", "a", "an", "does", "do", "of", "and", "is", "for", "must",
            "should", "city", "municipal", "speech", "say", "says", "said", "about", "did", "tell", "me"}


class BodyRegistry:
    """The document's bodies and how questions name them."""

    def __init__(self, bodies: list[Body], text: str, tasked: set[str] | None = None):
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
        for b in self.bodies:
            core = b.core
            if len(core) < 2 or b.kind in ("collective", "leader") or core in cores:
                continue
            total = self.text.count(core)
            inside = sum(self.text.count(f) for f in b.surface_forms if core in f)
            if total and inside >= total:
                cores[core] = b.name
        return cores

    @cached_property
    def _glossary(self):
        from index.gloss import Glossary

        return Glossary([b.name for b in self.bodies if b.kind != "leader"])

    # ---- what a question names ----------------------------------------------------------------
    def find(self, question: str) -> list[str]:
        """Canonical names of the document's bodies that a question names, in order of mention."""
        found: list[tuple[int, str]] = []
        taken = [False] * len(question)

        def take(a: int, b: int, name: str) -> None:
            for i in range(a, b):
                taken[i] = True
            found.append((a, name))

        if self._names_re:
            for m in self._names_re.finditer(question):
                take(m.start(), m.end(), self._name_of_form(m.group(0)))
        for a, b, mention in self._org_mentions(question, taken):
            name = self._paraphrase(mention)
            if name:
                take(a, b, name)
        for core, name in sorted(self._name_like_cores.items(), key=lambda p: -len(p[0])):
            for m in re.finditer(re.escape(core), question):
                if not any(taken[m.start():m.end()]):
                    take(m.start(), m.end(), name)
        if re.search(r"[A-Za-z]{3,}", question):
            for name in self._english(question):
                found.append((len(question), name))
        names: list[str] = []
        for _, name in sorted(found):
            if name not in names:
                names.append(name)
        return names

    def unknown(self, question: str) -> list[str]:
        """Organisation names in a question that are none of the document's bodies."""
        taken = [False] * len(question)
        if self._names_re:
            for m in self._names_re.finditer(question):
                for i in range(m.start(), m.end()):
                    taken[i] = True
        out = [mention for _, _, mention in self._org_mentions(question, taken) if not self._paraphrase(mention)]
        lower = question.lower()
        if not self._english(question):
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
            if len(text) < 3 or any(taken[a:b]) or text in _GENERIC or re.search(r"[哪什么谁啥怎]", text):
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
            if _abbreviates(b.core, core) or _abbreviates(core, b.core):
                overlap = 1.0  # Chinese short forms keep characters in order: 住建 ⊂ 住房城乡建设
            else:
                overlap = len(set(core) & set(b.core)) / max(len(set(core)), len(set(b.core)))
            scored.append((overlap, b.name))
        scored.sort(key=lambda p: (-p[0], p[1]))
        if not scored or scored[0][0] < 0.5 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]

    @cached_property
    def _suffix_words(self) -> set[str]:
        """English words of the organisation suffixes (bureau, office …): alone they name no body."""
        from index.gloss import content_stems

        return {w for s in ("局", "办", "办公室", "委员会", "部门", "政府") for g in self._glossary.gloss(s)
                for w in content_stems(g)}

    def _english(self, question: str) -> list[str]:
        from index.gloss import content_stems

        words = [w for w in re.findall(r"[A-Za-z]+", question) if not (set(content_stems(w)) <= self._suffix_words)]
        if not any(content_stems(w) for w in words):
            return []
        matches = self._glossary.match(question)
        best = max((score for _, score in matches), default=0.0)
        # Half of a name's weighted pieces must be matched ("city" alone names no body), and only the
        # clear leaders count: a weaker partial match is another body sharing a word.
        return [name for name, score in matches if name in self.by_name and score >= 0.5 and score >= 0.9 * best]


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is an in-order selection of ``long``'s characters (城管 of 城市管理)."""
    it = iter(long)
    return len(short) <= len(long) and all(ch in it for ch in short)


def org_names(text: str) -> list[str]:
    """Organisation-shaped names in any text (used by the quiz to pick distractors)."""
    return [name for _, _, name in find_org_names(text)]
