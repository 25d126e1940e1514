"""Question understanding: the answer type from the fitted model, the bodies and years the question names.

Cleaning and validation happen once, in ``assistant.clean``; this stage reads an already clean question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.actors import BodyRegistry
from assistant.models import AnswerTypeModel
from index.language import read_list

# The answer type decides the answerer; figure questions are answered by the number answerer.
_INTENT = {"duty": "duty", "who": "who", "figure": "number", "list": "list", "definition": "general",
           "metadata": "metadata", "yesno": "general", "general": "general", "out_of_scope": "general"}
_MARKUP = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<[^>]{0,200}>|https?://\S+|\b(?:javascript|data):\S*", re.I)
# Words that ask for a number or a date (多少, 第几, 几次, 哪天, how many …); "哪几个" asks which ones.
ASKS_NUMBER = re.compile("|".join(read_list("number_question_words.txt")), re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# Words a question may open with before its subject (那, 请问 …: index/language/question_openers.txt).
_OPENER = re.compile("^(?:" + "|".join(read_list("question_openers.txt")) + ")")


@dataclass
class Analysis:
    question: str                  # cleaned standalone question
    english: bool
    actors: list[str]
    unknown: list[str]
    mentioned: list[str]
    intent: str                    # duty | who | number | list | metadata | general
    number: bool
    injection: bool                # predicted out of scope (chit-chat, instructions, unrelated)
    has_content: bool
    years: list[str] = field(default_factory=list)
    asks_duty: bool = False
    answer_type: str = "general"
    probabilities: dict = field(default_factory=dict)
    vector: np.ndarray | None = None
    merged: bool = False           # a follow-up merged onto the previous question: its last clause is the ask


def strip_markup(question: str) -> str:
    """The question without HTML tags, markdown links/images and URLs: markup is never content."""
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", question)).strip()


def is_english(text: str) -> bool:
    """Mostly Latin letters: the question is asked in English."""
    latin = len(re.findall(r"[A-Za-z]", text))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return latin > 2 * cjk and latin >= 3


def analyse(question: str, vector: np.ndarray, registry: BodyRegistry, model: AnswerTypeModel,
            type_vector: np.ndarray | None = None) -> Analysis:
    """What the question asks about and what kind of answer it wants. ``type_vector``: the vector that
    decides the answer type when it differs from the question's (a merged follow-up asks what its last
    turn asks: "…路检路查谁负责，多久查一次？" wants a figure)."""
    question = strip_markup(question) or question
    answer_type, probs = model.predict(vector if type_vector is None else type_vector)
    named = registry.find(question)
    # Bodies the document tasks are actors; others it only mentions (市委, a county that reported).
    actors = [n for n in named if n in registry.tasked]
    # A question that names a body and asks for a figure still wants that body's figure; one that names
    # a body and is a duty-shaped question wants its tasks.
    intent = _INTENT[answer_type]
    if intent == "duty" and not actors:
        intent = "general"
    if intent in ("list", "number") and actors and _opens_with(question, actors[0], registry) \
            and not (intent == "number" and asks_number(last_clause(question))):
        # "城管那边分了哪些活？": a list (or, read as a figure, no number asked) of the body the question
        # opens with is its tasks.
        intent = "duty"
    return Analysis(
        question=question, english=is_english(question), actors=actors,
        unknown=registry.unknown(question),
        mentioned=registry.mentioned(named), intent=intent, number=answer_type == "figure",
        injection=answer_type == "out_of_scope" and probs["out_of_scope"] >= 0.5,
        has_content=bool(re.search(r"[\w\u4e00-\u9fff]", strip_markup(question))),
        years=_YEAR.findall(question), asks_duty=answer_type == "duty",
        answer_type=answer_type, probabilities=probs, vector=vector,
    )


def asks_number(question: str) -> bool:
    """Whether a question asks for a number or a date ("哪几个部门" asks which ones, not how many)."""
    return bool(ASKS_NUMBER.search(question)) and not re.search(r"哪几|哪些", question)


def _opens_with(question: str, name: str, registry: BodyRegistry) -> bool:
    """Whether the question opens with the body (its subject), after a leading 那/请问 and the like."""
    body = registry.get(name)
    forms = registry.forms_of(name) + ([body.core] if len(body.core) >= 2 else [])
    opening = _OPENER.sub("", question)
    return any(opening.startswith(f) for f in forms)



def task_hops(question: str) -> list[str]:
    """The tasks a multi-hop "who" question names: "既管A又管B" → [A, B]; otherwise the question."""
    # "既管A又管B" / "both A and B" are two tasks whose actor must be the same.
    m = re.search(r"既(.+?)又(.+)", question) or re.search(r"both (.+?) and (.+)", question, re.I)
    if m:
        return [m.group(1), m.group(2)]
    m = re.search(r"(.+?)(?:，|,)?(?:同时|还|并且)(?:负责|管|抓)(.+)", question)
    if m and len(m.group(1)) > 3:
        return [m.group(1), m.group(2)]
    return [question]


def last_clause(question: str) -> str:
    """The part after the last comma: in a merged follow-up, the user's actual ask."""
    parts = [p for p in re.split(r"[，,；;]", question) if p.strip()]
    return parts[-1] if parts else question
