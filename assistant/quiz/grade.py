"""Grading a response: numbers exact (325 / 325天 / 三百二十五天), names fuzzy and alias-aware, lists
item by item with partial credit; feedback shows the right answer and the cited passage."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz

from assistant.quiz.actors import ActorNames
from assistant.quiz.question import LETTERS, PASS_MARK, Question
from index.language import message, read_groups, read_list
from index.numerals import NUMERAL_CHARS, numbers_equal, parse_numbers


@dataclass
class Grade:
    correct: bool
    score: float
    feedback: str
    expected: str
    citation: dict
    details: list[dict] = field(default_factory=list)  # list answers: per item {answer, matched, by}

    def to_dict(self) -> dict:
        return asdict(self)


# Answers to a true/false question (index/language/quiz_true_words.txt, quiz_false_words.txt): whole answers,
# the first of them the option shown (TRUE, FALSE), and words that say it inside a longer answer.
_TRUE_WORDS, _TRUE_CUES = read_groups("quiz_true_words.txt")
_FALSE_WORDS, _FALSE_CUES = read_groups("quiz_false_words.txt")
TRUE_WORDS, FALSE_WORDS = list(_TRUE_WORDS), list(_FALSE_WORDS)
TRUE, FALSE = TRUE_WORDS[0], FALSE_WORDS[0]
_TRUE_CUE = re.compile("|".join(_TRUE_CUES))
_FALSE_CUE = re.compile("|".join(_FALSE_CUES))
_TRUE_SET = {w.lower() for w in TRUE_WORDS}
_FALSE_SET = {w.lower() for w in FALSE_WORDS}
_PUNCT = " \t\r\n。.！!？?，,；;：:、“”\"'‘’（）()【】[]"


def parse_bool(response: str) -> bool | None:
    r = (response or "").strip().strip(_PUNCT).lower()
    if not r:
        return None
    if r in _FALSE_SET:
        return False
    if r in _TRUE_SET:
        return True
    if _FALSE_CUE.search(r):
        return False
    if _TRUE_CUE.search(r):
        return True
    return None


def parse_choice(q: Question, response: str, names: ActorNames | None = None) -> int | None:
    """The option index a response picks: a letter (B, b, 选B, B. …), a number, the option text or an alias."""
    opts = q.options or []
    r = (response or "").strip()
    if not r or not opts:
        return None
    m = re.fullmatch(r"(?:选项?|答案)?\s*[(（]?\s*([A-Ha-h])\s*[)）.．、:：]?\s*(.*)", r, flags=re.S)
    if m and "ABCDEFGH".index(m.group(1).upper()) < len(opts):
        rest = m.group(2).strip()
        if not rest or fuzz.partial_ratio(rest, opts["ABCDEFGH".index(m.group(1).upper())]) >= 60:
            return "ABCDEFGH".index(m.group(1).upper())
    norm = r.strip(_PUNCT)
    for i, o in enumerate(opts):
        if norm == o or norm == o.rstrip("…"):
            return i
    if q.kind == "structure" and q.answer_type == "choice" and q.id.endswith("-part"):
        m = re.fullmatch(f"第?([{NUMERAL_CHARS}\\d]+)(?:部分)?", norm)
        if m:
            nums = parse_numbers(m.group(1))
            if nums and 1 <= nums[0] <= len(opts):
                return int(nums[0]) - 1
    if re.fullmatch(r"\d", norm) and 1 <= int(norm) <= len(opts):
        return int(norm) - 1
    if q.kind == "who":  # actor names, by any alias
        names = names or ActorNames()
        named = set(names.named_in(norm))
        if named:
            for i, o in enumerate(opts):
                if set(names.named_in(o)) == named:
                    return i
    scores = [fuzz.WRatio(norm, o) for o in opts]
    best = max(scores)
    if best >= 85 and scores.count(best) == 1:
        return scores.index(best)
    return None


_GENERIC = read_list("quiz_generic_words.txt")


def _content(text: str) -> str:
    for w in _GENERIC:
        text = text.replace(w, "")
    return re.sub(r"[\s“”\"'‘’《》（）()]", "", text)


def _segments(response: str) -> list[str]:
    segs = re.split(r"[、，,；;。.\n\r\t/|]+|\s+", response or "")
    out = []
    for s in segs:
        s = s.strip(_PUNCT)
        s = re.sub(f"^(?:第?[{NUMERAL_CHARS}\\d]+[、.．是要:：)）]|[(（][{NUMERAL_CHARS}\\d]+[)）])", "", s)
        s = re.sub(r"^(?:在|和|及|与|以及)", "", s)
        s = re.sub(r"方面$", "", s)
        if len(s) >= 2:
            out.append(s)
    return out


def _compact_subsequence(seg: str, key: str) -> bool:
    """``seg``'s characters appear in order in ``key`` within a short stretch (白石河硫铁矿 ⊂ 白石河废弃硫铁矿)."""
    best = None
    for start in [i for i, c in enumerate(key) if c == seg[0]]:
        j, pos = start, 0
        while j < len(key) and pos < len(seg):
            if key[j] == seg[pos]:
                pos += 1
            j += 1
        if pos == len(seg):
            span = j - start
            best = span if best is None else min(best, span)
    return best is not None and best <= 2 * len(seg)


def _sim(seg: str, key: str) -> float:
    """How well a written segment recalls one expected item (0–100)."""
    seg_c, key_c = _content(seg), _content(key)
    if len(seg_c) < 2 or not key_c:
        return 0.0
    best = fuzz.ratio(seg_c, key_c)
    long_enough = len(seg_c) >= max(2, 0.15 * len(key_c))
    if long_enough and seg_c in key_c:
        best = max(best, 100.0)
    elif len(seg_c) >= 4 and long_enough and _compact_subsequence(seg_c, key_c):
        best = max(best, 90.0)
    if len(seg_c) >= max(3, 0.2 * len(key_c)) and len(seg_c) <= len(key_c):
        best = max(best, fuzz.partial_ratio(seg_c, key_c))
    return best


def _grade_list(q: Question, response: str) -> tuple[float, list[dict]]:
    items = q.items or []
    norm = re.sub(r"\s+", "", response or "")
    matched: dict[int, str] = {}
    # 1. an item's key written out anywhere in the answer
    for i, it in enumerate(items):
        if any(len(k) >= 2 and k in norm for k in it["accepted"]):
            matched[i] = "exact"
    # 2. fuzzy: each written segment can count for one item, and only when it points at one item
    segs = _segments(response)
    pairs = []
    for si, seg in enumerate(segs):
        sims = [max(_sim(seg, k) for k in it["accepted"]) for it in items]
        top = max(sims, default=0)
        if top < 75 or (top < 100 and sims.count(top) > 1):
            continue
        if sum(1 for x in sims if x >= 100) > 1:  # a phrase shared by several items identifies none
            continue
        for i, sc in enumerate(sims):
            if sc >= 75 and i not in matched:
                pairs.append((sc, si, i))
    used: set[int] = set()
    for sc, si, i in sorted(pairs, reverse=True):
        if si in used or i in matched:
            continue
        matched[i] = "fuzzy"
        used.add(si)
    details = [{"answer": it["answer"], "matched": i in matched, "by": matched.get(i, "")}
               for i, it in enumerate(items)]
    return (len(matched) / len(items) if items else 0.0), details


def _grade_actors(q: Question, response: str, names: ActorNames) -> tuple[float, list[dict], list[str]]:
    expected = [it["answer"] for it in (q.items or [])]
    named = names.named_in(response)
    hits = [a for a in expected if a in named]
    extra = [a for a in named if a not in expected]
    score = len(hits) / max(len(expected), len(hits) + len(extra)) if expected else 0.0
    details = [{"answer": a, "matched": a in hits, "by": "alias" if a in hits else ""} for a in expected]
    return score, details, extra


def grade(q: Question, response: str | None, names: ActorNames | None = None) -> Grade:
    """Score a response (0–1) with feedback; ``names`` (the document's bodies) lets answers use any alias."""
    names = names or ActorNames()
    response = "" if response is None else str(response)
    note, details = "", []
    if not response.strip():
        score, note = 0.0, message("assistant.quiz.grade.no_answer")
    elif q.answer_type == "bool":
        b = parse_bool(response)
        if b is None:
            score, note = 0.0, message("assistant.quiz.grade.say_true_or_false")
        else:
            score = 1.0 if b == (q.answer == TRUE) else 0.0
    elif q.answer_type == "choice":
        i = parse_choice(q, response, names)
        if i is None:
            score, note = 0.0, message("assistant.quiz.grade.no_choice")
        else:
            score = 1.0 if q.options[i] == q.answer else 0.0
            if not score:
                note = message("assistant.quiz.grade.you_chose", letter=LETTERS[i], option=q.options[i])
    elif q.answer_type == "number":
        nums = parse_numbers(response)
        if not nums:
            score, note = 0.0, message("assistant.quiz.grade.no_number")
        else:
            target = float(q.answer)
            score = 1.0 if all(numbers_equal(x, target) for x in nums) else 0.0
    elif q.answer_type == "actors":
        score, details, extra = _grade_actors(q, response, names)
        if extra:
            note = message("assistant.quiz.grade.not_named_here", names="、".join(extra))
        elif not names.named_in(response):
            note = message("assistant.quiz.grade.no_body")
    elif q.answer_type == "list":
        score, details = _grade_list(q, response)
    else:
        norm = response.strip(_PUNCT)
        score = 1.0 if norm in q.accepted or max((fuzz.ratio(norm, a) for a in q.accepted), default=0) >= 90 else 0.0
    score = round(max(0.0, min(1.0, score)), 3)
    correct = score >= PASS_MARK
    return Grade(correct, score, _feedback(q, correct, score, note, details), q.expected, dict(q.citation), details)


def _feedback(q: Question, correct: bool, score: float, note: str, details: list[dict]) -> str:
    if correct:
        head = message("assistant.quiz.grade.correct")
    elif score > 0:
        head = message("assistant.quiz.grade.partly", score=score)
    else:
        head = message("assistant.quiz.grade.wrong")
    lines = [head + (note if note and not correct else "")]
    lines.append(message("assistant.quiz.grade.expected", expected=q.expected))
    if details and len(details) > 1:
        lines.append(message("assistant.quiz.grade.by_item") + "；".join(("✓" if d["matched"] else "✗") + d["answer"]
                                                                     for d in details))
    if q.explain:
        lines.append(q.explain)
    for c in citations_of(q):
        lines.append(message("assistant.quiz.grade.source", section=c["section"], start=c["start"], end=c["end"],
                             quote=c["quote"]))
    return "\n".join(lines)


def citations_of(q: Question) -> list[dict]:
    """The question's citation, then any item passages it does not already contain."""
    main = q.citation
    out, seen = [main], set()
    for it in q.items or []:
        c = it["citation"]
        if main["start"] <= c["start"] and c["end"] <= main["end"]:
            continue
        if (c["start"], c["end"]) in seen:
            continue
        seen.add((c["start"], c["end"]))
        out.append(c)
    return out
