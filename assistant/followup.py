"""Follow-up resolution without an LLM: turn an elliptical question into a standalone one using history.

- A new actor in an elliptical question replaces the earlier one: "那住建局呢？" after
  "市交通局要做什么？" → "市住建局要做什么？".
- An elliptical question with no actor inherits the earlier question's subject: "每月几次？" after
  "公安局要做什么？" → "公安局要做什么？每月几次？".
"""
from __future__ import annotations

import re

from assistant.actors import BodyRegistry
from index.language import read_list, read_words
from index.numerals import NUMERAL_CHARS, parse_int


def _words(words: frozenset[str], anchored: bool) -> re.Pattern:
    """One pattern for a word list of ``index/language``: Chinese words as they are, English ones as whole
    words; ``anchored``: only at the start of the question."""
    zh = sorted((w for w in words if not w.isascii()), key=len, reverse=True)
    en = sorted((w for w in words if w.isascii()), key=len, reverse=True)
    start = "^" if anchored else ""
    parts = [f"{start}(?:{'|'.join(map(re.escape, zh))})"] if zh else []
    parts += [rf"{start}\b(?:{'|'.join(map(re.escape, en))})\b"] if en else []
    return re.compile("|".join(parts), re.I)


CUE_START = _words(read_words("followup_openers.txt"), anchored=True)
CUE_END = re.compile(r"呢[？?]?$")
CUE_REFERENCE = _words(read_words("followup_references.txt"), anchored=False)
_CUE = re.compile("|".join(f"(?:{c.pattern})" for c in (CUE_START, CUE_END, CUE_REFERENCE)), re.I)
_QUESTION_TAIL = re.compile(r"[？?。！!\s]+$")
MAX_BARE_FOLLOWUP = 4


def is_followup(question: str, registry: BodyRegistry) -> bool:
    """An elliptical question: a follow-up cue, too short to stand alone, or only question words."""
    from index.tokens import content_terms

    core = re.sub(r"[\W_]", "", question)
    if _CUE.search(question) or len(core) <= MAX_BARE_FOLLOWUP:
        return True
    # "具体数字是多少？" / "多久查一次？": none of its words names a topic of the document.
    text = registry.text.lower()
    return (not registry.find(question) and not any(t in text for t in content_terms(question))
            and not re.search(r"[A-Za-z]{3,}", question))


def _replace_actor(previous: str, old: str, new: str, registry: BodyRegistry) -> str:
    # Replace whichever form of the old body the earlier question used (its core for paraphrases).
    body = registry.get(old)
    forms = registry.forms_of(old) + ([body.core] if len(body.core) >= 2 else [])
    for form in forms:
        pattern = re.escape(form) if not form.isascii() else rf"(?i)\b(the\s+)?{re.escape(form)}s?\b"
        if re.search(pattern, previous):
            return re.sub(pattern, new, previous, count=1)
    # An English name: put the new body in front of the earlier question.
    return f"{new}：{previous}" if new else previous


def resolve(question: str, previous: str | None, registry: BodyRegistry, force: bool = False) -> str:
    """The standalone question for ``question`` asked right after ``previous`` (the earlier turn's
    *standalone* question, already resolved: chains cost one step per turn). ``force``: it is known to
    continue the previous turn (the fitted turn model said so), whatever the rules would guess."""
    if not previous or not previous.strip() or not (force or is_followup(question, registry)):
        return question
    new_actors, old_actors = registry.find(question), registry.find(previous)
    # A body the document never names ("那水利局呢？") still takes the earlier body's place.
    new_actors = new_actors or registry.unknown(question)
    if new_actors and old_actors:
        resolved = _replace_actor(previous, old_actors[0], "、".join(new_actors), registry)
        for extra in old_actors[1:]:
            resolved = _replace_actor(resolved, extra, "", registry)
        return resolved
    if new_actors:
        return f"{'、'.join(new_actors)}{strip_cue(question)}" if strip_cue(question) else question
    return f"{_QUESTION_TAIL.sub('', previous)}，{strip_cue(question)}"


# The opening words a standalone question drops (index/language/followup_cues.txt).
_STRIP_CUE = re.compile(r"^(" + "|".join(read_list("followup_cues.txt")) + r")\s*", re.I)


def strip_cue(question: str) -> str:
    text = _STRIP_CUE.sub("", question)
    return text.strip()


# The Chinese words (index/language/body_references.txt) and English phrases that point at a body.
_BODY_REFERENCE = re.compile(
    "|".join(read_list("body_references.txt")) + "|"
    r"\b(?:these|those|the)\s+(?:two|both)\b|\bboth\b|"
    r"\b(?:that|this|the same)\s+(?:bureau|department|office|agency|body|unit)\b|\bthey\b|\bit\b", re.I)
# Words that ask about several bodies together (index/language/several_references.txt).
_SEVERAL = re.compile("|".join(read_list("several_references.txt")), re.I)


def refers_to_body(question: str, registry: BodyRegistry) -> bool:
    """A follow-up that points at a body named only in the previous answer (这个部门还管什么？)."""
    return bool(_BODY_REFERENCE.search(question)) and not registry.find(question)


def substitute_body(question: str, names: list[str]) -> str:
    return _BODY_REFERENCE.sub("、".join(names), question, count=1)


def refers_to_several(question: str) -> bool:
    """"这两个部门有啥共同任务？": the bodies of the last questions, not of the last answer."""
    return bool(_SEVERAL.search(question))


_ORDINAL = re.compile(rf"第([{NUMERAL_CHARS}\d]+)(?:个|项|点|条|部分|方面)?|"
                      r"\b(first|second|third|fourth|fifth|sixth|last)\b(?:\s+(?:one|item|point|part))?", re.I)
_ORDINAL_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "last": -1}


def ordinal(question: str) -> int | None:
    """The item number a follow-up points at ("第四个具体指什么？" → 4, "the last one" → -1)."""
    m = _ORDINAL.search(question)
    if not m:
        return None
    if m.group(2):
        return _ORDINAL_EN[m.group(2).lower()]
    token = m.group(1)
    return parse_int(token)
