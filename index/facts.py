"""Extract the facts layer from the document tree: the duty map (actor → tasks) and the figures table.

Both are found by rules over the text, never typed in: a duty is a clause whose subject is one or more
actors followed by a modal (要/务必/必须/一定要); a sentence with no subject right after a duty sentence
(``对…，要…``, ``特别要…``, or the half after a ``；``) inherits that subject. A figure is a number with
its unit, the clause that says what it measures, and its kind.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from assistant.actors import ACTORS
from index.segment import SENTENCE_END, Document, Sentence

FACTS_VERSION = "4"

_FORMS = sorted(((f, a.name) for a in ACTORS for f in a.surface_forms), key=lambda p: -len(p[0]))
_FORM_RE = "|".join(re.escape(f) for f, _ in _FORMS)
_FORM_TO_NAME = dict(_FORMS)
_LEAD = r"(?:(?:一方面|另一方面|同时|当前最为要紧的工作|此外)[，：])*"
_MODAL = r"(?:务必要|务必|必须|一定要|要)"
# Subject: actors joined by 、/和, optionally "作为…的第一责任人，", then a modal.
_SUBJECT = re.compile(
    rf"(?:^|(?<=[，：；。]))(?P<lead>{_LEAD})(?P<actors>(?:{_FORM_RE})(?:[、和](?:{_FORM_RE}))*)"
    rf"(?:作为[^，。]{{1,20}}，)?(?={_MODAL})"
)
_INHERIT_START = re.compile(rf"^(?:(?:对|针对)[^，。]{{1,40}}，|特别|同时，|并)?{_MODAL}")
_TOPIC = re.compile(r"^(在[^，。]{1,20}方面)，")


@dataclass
class Duty:
    id: str
    actors: list[str]
    task: str          # verbatim clause, == canonical[start:end]
    start: int
    end: int
    topic: str
    section: str
    sentence_id: str
    inherited: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Figure:
    id: str
    value: str         # as written: "325", "3.5", "10.8"
    unit: str          # "天", "%", "个", "微克/立方米", "万余口" …
    text: str          # number with unit as written, == canonical[start:end]
    start: int
    end: int
    measure: str       # the clause up to the number: what it measures
    kind: str          # target | result | status | count | date
    sentence: str
    sentence_start: int
    sentence_end: int
    section: str

    def to_dict(self) -> dict:
        return asdict(self)


def _actor_names(subject: str) -> list[str]:
    # Split "市城管局、市交通局" into canonical names, keeping order.
    names = []
    for m in re.finditer(_FORM_RE, subject):
        name = _FORM_TO_NAME[m.group(0)]
        if name not in names:
            names.append(name)
    return names


def _topic(sentence: Sentence) -> str:
    # The nearest heading: 在…方面 if any, else the innermost section label.
    for label in reversed(sentence.path):
        if _TOPIC.match(label + "，"):
            return label
    return sentence.path[-1] if sentence.path else ""


def _subjects(text: str) -> list[re.Match]:
    # A subject preceded by 是 ("也是各县区、各部门必须扛牢的政治责任") is a predicate, not an order.
    return [m for m in _SUBJECT.finditer(text) if not text[: m.start("actors")].endswith(("是", "的", "为"))]


def extract_duties(doc: Document) -> list[Duty]:
    """Every clause that assigns a task to an actor, with its span in the canonical text."""
    duties: list[Duty] = []
    for para in doc.paragraphs:
        if para.kind != "body":
            continue
        previous: list[str] | None = None
        for sent in para.sentences:
            subjects = _subjects(sent.text)
            if subjects:
                for i, m in enumerate(subjects):
                    start = sent.start + m.start("actors")
                    end = sent.start + (subjects[i + 1].start() - 1 if i + 1 < len(subjects) else len(sent.text))
                    actors = _actor_names(m.group("actors"))
                    duties.append(Duty("", actors, doc.text[start:end], start, end, _topic(sent), sent.section, sent.id))
                previous = _actor_names(subjects[-1].group("actors"))
            elif previous and (_INHERIT_START.match(sent.text) or prev_ended_with_semicolon):
                duties.append(Duty("", list(previous), sent.text, sent.start, sent.end, _topic(sent), sent.section,
                                   sent.id, inherited=True))
            else:
                previous = None
            prev_ended_with_semicolon = sent.text.endswith("；")
    for n, duty in enumerate(duties, 1):
        duty.id = f"d{n:03d}"
    return duties


_UNITS = ("微克/立方米", "万余口", "个百分点", "周年", "天", "%", "个", "件", "次", "处", "名", "项", "口", "年", "期")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(" + "|".join(re.escape(u) for u in _UNITS) + r")?")
# Dates, including the speech's relative deadlines (年底前).
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|二〇三五年|年底前")
_TARGET_WORDS = ("不少于", "确保", "目标", "力争", "按期", "要")
_RESULT_WORDS = ("年均", "达到", "位列", "完工", "取缔", "进入", "表彰", "增加", "下降", "第")
_STATUS_WORDS = ("截至", "同比", "尚未", "已经")


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    # The clause around a position: between the nearest ，；。： marks.
    stops = "，；。："
    left = max(text.rfind(c, 0, pos) for c in stops) + 1
    rights = [i for i in (text.find(c, pos) for c in stops) if i != -1]
    return left, (min(rights) if rights else len(text))


def _figure_kind(sentence: str, clause: str, para_path: list[str]) -> str:
    if any(w in sentence for w in _STATUS_WORDS) and "截至" in sentence or "尚未" in clause:
        return "status"
    if any(w in clause for w in ("不少于", "确保", "目标")) or ("确保" in sentence and "达标" in sentence):
        return "target"
    if any(w in clause for w in _RESULT_WORDS) and para_path and para_path[0].startswith("一、"):
        return "result"
    if any(w in sentence for w in _STATUS_WORDS):
        return "status"
    return "count"


def _figure(doc: Document, sent: Sentence, a: int, b: int, value: str, unit: str, kind: str | None) -> Figure:
    left, right = _clause_bounds(sent.text, a)
    clause = sent.text[left:right]
    kind = kind or _figure_kind(sent.text, clause, sent.path)
    start, end = sent.start + a, sent.start + b
    return Figure("", value, unit, doc.text[start:end], start, end, clause, kind,
                  sent.text, sent.start, sent.end, sent.section)


def extract_figures(doc: Document) -> list[Figure]:
    """Every number in the speech body with unit, measure (its clause), kind and sentence."""
    figures: list[Figure] = []
    for sent in doc.sentences:
        dates = [m.span() for m in _DATE.finditer(sent.text)]
        found = [(a, b, sent.text[a:b], "", "date") for a, b in dates]
        if sent.path and sent.path[0] in ("标题", "主送抄送"):
            found = found[:1] if sent.path[0] == "标题" else []  # the speech's own date, nothing else
        for m in _NUMBER.finditer(sent.text):
            value, unit = m.group(1), m.group(2) or ""
            # Skip numbers inside dates, notation (PM2.5, PM10) and hotlines (12345).
            if any(a <= m.start() < b for a, b in dates) or sent.text[max(0, m.start() - 2):m.start()] == "PM":
                continue
            if len(value) >= 4 and not unit:
                continue
            found.append((m.start(), m.end(), value, unit, None))
        for a, b, value, unit, kind in sorted(found):
            figures.append(_figure(doc, sent, a, b, value, unit, kind))
    for n, fig in enumerate(figures, 1):
        fig.id = f"f{n:03d}"
    return figures
