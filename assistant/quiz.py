"""Trainee self-quiz: questions generated from the facts layer, graded with the cited passage shown.

Nothing here is a hand-typed question bank. Every question is derived from the speech itself:

* figures (``Assistant.figures()``, kinds target/result/status/count) → fill-in-the-number cloze and
  true/false statements whose false version changes the number;
* the duty map (``Assistant.duties()``) → who-does-what multiple choice, which-task multiple choice,
  which-department free answer ("reverse"), true/false statements whose false version swaps an actor,
  and free recall ("what must 市交通局 do?", "which bodies are named under 在秸秆禁烧方面?");
* the speech's own enumerations (``index.enumerations``) → list recall (the four parts,
  the four 还不, the four 2021 priorities, the five air-pollution fronts …) and structure questions.

Every question carries a citation ``{quote, start, end, section}`` with ``quote == source[start:end]``;
questions whose answer is not visible in their cited passage are dropped at generation time.

Levels: 1 easy (multiple choice, true/false), 2 medium (cloze, reverse), 3 hard (list and free recall).
The bank is the same on every run (ids are stable, so progress can follow a question); a quiz is a
sample of the bank drawn with ``random.Random(seed)``.
"""
from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
import time
import zlib
from bisect import bisect_right
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from functools import lru_cache

from rapidfuzz import fuzz

from index.facts import SubjectFinder


__all__ = ["KINDS", "Grade", "Progress", "Question", "generate", "grade", "make_quiz", "parse_numbers",
           "run_cli_quiz", "to_chinese"]

# kind → level
KINDS: dict[str, int] = {
    "true_false": 1, "who": 1, "task": 1, "structure": 1,
    "cloze": 2, "reverse": 2,
    "list": 3, "recall": 3,
}
KIND_LABELS: dict[str, str] = {
    "true_false": "判断题", "who": "选择题·谁来做", "task": "选择题·做什么", "structure": "选择题·讲话结构",
    "cloze": "填空题·数字", "reverse": "填空题·哪个单位", "list": "列举题", "recall": "回忆题",
}
LEVEL_LABELS = {1: "易", 2: "中", 3: "难"}
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "tf": ("true_false",), "truefalse": ("true_false",), "判断": ("true_false",),
    "mc": ("who", "task", "structure"), "choice": ("who", "task", "structure"), "选择": ("who", "task", "structure"),
    "number": ("cloze",), "figure": ("cloze",), "填空": ("cloze", "reverse"),
    "department": ("reverse",), "actor": ("who", "reverse"),
    "enumeration": ("list",), "列举": ("list",), "free": ("recall",), "回忆": ("recall",),
}
PASS_MARK = 0.999  # a response is "correct" when it scores full marks

_CN_DIGITS = "零一二三四五六七八九"
_CN_NUM = "一二三四五六七八九十"


# ════════════════════════════════════════════════════════════════════════════════════════════════
# Chinese numerals
# ════════════════════════════════════════════════════════════════════════════════════════════════
def to_chinese(value: str | int | float) -> str:
    """``325`` → ``三百二十五``, ``10.2`` → ``十点二``, ``12`` → ``十二`` (integers below 10^8)."""
    text = str(value)
    whole, _, frac = text.partition(".")
    out = _cn_int(int(whole))
    if frac:
        out += "点" + "".join(_CN_DIGITS[int(d)] for d in frac)
    return out


def _cn_int(n: int) -> str:
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = _cn_int(low) if low else ""
        if low and low < 1000:
            rest = "零" + rest
        return _cn_int(high) + "万" + rest
    digits = [(n // 1000) % 10, (n // 100) % 10, (n // 10) % 10, n % 10]
    units = ["千", "百", "十", ""]
    out, zero = "", False
    for d, u in zip(digits, units):
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _CN_DIGITS[d] + u
    if out.startswith("一十"):
        out = out[1:]
    return out


_CN_VAL = {c: i for i, c in enumerate(_CN_DIGITS)} | {"〇": 0, "两": 2, "俩": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_NUM_RE = re.compile(r"\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十百千万]+(?:点[零〇一二两三四五六七八九]+)?")


def _parse_cn_int(s: str) -> int | None:
    if not s:
        return None
    if all(c in _CN_VAL for c in s):  # 三二五 read digit by digit
        return int("".join(str(_CN_VAL[c]) for c in s))
    total, section, num = 0, 0, 0
    for c in s:
        if c in _CN_VAL:
            num = _CN_VAL[c]
        elif c in _CN_UNIT:
            if num == 0 and c == "十":
                num = 1
            section += num * _CN_UNIT[c]
            num = 0
        elif c == "万":
            total += (section + num) * 10000
            section, num = 0, 0
    return total + section + num


def parse_numbers(text: str) -> list[float]:
    """Every number in a response, Arabic or Chinese: ``325天`` / ``三百二十五`` / ``十点二`` / ``百分之九十五``."""
    text = (text or "").replace("百分之", "").replace("，", ",")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,000
    out: list[float] = []
    for m in _NUM_RE.finditer(text):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append(float(tok))
            continue
        whole, _, frac = tok.partition("点")
        if whole and all(c in "百千万" for c in whole):  # a bare 百/千/万 is a word, not a number
            continue
        n = _parse_cn_int(whole) if whole else 0
        if n is None:
            continue
        if frac:
            out.append(float(f"{n}." + "".join(str(_CN_VAL[c]) for c in frac)))
        else:
            out.append(float(n))
    return out


def _num_eq(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9 * max(1.0, abs(a), abs(b))


# ════════════════════════════════════════════════════════════════════════════════════════════════
# Questions
# ════════════════════════════════════════════════════════════════════════════════════════════════
@dataclass
class Question:
    id: str
    kind: str
    level: int
    prompt: str
    answer: str                       # canonical answer (for choice questions: the right option's text)
    accepted: list[str]               # acceptable responses (examples; grading also parses)
    citation: dict                    # {quote, start, end, section}; quote == source[start:end]
    topic: str
    options: list[str] | None = None  # multiple choice (incl. true/false: ["对", "错"])
    answer_type: str = "text"         # choice | bool | number | actors | list
    items: list[dict] | None = None   # actors/list: [{answer, accepted, citation}]
    explain: str = ""                 # e.g. what the original said, for false statements
    fact: str = ""                    # the id of the fact it was generated from (f030, d014, list-…)

    def __post_init__(self) -> None:
        self.accepted = list(dict.fromkeys(self.accepted))

    def to_dict(self) -> dict:
        out = asdict(self)
        out["kind_label"] = KIND_LABELS.get(self.kind, self.kind)
        if self.options:
            out["answer_letter"] = _LETTERS[self.options.index(self.answer)] if self.answer in self.options else None
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Question":
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in names})

    @property
    def expected(self) -> str:
        """The right answer as shown to a trainee."""
        if self.answer_type == "choice" and self.options and self.answer in self.options:
            return f"{_LETTERS[self.options.index(self.answer)]}. {self.answer}"
        if self.answer_type == "list" and self.items:
            return "；".join(f"{i}. {it['answer']}" for i, it in enumerate(self.items, 1))
        return self.answer

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


_LETTERS = "ABCDEFGH"


def _rng_for(key: str) -> random.Random:
    """A generator fixed by a question id: the bank is identical on every run."""
    return random.Random(zlib.crc32(key.encode("utf-8")))


class _Source:
    """The canonical text with its sentences, for citations and section lookups."""

    def __init__(self, assistant):
        self.text: str = assistant.index.corpus.text
        self.doc = assistant.index.corpus.doc
        self.sentences = [s for s in self.doc.sentences]
        self.starts = [s.start for s in self.sentences]
        self.by_id = {s.id: s for s in self.sentences}

    def sentence_at(self, pos: int):
        i = bisect_right(self.starts, pos) - 1
        return self.sentences[max(i, 0)]

    def cite(self, start: int, end: int, section: str | None = None) -> dict:
        quote = self.text[start:end]
        return {"quote": quote, "start": start, "end": end,
                "section": section if section is not None else self.sentence_at(start).section}


def _strip_end(text: str) -> str:
    return text.rstrip("。；;，,：:！!？? ")


def _clip(text: str, limit: int = 48) -> str:
    """Cut a long clause list at a clause boundary (else at a 、 boundary), marking the cut with …"""
    text = _strip_end(text)
    if len(text) <= limit:
        return text
    for seps in ("，；", "，；、"):
        out = ""
        for p in re.split(f"(?<=[{seps}])", text):
            if out and len(out) + len(p) > limit:
                break
            out += p
        out = _strip_end(out)
        if limit * 0.5 <= len(out) <= limit:
            return out + "…"
    return text[:limit] + "…"


_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+，|[一二三四五六七八九十]+[是要])")


def _topic_label(path: list[str]) -> str:
    """A short topic for progress statistics: 在…方面 → its core; else the section (or part) theme."""
    for label in reversed(path):
        m = re.match(r"^在(.+?)方面$", label)
        if m:
            return m.group(1)
    if not path:
        return ""
    label = path[1] if len(path) >= 2 else path[0]
    label = _MARKER.sub("", label)
    label = re.sub(r"^要", "", label)
    return _strip_end(label.split("，")[0])


def _cn(n: int) -> str:
    """A count before a measure word: 两个, 三个, 第二 is written with _ordinal."""
    return "两" if n == 2 else to_chinese(n)


def _ordinal(n: int) -> str:
    return to_chinese(n)


# ---- actors ----------------------------------------------------------------------------------------
# The bodies come from the document (the assistant's registry); the quiz reads the same derived facts.
_REGISTRY: dict = {"r": None}


def _registry():
    return _REGISTRY["r"]


def _use_registry(registry) -> None:
    _REGISTRY["r"] = registry


class _Actors:
    def get(self, name):
        r = _registry()
        return r.by_name.get(name) if r else None


_ACTOR = _Actors()


def _is_local(body) -> bool:
    return body.kind == "county" or body.name.startswith("各县")


def _is_leader(body) -> bool:
    return body.kind == "leader"


@lru_cache(maxsize=4)
def _subject_finder(registry) -> SubjectFinder:
    """The duty map's own subject finder (index.facts), over the document's bodies."""
    return SubjectFinder(registry.bodies if registry else [])


@lru_cache(maxsize=4)
def _alias_table(registry) -> dict[str, str]:
    out: dict[str, str] = {}
    for b in (registry.bodies if registry else []):
        for f in b.surface_forms:
            out.setdefault(f.lower(), b.name)
    return out


def _overlaps(a: str, b: str) -> bool:
    """Whether two actors can both be right for one task (so one may never be the other's distractor)."""
    if a == b:
        return True
    A, B = _ACTOR.get(a), _ACTOR.get(b)
    if A is None or B is None:
        return True
    if b in A.covers or a in B.covers:
        return True
    # A collective ("各级各部门") includes every body; local and leader bodies overlap among themselves.
    if A.kind == "collective" and not _is_local(A) or B.kind == "collective" and not _is_local(B):
        return True
    return (_is_local(A) and _is_local(B)) or (_is_leader(A) and _is_leader(B))


def _aliases(name: str) -> list[str]:
    a = _ACTOR.get(name)
    if a is None:
        return [name]
    return list(dict.fromkeys(a.surface_forms))


def actors_in(response: str) -> list[str]:
    """Canonical actors named in a free answer: any registry alias, English name, or a near spelling."""
    from rapidfuzz import process

    text = response or ""
    registry = _registry()
    find_actors = registry.find if registry else (lambda t: [])
    alias_exact = _alias_table(registry)
    names = list(find_actors(text))
    for seg in re.split(r"[、，,；;/\s]+|(?<=[局办县区])和", text):
        seg = seg.strip("。.！!？?“”\"'（）() ")
        if not seg:
            continue
        hit = alias_exact.get(seg.lower())
        if hit is None and len(seg) >= 3 and not find_actors(seg):
            best = process.extract(seg, list(alias_exact), scorer=fuzz.ratio, limit=3, score_cutoff=80)
            if best and len({alias_exact[k] for k, s, _ in best if s == best[0][1]}) == 1:
                hit = alias_exact[best[0][0]]
        if hit and hit not in names:
            names.append(hit)
    return names


# ════════════════════════════════════════════════════════════════════════════════════════════════
# Generation
# ════════════════════════════════════════════════════════════════════════════════════════════════
_BANKS: dict[int, list[Question]] = {}


def generate(assistant) -> list[Question]:
    """The full question bank for an assistant's speech (cached; identical on every run)."""
    _use_registry(assistant.registry)
    key = zlib.crc32(assistant.index.corpus.text.encode("utf-8"))
    if key not in _BANKS:
        _BANKS[key] = _Generator(assistant).run()
    return list(_BANKS[key])


class _Generator:
    def __init__(self, assistant):
        self.src = _Source(assistant)
        self.duties = assistant.duties()
        self.figures = assistant.figures()
        from index.enumerations import derive_enumerations as _enumerations

        self.groups = _enumerations(self.src.doc)
        self.questions: list[Question] = []

    def run(self) -> list[Question]:
        self._figure_questions()
        self._duty_questions()
        self._recall_questions()
        self._enumeration_questions()
        seen_ids, seen_prompts, out = set(), set(), []
        for q in self.questions:
            if q.id in seen_ids or q.prompt in seen_prompts or not supported(q, self.src.text):
                continue
            seen_ids.add(q.id)
            seen_prompts.add(q.prompt)
            out.append(q)
        return out

    # ---- figures → cloze, true/false ---------------------------------------------------------------
    def _figure_questions(self) -> None:
        text = self.src.text
        for f in self.figures:
            if f["kind"] not in ("target", "result", "status", "count"):
                continue
            sent = self.src.sentence_at(f["start"])
            ss, se = f["sentence_start"], f["sentence_end"]
            a, vb = f["start"] - ss, f["start"] - ss + len(f["value"])
            s_text = text[ss:se]
            lo, hi = _window(s_text, a, vb)
            pre = ("…" if lo > 0 else "") + s_text[lo:a]
            post = s_text[vb:hi] + ("…" if hi < len(_strip_end(s_text)) else "")
            citation = self.src.cite(ss, se, f["section"])
            topic = _topic_label(sent.path)
            value = f["value"]
            unit = f["unit"]
            where = f"（{f['section']}）"
            accepted = [value, value + unit, to_chinese(value), to_chinese(value) + unit]
            self.questions.append(Question(
                id=f"cloze-{f['id']}", kind="cloze", level=KINDS["cloze"],
                prompt=f"填空：{pre}___{post}{where}", answer=value, accepted=list(dict.fromkeys(accepted)),
                citation=citation, topic=topic, answer_type="number", fact=f["id"],
                explain=f"原文：“{f['text']}”"))
            statement = f"{pre}{value}{post}"
            fact_item = {"answer": f["text"], "accepted": [f["text"]], "citation": self.src.cite(f["start"], f["end"])}
            self.questions.append(Question(
                id=f"tf-{f['id']}-true", kind="true_false", level=KINDS["true_false"],
                prompt=f"判断对错：讲话中说“{statement}”。", answer="对", accepted=_TRUE_WORDS[:6],
                citation=citation, topic=topic, options=["对", "错"], answer_type="bool", fact=f["id"],
                items=[dict(fact_item)], explain=f"原文就是“{f['text']}”。"))
            others = {m.group(0) for m in re.finditer(r"\d+(?:\.\d+)?", s_text)}
            wrong = _altered_number(value, unit, others, _rng_for(f"tf-{f['id']}-false"))
            if wrong is None:
                continue
            self.questions.append(Question(
                id=f"tf-{f['id']}-false", kind="true_false", level=KINDS["true_false"],
                prompt=f"判断对错：讲话中说“{pre}{wrong}{post}”。", answer="错", accepted=_FALSE_WORDS[:6],
                citation=citation, topic=topic, options=["对", "错"], answer_type="bool", fact=f["id"],
                items=[dict(fact_item)], explain=f"原文是“{f['text']}”，不是“{wrong}{unit}”。"))

    # ---- duties → who / task / reverse / true-false -----------------------------------------------------
    def _duty_info(self) -> list[dict]:
        text = self.src.text
        infos = []
        last_direct: dict | None = None
        for d in self.duties:
            task = d["task"]
            if d["inherited"]:
                rest = re.sub(r"^(?:特别|并|同时，)?要", "", task)
                parent = last_direct if last_direct and last_direct["actors"] == d["actors"] else None
                start = parent["start"] if parent and self.src.by_id[parent["sentence_id"]].paragraph == \
                    self.src.by_id[d["sentence_id"]].paragraph else None
                if start is None:
                    continue
            else:
                m = _subject_finder(_registry()).find(task)
                if not m or m[0].start() != 0:
                    continue
                rest = task[m[0].end():]
                start = d["start"]
                last_direct = d
            sent = self.src.by_id[d["sentence_id"]]
            rest = _strip_end(rest)
            infos.append(dict(
                duty=d, actors=list(d["actors"]), rest=rest, short=_clip(rest, 46), long=_clip(rest, 70),
                citation=self.src.cite(start, d["end"], d["section"]),
                topic=_topic_label(sent.path), fangmian=d["topic"] if re.match(r"^在.+方面$", d["topic"]) else "",
                part=sent.path[0] if sent.path else "", generic="各级各部门" in d["actors"]))
            assert text[start:d["end"]].endswith(task)
        return infos

    def _distractor_actors(self, info: dict, pool: list[str], k: int, rng: random.Random,
                           infos: list[dict]) -> list[str]:
        """Actors from the duty map that are not right for this task (same topic first)."""
        same_task = {a for o in infos if fuzz.ratio(o["rest"], info["rest"]) >= 90 for a in o["actors"]}
        ok = [a for a in pool if not any(_overlaps(a, c) for c in info["actors"]) and a not in same_task]
        near = [a for a in ok if any(a in o["actors"] for o in infos if o["topic"] == info["topic"])]
        far = [a for a in ok if a not in near]
        rng.shuffle(near)
        rng.shuffle(far)
        return (near + far)[:k]

    def _duty_questions(self) -> None:
        infos = self._duty_info()
        self.duty_infos = infos
        pool = list(dict.fromkeys(a for i in infos for a in i["actors"]))
        usable = [i for i in infos if not i["generic"]]
        asked_task: dict[tuple, str] = {}
        for info in usable:
            d = info["duty"]
            did = d["id"]
            actors = info["actors"]
            joined = "、".join(actors)
            lead = f"{info['fangmian']}，" if info["fangmian"] else ""
            where = "" if info["fangmian"] else f"（{d['section']}）"
            if any(f in info["short"] for a in actors for f in _aliases(a) if len(f) >= 3):
                continue  # the task text would give the answer away
            many = len(actors) > 1
            accepted_names = [f for a in actors for f in _aliases(a)]
            items = [{"answer": a, "accepted": _aliases(a), "citation": info["citation"]} for a in actors]

            # who: multiple choice
            rng = _rng_for(f"who-{did}")
            if many:  # options of the same size, each made of actors that could not share the task
                picks = [a for a in self._distractor_actors(info, pool, len(pool), rng, infos) if "、" not in a]
                options = []
                while picks and len(options) < 3:
                    group = [picks.pop(0)]
                    for a in list(picks):
                        if len(group) < len(actors) and not any(_overlaps(a, g) for g in group):
                            group.append(a)
                            picks.remove(a)
                    if len(group) == len(actors):
                        options.append("、".join(group))
            else:
                options = self._distractor_actors(info, pool, 3, rng, infos)
            if len(options) >= 2:
                options = options + [joined]
                rng.shuffle(options)
                who = "哪几方（多个主体）" if many else "谁"
                self.questions.append(Question(
                    id=f"who-{did}", kind="who", level=KINDS["who"],
                    prompt=f"{lead}讲话要求{who}{info['short']}？{where}", answer=joined,
                    accepted=[_LETTERS[options.index(joined)], joined] + ([] if many else accepted_names),
                    citation=info["citation"], topic=info["topic"], options=options, answer_type="choice",
                    items=[dict(it) for it in items], fact=did))

            # reverse: name the department(s)
            who = f"哪{_cn(len(actors))}个单位（或群体）" if many else "哪个单位（或群体）"
            self.questions.append(Question(
                id=f"reverse-{did}", kind="reverse", level=KINDS["reverse"],
                prompt=f"{lead}讲话要求{who}{info['short']}？请写出名称（简称也可）。{where}", answer=joined,
                accepted=[joined] + accepted_names, citation=info["citation"], topic=info["topic"],
                answer_type="actors", items=items, fact=did))

            # task: which of these is this actor's task?
            rng = _rng_for(f"task-{did}")
            cands = [o for o in usable if o is not info
                     and not any(_overlaps(a, c) for a in o["actors"] for c in actors)
                     and fuzz.ratio(o["short"], info["short"]) < 80]
            near = [o for o in cands if o["part"] == info["part"]]
            far = [o for o in cands if o["part"] != info["part"]]
            rng.shuffle(near)
            rng.shuffle(far)
            opts: list[str] = []
            for o in near + far:
                if o["short"] not in opts and o["short"] != info["short"]:
                    opts.append(o["short"])
                if len(opts) == 3:
                    break
            if len(opts) >= 2:
                opts.append(info["short"])
                rng.shuffle(opts)
                context = (joined, lead, where)
                prompt = f"{lead}讲话对{joined}提出的要求是下面哪一项？{where}"
                if context in asked_task:  # a second duty in the same place: name the one already asked
                    prompt = f"{lead}除了“{_clip(asked_task[context], 20)}”，讲话还要求{joined}做什么？{where}"
                asked_task.setdefault(context, info["short"])
                self.questions.append(Question(
                    id=f"task-{did}", kind="task", level=KINDS["task"],
                    prompt=prompt, answer=info["short"],
                    accepted=[_LETTERS[opts.index(info["short"])], info["short"]], citation=info["citation"],
                    topic=info["topic"], options=opts, answer_type="choice", fact=did))

            # true/false: the statement as said, and with one actor swapped
            sep = "：" if info["rest"].startswith(("对", "针对")) else ""
            self.questions.append(Question(
                id=f"tf-{did}-true", kind="true_false", level=KINDS["true_false"],
                prompt=f"判断对错：{lead}讲话要求{joined}{sep}{info['long']}。", answer="对",
                accepted=_TRUE_WORDS[:6], citation=info["citation"], topic=info["topic"], options=["对", "错"],
                answer_type="bool", fact=did, items=[dict(it) for it in items],
                explain=f"讲话确实要求{joined}这样做。"))
            rng = _rng_for(f"tf-{did}-swap")
            swap = self._distractor_actors(info, pool, 1, rng, infos)
            if swap:
                i = rng.randrange(len(actors))
                wrong = list(actors)
                wrong[i] = swap[0]
                self.questions.append(Question(
                    id=f"tf-{did}-swap", kind="true_false", level=KINDS["true_false"],
                    prompt=f"判断对错：{lead}讲话要求{'、'.join(wrong)}{sep}{info['long']}。", answer="错",
                    accepted=_FALSE_WORDS[:6], citation=info["citation"], topic=info["topic"],
                    options=["对", "错"], answer_type="bool", fact=did, items=[dict(it) for it in items],
                    explain=f"讲话点名的是{actors[i]}，不是{swap[0]}。"))

    # ---- free recall ---------------------------------------------------------------------------------
    def _recall_questions(self) -> None:
        infos = self.duty_infos
        actors = list(dict.fromkeys(a for i in infos for a in i["actors"] if a != "各级各部门"))
        for actor in actors:
            mine = [i for i in infos if actor in i["actors"]]
            items = [{"answer": i["short"], "accepted": [i["short"], i["rest"]], "citation": i["citation"]}
                     for i in mine]
            n = len(items)
            if n == 1:
                prompt = f"讲话要求{actor}做什么？请写出要点。"
            else:
                prompt = f"讲话点名要求{actor}做的有{_cn(n)}项，分别是什么？请逐项写出要点（用“；”分隔）。"
            self.questions.append(Question(
                id=f"recall-actor-{_slug(actor)}", kind="recall", level=KINDS["recall"], prompt=prompt,
                answer="；".join(it["answer"] for it in items), accepted=[it["answer"] for it in items],
                citation=_span_citation(self.src, [i["citation"] for i in mine]), topic=mine[0]["topic"],
                answer_type="list", items=items, fact=actor))
        # bodies named under each 在…方面 topic
        topics = list(dict.fromkeys(i["fangmian"] for i in infos if i["fangmian"]))
        for topic in topics:
            mine = [i for i in infos if i["fangmian"] == topic]
            names = list(dict.fromkeys(a for i in mine for a in i["actors"]))
            items = [{"answer": a, "accepted": _aliases(a),
                      "citation": next(i["citation"] for i in mine if a in i["actors"])} for a in names]
            core = re.sub(r"^在|方面$", "", topic)
            self.questions.append(Question(
                id=f"recall-topic-{_slug(core)}", kind="recall", level=KINDS["recall"],
                prompt=f"{topic}，讲话点名了哪{_cn(len(names))}个单位（或群体）？请全部写出。",
                answer="、".join(names), accepted=["、".join(names)],
                citation=_span_citation(self.src, [i["citation"] for i in mine]), topic=core,
                answer_type="actors", items=items, fact=topic))

    # ---- enumerations → list recall, structure ---------------------------------------------------------
    def _enumeration_questions(self) -> None:
        text = self.src.text
        parts_group = next((g for g in self.groups if g.label == "parts"), None)
        parts = [(s, e) for s, e, _ in parts_group.items] if parts_group else []
        part_titles = [_strip_end(text[s:e]) for s, e in parts]
        for g in self.groups:
            info = self._group_info(g, part_titles)
            if info is None:
                continue
            gid, desc, ask, items, lead_cite, topic = info
            n = len(items)
            self.questions.append(Question(
                id=f"list-{gid}", kind="list", level=KINDS["list"], prompt=ask,
                answer="；".join(it["answer"] for it in items), accepted=[it["answer"] for it in items],
                citation=lead_cite, topic=topic, answer_type="list", items=items, fact=gid))
            # ordinal: the k-th item of the list
            for k, it in enumerate(items):
                rng = _rng_for(f"structure-{gid}-{k + 1}")
                opts = [o["answer"] for o in items]
                if len(opts) > 4:
                    others = [o for o in opts if o != it["answer"]]
                    rng.shuffle(others)
                    opts = others[:3] + [it["answer"]]
                rng.shuffle(opts)
                self.questions.append(Question(
                    id=f"structure-{gid}-{k + 1}", kind="structure", level=KINDS["structure"],
                    prompt=f"{desc}，第{_ordinal(k + 1)}项是哪一项？", answer=it["answer"],
                    accepted=[_LETTERS[opts.index(it["answer"])], it["answer"]], citation=it["citation"],
                    topic="讲话结构", options=opts, answer_type="choice", fact=gid))
            # which part an item belongs to (options in speech order, so 第三部分 / 三 / 3 / C agree)
            if g.label == "parts" or not parts:
                continue
            for k, it in enumerate(items):
                idx = next((i for i, (s, e) in enumerate(parts)
                            if s <= it["citation"]["start"] < (parts[i + 1][0] if i + 1 < len(parts) else len(text))),
                           None)
                if idx is None:
                    continue
                ps, pe = parts[idx]
                answer = part_titles[idx]
                self.questions.append(Question(
                    id=f"structure-{gid}-{k + 1}-part", kind="structure", level=KINDS["structure"],
                    prompt=f"“{it['answer']}”出自讲话的哪一部分？", answer=answer,
                    accepted=[_LETTERS[idx], answer, f"第{_ordinal(idx + 1)}部分", _ordinal(idx + 1), str(idx + 1)],
                    citation=self.src.cite(ps, pe), topic="讲话结构", options=list(part_titles),
                    answer_type="choice", items=[dict(it)], fact=gid,
                    explain=f"“{it['answer']}”在“{it['citation']['section']}”下。"))

    def _group_info(self, g, part_titles: list[str]):
        """(id, description, list question, items, lead citation, topic) for one enumeration."""
        text, src = self.src.text, self.src
        n = len(g.items)
        items = []
        for s, e, section in g.items:
            raw = _strip_end(text[s:e])
            if g.label.startswith("^在"):
                answer = re.sub(r"^在|方面$", "", raw)
                keys = [answer, raw]
            else:
                answer = _MARKER.sub("", raw)
                answer = re.sub(r"^要", "", answer) if g.label != "parts" else answer
                keys = [answer, answer.split("，")[0]]
            items.append({"answer": answer, "accepted": list(dict.fromkeys(keys)), "citation": src.cite(s, e, section)})
        first = src.sentence_at(g.items[0][0])
        if g.label == "parts":
            heading = next(p for p in src.doc.paragraphs if p.start == g.items[0][0])
            before = src.doc.paragraphs[heading.index - 1].sentences[-1]
            lead = _strip_end(before.text)
            gid = "parts"
            desc = f"讲话（“{lead}”）的{_cn(n)}个部分"
            ask = f"讲话（“{lead}”）分为哪{_cn(n)}个部分？请写出各部分的主题。"
            lead_cite = src.cite(before.start, before.end)
            topic = "讲话结构"
        elif g.start < g.items[0][0] and g.label != "inline":  # an introducing paragraph ("…强调四个方面工作：")
            intro = next(p for p in src.doc.paragraphs if p.start == g.start)
            last = intro.sentences[-1]
            phrase = re.sub(r"^我", "", _strip_end(last.text))
            phrase = re.sub(r"([一二三四五六七八九十]+个)", r"的\1", phrase, count=1)
            date = re.match(r"^(\d{4}年)", intro.text)
            desc = f"{date.group(1) if date else ''}{phrase}"
            gid = f"intro-{g.start}"
            ask = f"{desc}是什么？请逐项写出。"
            lead_cite = src.cite(intro.start, intro.end)
            topic = _topic_label(first.path[:1])
        elif g.label == "inline":
            para = next(p for p in src.doc.paragraphs if p.start == g.start)
            core = _topic_label(para.path)
            common = _common_bigram([it["answer"] for it in items])
            desc = (f"讲话在“{core}”中指出的{_cn(n)}个“{common}”" if common
                    else f"讲话在“{core}”中列出的{_cn(n)}点")
            ask = f"{desc}是哪{_cn(n)}个？请逐项写出。"
            gid = f"inline-{g.start}"
            lead_cite = src.cite(para.start, para.end) if para.end - para.start <= 600 else \
                src.cite(para.sentences[0].start, para.sentences[0].end)
            topic = core
        elif g.label.startswith("^在"):
            parent = first.path[1] if len(first.path) > 1 else first.path[0]
            head = next(p for p in src.doc.paragraphs if p.kind == "body" and p.text.startswith(parent))
            theme = re.search(r"(?:全市)?([\u4e00-\u9fff]{2,6}?防治)工作", head.text)
            desc = (f"{theme.group(1)}的{_cn(n)}个方面" if theme else f"“{parent}”一节部署的{_cn(n)}个方面")
            ask = f"“{parent}”一节中，讲话分{_cn(n)}个方面部署了{theme.group(1) if theme else '工作'}，是哪{_cn(n)}个方面？"
            gid = f"topics-{g.start}"
            lead_cite = src.cite(head.sentences[0].start, head.sentences[0].end)
            topic = _topic_label(first.path[:2])
        else:  # 第一，… / 一要… sections of one part
            part = first.path[0]
            k = part_titles.index(_strip_end(part)) + 1 if _strip_end(part) in part_titles else 0
            core = _topic_label([part])
            markers = "、".join(re.match(r"^(第[一二三四五六七八九十]+|[一二三四五六七八九十]+[是要])",
                                         text[s:e]).group(1) for s, e, _ in g.items)
            desc = f"讲话第{_ordinal(k)}部分（{core}）中的{_cn(n)}点要求（{markers}）"
            ask = f"{desc}是什么？请逐项写出。"
            gid = f"sections-{g.start}"
            head = next(p for p in src.doc.paragraphs if p.kind == "heading" and p.text == part)
            lead_cite = src.cite(head.start, head.end)
            topic = core
        # When the whole list fits in one short passage, cite all of it.
        span_start = min(lead_cite["start"], items[0]["citation"]["start"])
        span_end = max(lead_cite["end"], items[-1]["citation"]["end"])
        if span_end - span_start <= 600:
            lead_cite = src.cite(span_start, span_end, lead_cite["section"])
        return gid, desc, ask, items, lead_cite, topic


def _slug(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def _common_bigram(items: list[str]) -> str:
    first = items[0]
    for i in range(len(first) - 1):
        bg = first[i:i + 2]
        if all(bg in it for it in items[1:]):
            return bg
    return ""


def _span_citation(src: _Source, cites: list[dict]) -> dict:
    """One citation covering several passages when they share a paragraph, else the first one."""
    start, end = min(c["start"] for c in cites), max(c["end"] for c in cites)
    if end - start <= 600 and "\n" not in src.text[start:end]:
        return src.cite(start, end, cites[0]["section"])
    return dict(cites[0])


def _window(sentence: str, a: int, b: int, max_len: int = 72, min_left: int = 16) -> tuple[int, int]:
    """The clauses of a sentence around [a, b): the whole sentence when short, else nearby clauses."""
    body = _strip_end(sentence)
    if len(body) <= max_len:
        return 0, len(body)
    stops = "，；：、"
    left = max(body.rfind(c, 0, a) for c in stops) + 1
    rights = [i for i in (body.find(c, b) for c in "，；：") if i != -1]
    right = min(rights) if rights else len(body)
    while left > 0 and a - left < min_left:
        prev = max(body.rfind(c, 0, left - 1) for c in "，；：") + 1
        if right - prev > max_len:
            break
        left = prev
    return left, right


def _altered_number(value: str, unit: str, others: set[str], rng: random.Random) -> str | None:
    """A different, plausible number for a false statement (never another number of the same sentence)."""
    if "." in value:
        places = len(value.split(".")[1])
        v = float(value)
        step = 10 ** -places
        cands = [v + d * step for d in (-3, -2, -1, 1, 2, 3, 5)] + [v + 1, v - 1]
        cands = [round(c, places) for c in cands if c > 0]
        strs = [f"{c:.{places}f}" for c in cands]
    else:
        v = int(value)
        if v <= 5:
            deltas = (-2, -1, 1, 2, 3)
        elif v <= 20:
            deltas = (-3, -2, -1, 1, 2, 3)
        elif v <= 100:
            deltas = (-10, -5, -3, 3, 5, 10)
        elif v < 500:
            deltas = (-25, -15, -10, 10, 15, 25)
        else:
            deltas = (-50, -30, -20, 20, 30, 50)
        strs = [str(v + d) for d in deltas if v + d > 0 and not (unit == "%" and v + d > 100)]
    strs = [s for s in dict.fromkeys(strs) if s != value and s not in others]
    return rng.choice(strs) if strs else None


def supported(q: Question, source: str) -> bool:
    """The answer is visible in the cited passage(s), and every citation is exact."""
    cites = [q.citation] + [it["citation"] for it in (q.items or [])]
    for c in cites:
        if source[c["start"]:c["end"]] != c["quote"]:
            return False
    quote = q.citation["quote"]

    def present(item: dict, text: str) -> bool:
        actor = _ACTOR.get(item["answer"])
        forms = actor.surface_forms if actor else item["accepted"]
        return any(f and f in text for f in forms)

    if q.answer_type == "number":
        return q.answer in quote
    if q.answer_type == "bool":  # the true number / the actors really named are in the passage
        return bool(q.items) and all(present(it, quote) for it in q.items)
    if q.answer_type in ("actors", "list"):
        return bool(q.items) and all(present(it, it["citation"]["quote"]) for it in q.items)
    if q.answer_type == "choice":
        if q.kind == "who":
            return bool(q.items) and all(present(it, quote) for it in q.items)
        return q.answer.rstrip("…") in quote
    return q.answer in quote


# ════════════════════════════════════════════════════════════════════════════════════════════════
# Sampling
# ════════════════════════════════════════════════════════════════════════════════════════════════
def resolve_kinds(kind: str | list[str] | None) -> list[str] | None:
    """``"tf,cloze"`` / ``["who"]`` / ``"mc"`` → kind names; ``ValueError`` for unknown ones."""
    if not kind:
        return None
    parts = kind if isinstance(kind, (list, tuple)) else re.split(r"[,\s，]+", kind)
    out: list[str] = []
    for p in parts:
        p = p.strip().lower().replace("-", "_")
        if not p:
            continue
        if p in KINDS:
            out.append(p)
        elif p in KIND_ALIASES:
            out.extend(KIND_ALIASES[p])
        else:
            raise ValueError(f"unknown quiz kind {p!r}; choose from {', '.join(KINDS)} (or tf, mc)")
    return list(dict.fromkeys(out)) or None


def make_quiz(bank: list[Question], n: int = 10, seed: int | None = None, kind=None, level: int | None = None,
              ids: list[str] | None = None) -> list[Question]:
    """A sample of ``n`` questions, mixed across kinds; the same for the same seed and filters."""
    rng = random.Random(seed)
    kinds = resolve_kinds(kind)
    pool = [q for q in bank if (not kinds or q.kind in kinds) and (not level or q.level == int(level))
            and (ids is None or q.id in ids)]
    if ids is not None:  # a retry: keep the asked order
        order = {qid: i for i, qid in enumerate(ids)}
        pool.sort(key=lambda q: order[q.id])
        return pool[:n] if n else pool
    by_kind: dict[str, list[Question]] = {}
    for q in pool:
        by_kind.setdefault(q.kind, []).append(q)
    names = sorted(by_kind)
    rng.shuffle(names)
    for k in names:
        rng.shuffle(by_kind[k])
    out: list[Question] = []
    while len(out) < n and any(by_kind.values()):
        for k in names:
            if by_kind[k] and len(out) < n:
                out.append(by_kind[k].pop())
    rng.shuffle(out)
    return out


# ════════════════════════════════════════════════════════════════════════════════════════════════
# Grading
# ════════════════════════════════════════════════════════════════════════════════════════════════
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


_TRUE_WORDS = ["对", "是", "正确", "true", "T", "√", "✓", "✔", "真", "yes", "y", "right", "1"]
_FALSE_WORDS = ["错", "否", "错误", "false", "F", "×", "✗", "✘", "x", "假", "no", "n", "wrong", "不对", "不是",
                "不正确", "0"]
_TRUE_SET = {w.lower() for w in _TRUE_WORDS}
_FALSE_SET = {w.lower() for w in _FALSE_WORDS}
_PUNCT = " \t\r\n。.！!？?，,；;：:、“”\"'‘’（）()【】[]"


def parse_bool(response: str) -> bool | None:
    r = (response or "").strip().strip(_PUNCT).lower()
    if not r:
        return None
    if r in _FALSE_SET:
        return False
    if r in _TRUE_SET:
        return True
    if re.search(r"不对|不是|不正确|错|否|×|✗|false|wrong", r):
        return False
    if re.search(r"对|正确|是|√|✓|true|right", r):
        return True
    return None


def parse_choice(q: Question, response: str) -> int | None:
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
        m = re.fullmatch(r"第?([一二三四五六七八九十\d]+)(?:部分)?", norm)
        if m:
            nums = parse_numbers(m.group(1))
            if nums and 1 <= nums[0] <= len(opts):
                return int(nums[0]) - 1
    if re.fullmatch(r"\d", norm) and 1 <= int(norm) <= len(opts):
        return int(norm) - 1
    if q.kind == "who":  # actor names, by any alias
        named = set(actors_in(norm))
        if named:
            for i, o in enumerate(opts):
                if set(actors_in(o)) == named:
                    return i
    scores = [fuzz.WRatio(norm, o) for o in opts]
    best = max(scores)
    if best >= 85 and scores.count(best) == 1:
        return scores.index(best)
    return None


_GENERIC = ("严格落实", "切实", "认真", "进一步", "全面", "积极", "坚决", "加强", "加大", "力度", "工作", "开展",
            "做好", "抓好", "推进", "严格", "督促企业", "要求", "讲话")


def _content(text: str) -> str:
    for w in _GENERIC:
        text = text.replace(w, "")
    return re.sub(r"[\s“”\"'‘’《》（）()]", "", text)


def _segments(response: str) -> list[str]:
    segs = re.split(r"[、，,；;。.\n\r\t/|]+|\s+", response or "")
    out = []
    for s in segs:
        s = s.strip(_PUNCT)
        s = re.sub(r"^(?:第?[一二三四五六七八九十\d]+[、.．是要:：)）]|[(（][一二三四五六七八九十\d]+[)）])", "", s)
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


def _grade_actors(q: Question, response: str) -> tuple[float, list[dict], list[str]]:
    expected = [it["answer"] for it in (q.items or [])]
    named = actors_in(response)
    hits = [a for a in expected if a in named]
    extra = [a for a in named if a not in expected]
    score = len(hits) / max(len(expected), len(hits) + len(extra)) if expected else 0.0
    details = [{"answer": a, "matched": a in hits, "by": "alias" if a in hits else ""} for a in expected]
    return score, details, extra


def grade(q: Question, response: str | None) -> Grade:
    """Grade one response. Feedback always gives the right answer and the cited passage."""
    response = "" if response is None else str(response)
    note, details = "", []
    if not response.strip():
        score, note = 0.0, "（未作答）"
    elif q.answer_type == "bool":
        b = parse_bool(response)
        if b is None:
            score, note = 0.0, "（请回答 对/错）"
        else:
            score = 1.0 if b == (q.answer == "对") else 0.0
    elif q.answer_type == "choice":
        i = parse_choice(q, response)
        if i is None:
            score, note = 0.0, "（没有认出选了哪一项）"
        else:
            score = 1.0 if q.options[i] == q.answer else 0.0
            if not score:
                note = f"（你选了 {_LETTERS[i]}. {q.options[i]}）"
    elif q.answer_type == "number":
        nums = parse_numbers(response)
        if not nums:
            score, note = 0.0, "（没有读到数字）"
        else:
            target = float(q.answer)
            score = 1.0 if all(_num_eq(x, target) for x in nums) else 0.0
    elif q.answer_type == "actors":
        score, details, extra = _grade_actors(q, response)
        if extra:
            note = f"（讲话此处没有点名：{'、'.join(extra)}）"
        elif not actors_in(response):
            note = "（没有认出单位名称）"
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
        head = "✓ 回答正确"
    elif score > 0:
        head = f"◐ 部分正确（得分 {score:.0%}）"
    else:
        head = "✗ 回答错误"
    lines = [head + (note if note and not correct else "")]
    lines.append(f"正确答案：{q.expected}")
    if details and len(details) > 1:
        lines.append("逐项：" + "；".join(("✓" if d["matched"] else "✗") + d["answer"] for d in details))
    if q.explain:
        lines.append(q.explain)
    for c in citations_of(q):
        lines.append(f"出处［{c['section']}］（{c['start']}–{c['end']}）：「{c['quote']}」")
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


# ════════════════════════════════════════════════════════════════════════════════════════════════
# Progress (SQLite)
# ════════════════════════════════════════════════════════════════════════════════════════════════
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    origin TEXT,
    n INTEGER,
    seed INTEGER,
    kind TEXT,
    level INTEGER
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER REFERENCES sessions(id),
    ts REAL NOT NULL,
    question_id TEXT NOT NULL,
    kind TEXT,
    level INTEGER,
    topic TEXT,
    correct INTEGER NOT NULL,
    score REAL NOT NULL,
    response TEXT
);
CREATE INDEX IF NOT EXISTS attempts_session ON attempts(session_id);
CREATE INDEX IF NOT EXISTS attempts_question ON attempts(question_id);
"""


class Progress:
    """A trainee's quiz history, kept locally in SQLite (``<home>/quiz.sqlite3``)."""

    FILENAME = "quiz.sqlite3"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(_SCHEMA)

    @classmethod
    def for_assistant(cls, assistant) -> "Progress":
        return cls(Path(assistant.settings.home) / cls.FILENAME)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    # ---- writing --------------------------------------------------------------------------------
    def start_session(self, n: int = 0, seed: int | None = None, kind: str | None = None,
                      level: int | None = None, origin: str = "cli") -> int:
        kind_text = kind if isinstance(kind, str) or kind is None else ",".join(kind)
        with closing(self._connect()) as db, db:
            cur = db.execute("INSERT INTO sessions (started, origin, n, seed, kind, level) VALUES (?,?,?,?,?,?)",
                             (time.time(), origin, n, seed, kind_text, level))
            return int(cur.lastrowid)

    def record(self, session_id: int | None, question: Question, result: Grade, response: str = "") -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO attempts (session_id, ts, question_id, kind, level, topic, correct, score, response)"
                       " VALUES (?,?,?,?,?,?,?,?,?)",
                       (session_id, time.time(), question.id, question.kind, question.level, question.topic,
                        int(result.correct), float(result.score), (response or "")[:2000]))

    def finish_session(self, session_id: int) -> dict:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE sessions SET finished = ? WHERE id = ?", (time.time(), session_id))
        return self.session(session_id)

    # ---- reading --------------------------------------------------------------------------------
    def session(self, session_id: int) -> dict:
        with closing(self._connect()) as db:
            row = db.execute(_SESSION_SQL + " WHERE s.id = ? GROUP BY s.id", (session_id,)).fetchone()
        return _session_dict(row) if row else {}

    def sessions(self, limit: int | None = None) -> list[dict]:
        """Sessions with at least one answer, oldest first: the score over time."""
        sql = _SESSION_SQL + " GROUP BY s.id HAVING answered > 0 ORDER BY s.started, s.id"
        with closing(self._connect()) as db:
            rows = [_session_dict(r) for r in db.execute(sql)]
        return rows[-limit:] if limit else rows

    def attempts(self, session_id: int | None = None) -> list[dict]:
        sql, args = "SELECT * FROM attempts", ()
        if session_id is not None:
            sql, args = sql + " WHERE session_id = ?", (session_id,)
        with closing(self._connect()) as db:
            return [dict(r) for r in db.execute(sql + " ORDER BY ts, id", args)]

    def weakest_topics(self, k: int = 3, min_attempts: int = 1) -> list[dict]:
        sql = ("SELECT topic, COUNT(*) AS attempts, AVG(score) AS score, SUM(correct) AS correct FROM attempts"
               " WHERE topic IS NOT NULL AND topic != '' GROUP BY topic HAVING COUNT(*) >= ?"
               " ORDER BY score ASC, attempts DESC, topic LIMIT ?")
        with closing(self._connect()) as db:
            return [{"topic": r["topic"], "attempts": r["attempts"], "score": round(r["score"], 3),
                     "correct": r["correct"]} for r in db.execute(sql, (min_attempts, k))]

    def missed(self, session_id: int | None = None) -> list[str]:
        """Question ids whose latest attempt (in the session, or ever) was not fully right."""
        where, args = ("WHERE session_id = ?", (session_id,)) if session_id is not None else ("", ())
        sql = (f"SELECT question_id, correct FROM attempts {where} ORDER BY ts, id")
        latest: dict[str, int] = {}
        with closing(self._connect()) as db:
            for r in db.execute(sql, args):
                latest[r["question_id"]] = r["correct"]
        return [qid for qid, ok in latest.items() if not ok]

    def summary(self) -> dict:
        sessions = self.sessions()
        with closing(self._connect()) as db:
            row = db.execute("SELECT COUNT(*) AS n, AVG(score) AS s, SUM(correct) AS c FROM attempts").fetchone()
        return {"sessions": len(sessions), "attempts": row["n"] or 0, "correct": row["c"] or 0,
                "average": round(row["s"], 3) if row["s"] is not None else None,
                "recent": sessions[-5:], "weakest": self.weakest_topics(3)}

    def summary_text(self) -> str:
        s = self.summary()
        if not s["attempts"]:
            return "还没有答题记录。"
        lines = [f"累计 {s['sessions']} 次自测，{s['attempts']} 道题，平均得分 {s['average']:.0%}。"]
        if s["recent"]:
            trend = " → ".join(f"{r['percent']:.0%}" for r in s["recent"])
            lines.append(f"最近几次得分：{trend}")
        weak = [w for w in s["weakest"] if w["score"] < 1]
        if weak:
            lines.append("最薄弱的主题：" + "；".join(f"{w['topic']}（{w['score']:.0%}，{w['attempts']}题）"
                                               for w in weak))
        return "\n".join(lines)


_SESSION_SQL = ("SELECT s.id, s.started, s.finished, s.origin, s.n, s.seed, s.kind, s.level,"
                " COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct, COALESCE(SUM(a.score), 0) AS score"
                " FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id")


def _session_dict(r) -> dict:
    d = dict(r)
    d["percent"] = round(d["score"] / d["answered"], 3) if d["answered"] else 0.0
    d["date"] = datetime.fromtimestamp(d["started"]).strftime("%Y-%m-%d %H:%M")
    return d


# ════════════════════════════════════════════════════════════════════════════════════════════════
# CLI
# ════════════════════════════════════════════════════════════════════════════════════════════════
def run_cli_quiz(assistant, n: int = 10, seed: int | None = None, kind: str | None = None,
                 level: int | None = None, as_json: bool = False, console=None) -> dict | None:
    """``assistant quiz``: an interactive quiz in the terminal (stdin), or ``--json`` to dump one."""
    from rich.console import Console
    from rich.markup import escape
    from rich.prompt import Prompt

    console = console or Console()
    err = Console(stderr=True)
    if level is not None and int(level) not in (1, 2, 3):
        err.print("[red]错误:[/red] --level must be 1, 2 or 3")
        raise SystemExit(2)
    retry = (kind or "").strip().lower() in ("missed", "retry", "错题")
    try:
        kinds = None if retry else resolve_kinds(kind)
    except ValueError as e:
        err.print(f"[red]错误:[/red] {escape(str(e))} (or missed: retry the questions last answered wrong)")
        raise SystemExit(2)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10**6)
    bank = generate(assistant)
    if retry:  # --kind missed: the questions whose latest attempt was wrong
        known = {q.id for q in bank}
        ids = [qid for qid in Progress.for_assistant(assistant).missed() if qid in known][:n]
        questions = make_quiz(bank, n=n, seed=seed, ids=ids)
    else:
        questions = make_quiz(bank, n=n, seed=seed, kind=kinds, level=level)

    if as_json:
        out = {"seed": seed, "n": len(questions), "kind": kinds, "level": level, "bank_size": len(bank),
               "questions": [q.to_dict() for q in questions]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return out
    if not questions:
        err.print("没有符合条件的题目。")
        return None

    progress = Progress.for_assistant(assistant)
    session = progress.start_session(n=len(questions), seed=seed, kind=kind, level=level, origin="cli")
    console.print(f"[bold]自测[/bold]：{len(questions)} 道题（种子 {seed}；题库共 {len(bank)} 题）。"
                  "输入答案后回车；选择题可答字母，判断题答 对/错；直接回车跳过，输入 q 退出。", highlight=False)
    total, answered, ended_early = 0.0, 0, False
    for i, q in enumerate(questions, 1):
        console.print()
        console.print(f"[bold cyan]第 {i}/{len(questions)} 题[/bold cyan] [dim]{q.kind_label} · "
                      f"难度 {q.level}（{LEVEL_LABELS[q.level]}） · {escape(q.topic)}[/dim]", highlight=False)
        console.print(escape(q.prompt), highlight=False, soft_wrap=True)
        if q.options and q.answer_type == "choice":
            for j, o in enumerate(q.options):
                console.print(f"  {_LETTERS[j]}. {escape(o)}", highlight=False, soft_wrap=True)
        try:
            response = Prompt.ask("你的答案", console=console, default="", show_default=False)
        except (EOFError, KeyboardInterrupt):
            console.print()
            console.print("[yellow]输入结束，提前结束本次自测。[/yellow]")
            ended_early = True
            break
        if not _interactive():
            console.print(escape(response), highlight=False, soft_wrap=True)  # echo piped answers
        if response.strip().lower() in ("q", "quit", "exit", "退出"):
            ended_early = True
            break
        result = grade(q, response)
        progress.record(session, q, result, response)
        total += result.score
        answered += 1
        style = "green" if result.correct else ("yellow" if result.score > 0 else "red")
        head, _, rest = result.feedback.partition("\n")
        console.print(f"[{style}]{escape(head)}[/{style}]", highlight=False)
        console.print(escape(rest), highlight=False, soft_wrap=True)
    info = progress.finish_session(session)
    console.print()
    if answered:
        console.print(f"[bold]本次得分：{total:g} / {answered}（{total / answered:.0%}）[/bold]"
                      + ("，未答完" if ended_early and answered < len(questions) else ""), highlight=False)
    else:
        console.print("[bold]本次没有作答。[/bold]")
    console.print(escape(progress.summary_text()), highlight=False, soft_wrap=True)
    missed = progress.missed(session)
    if missed:
        console.print(f"[dim]答错的题：{', '.join(missed)}[/dim]", highlight=False)
    return info


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
