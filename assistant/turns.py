"""How a question relates to the turn before it: it stands alone, continues it, or swaps a part of it.

- ``standalone``: a complete question, answered on its own even right after another ("这是谁讲的？"
  after "交通局要做什么？").
- ``merge``: it lacks a subject or object the previous turn supplies ("每月几次？", "它还负责什么？").
- ``swap``: it replaces the matching part of the previous question ("那水质呢？" after "今年优良天数目标
  是多少天？"; "住建局呢？" after "交通局要做什么？").

A multinomial logistic regression over general features of the pair decides (``TurnModel``), fitted by
``assistant train`` on the labelled pairs of ``eval/followups/dev.jsonl`` across documents; without the
fitted model the older rules of ``assistant.followup`` decide. The features are evidence, not words of a
document: cues and question words (``index/language``), whether the question's own words name a body
or a topic of the document, how well the question alone is answered (its best sentence similarity), and
how close it is to the previous question.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from assistant.followup import CUE_END, CUE_REFERENCE, CUE_START, ordinal, strip_cue
from assistant.models import TYPES, ModelMissing, _read, _softmax
from index.language import read_words

LABELS = ("standalone", "merge", "swap")
TURN_FILE = "turn.json"
QUESTION_WORDS = tuple(w for w in read_words("question_words.txt"))
_ZH_QUESTION = [w for w in QUESTION_WORDS if not w.isascii()]
_EN_QUESTION = re.compile(r"\b(" + "|".join(re.escape(w) for w in QUESTION_WORDS if w.isascii()) + r")\b", re.I)
TURN_FEATURES = ("cue_start", "cue_end", "reference", "ordinal", "length", "english", "question_word",
                 "body", "previous_body", "same_body", "terms", "terms_in_document", "terms_in_previous",
                 "topic_without_question", "similarity_to_previous", "answered_alone", "answered_previous",
                 "bm25_alone", "merge_gain", "previous_answered") \
    + tuple(f"type_{t}" for t in TYPES)


def asks(question: str) -> bool:
    """Whether the question carries its own question word (a predicate of its own)."""
    return any(w in question for w in _ZH_QUESTION) or bool(_EN_QUESTION.search(question))


def turn_features(question: str, previous: str, *, bodies: list[str], previous_bodies: list[str], terms: list[str],
                  document: str, vector: np.ndarray, previous_vector: np.ndarray | None, sentence_vectors: np.ndarray,
                  types: dict[str, float], bm25_top: float = 0.0, previous_answered: bool = True) -> list[float]:
    """``TURN_FEATURES`` of ``question`` asked right after ``previous`` (its standalone form). ``terms``: the
    question's content words; ``bodies``: the bodies it names; ``document``: the documents' text, lower-cased
    (a library's is megabytes: lower-casing it at every turn was 30 ms of each); ``vector``: its query vector; ``bm25_top``: the
    best BM25 score of its own words over the document's sentences (how specific a topic it names);
    ``previous_answered``: whether the previous turn was answered (a question after a refusal rarely leans on it)."""
    core = re.sub(r"[\W_]", "", question)
    english = sum(c.isascii() for c in core) > 0.6 * max(1, len(core))
    previous_text = previous.lower()
    in_document = sum(t in document for t in terms) / len(terms) if terms else 0.0
    in_previous = sum(t in previous_text for t in terms) / len(terms) if terms else 0.0
    own_question = asks(strip_cue(question))
    alone = float(np.max(sentence_vectors @ vector)) if len(sentence_vectors) else 0.0
    before = float(np.max(sentence_vectors @ previous_vector)) if previous_vector is not None and len(sentence_vectors) else 0.0
    similarity = float(vector @ previous_vector) if previous_vector is not None else 0.0
    # What joining the previous question adds: the best sentence for the two together (the vector the
    # retriever uses for a merged question) against the best for this one alone. A complete question
    # loses by the join; an elliptical one gains its subject.
    gain = 0.0
    if previous_vector is not None and len(sentence_vectors):
        joined = previous_vector + vector
        joined = joined / (np.linalg.norm(joined) or 1.0)
        gain = float(np.max(sentence_vectors @ joined)) - alone
    return [float(bool(CUE_START.search(question))), float(bool(CUE_END.search(question))),
            float(bool(CUE_REFERENCE.search(question))), float(ordinal(question) is not None),
            math.log1p(len(core)), float(english), float(own_question),
            float(bool(bodies)), float(bool(previous_bodies)), float(bool(set(bodies) & set(previous_bodies))),
            min(len(terms), 6) / 6, in_document, in_previous, float(bool(terms) and not own_question),
            similarity, alone, alone - before, math.log1p(max(0.0, bm25_top)), gain,
            float(previous_answered)] + [float(types.get(t, 0.0)) for t in TYPES]


@dataclass
class TurnModel:
    """Multinomial logistic regression over standardised ``TURN_FEATURES``."""

    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def from_dict(cls, data: dict) -> "TurnModel":
        if tuple(data.get("features", ())) != TURN_FEATURES:
            raise ModelMissing(f"{TURN_FILE} was fitted on other features; run assistant train")
        return cls(list(data["classes"]), np.asarray(data["coef"]), np.asarray(data["intercept"]),
                   np.asarray(data["mean"]), np.asarray(data["scale"]))

    @classmethod
    def load(cls, name: str = TURN_FILE) -> "TurnModel":
        return cls.from_dict(_read(name))

    def probabilities(self, row: list[float]) -> dict[str, float]:
        z = self.coef @ ((np.asarray(row) - self.mean) / self.scale) + self.intercept
        return {c: float(p) for c, p in zip(self.classes, _softmax(z))}

    def predict(self, row: list[float]) -> str:
        probs = self.probabilities(row)
        return max(self.classes, key=lambda c: (round(probs[c], 6), -self.classes.index(c)))
