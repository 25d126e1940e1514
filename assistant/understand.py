"""Question understanding: clean the input, then find the actors, the intent and signs of misuse."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.actors import find_actors, mentioned_bodies, unknown_bodies
from assistant.config import MAX_QUESTION_CHARS
from index.synonyms import is_english


class InvalidQuestion(ValueError):
    """A question that cannot be asked: empty, whitespace only, too long or not text."""


_INJECTION = re.compile(
    r"(忽略|无视|忘记|忘掉|跳过).{0,8}(指令|提示|规则|设定|要求|限制)|系统提示|提示词|system\s*prompt|"
    r"ignore\s+(all\s+|the\s+|any\s+|your\s+)?(previous|above|prior|earlier)|developer\s+mode|jailbreak|"
    r"你现在是|扮演|假装你|pretend\s+(you|to\s+be)|act\s+as\s+|disregard\s+(the|all|your)", re.I)
_WHO = re.compile(
    r"谁|哪个部门|哪些部门|哪几个部门|哪几个单位|哪几家|哪一个部门|哪家|哪个单位|哪些单位|什么部门|哪个局|哪个办|哪个机构|哪个县|由哪|归哪|"
    r"\bwho\b|\bwhich\s+(department|bureau|office|agency|body|unit|county|departments|bureaus|offices|agencies)", re.I)
_NUMBER = re.compile(
    r"多少|几[个次天年项处件名口位条批成倍]|几|降幅|增幅|涨幅|幅度|降了|升了|增加了|减少了|多大|百分之|比例|数量|频次|频率|多久|第几|排第|多高|多少名|"
    r"how\s+many|how\s+much|what\s+percent|percentage|how\s+often|what\s+number|by\s+how\s+much|what\s+rank|"
    r"how\s+frequent|what\s+proportion|\bfrequency\b|哪天|哪一天|哪年|哪一年|什么时候|何时|日期|\bwhen\b|what\s+date|what\s+year", re.I)
_LIST = re.compile(
    r"哪些|哪几|几个方面|几点|分别|都有什么|都是什么|都有哪|列举|包括什么|包括哪|哪四|哪三|哪两|哪五|几项|几个部分|几部分|几方面|几大|"
    r"\bwhat\s+are\b|\blist\b|\bwhich\s+(areas|aspects|parts|tasks|points|priorities|problems)\b|main\s+points", re.I)
_DUTY = re.compile(
    r"做什么|干什么|干啥|做啥|任务|职责|责任|负责|要求|工作|要干|要做|分工|活|管什么|抓什么|抓啥|该干|"
    r"\bdo\b|\bduties\b|\bduty\b|responsib|\btasks?\b|\brole\b|\bjob\b|what\s+about|how\s+about|in\s+charge", re.I)
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_FULLWIDTH[0x3000] = 0x20
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


@dataclass
class Analysis:
    question: str                  # cleaned standalone question
    english: bool
    actors: list[str]
    unknown: list[str]
    mentioned: list[str]
    intent: str                    # duty | who | number | list | general
    number: bool
    injection: bool
    has_content: bool
    years: list[str] = field(default_factory=list)
    asks_duty: bool = False        # "…要做什么/任务/职责": a question about someone's tasks


def clean(question: object) -> str:
    """Validate and clean a question: raises ``InvalidQuestion`` for empty, non-text or over-long input."""
    if isinstance(question, bytes):
        try:
            question = question.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidQuestion("问题不是有效的 UTF-8 文本 (the question is not valid text)") from exc
    if not isinstance(question, str):
        raise InvalidQuestion("问题必须是文本 (the question must be text)")
    # Full-width letters and digits (ＰＭ２.５) become ASCII; Chinese punctuation stays as typed.
    text = question.translate(_FULLWIDTH)
    text = _CONTROL.sub(" ", text).replace("\t", " ").replace("\n", " ")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InvalidQuestion("问题为空，请输入一个问题 (the question is empty)")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"问题过长：{len(text)} 字，上限 {MAX_QUESTION_CHARS} 字 "
                              f"(the question is longer than {MAX_QUESTION_CHARS} characters)")
    return text


_MARKUP = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<[^>]{0,200}>|https?://\S+|\b(?:javascript|data):\S*", re.I)


def strip_markup(question: str) -> str:
    """The question without HTML tags, markdown links/images and URLs: markup is never content."""
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", question)).strip()


def analyse(question: str) -> Analysis:
    """What the question asks about and what kind of answer it wants."""
    question = strip_markup(question) or question
    actors = find_actors(question)
    english = is_english(question)
    number = bool(_NUMBER.search(question))
    who = bool(_WHO.search(question))
    if who:
        intent = "who"
    elif re.search(r"几点到|几点钟|几点开始|几点前|几点以后|what time", question, re.I):
        intent = "number"  # a time of day, not "几点" (how many points)
    elif actors:
        asks_tasks = re.search(r"哪几|几件|几项|几条|几个方面|多少项|多少件|how many (tasks|duties|things)", question)
        intent = "duty" if not number or asks_tasks else "number"
    elif _LIST.search(question) and not (number and not re.search(r"几个方面|几点|几项|有几|几个部分|几部分|几方面|几大", question)):
        intent = "list"
    elif re.search(r"几[个项点条大]", question) and re.search(r"是什么|是哪|分别|都是|有哪|包括|指什么", question):
        intent = "list"  # "几个“还不”是什么？" asks for the items, not for their number
    elif number:
        intent = "number"
    else:
        intent = "general"
    return Analysis(
        question=question, english=english, actors=actors,
        unknown=unknown_bodies(question) if not who else [], mentioned=mentioned_bodies(question), intent=intent, number=number,
        injection=bool(_INJECTION.search(question)),
        has_content=bool(re.search(r"[\w\u4e00-\u9fff]", strip_markup(question))) and bool(strip_markup(question)),
        years=re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", question),
        asks_duty=bool(_DUTY.search(question)) and not who,
    )
