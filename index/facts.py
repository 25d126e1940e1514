"""Extract the facts layer from the document tree: the duty map (actor → tasks) and the figures table.

Both are found by rules over the text, never typed in: a duty is a clause whose subject is one or more
actors followed by a modal (要/务必/必须/一定要); a sentence with no subject right after a duty sentence
(``对…，要…``, ``特别要…``, or the half after a ``；``) inherits that subject. A figure is a number with
its unit, the clause that says what it measures, and its kind.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from index.bodies import Body
from index.language import read_groups, read_words
from index.numerals import DIGITS, NUMERAL_CHARS
from index.segment import DISTRIBUTION_LABEL, TITLE_LABEL, Document, Sentence

FACTS_VERSION = "7"

# How a clause assigns a task (index/language/duty_words.txt): the words that may open it, its modals, the words
# that make a subject after them a predicate, and the openings of a sentence that inherits the previous subject.
_DUTY = {group[0]: group[1:] for group in read_groups("duty_words.txt")}
_LEAD = r"(?:(?:" + "|".join(_DUTY["leads"]) + r")[，：])*"
_MODAL = r"(?:" + "|".join(_DUTY["modals"]) + r")"
_PREDICATE_MARKERS = tuple(_DUTY["predicate_markers"])


class SubjectFinder:
    """Subject patterns built from the document's own bodies: bodies joined by 、/和, then a modal."""

    def __init__(self, bodies: list[Body]):
        forms = sorted(((f, b.name) for b in bodies for f in b.surface_forms), key=lambda p: -len(p[0]))
        self.form_to_name = dict(forms)
        self.form_re = "|".join(re.escape(f) for f, _ in forms) or "(?!)"
        self.subject = re.compile(
            rf"(?:^|(?<=[，：；。]))(?P<lead>{_LEAD})(?P<actors>(?:{self.form_re})(?:[、和](?:{self.form_re}))*)"
            rf"(?:作为[^，。]{{1,20}}，)?(?={_MODAL})")

    def names(self, subject: str) -> list[str]:
        # Split "市城管局、市交通局" into canonical names, keeping order.
        names = []
        for m in re.finditer(self.form_re, subject):
            name = self.form_to_name[m.group(0)]
            if name not in names:
                names.append(name)
        return names

    def find(self, text: str) -> list[re.Match]:
        # A subject preceded by 是 ("也是各县区、各部门必须扛牢的政治责任") is a predicate, not an order.
        return [m for m in self.subject.finditer(text) if not text[: m.start("actors")].endswith(_PREDICATE_MARKERS)]

_INHERIT_START = re.compile(r"^(?:(?:" + "|".join(_DUTY["topic_prepositions"]) + r")[^，。]{1,40}，|"
                            + "|".join(_DUTY["inherit_openers"]) + rf")?{_MODAL}")
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
    qualifier: str = ""  # 年均 / 同比 / 不少于 … found in its clause
    period: str = ""     # the year or period its sentence names (2020年, “十三五”, 今年)

    def to_dict(self) -> dict:
        return asdict(self)


def _topic(sentence: Sentence) -> str:
    # The nearest heading: 在…方面 if any, else the innermost section label.
    for label in reversed(sentence.path):
        if _TOPIC.match(label + "，"):
            return label
    return sentence.path[-1] if sentence.path else ""


def extract_duties(doc: Document, bodies: list[Body]) -> list[Duty]:
    """Every clause that assigns a task to one of the document's bodies, with its span in the text."""
    finder = SubjectFinder(bodies)
    _subjects, _actor_names = finder.find, finder.names
    duties: list[Duty] = []
    prev_ended_with_semicolon = False
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


# Generic Chinese measure words and units (index/language/figure_units.txt): a number's unit is whatever of these
# follows it, after a scale (万, 亿) and an approximation (余, 多); concentrations (微克/立方米) are patterns, written
# here.
_UNITS = {group[0]: group[1:] for group in read_groups("figure_units.txt")}
_SCALES = "".join(_UNITS["scales"])
_APPROXIMATIONS = "".join(_UNITS["approximations"])
_UNIT = ("|".join(_UNITS["points"]) + rf"|[%％]|[{_SCALES}]?[{_APPROXIMATIONS}]?(?:[微毫]?克[/／](?:立方)?米|毫克[/／]升|"
         + "|".join(_UNITS["units"]) + "|[" + "".join(_UNITS["unit_characters"]) + "])")
_ASK = "(?:" + "|".join(_UNITS["asks"]) + ")"
_NUMBER = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)({_UNIT})?")
# A unit a question asks in (多少座, 几辆, 多少万人): its figure is counted in that unit. 第几轮 asks for an
# ordinal, not an amount.
_ASKED_UNIT = re.compile(rf"(?<!第){_ASK}({_UNIT})")
_SCALE = re.compile(rf"^[{_SCALES}]*[{_APPROXIMATIONS}]?")


def base_unit(unit: str) -> str:
    """A unit without its scale (亿斤 → 斤, 万余口 → 口, ％ → %): what is counted, not how many."""
    return _SCALE.sub("", unit).replace("％", "%") or unit


def asked_unit(question: str) -> str:
    """The unit a question asks its number in ("" when it names none)."""
    m = _ASKED_UNIT.search(question)
    return base_unit(m.group(1)) if m else ""


_ASKS = re.compile(rf"(?<!第){_ASK}")


def asked_units(question: str) -> set[str]:
    """Every unit a question asks in (几次，每次几天 → 次, 天); none when it also asks for a number without
    one (…多少条？那换乘比例要提到多少？ asks for a share too)."""
    units = {base_unit(m.group(1)) for m in _ASKED_UNIT.finditer(question)}
    return units if len(_ASKS.findall(question)) == len(_ASKED_UNIT.findall(question)) else set()


def asked_qualifiers(question: str) -> list[str]:
    """The qualifiers (累计, 年均, 同比, 以上 …) a question asks its figure with; the verbs among them (达到,
    提高) say how the text moves, not how the figure is to be read."""
    return [q for q in QUALIFIERS if q in question and q not in _CHANGE_VERBS]
# Words that say how a figure is read (index/language/figure_words.txt): qualifiers, verbs of change, result and
# status words, the words that make a figure a target or a status, deadlines and periods.
_WORDS = {group[0]: group[1:] for group in read_groups("figure_words.txt")}
# Dates, Chinese-numeral years and relative deadlines (年底前, 6月底前).
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|\d{1,2}月底前?|"
                   rf"[〇{DIGITS}]{{4}}年|" + "|".join(_WORDS["deadlines"]))
QUALIFIERS = _WORDS["qualifiers"]
_CHANGE_VERBS = _WORDS["change_verbs"]
# How a question asks for a target value (the kind "target" above): official wording and English.
TARGET_CUES = tuple(sorted(w.lstrip("~") for w in read_words("target_cues.txt")))
WEAK_TARGET_CUES = tuple(sorted(w[1:] for w in read_words("target_cues.txt") if w.startswith("~")))
PAST_CUES = tuple(sorted(read_words("past_cues.txt")))
_RESULT_WORDS = _WORDS["result_words"]
_STATUS_WORDS = _WORDS["status_words"]
(_AS_OF,) = _WORDS["as_of"]
(_NOT_YET,) = _WORDS["not_yet"]
_TARGET_WORDS = _WORDS["target_words"]
_TARGET_PAIR = _WORDS["target_pair"]
(_TARGET_HEADING,) = _WORDS["target_headings"]


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    # The clause around a position: between the nearest ，；。： marks.
    stops = "，；。："
    left = max(text.rfind(c, 0, pos) for c in stops) + 1
    rights = [i for i in (text.find(c, pos) for c in stops) if i != -1]
    return left, (min(rights) if rights else len(text))


def _figure_kind(sentence: str, clause: str, para_path: list[str], lead: str = "") -> str:
    if any(w in sentence for w in _STATUS_WORDS) and _AS_OF in sentence or _NOT_YET in clause:
        return "status"
    if any(w in clause for w in _TARGET_WORDS) or all(w in sentence for w in _TARGET_PAIR):
        return "target"
    # A run of figures introduced as targets ("主要预期目标是：…增长5%左右，…", a field line "年度目标：…")
    # or under a heading that names them so: every figure of the run is a target.
    if _TARGET_HEADING in lead or any(_TARGET_HEADING in label for label in para_path[-1:]):
        return "target"
    if any(w in clause for w in _RESULT_WORDS):
        return "result"
    if any(w in sentence for w in _STATUS_WORDS):
        return "status"
    return "count"


def _figure(doc: Document, sent: Sentence, a: int, b: int, value: str, unit: str, kind: str | None) -> Figure:
    left, right = _clause_bounds(sent.text, a)
    clause = sent.text[left:right]
    colon = sent.text.find("：")
    lead = sent.text[:colon] if 0 <= colon < a else ""
    kind = kind or _figure_kind(sent.text, clause, sent.path, lead)
    start, end = sent.start + a, sent.start + b
    qualifier = "、".join(q for q in QUALIFIERS if q in clause)
    period = _PERIOD.search(sent.text)
    return Figure("", value, unit, doc.text[start:end], start, end, clause, kind,
                  sent.text, sent.start, sent.end, sent.section, qualifier, period.group(0) if period else "")


_PERIOD = re.compile(rf"\d{{4}}年|“[{NUMERAL_CHARS}]+五”(?:" + "|".join(_WORDS["plan_periods"]) + ")?|"
                     + "|".join(_WORDS["periods"]))


_YEAR = re.compile(r"(\d{4})年")


def _plan_section(sent: Sentence, year: int | None) -> bool:
    """Whether a sentence sits under a heading about the document's own year or later ("二、2025年工作安排"
    in a report given in January 2025): its figures are what is planned, not what was done."""
    if year is None:
        return False
    for label in reversed(sent.path):
        found = [int(y) for y in _YEAR.findall(label)]
        if found:
            return min(found) >= year
    return False


def extract_figures(doc: Document, years: dict[str, int] | None = None) -> list[Figure]:
    """Every number in the document body with unit, measure (its clause), kind and sentence. ``years``: each
    document's own year (from its date), so that figures under a heading about that year or later are targets."""
    years = years or {}
    figures: list[Figure] = []
    for sent in doc.sentences:
        year = years.get(getattr(doc.paragraphs[sent.paragraph], "doc", None) or "") if years else None
        plan = _plan_section(sent, year)
        dates = [m.span() for m in _DATE.finditer(sent.text)]
        found = [(a, b, sent.text[a:b], "", "date") for a, b in dates]
        if sent.path and sent.path[0] in (TITLE_LABEL, DISTRIBUTION_LABEL):
            continue  # masthead and distribution lines are metadata, not figures
        for m in _NUMBER.finditer(sent.text):
            value, unit = m.group(1), m.group(2) or ""
            # Skip numbers inside dates, notation (PM2.5, PM10) and hotlines (12345).
            if any(a <= m.start() < b for a, b in dates) or sent.text[max(0, m.start() - 2):m.start()] == "PM":
                continue
            if len(value) >= 4 and not unit and "." not in value:  # a code or hotline (12345), not 726.8
                continue
            found.append((m.start(), m.end(), value, unit, None))
        past = any(int(y) < year for y in _YEAR.findall(sent.text)) if plan else False
        for a, b, value, unit, kind in sorted(found):
            fig = _figure(doc, sent, a, b, value, unit, kind)
            if plan and not past and fig.kind in ("count", "result"):
                fig.kind = "target"
            figures.append(fig)
    for n, fig in enumerate(figures, 1):
        fig.id = f"f{n:03d}"
    return figures
