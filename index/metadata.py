"""Derive masthead metadata (title, speaker, date, issuer, issue number, occasion) from a canonical text.

The input is normalised canonical text (paragraphs separated by ``\\n``, see ``index.normalize``). Only
generic conventions of Chinese official documents are used, never words of a particular document:

- the *masthead* is the lines before the first body paragraph (a line longer than 40 characters that
  contains ``。``);
- issue number: ``第十二期`` / ``第12期`` / ``2022年第3期`` / ``X政办发〔2022〕12号``;
- date: ``2022年3月1日`` or ``二〇二二年三月一日``;
- issuer: a line (or the start of a line) ending in an organisation suffix (人民政府办公室, 办公厅,
  委员会, 局 …), e.g. ``XX市人民政府办公室`` or ``XX市人民政府文件``;
- title: the line naming a document type (讲话, 报告, 通知, 意见, 方案, 决定 …), else the first masthead
  line longer than 8 characters that is not the issuer/date/issue line;
- speaker: a name before ``同志`` in the title or a nearby line, a ``（姓名）`` line, or an ``市长 姓名``
  style line under the title;
- when the masthead lacks issuer/date and the document ends with a distribution block (``主送：`` /
  ``抄送：``), they are taken from the signature / ``印发`` lines at the end.

Every field records its offsets: ``text[field.start:field.end] == field.value``.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass

from index.language import read_groups, read_list
from index.numerals import DIGITS, NUMERAL_CHARS, parse_int

BODY_MIN_CHARS = 40
MAX_MASTHEAD_LINES = 15
TITLE_FALLBACK_MIN_CHARS = 8

_CJK = r"\u3400-\u9fff"
_CN_DIGITS = "〇○" + DIGITS + "ＯO"
_CN_NUM = NUMERAL_CHARS + "百零〇两"
# How a masthead names who gave the document, where and as what (index/language/masthead_words.txt).
_WORDS = {group[0]: group[1:] for group in read_groups("masthead_words.txt")}
(_HONORIFIC,) = _WORDS["honorific"]
_DELIVERS = "(?:" + "|".join(_WORDS["delivers"]) + ")"
_ADDRESSEE_OPENERS = tuple(_WORDS["addressee_openers"])
_TITLE_MARKERS = _WORDS["title_markers"]
_ISSUER_LINE_SUFFIXES = _WORDS["issuer_line_suffixes"]

_ISSUE_PATTERNS = [
    re.compile(r"\d{4}\s*年\s*第\s*[\d" + _CN_NUM + r"]+\s*期"),
    re.compile(r"[" + _CJK + r"]{0,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*第?\s*\d+\s*号"),
    re.compile(r"(?<!总)第\s*[\d" + _CN_NUM + r"]+\s*期"),
]
_DATE_PATTERNS = [
    re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"),
    re.compile(r"[" + _CN_DIGITS + r"]{4}\s*年\s*[" + NUMERAL_CHARS + r"]{1,3}\s*月\s*["
               + NUMERAL_CHARS + r"]{1,3}\s*日"),
]
# Generic organisation suffixes, longest first so that the alternation prefers the full name.
_ORG_SUFFIXES = read_list("issuer_suffixes.txt")
_ORG = re.compile(
    r"^(?P<org>[^\s，,。：:；;、！？“”\"（）()]{1,40}?(?:" + "|".join(_ORG_SUFFIXES) + r"))"
    r"(?=$|\s|" + "|".join(_ISSUER_LINE_SUFFIXES) + r"|\d|[" + _CN_DIGITS + r"]{4}年)"
)
# Generic document-type nouns that name the document in its title (and those that do only after 的).
_DOC_TYPES, _DOC_TYPES_AFTER_DE = read_groups("title_kinds.txt")
_TITLE = re.compile("(?:" + "|".join(_DOC_TYPES) + r")|的(?:" + "|".join(_DOC_TYPES_AFTER_DE) + ")")
# Official posts that may precede a speaker's name (``市长张三同志``, ``县长 王五``).
_POSTS = read_list("official_posts.txt")
POSTS = _POSTS  # official posts, public: a question may name a speaker by post (胡玉亭省长)
# A personal name: two to four characters, or a transcribed name in parts joined by ·（艾尔肯·吐尼亚孜）.
_NAME = r"[" + _CJK + r"]{2,4}(?:·[" + _CJK + r"]{2,6})*"
_COMRADE = re.compile(r"([" + _CJK + r"]+)" + _HONORIFIC)
_PAREN_NAME = re.compile(r"^[（(]\s*(" + _NAME + r")\s*[)）]$")
_POST_NAME = re.compile(r"(?:" + "|".join(sorted(_POSTS, key=len, reverse=True)) + r")[\s\u3000]*(" + _NAME + r")$")
# A post and a name before 作 (作政府工作报告, 作讲话) or 在 (在…会议上) in a dateline: "省长周乃翔作政府工作报告",
# "自治区人民政府主席王莉霞在…会议上的讲话"; or the name first, after the date: "1月15日龚正市长在…".
_POST_DELIVERS = re.compile(r"(?:" + "|".join(sorted(_POSTS, key=len, reverse=True)) + r")[\s\u3000]*(["
                            + _CJK + r"]{2,4}?)(?:" + _HONORIFIC + ")?" + _DELIVERS)
_NAME_POST = re.compile(r"(?:日|^)[\s\u3000]*([" + _CJK + r"]{2,4}?)(?:" + "|".join(sorted(_POSTS, key=len, reverse=True))
                        + r")(?:" + _HONORIFIC + ")?" + _DELIVERS)
# Labels a reposted text opens its dateline with (来源：江西省人民政府2025年1月17日在…).
_REPOST_LABEL = re.compile(r"^(?:" + "|".join(read_list("dateline_labels.txt")) + r")[：:]")
_DISTRIBUTION = re.compile(r"^\s*(?:" + "|".join(read_list("distribution_labels.txt")) + r")\s*[：:]")
_NOT_A_NAME = re.compile("[" + "".join(_WORDS["not_name_characters"]) + "]|^(?:"
                         + "|".join(_WORDS["not_name_openers"]) + ")")


@dataclass
class Field:
    """One metadata value with its position in the canonical text: ``text[start:end] == value``."""

    value: str
    start: int
    end: int


@dataclass
class Metadata:
    title: Field | None = None
    speaker: Field | None = None
    date: Field | None = None
    issuer: Field | None = None
    issue: Field | None = None
    occasion: Field | None = None  # the meeting it was given at (在…会议上), from the title or dateline

    def to_dict(self) -> dict:
        return {name: (asdict(f) if f is not None else None) for name, f in self.__dict__.items()}


@dataclass
class _Line:
    text: str  # stripped
    start: int  # offset of text[0] in the document

    def field(self, m: re.Match, group: int | str = 0) -> Field:
        return Field(m.group(group), self.start + m.start(group), self.start + m.end(group))


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append(_Line(stripped, pos + raw.index(stripped[0])))
        pos += len(raw) + 1
    return out


def _is_body(line: _Line) -> bool:
    return len(line.text) > BODY_MIN_CHARS and "。" in line.text and not _DISTRIBUTION.match(line.text)


def _masthead(lines: list[_Line]) -> list[_Line]:
    head = []
    for line in lines:
        if len(head) >= MAX_MASTHEAD_LINES:
            break
        if _is_body(line):
            if _is_dateline(line):
                head.append(line)  # the dateline of a speech or report ends the masthead
            break
        head.append(line)
    return head


def _is_dateline(line: _Line) -> bool:
    """A short sentence that opens with a date and names who delivered the text ("2025年1月14日在…会议上
    …同志作政府工作报告。"): masthead, though it reads like a body sentence."""
    date = _find_date(line)
    opens = date is not None and (date.start - line.start <= 2 or _REPOST_LABEL.match(line.text) is not None)
    return (len(line.text) <= 2 * BODY_MIN_CHARS + 20 and opens
            and (_COMRADE.search(line.text) or _POST_DELIVERS.search(line.text)) is not None)


def _search(patterns: list[re.Pattern], line: _Line) -> Field | None:
    for pattern in patterns:
        m = pattern.search(line.text)
        if m:
            return line.field(m)
    return None


def _find_issue(line: _Line) -> Field | None:
    return _search(_ISSUE_PATTERNS, line)


def _find_date(line: _Line) -> Field | None:
    return _search(_DATE_PATTERNS, line)


def _find_issuer(line: _Line) -> Field | None:
    if line.text.startswith(_ADDRESSEE_OPENERS) or _DISTRIBUTION.match(line.text) or "。" in line.text:
        return None
    m = _ORG.match(line.text)
    # "XX局关于印发XX局2022年…" is a title, not an issuer
    if not m or any(w in m.group("org") for w in _TITLE_MARKERS):
        return None
    return line.field(m, "org")


def _first(lines: list[_Line], find) -> Field | None:
    for line in lines:
        found = find(line)
        if found:
            return found
    return None


def _is_title_candidate(line: _Line) -> bool:
    return not line.text.endswith(("：", ":")) and not line.text.startswith(_ADDRESSEE_OPENERS)


def _find_title(head: list[_Line], taken: set[int]) -> _Line | None:
    for line in head:
        if id(line) not in taken and _is_title_candidate(line) and _TITLE.search(line.text):
            return line
    for line in head:
        if id(line) not in taken and _is_title_candidate(line) and len(line.text) > TITLE_FALLBACK_MIN_CHARS:
            return line
    return None


def _name_from_run(run: str) -> str | None:
    """The personal name at the end of a run of CJK characters that precedes 同志 (drop a leading post)."""
    cut = max((run.rfind(post) + len(post) for post in _POSTS if post in run), default=0)
    run = run[cut:]
    if len(run) > 4:
        run = run[-3:]
    if len(run) < 2 or _NOT_A_NAME.search(run):
        return None
    return run


def _find_speaker(line: _Line) -> Field | None:
    for m in _COMRADE.finditer(line.text):
        name = _name_from_run(m.group(1))
        if name:
            end = m.end(1)
            return Field(name, line.start + end - len(name), line.start + end)
    for pattern in (_PAREN_NAME, _POST_NAME, _POST_DELIVERS, _NAME_POST):
        m = pattern.search(line.text)
        if m and not _NOT_A_NAME.search(m.group(1)):
            return line.field(m, 1)
    return None


# "在<meeting>上" in a title or dateline: 在全市工作会议上的讲话, 在…第三次会议上…作政府工作报告.
_OCCASION = re.compile(r"在(?P<occasion>[^，。；、\s在]{2,40}?(?:" + "|".join(_WORDS["meetings"])
                       + r"))(?:上|的)")


def _find_occasion(line: _Line) -> Field | None:
    m = _OCCASION.search(line.text)
    return line.field(m, "occasion") if m else None


def _tail(lines: list[_Line]) -> list[_Line]:
    """Lines after the last body paragraph, if the document ends with a distribution block."""
    dist = [i for i, line in enumerate(lines) if _DISTRIBUTION.match(line.text)]
    if not dist:
        return []
    body = [i for i in range(dist[-1]) if _is_body(lines[i])]
    start = body[-1] + 1 if body else 0
    return lines[start:]


def _tail_signature(tail: list[_Line]) -> tuple[Field | None, Field | None]:
    """(issuer, date) from the signature or ``XX办公室 2022年3月2日印发`` line at the end."""
    candidates = [line for line in tail if not _DISTRIBUTION.match(line.text)]
    for i, line in enumerate(candidates):
        date = _find_date(line)
        if not date:
            continue
        issuer = _find_issuer(line)
        if issuer is None and i > 0 and len(line.text) <= date.end - date.start + 4:  # a date-only line
            issuer = _find_issuer(candidates[i - 1])
        return issuer, date
    return None, None


def derive_metadata(text: str) -> Metadata:
    """Derive the masthead metadata of a canonical text; fields that are not found are ``None``."""
    lines = _lines(text)
    head = _masthead(lines)
    meta = Metadata()

    # The title is looked for first among lines that carry no issue/date/issuer, so that a journal name
    # or a date line is never taken as the title.
    structural = {id(line) for line in head if _is_issue_line(line) or _is_issuer_line(line) or _is_date_line(line)}
    title_line = _find_title(head, structural)
    others = [line for line in head if line is not title_line]
    if title_line is not None:
        meta.title = Field(title_line.text, title_line.start, title_line.start + len(title_line.text))

    meta.issue = _first(others, _find_issue) or (_find_issue(title_line) if title_line else None)
    meta.date = _first(others, _find_date) or (_find_date(title_line) if title_line else None)
    meta.issuer = _first(others, _find_issuer)

    # Speaker: in the title, else in the lines right after it, else anywhere in the masthead.
    if title_line is not None:
        idx = head.index(title_line)
        near = [title_line, *head[idx + 1: idx + 4], *head[max(0, idx - 2): idx]]
    else:
        near = head
    meta.speaker = _first(near, _find_speaker)
    meta.occasion = _first(([title_line] if title_line else []) + others, _find_occasion)

    if meta.issuer is None or meta.date is None:
        issuer, date = _tail_signature(_tail(lines))
        meta.issuer = meta.issuer or issuer
        meta.date = meta.date or date
    return meta


def _is_issue_line(line: _Line) -> bool:
    """A short line that is mainly an issue number (``第十二期``, ``X政办发〔2022〕5号``)."""
    issue = _find_issue(line)
    return bool(issue) and len(line.text) <= (issue.end - issue.start) + 6


def _is_issuer_line(line: _Line) -> bool:
    """A line that is an organisation name, optionally followed by ``文件`` or a date."""
    issuer = _find_issuer(line)
    if not issuer:
        return False
    rest = line.text[issuer.end - line.start:].strip()
    return rest in ("", *_ISSUER_LINE_SUFFIXES) or any(p.fullmatch(rest) for p in _DATE_PATTERNS)


def _is_date_line(line: _Line) -> bool:
    """A line that is just a date, possibly in brackets (``2022年3月1日`` / ``（2022年3月1日）``)."""
    date = _find_date(line)
    return bool(date) and len(line.text.strip("()（）[]〔〕 ")) == date.end - date.start


def parse_date(value: str) -> _dt.date | None:
    """Parse ``2022年3月1日`` or ``二〇二二年三月一日`` into a date (None if it is not a valid date)."""
    m = re.fullmatch(r"\s*(\S+?)\s*年\s*(\S+?)\s*月\s*(\S+?)\s*日\s*", value)
    if not m:
        return None
    try:
        y, mo, d = (parse_int(p) for p in m.groups())
        return _dt.date(y, mo, d)
    except (TypeError, ValueError):
        return None


def doc_date(meta: Metadata) -> _dt.date | None:
    """The document date as a ``datetime.date``, or None when the metadata has no (valid) date."""
    return parse_date(meta.date.value) if meta.date is not None else None
