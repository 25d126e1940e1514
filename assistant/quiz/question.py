"""A quiz question and the kinds and levels of questions."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from index.language import read_groups, template

# kind → level
KINDS: dict[str, int] = {
    "true_false": 1, "who": 1, "task": 1, "structure": 1,
    "cloze": 2, "reverse": 2,
    "list": 3, "recall": 3,
}
KIND_LABELS: dict[str, str] = {
    "true_false": template("assistant.quiz.question.kind.true_false"),
    "who": template("assistant.quiz.question.kind.who"),
    "task": template("assistant.quiz.question.kind.task"),
    "structure": template("assistant.quiz.question.kind.structure"),
    "cloze": template("assistant.quiz.question.kind.cloze"),
    "reverse": template("assistant.quiz.question.kind.reverse"),
    "list": template("assistant.quiz.question.kind.list"),
    "recall": template("assistant.quiz.question.kind.recall"),
}
LEVEL_LABELS = {1: template("assistant.quiz.question.level.easy"), 2: template("assistant.quiz.question.level.medium"),
                3: template("assistant.quiz.question.level.hard")}
# The names a user may give for kinds of question (index/language/quiz_kinds.txt): name → kinds.
KIND_ALIASES: dict[str, tuple[str, ...]] = {group[0]: group[1:] for group in read_groups("quiz_kinds.txt")}
PASS_MARK = 0.999  # a response is "correct" when it scores full marks

LETTERS = "ABCDEFGH"


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
    covers: list[str] | None = None   # every fact id it tests, when more than one (a recall: its duties)
    unit: str = ""                    # number answers: the unit printed after the number (天, %, 个)

    def __post_init__(self) -> None:
        self.accepted = list(dict.fromkeys(self.accepted))

    def to_dict(self) -> dict:
        out = asdict(self)
        out["kind_label"] = KIND_LABELS.get(self.kind, self.kind)
        if self.options:
            out["answer_letter"] = LETTERS[self.options.index(self.answer)] if self.answer in self.options else None
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Question":
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in names})

    @property
    def expected(self) -> str:
        """The right answer as shown to a trainee."""
        if self.answer_type == "choice" and self.options and self.answer in self.options:
            return f"{LETTERS[self.options.index(self.answer)]}. {self.answer}"
        if self.answer_type == "list" and self.items:
            return "；".join(f"{i}. {it['answer']}" for i, it in enumerate(self.items, 1))
        return self.answer

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)
